"""gitops_writer.proposal: what a request hands to publishing."""

from __future__ import annotations

import pytest

from gitops_writer.proposal import LABEL_MAX, PublishPlan, label_problem
from gitops_writer.repo import FileChange


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("infra/ecr", None),
        ("a" * LABEL_MAX, None),
        ("a" * (LABEL_MAX + 1), f"is {LABEL_MAX + 1} characters long; GitHub takes at most {LABEL_MAX}"),
        ("two\nlines", "holds a line break or another control character"),
        ("bell\x07", "holds a line break or another control character"),
    ],
)
def test_a_label_github_cannot_take_is_named(label: str, problem: str | None) -> None:
    assert label_problem(label) == problem


def test_the_commit_message_is_the_subject_a_blank_line_and_the_body() -> None:
    plan = PublishPlan((FileChange("a", "1", "1"),), "b", "registry: create x", "", "T", "B")
    assert plan.commit_message == "registry: create x\n"
    assert not plan.changed
    with_body = PublishPlan((FileChange("a", None, "1"),), "b", "s", "body\n\nTrailer: v", "T", "B")
    assert with_body.commit_message == "s\n\nbody\n\nTrailer: v\n"
    assert with_body.changed
