"""gitops_writer.refs: which branch names a request may use."""

from __future__ import annotations

import pytest

from gitops_writer.refs import branch_problem


@pytest.mark.parametrize("branch", ["gitops/ecr-orders-dev", "feature/a.b", "a-b_c"])
def test_a_plain_branch_name_passes(branch: str) -> None:
    assert branch_problem(branch) is None


@pytest.mark.parametrize(
    ("branch", "problem"),
    [
        ("", "not a valid git branch name"),
        ("a..b", "not a valid git branch name"),
        ("a b", "not a valid git branch name"),
        ("-a", "not a valid git branch name"),
        ("a/.hidden", "not a valid git branch name"),
        ("a.lock", "not a valid git branch name"),
        ("@", "not a valid git branch name"),
        ("a@{1}", "not a valid git branch name"),
        ("HEAD", "reads as HEAD"),
        ("refs/heads/main", "reads as HEAD"),
        ("origin/main", "reads as HEAD"),
    ],
)
def test_a_name_git_refuses_or_that_reads_as_something_else_is_refused(branch: str, problem: str) -> None:
    assert problem in (branch_problem(branch) or "")
