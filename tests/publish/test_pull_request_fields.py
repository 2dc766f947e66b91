"""Reviewers, assignees, required labels, draft updates, author/committer and delete-branch, against the
GitHub stand-in (every exchange checked against GitHub's OpenAPI description) and a real bare remote."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gitops_writer.errors import ConfigError, GitHubError
from gitops_writer.publish import PublishOptions, publish
from gitops_writer.publish.git import Identity
from gitops_writer.publish.settings import publish_settings
from tests.github_api import GitHubAPI
from tests.publish.support import AddRegistry, Remote, Sleeps

BRANCH = "registry/create-gamma"
CONFIG = {
    "reviewers": {
        "default": {"users": ["alice"], "teams": ["platform"]},
        "high": {"users": ["sec-lead"], "teams": ["security"]},
    },
    "required_labels": ["ecr-registry"],
}


def configured(options: PublishOptions, risk: str | None = None, **changes: object) -> PublishOptions:
    return dataclasses.replace(options, settings=publish_settings(CONFIG), risk=risk, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("risk", "users", "teams"), [("low", ["alice"], ["platform"]), ("high", ["sec-lead"], ["security"])]
)
def test_reviewers_come_from_the_config_by_risk_with_a_default(
    clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, risk: str, users: list[str], teams: list[str]
) -> None:
    result = publish(clone, AddRegistry("gamma"), configured(options, risk), sleep=sleeps)

    assert result.operation == "created" and result.warnings == ()
    [request] = api.calls_to("pulls/request-reviewers")
    assert request.body == {"reviewers": users, "team_reviewers": teams}
    assert (api.pulls[1].reviewers, api.pulls[1].teams) == (users, teams)


def test_inputs_win_over_the_config_and_are_kept_on_update_but_not_re_requested_when_nothing_moved(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    chosen = configured(options, "high", reviewers=("bob",), assignees=("alice", "bob"))
    publish(clone, AddRegistry("gamma"), chosen, sleep=sleeps)
    assert (api.pulls[1].reviewers, api.pulls[1].teams, api.pulls[1].assignees) == (
        ["bob"],
        ["security"],
        ["alice", "bob"],
    )

    api.pulls[1].reviewers.clear()  # bob reviewed: GitHub drops him from the requested reviewers
    assert publish(clone, AddRegistry("gamma"), chosen, sleep=sleeps).operation == "unchanged"
    assert len(api.calls_to("pulls/request-reviewers")) == 1  # no new commit, no new review request
    assert len(api.calls_to("issues/add-assignees")) == 1  # both still assigned: nothing to add

    remote.commit("development", "registries.txt", "alpha\nbeta\ndelta\n")
    assert publish(clone, AddRegistry("gamma"), chosen, sleep=sleeps).operation == "updated"
    [_, again] = api.calls_to("pulls/request-reviewers")
    assert again.body == {"reviewers": ["bob"], "team_reviewers": []}  # the team was still requested


def test_a_reviewer_github_refuses_and_an_assignee_it_leaves_out_are_warnings(
    clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    chosen = configured(options, reviewers=("mallory",), assignees=("alice", "eve"))

    result = publish(clone, AddRegistry("gamma"), chosen, sleep=sleeps)

    assert result.operation == "created"
    reviews, assignees = result.warnings
    assert "reviews from mallory, team platform were not requested" in reviews
    assert "Reviews may only be requested from collaborators" in reviews
    assert assignees == "GitHub did not assign eve to #1 (only people with push access can be)"
    assert api.pulls[1].assignees == ["alice"]


def test_a_required_label_that_cannot_be_applied_fails_the_run(
    clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    denied = {"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"}
    api.fail("issues/add-labels", 403, denied)

    with pytest.raises(GitHubError, match="required label ecr-registry was not applied: labels ecr-registry, dev"):
        publish(clone, AddRegistry("gamma"), configured(options), sleep=sleeps)

    assert api.pulls[1].labels == []
    # Without required_labels the same failure is only a warning.
    api.fail("issues/add-labels", 403, denied)
    assert publish(clone, AddRegistry("gamma"), options, sleep=sleeps).warnings


def test_a_required_label_missing_from_the_labels_fails_before_any_push(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    with pytest.raises(
        ConfigError, match=r"required label ecr-registry is not among the pull request's labels \(infra\)"
    ):
        publish(clone, AddRegistry("gamma"), configured(options, labels=("infra",)), sleep=sleeps)
    assert remote.sha(BRANCH) is None and api.writes() == []


@pytest.mark.parametrize("draft", [True, False])
def test_draft_is_honoured_on_update_both_ways(
    clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, draft: bool
) -> None:
    publish(clone, AddRegistry("gamma"), dataclasses.replace(options, draft=not draft), sleep=sleeps)
    assert api.pulls[1].draft is (not draft)

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, draft_on_update=draft), sleep=sleeps)

    assert result.operation == "updated" and api.pulls[1].draft is draft
    name = "convertPullRequestToDraft" if draft else "markPullRequestReadyForReview"
    assert api.graphql_calls == [(name, "PR_standin1")]
    # Already as asked: nothing is sent.
    publish(clone, AddRegistry("gamma"), dataclasses.replace(options, draft_on_update=draft), sleep=sleeps)
    assert len(api.graphql_calls) == 1


def test_author_and_committer_from_the_config_or_the_inputs(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    settings = publish_settings(
        {"author": "Pat Person <pat@example.com>", "committer": "Platform Bot <bot@example.com>"}
    )
    publish(clone, AddRegistry("gamma"), dataclasses.replace(options, settings=settings), sleep=sleeps)
    [commit] = remote.log(f"development..{BRANCH}")
    assert commit.split(" ")[1:3] == ["pat@example.com", "bot@example.com"]

    # The input wins; the branch's commit by the configured people is theirs to replace.
    given = dataclasses.replace(options, settings=settings, author=Identity("Sam", "sam@example.com"))
    assert publish(clone, AddRegistry("gamma", extra_line="# x"), given, sleep=sleeps).operation == "updated"
    [commit] = remote.log(f"development..{BRANCH}")
    assert commit.split(" ")[1:3] == ["sam@example.com", "bot@example.com"]


def test_config_settings_are_checked() -> None:
    with pytest.raises(ConfigError, match="reviewers.high must be a mapping with users and/or teams"):
        publish_settings({"reviewers": {"high": ["alice"]}})
    with pytest.raises(ConfigError, match="'not a login!' is not a GitHub user name"):
        publish_settings({"reviewers": {"default": {"users": ["not a login!"]}}})
    with pytest.raises(ConfigError, match="author must be of the form 'Name <email>'"):
        publish_settings({"author": "pat@example.com"})
    with pytest.raises(ConfigError, match="commit must be git or api"):
        publish_settings({"commit": "gpg"})
    assert publish_settings({"reviewers": {"default": {"teams": ["acme/platform"]}}}).reviewers_for("x").teams == (
        "platform",
    )


def test_delete_branch_removes_a_leftover_branch_once_the_request_is_on_the_base(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.pulls[1].state = "closed"  # closed, then the same change reached development another way
    remote.commit("development", "registries.txt", "alpha\nbeta\ngamma\n")

    kept = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert kept.operation == "none" and remote.sha(BRANCH) is not None  # not asked to

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, delete_branch=True), sleep=sleeps)

    assert result.operation == "none" and result.reason.endswith(f"deleted the leftover branch {BRANCH}")
    assert remote.sha(BRANCH) is None


def test_delete_branch_keeps_a_branch_whose_pull_request_is_open(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    remote.commit("development", "registries.txt", "alpha\nbeta\ngamma\n")

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, delete_branch=True), sleep=sleeps)

    assert result.reason.endswith("its pull request is still open") and remote.sha(BRANCH) is not None
    assert api.calls_to("git/delete-ref") == []


def test_delete_branch_starts_a_recreated_pull_request_from_a_fresh_branch(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.pulls[1].state = "closed"

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, delete_branch=True), sleep=sleeps)

    assert (result.operation, result.number) == ("created", 2)
    [deleted] = api.calls_to("git/delete-ref")
    assert deleted.status == 204 and deleted.path == "/repos/acme/infra/git/refs/heads%2Fregistry%2Fcreate-gamma"
