"""publish/session.py: every GitHub call retried, rate limits honoured, pages followed to the API's own origin
only, a token no header can carry refused before any request."""

from __future__ import annotations

import socket

import pytest

from gitops_writer.errors import GitHubError, UsageError
from gitops_writer.publish.github import GitHubClient
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Sleeps

BRANCH = "registry/create-gamma"


@pytest.fixture
def client(api: GitHubAPI, sleeps: Sleeps) -> GitHubClient:
    return GitHubClient(api.url, REPOSITORY, api.token, sleep=sleeps)


@pytest.mark.parametrize(
    ("status", "message", "hint"),
    [
        (403, "Resource not accessible by integration", "contents:write and pull-requests:write"),
        (404, "Not Found", "repository was not found"),
    ],
)
def test_refusals_explain_what_to_do(
    client: GitHubClient, api: GitHubAPI, status: int, message: str, hint: str
) -> None:
    api.fail(
        "pulls/list",
        status,
        {"message": message, "documentation_url": "https://docs.github.com/rest", "status": str(status)},
    )
    with pytest.raises(GitHubError, match=f"{status} {message}.*{hint}"):
        client.pulls_for_head(BRANCH, "development")


def test_unknown_repository_is_a_404(api: GitHubAPI, sleeps: Sleeps) -> None:
    with pytest.raises(GitHubError, match="404 Not Found; the repository was not found"):
        GitHubClient(api.url, "acme/other", api.token, sleep=sleeps).pulls_for_head(BRANCH, "development")


def test_primary_rate_limit_fails_with_the_reset(client: GitHubClient, api: GitHubAPI, sleeps: Sleeps) -> None:
    api.fail(
        "pulls/list",
        403,
        {
            "message": "API rate limit exceeded for installation ID 1.",
            "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        },
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"},
    )
    with pytest.raises(GitHubError, match="rate limit is exhausted"):
        client.pulls_for_head(BRANCH, "development")
    assert sleeps.waits == []


def test_secondary_rate_limit_longer_than_allowed_is_not_waited_for(api: GitHubAPI, sleeps: Sleeps) -> None:
    client = GitHubClient(api.url, REPOSITORY, api.token, sleep=sleeps, max_wait=60)
    api.secondary_rate_limit("pulls/list", retry_after=3600)
    with pytest.raises(GitHubError, match="secondary rate limit .retry-after 3600s. is longer than 60s"):
        client.pulls_for_head(BRANCH, "development")
    assert sleeps.waits == []


def test_secondary_rate_limit_without_retry_after_waits_until_reset(
    client: GitHubClient, api: GitHubAPI, sleeps: Sleeps
) -> None:
    api.fail(
        "pulls/list",
        429,
        {"message": "You have exceeded a secondary rate limit.", "documentation_url": "https://docs.github.com/rest"},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "0"},
    )
    client.pulls_for_head(BRANCH, "development")
    assert sleeps.waits == [1.0]  # the reset has passed: the floor of the backoff applies


def test_unreachable_api_is_retried_then_reported(sleeps: Sleeps) -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = GitHubClient(f"http://127.0.0.1:{port}/api/v3", REPOSITORY, "ghs_x", sleep=sleeps, attempts=3)
    with pytest.raises(GitHubError, match=r"gave up after 3 attempts \(ConnectError\)"):
        client.pulls_for_head(BRANCH, "development")
    assert sleeps.waits == [1.0, 2.0]


def test_a_head_that_never_appears_is_given_up_on(client: GitHubClient, sleeps: Sleeps) -> None:
    with pytest.raises(GitHubError, match="gave up after 5 attempts .the pushed branch is not visible"):
        client.create("registry/create-missing", "development", "t", "b", False)
    assert sleeps.waits == [1.0, 2.0, 4.0, 8.0]


def test_a_next_page_on_another_host_is_not_followed(client: GitHubClient, api: GitHubAPI) -> None:
    api.fail("pulls/list", 200, [], {"link": '<http://elsewhere.invalid/repos/acme/infra/pulls?page=2>; rel="next"'})
    with pytest.raises(GitHubError, match="next page is on another host .elsewhere.invalid"):
        client.pulls_for_head(BRANCH, "development")
    assert len(api.calls) == 1


@pytest.mark.parametrize("bad", ["ghs_abc\n", "ghs_a bc", "ghs_\u00e9"])
def test_a_token_no_header_can_carry_fails_at_once(api: GitHubAPI, sleeps: Sleeps, bad: str) -> None:
    with pytest.raises(UsageError, match="token holds a space, a line break") as caught:
        GitHubClient(api.url, REPOSITORY, bad, sleep=sleeps).pulls_for_head(BRANCH, "development")
    assert bad not in str(caught.value)
    assert api.calls == [] and sleeps.waits == []
