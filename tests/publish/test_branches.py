from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.publish import PublishOptions
from gitops_writer.publish.branches import BranchPolicy, People, committers
from gitops_writer.publish.git import BOT, Commit, Identity, Repository
from gitops_writer.publish.github import GitHubClient
from tests.github_api import GitHubAPI
from tests.publish.support import PERSON, Remote

BOT_AUTHOR = Identity("acme-app[bot]", "123+acme-app[bot]@users.noreply.github.com")
WEB_FLOW = Identity("GitHub", "noreply@github.com")


def commit(author: Identity, committer: Identity) -> Commit:
    return Commit("0" * 40, author, committer, (), "1" * 40)


@pytest.mark.parametrize(
    ("branch", "why"),
    [
        ("development", "it is the base branch"),
        ("main", "it is the repository's default branch"),
        ("release", "it is a protected branch"),
        ("registry/create-gamma", ""),
    ],
)
def test_a_branch_is_never_force_pushed_when_it_is_the_base_the_default_or_protected(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, branch: str, why: str
) -> None:
    remote.commit("release", "registries.txt", "release\n", start="main")
    api.protected.add("release")
    repo = Repository(clone)
    with GitHubClient(options.api_url, options.repository, options.token) as github:
        policy = BranchPolicy(repo, github, committers(repo, options), "development")
        assert policy.protected(branch) == why
        assert policy.protected("release", exists=False) == ""  # a branch yet to be made has no protection


def test_the_tools_committer_made_a_commit_whoever_is_named_its_author() -> None:
    people = People(Identity(*PERSON), BOT, api=False)
    assert people.made(commit(Identity(*PERSON), BOT))
    assert people.made(commit(Identity("Someone", "someone@example.com"), BOT))
    assert not people.made(commit(BOT, Identity(*PERSON)))
    assert not people.made(commit(BOT_AUTHOR, WEB_FLOW))  # GitHub's commits count only in api mode


def test_in_api_mode_github_made_the_commit_only_for_a_bot_author() -> None:
    people = People(BOT, BOT, api=True)
    assert people.made(commit(BOT_AUTHOR, WEB_FLOW))
    assert not people.made(commit(Identity(*PERSON), WEB_FLOW))  # a person's edit in the web UI
