"""commit: api: GitHub makes (and signs) the request commit; same tree, message, lease and outputs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gitops_writer.errors import ConflictError
from gitops_writer.publish import PublishOptions, publish
from gitops_writer.publish.git import BranchState, Repository
from tests.github_api import GitHubAPI
from tests.publish.support import BOT_EMAIL, PERSON, AddRegistry, Remote, Sleeps, git

BRANCH = "registry/create-gamma"


@pytest.fixture
def api_options(options: PublishOptions) -> PublishOptions:
    return dataclasses.replace(options, commit="api")


def test_the_commit_is_made_and_signed_by_github_with_the_same_tree_and_message(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, api_options: PublishOptions, sleeps: Sleeps
) -> None:
    by_git = publish(clone, AddRegistry("delta"), options, sleep=sleeps)  # the same request made by git, to compare
    git_commit = git(remote.seed, "--git-dir", str(remote.bare), "cat-file", "commit", "registry/create-delta")

    result = publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)

    assert (result.operation, result.verified, by_git.verified) == ("created", True, False)
    assert result.outputs()["commit-verified"] == "true" and result.head_sha == remote.sha(BRANCH)
    assert api.commits_made == [result.head_sha]
    raw = git(remote.seed, "--git-dir", str(remote.bare), "cat-file", "commit", BRANCH)
    headers, message = raw.split("\n\n", 1)
    assert "\ngpgsig -----BEGIN PGP SIGNATURE-----" in headers
    assert "\ncommitter GitHub <noreply@github.com>" in headers and f"<{BOT_EMAIL}>" in headers
    assert f"parent {remote.sha('development')}" in headers
    assert message == "registry: create gamma in dev\n\n- name: gamma\n- environment: dev\n"
    assert git_commit.split("\n\n", 1)[1] == message.replace("gamma", "delta")
    assert remote.read(BRANCH, "registries.txt") == "alpha\nbeta\ngamma\n"
    # The tree GitHub built is the tree git builds from the same changes.
    [tree_call] = api.calls_to("git/create-tree")
    assert tree_call.body["tree"] == [
        {"path": "registries.txt", "mode": "100644", "type": "blob", "content": "alpha\nbeta\ngamma\n"}
    ]


def test_a_rerun_is_unchanged_and_a_moved_base_regenerates_through_the_api(
    clone: Path, remote: Remote, api: GitHubAPI, api_options: PublishOptions, sleeps: Sleeps
) -> None:
    first = publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)

    again = publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)
    assert (again.operation, again.head_sha, again.verified) == ("unchanged", first.head_sha, True)
    assert len(api.commits_made) == 1  # nothing made, nothing pushed

    new_tip = remote.commit("development", "registries.txt", "alpha\nbeta\ndelta\n")
    moved = publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)
    assert moved.operation == "updated" and len(api.commits_made) == 2
    [commit] = remote.log(f"development..{BRANCH}")
    assert commit.split(" ")[3].startswith(new_tip)  # one commit on the new base tip, as with git


def test_the_lease_holds_for_api_made_commits(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    api_options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A person pushes to the branch after it was fetched, before GitHub's commit is pushed: refused."""
    publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)
    pushed: list[str] = []
    real = Repository.fetch_commit

    def person_pushes_meanwhile(self: Repository, sha: str) -> None:
        real(self, sha)
        if not pushed:
            pushed.append(remote.commit(BRANCH, "registries.txt", "reviewed\n", who=PERSON))

    monkeypatch.setattr(Repository, "fetch_commit", person_pushes_meanwhile)
    remote.commit("development", "registries.txt", "alpha\nbeta\ndelta\n")

    with pytest.raises(ConflictError, match="Pat Person"):  # the lease was lost, the re-fetch finds the person
        publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)
    assert remote.sha(BRANCH) == pushed[0]


def test_a_lost_lease_to_another_run_makes_a_new_commit_on_the_new_state(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    api_options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = Repository.fetch_branch
    raced: list[str] = []

    def another_run_pushes(self: Repository, branch: str, base: str, base_sha: str) -> BranchState:
        state = real(self, branch, base, base_sha)
        if not raced:
            raced.append(
                remote.commit(
                    branch, "registries.txt", "x\n", start="development", who=("github-actions[bot]", BOT_EMAIL)
                )
            )
        return state

    monkeypatch.setattr(Repository, "fetch_branch", another_run_pushes)
    result = publish(clone, AddRegistry("gamma"), api_options, sleep=sleeps)

    assert result.operation == "created" and result.verified
    assert len(api.commits_made) == 2 and remote.sha(BRANCH) == api.commits_made[-1]
