"""publish/flags.py: the publish options as a person gave them."""

from __future__ import annotations

import pytest

from gitops_writer.publish.flags import PublishFlags


def test_nothing_given_is_the_commands_defaults() -> None:
    flags = PublishFlags()
    assert (flags.remote, flags.on_closed, flags.draft, flags.force, flags.labels) == (
        "origin",
        "recreate",
        False,
        False,
        None,
    )
    assert not flags.names_people


@pytest.mark.parametrize("given", ["reviewers", "team_reviewers", "assignees", "author", "committer"])
def test_any_person_given_is_checked_before_a_dry_run_ends(given: str) -> None:
    assert PublishFlags(**{given: "someone"}).names_people


def test_the_token_is_never_shown() -> None:
    assert "ghs_secret" not in repr(PublishFlags(token="ghs_secret"))
