"""publish/settings.py: the config's publishing keys, and the people the command line names, checked as read."""

from __future__ import annotations

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.publish.flags import PublishFlags
from gitops_writer.publish.git import Identity
from gitops_writer.publish.settings import Reviewers, check_publishing, publish_settings, split


def test_the_publishing_keys_are_read_into_typed_settings() -> None:
    settings = publish_settings(
        {
            "reviewers": {
                "default": {"users": ["@alice"]},
                "high": {"users": ["sec-lead"], "teams": ["acme/security"]},
            },
            "required_labels": ["ecr-registry"],
            "commit": "api",
            "author": "Platform Bot <bot@example.com>",
            "delete_branch": True,
            "environments": ["dev"],  # not a publishing key: left alone
        }
    )
    assert settings.reviewers_for("high") == Reviewers(("sec-lead",), ("security",))
    assert settings.reviewers_for("low") == settings.reviewers_for(None) == Reviewers(("alice",))
    assert (settings.required_labels, settings.commit, settings.delete_branch) == (("ecr-registry",), "api", True)
    assert settings.author == Identity("Platform Bot", "bot@example.com") and settings.committer is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"reviewers": ["alice"]}, "reviewers must map a risk"),
        ({"reviewers": {"default": {"people": ["alice"]}}}, "reviewers.default must be a mapping with users"),
        ({"reviewers": {"default": {"users": ["not a login"]}}}, "is not a GitHub user name"),
        ({"required_labels": "ecr"}, "required_labels must be a list of names"),
        ({"commit": "svn"}, "commit must be git or api"),
        ({"delete_branch": "yes"}, "delete_branch must be true or false"),
        ({"committer": "bot@example.com"}, "must be of the form 'Name <email>'"),
    ],
)
def test_a_malformed_key_is_a_config_error_naming_it(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        publish_settings(raw, "config .gitops-writer.yaml")


def test_the_command_lines_people_are_checked_with_their_options_names() -> None:
    check_publishing({}, PublishFlags(reviewers="alice, @bob", team_reviewers="acme/ops", author="A <a@b.c>"), "c")
    with pytest.raises(ConfigError, match="--team-reviewers: '@acme/a!b' is not a team slug"):
        check_publishing({}, PublishFlags(team_reviewers="ops @acme/a!b"), "c")
    with pytest.raises(ConfigError, match="--committer must be of the form"):
        check_publishing({}, PublishFlags(committer="nobody"), "c")
    assert split(" alice,bob  carol ") == ("alice", "bob", "carol")
