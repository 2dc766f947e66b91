"""GitHub at the edge: find, create and update the request's pull request, through githubkit.

Every call goes through `_call`, which retries server errors, secondary rate limits (honouring
`retry-after`) and, for creation only, the 422 GitHub answers while a just-pushed branch is not yet
visible. githubkit's own retry is off so that waits are counted and the sleep can be injected.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from githubkit import GitHub
from githubkit.exception import (
    PrimaryRateLimitExceeded,
    RequestError,
    RequestFailed,
    SecondaryRateLimitExceeded,
)

from gitops_writer.errors import GitHubError

T = TypeVar("T")
Sleep = Callable[[float], None]
MAX_BODY = 65536  # characters GitHub accepts in a pull request body


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
    state: str
    merged: bool
    title: str
    body: str
    labels: tuple[str, ...]
    head: str = ""  # the head branch's name
    head_repository: str = ""  # owner/name the head branch lives in (another one for a fork)
    base: str = ""


class DuplicatePullRequest(GitHubError):
    """Another run opened the pull request between our look-up and our create."""


def _pull(data: Any) -> PullRequest:
    # Raw JSON, not githubkit's models: those follow a newer API version than GHES may serve.
    return PullRequest(
        number=int(data["number"]),
        url=str(data["html_url"]),
        state=str(data["state"]),
        merged=data.get("merged_at") is not None,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        labels=tuple(str(label["name"]) for label in data.get("labels") or () if label.get("name")),
        head=str((data.get("head") or {}).get("ref") or ""),
        head_repository=str(((data.get("head") or {}).get("repo") or {}).get("full_name") or ""),
        base=str((data.get("base") or {}).get("ref") or ""),
    )


def next_link(header: str) -> str | None:
    """The rel="next" URL of a Link header (RFC 8288), as GitHub paginates lists."""
    for part in header.split(","):
        target, _, params = part.partition(";")
        if any(param.strip().replace(" ", "") == 'rel="next"' for param in params.split(";")):
            return target.strip().removeprefix("<").removesuffix(">")
    return None


def _errors(exc: RequestFailed) -> tuple[str, list[dict[str, Any]]]:
    try:
        data = exc.response.json()
    except ValueError:
        return exc.response.raw_response.reason_phrase, []
    if not isinstance(data, dict):
        return "", []
    errors = data.get("errors")
    return str(data.get("message", "")), [e for e in errors if isinstance(e, dict)] if isinstance(errors, list) else []


def _head_not_visible(exc: RequestFailed) -> bool:
    _, errors = _errors(exc)
    return exc.response.status_code == 422 and any(
        e.get("field") == "head" and e.get("code") == "invalid" for e in errors
    )


def _already_exists(exc: RequestFailed) -> bool:
    _, errors = _errors(exc)
    return exc.response.status_code == 422 and any(
        "pull request already exists" in str(e.get("message", "")).lower() for e in errors
    )


_HINTS = {
    401: "the token was rejected: check that it is valid and not expired",
    403: "the token is not allowed to do this: it needs contents:write and pull-requests:write",
    404: "the repository was not found, or the token cannot see it",
}


class GitHubClient:
    def __init__(
        self,
        api_url: str,
        repository: str,
        token: str,
        *,
        sleep: Sleep = time.sleep,
        attempts: int = 5,
        max_wait: float = 900.0,
        timeout: float = 30.0,
    ) -> None:
        self.owner, self.repo = repository.split("/", 1)
        self._github = GitHub(
            token,
            base_url=api_url,
            auto_retry=False,
            http_cache=False,
            timeout=timeout,
            user_agent="gitops-writer",
        )
        self._sleep = sleep
        self._attempts = attempts
        self._max_wait = max_wait
        self._api_url = api_url.rstrip("/")
        self.rate_remaining: int | None = None  # x-ratelimit-remaining of the latest answer

    def _seen(self, response: Any) -> Any:
        remaining = response.headers.get("x-ratelimit-remaining")
        if remaining is not None and remaining.isdigit():
            self.rate_remaining = int(remaining)
        return response

    def _call(self, what: str, request: Callable[[], T], *, head_race: bool = False) -> T:
        for attempt in range(1, self._attempts + 1):
            backoff = float(2 ** (attempt - 1))
            try:
                return request()
            except SecondaryRateLimitExceeded as exc:
                wait = max(exc.retry_after.total_seconds(), backoff)
                reason = f"secondary rate limit (retry-after {wait:g}s)"
                if wait > self._max_wait:
                    raise GitHubError(f"{what}: {reason} is longer than {self._max_wait:g}s; re-run later") from None
            except PrimaryRateLimitExceeded as exc:
                raise GitHubError(
                    f"{what}: the token's API rate limit is exhausted; it resets in "
                    f"{exc.retry_after.total_seconds():.0f}s"
                ) from None
            except RequestFailed as exc:
                status = exc.response.status_code
                if status >= 500:
                    reason = f"HTTP {status}"
                elif head_race and _head_not_visible(exc):
                    reason = "the pushed branch is not visible to the API yet"
                else:
                    raise self._failure(what, exc) from None
                wait = backoff
            except RequestError as exc:
                reason, wait = type(exc.exc).__name__, backoff
            if attempt == self._attempts:
                raise GitHubError(f"{what}: gave up after {attempt} attempts ({reason})")
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _failure(self, what: str, exc: RequestFailed) -> GitHubError:
        status = exc.response.status_code
        message, errors = _errors(exc)
        details = "; ".join(str(e.get("message") or f"{e.get('field')} {e.get('code')}") for e in errors)
        text = f"{what}: GitHub answered {status} {message}".rstrip()
        if details:
            text += f" ({details})"
        if status in _HINTS:
            text += f"; {_HINTS[status]}"
        return DuplicatePullRequest(text) if _already_exists(exc) else GitHubError(text)

    def pulls_for_head(self, branch: str, base: str) -> list[PullRequest]:
        """Pull requests from `branch` into `base`, open and closed, newest first."""
        response = self._call(
            f"listing pull requests for {branch}",
            lambda: self._github.rest.pulls.list(
                self.owner,
                self.repo,
                state="all",
                head=f"{self.owner}:{branch}",
                base=base,
                sort="created",
                direction="desc",
                per_page=100,
            ),
        )
        return [_pull(item) for item in response.json()]

    def create(self, branch: str, base: str, title: str, body: str, draft: bool) -> PullRequest:
        what = f"creating the pull request for {branch}"

        response = self._call(
            what,
            lambda: self._github.rest.pulls.create(
                self.owner, self.repo, head=branch, base=base, title=title, body=body, draft=draft
            ),
            head_race=True,
        )
        return _pull(response.json())

    def update(self, number: int, title: str, body: str) -> PullRequest:
        response = self._call(
            f"updating pull request #{number}",
            lambda: self._github.rest.pulls.update(self.owner, self.repo, number, title=title, body=body),
        )
        return _pull(response.json())

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        self._call(
            f"labelling pull request #{number}",
            lambda: self._github.rest.issues.add_labels(self.owner, self.repo, number, labels=list(labels)),
        )

    def open_pulls(self, base: str, *, page_size: int = 100) -> Iterator[PullRequest]:
        """Every open pull request into `base`, oldest first, following the Link header page by page.

        A next page is only fetched from the API's own origin, so a forged link cannot take the token elsewhere.
        """
        url: str | None = f"{self._api_url}/repos/{self.owner}/{self.repo}/pulls"
        params: dict[str, str | int] | None = {
            "state": "open",
            "base": base,
            "sort": "created",
            "direction": "asc",
            "per_page": page_size,
        }
        origin = urlsplit(self._api_url)[:2]
        page = 1
        while url is not None:
            if urlsplit(url)[:2] != origin:
                raise GitHubError(f"listing pull requests: GitHub's next page {url!r} is not on {self._api_url}")
            fetch, query = url, params
            response = self._seen(
                self._call(
                    f"listing open pull requests into {base} (page {page})",
                    lambda fetch=fetch, query=query: self._github.request("GET", fetch, params=query),
                )
            )
            yield from (_pull(item) for item in response.json())
            url, params, page = next_link(response.headers.get("link", "")), None, page + 1

    def close(self, number: int) -> None:
        self._seen(
            self._call(
                f"closing pull request #{number}",
                lambda: self._github.rest.pulls.update(self.owner, self.repo, number, state="closed"),
            )
        )

    def comment(self, number: int, body: str) -> None:
        self._seen(
            self._call(
                f"commenting on pull request #{number}",
                lambda: self._github.rest.issues.create_comment(self.owner, self.repo, number, body=body),
            )
        )

    def remove_label(self, number: int, label: str) -> None:
        self._seen(
            self._call(
                f"removing label {label!r} from pull request #{number}",
                lambda: self._github.request(
                    "DELETE", f"/repos/{self.owner}/{self.repo}/issues/{number}/labels/{quote(label, safe='')}"
                ),
            )
        )

    def delete_branch(self, branch: str) -> None:
        ref = quote(f"heads/{branch}", safe="")  # one path segment, as Octokit sends it
        self._seen(
            self._call(
                f"deleting branch {branch}",
                lambda: self._github.request("DELETE", f"/repos/{self.owner}/{self.repo}/git/refs/{ref}"),
            )
        )
