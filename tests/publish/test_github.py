"""publish/github.py: the endpoints publishing calls, and the pull requests they answer with."""

from __future__ import annotations

import pytest

from gitops_writer.errors import GitHubError
from gitops_writer.publish.github import GitHubClient
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, Sleeps, git

BRANCH = "registry/create-gamma"


@pytest.fixture
def client(api: GitHubAPI, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(api.url, REPOSITORY, api.token, sleep=sleeps)


def test_finds_open_and_closed_pull_requests_for_the_head(client: GitHubClient, api: GitHubAPI, remote: Remote) -> None:
    remote.commit(BRANCH, "registries.txt", "x\n", start="development")
    api.open_pull(BRANCH).state = "closed"
    api.open_pull(BRANCH, title="second")
    api.open_pull(BRANCH, base="main")
    remote.commit("registry/create-other", "registries.txt", "y\n", start="development")
    api.open_pull("registry/create-other")

    pulls = client.pulls_for_head(BRANCH, "development")

    assert [(p.number, p.state, p.title) for p in pulls] == [(2, "open", "second"), (1, "closed", "t")]
    assert api.calls[0].query["head"] == ["acme:registry/create-gamma"]


def test_other_422s_are_not_retried(client: GitHubClient, api: GitHubAPI, remote: Remote, sleeps: Sleeps) -> None:
    git(remote.seed, "push", "-q", "origin", f"{remote.sha('development')}~1:refs/heads/{BRANCH}")
    with pytest.raises(
        GitHubError, match="422 Validation Failed .No commits between development and registry/create-gamma"
    ):
        client.create(BRANCH, "development", "t", "b", False)
    assert sleeps.waits == []


def test_the_look_up_follows_every_page(client: GitHubClient, api: GitHubAPI, remote: Remote) -> None:
    remote.commit(BRANCH, "registries.txt", "x\n", start="development")
    api.page_limit = 2
    api.open_pull(BRANCH, title="the open one")  # the oldest: on the last page
    for _ in range(4):
        api.open_pull(BRANCH).state = "closed"

    pulls = client.pulls_for_head(BRANCH, "development")

    assert [p.number for p in pulls] == [5, 4, 3, 2, 1]
    assert [p.title for p in pulls if p.state == "open"] == ["the open one"]
    assert [c.query.get("page") for c in api.calls] == [None, ["2"], ["3"]]
