"""GitHub at the edge: a small typed client over httpx for the few REST endpoints publishing uses.

Every call goes through `_call`, which retries server errors, transport failures, secondary rate
limits (honouring `retry-after`, else `x-ratelimit-reset`, as GitHub documents) and, for creation
only, the 422 GitHub answers while a just-pushed branch is not yet visible. The sleep is injected,
so waits are counted in tests. Lists follow the `Link: <...>; rel="next"` header, and only to the
API's own origin, so the token is never sent anywhere else. The token is never logged: it travels
in one header only, and messages are built from GitHub's answers, never from the request.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from gitops_writer import __version__
from gitops_writer.errors import GitHubError, UsageError

Sleep = Callable[[float], None]
MAX_BODY = 65536  # characters GitHub accepts in a pull request body
API_VERSION = "2022-11-28"
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: what an HTTP header can carry
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
    state: str
    merged: bool
    title: str
    body: str
    labels: tuple[str, ...]
    draft: bool = False
    head_sha: str = ""
    node_id: str = ""
    head: str = ""  # the head branch's name
    head_repository: str = ""  # owner/name the head branch lives in (another repository for a fork)
    base: str = ""
    requested_reviewers: tuple[str, ...] = ()
    requested_teams: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()


@dataclass(frozen=True)
class MadeCommit:
    """A commit GitHub made through the Git Data API."""

    sha: str
    tree: str
    verified: bool


class DuplicatePullRequest(GitHubError):
    """Another run opened the pull request between our look-up and our create."""


def check_token(token: str) -> None:
    """Refuse a token no HTTP header can carry (a pasted line break, a space) before any request."""
    if not _TOKEN.fullmatch(token):
        raise UsageError("the GitHub token holds a space, a line break or a non-ASCII character; pass the token alone")


def _pull(data: Any) -> PullRequest:
    # Only the fields we use, read leniently: GHES may serve an older shape of the same object.
    head = data.get("head") or {}
    return PullRequest(
        number=int(data["number"]),
        url=str(data["html_url"]),
        state=str(data["state"]),
        merged=data.get("merged_at") is not None,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        labels=tuple(str(label["name"]) for label in data.get("labels") or () if label.get("name")),
        draft=bool(data.get("draft")),
        head_sha=str(head.get("sha") or ""),
        node_id=str(data.get("node_id") or ""),
        head=str(head.get("ref") or ""),
        head_repository=str((head.get("repo") or {}).get("full_name") or ""),
        base=str((data.get("base") or {}).get("ref") or ""),
        requested_reviewers=_names(data.get("requested_reviewers"), "login"),
        requested_teams=_names(data.get("requested_teams"), "slug"),
        assignees=_names(data.get("assignees"), "login"),
    )


def _names(items: Any, key: str) -> tuple[str, ...]:
    return tuple(str(item[key]) for item in items or () if isinstance(item, dict) and item.get(key))


@dataclass(frozen=True)
class _Answer:
    """A refusal from GitHub: the status, its message and the `errors` list of a 422."""

    status: int
    message: str
    errors: tuple[Mapping[str, Any], ...]
    headers: httpx.Headers

    @classmethod
    def of(cls, response: httpx.Response) -> _Answer:
        try:
            data = response.json()
        except ValueError:
            return cls(response.status_code, response.reason_phrase, (), response.headers)
        if not isinstance(data, dict):
            return cls(response.status_code, "", (), response.headers)
        errors = data.get("errors")
        listed = tuple(e for e in errors if isinstance(e, dict)) if isinstance(errors, list) else ()
        return cls(response.status_code, str(data.get("message", "")), listed, response.headers)

    @property
    def head_not_visible(self) -> bool:
        return self.status == 422 and any(e.get("field") == "head" and e.get("code") == "invalid" for e in self.errors)

    @property
    def already_exists(self) -> bool:
        return self.status == 422 and any(
            "pull request already exists" in str(e.get("message", "")).lower() for e in self.errors
        )

    def rate_limit(self, now: float) -> tuple[str, float] | None:
        """("secondary", wait) or ("primary", seconds to reset) when this is a rate limit, else None."""
        if self.status not in (403, 429):
            return None
        remaining = self.headers.get("x-ratelimit-remaining")
        reset = _number(self.headers.get("x-ratelimit-reset"))
        retry_after = _number(self.headers.get("retry-after"))
        if retry_after is not None or "secondary rate limit" in self.message.lower():
            if retry_after is not None:
                return "secondary", retry_after
            if remaining == "0" and reset is not None:
                return "secondary", max(reset - now, 0.0)
            return "secondary", 60.0  # GitHub: "otherwise, wait for at least one minute"
        if remaining == "0":
            return "primary", max((reset or now) - now, 0.0)
        return None


def _number(text: str | None) -> float | None:
    try:
        return None if text is None else float(text)
    except ValueError:
        return None


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
        clock: Callable[[], float] = time.time,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        check_token(token)
        self.owner, self.repo = repository.split("/", 1)
        self._base = api_url.rstrip("/")
        self._origin = urlsplit(self._base)[:2]
        self._http = httpx.Client(
            headers={
                "accept": "application/vnd.github+json",
                "authorization": f"Bearer {token}",
                "user-agent": f"gitops-writer/{__version__}",
                "x-github-api-version": API_VERSION,
            },
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
        )
        self._sleep = sleep
        self._clock = clock
        self._attempts = attempts
        self._max_wait = max_wait
        self.rate_remaining: int | None = None  # x-ratelimit-remaining of the latest answer

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- one request, retried --------------------------------------------------------------------

    def _url(self, path: str) -> str:
        return f"{self._base}/repos/{self.owner}/{self.repo}{path}"

    def _call(
        self,
        what: str,
        method: str,
        url: str,
        *,
        params: Mapping[str, str | int] | None = None,
        json: Any = None,
        head_race: bool = False,
    ) -> httpx.Response:
        for attempt in range(1, self._attempts + 1):
            backoff = float(2 ** (attempt - 1))
            try:
                response = self._http.request(method, url, params=params, json=json)
            except (httpx.TransportError, httpx.DecodingError) as exc:
                if isinstance(exc, httpx.LocalProtocolError | httpx.UnsupportedProtocol):
                    raise GitHubError(f"{what}: the request could not be sent ({type(exc).__name__})") from None
                reason, wait = type(exc).__name__, backoff
            else:
                remaining = response.headers.get("x-ratelimit-remaining", "")
                self.rate_remaining = int(remaining) if remaining.isdigit() else self.rate_remaining
                if response.is_success:
                    return response
                answer = _Answer.of(response)
                limit = answer.rate_limit(self._clock())
                if limit is not None and limit[0] == "primary":
                    raise GitHubError(
                        f"{what}: the token's API rate limit is exhausted; it resets in {limit[1]:.0f}s"
                    ) from None
                if limit is not None:
                    wait = max(limit[1], backoff)
                    reason = f"secondary rate limit (retry-after {wait:g}s)"
                    if wait > self._max_wait:
                        raise GitHubError(f"{what}: {reason} is longer than {self._max_wait:g}s; re-run later")
                elif answer.status >= 500:
                    reason, wait = f"HTTP {answer.status}", backoff
                elif head_race and answer.head_not_visible:
                    reason, wait = "the pushed branch is not visible to the API yet", backoff
                else:
                    raise self._failure(what, answer)
            if attempt == self._attempts:
                raise GitHubError(f"{what}: gave up after {attempt} attempts ({reason})")
            log.info("%s: %s; retrying in %gs (attempt %d of %d)", what, reason, wait, attempt + 1, self._attempts)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _failure(self, what: str, answer: _Answer) -> GitHubError:
        details = "; ".join(str(e.get("message") or f"{e.get('field')} {e.get('code')}") for e in answer.errors)
        text = f"{what}: GitHub answered {answer.status} {answer.message}".rstrip()
        if details:
            text += f" ({details})"
        if answer.status in _HINTS:
            text += f"; {_HINTS[answer.status]}"
        return DuplicatePullRequest(text) if answer.already_exists else GitHubError(text)

    def _pages(self, what: str, url: str, params: Mapping[str, str | int]) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: rel="next"` to the API's own origin only."""
        next_url: str | None = url
        query: Mapping[str, str | int] | None = params
        while next_url is not None:
            response = self._call(what, "GET", next_url, params=query)
            data = response.json()
            if not isinstance(data, list):
                raise GitHubError(f"{what}: GitHub answered {type(data).__name__}, not a list")
            yield from data
            next_url, query = self._next(response), None  # the next link carries the whole query

    def _next(self, response: httpx.Response) -> str | None:
        match = _NEXT.search(response.headers.get("link", ""))
        if match is None:
            return None
        url = match.group(1)
        if urlsplit(url)[:2] != self._origin:
            raise GitHubError(f"GitHub's next page is on another host ({urlsplit(url).netloc}); not following it")
        return url

    # --- the endpoints -----------------------------------------------------------------------------

    def pulls_for_head(self, branch: str, base: str | None, state: str = "all") -> list[PullRequest]:
        """Pull requests from `branch` (into `base`, when given), newest first (every page)."""
        params: dict[str, str | int] = {
            "state": state,
            "head": f"{self.owner}:{branch}",
            "sort": "created",
            "direction": "desc",
            "per_page": 100,
        }
        if base is not None:
            params["base"] = base
        return [_pull(item) for item in self._pages(f"listing pull requests for {branch}", self._url("/pulls"), params)]

    def create(self, branch: str, base: str, title: str, body: str, draft: bool) -> PullRequest:
        response = self._call(
            f"creating the pull request for {branch}",
            "POST",
            self._url("/pulls"),
            json={"head": branch, "base": base, "title": title, "body": body, "draft": draft},
            head_race=True,
        )
        return _pull(response.json())

    def update(self, number: int, title: str, body: str) -> PullRequest:
        response = self._call(
            f"updating pull request #{number}",
            "PATCH",
            self._url(f"/pulls/{number}"),
            json={"title": title, "body": body},
        )
        return _pull(response.json())

    def update_body(self, number: int, body: str) -> PullRequest:
        response = self._call(
            f"updating the body of pull request #{number}", "PATCH", self._url(f"/pulls/{number}"), json={"body": body}
        )
        return _pull(response.json())

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        self._call(
            f"labelling pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/labels"),
            json={"labels": list(labels)},
        )

    def open_pulls(self, base: str) -> Iterator[PullRequest]:
        """Every open pull request into `base`, oldest first (every page)."""
        params: dict[str, str | int] = {
            "state": "open",
            "base": base,
            "sort": "created",
            "direction": "asc",
            "per_page": 100,
        }
        for item in self._pages(f"listing open pull requests into {base}", self._url("/pulls"), params):
            yield _pull(item)

    def close_pull(self, number: int) -> None:
        self._call(f"closing pull request #{number}", "PATCH", self._url(f"/pulls/{number}"), json={"state": "closed"})

    def comment(self, number: int, body: str) -> None:
        self._call(
            f"commenting on pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/comments"),
            json={"body": body},
        )

    def remove_label(self, number: int, label: str) -> None:
        self._call(
            f"removing label {label!r} from pull request #{number}",
            "DELETE",
            self._url(f"/issues/{number}/labels/{quote(label, safe='')}"),
        )

    def protected(self, branch: str) -> bool:
        """Whether `branch` exists and is under branch protection (False when there is no such branch)."""
        what = f"reading branch {branch}"
        try:
            response = self._call(what, "GET", self._url(f"/branches/{quote(branch, safe='')}"))
        except GitHubError as exc:
            if " answered 404 " in str(exc):
                return False
            raise
        return bool(response.json().get("protected"))

    def request_reviewers(self, number: int, users: Sequence[str], teams: Sequence[str]) -> PullRequest:
        response = self._call(
            f"requesting reviews on pull request #{number}",
            "POST",
            self._url(f"/pulls/{number}/requested_reviewers"),
            json={"reviewers": list(users), "team_reviewers": list(teams)},
        )
        return _pull(response.json())

    def add_assignees(self, number: int, logins: Sequence[str]) -> tuple[str, ...]:
        """Assign people; GitHub silently leaves out who cannot be assigned: the answer says who is."""
        response = self._call(
            f"assigning pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/assignees"),
            json={"assignees": list(logins)},
        )
        return _names(response.json().get("assignees"), "login")

    def delete_branch(self, branch: str) -> bool:
        """Delete refs/heads/`branch`; False when it was already gone."""
        try:
            self._call(
                f"deleting branch {branch}", "DELETE", self._url(f"/git/refs/{quote('heads/' + branch, safe='')}")
            )
        except GitHubError as exc:
            if " answered 422 " in str(exc) or " answered 404 " in str(exc):
                return False
            raise
        return True

    def create_tree(self, base_tree: str, entries: Sequence[Mapping[str, Any]]) -> str:
        response = self._call(
            "creating the commit's tree",
            "POST",
            self._url("/git/trees"),
            json={
                "base_tree": base_tree,
                "tree": list(entries),
            },
        )
        return str(response.json()["sha"])

    def create_commit(self, message: str, tree: str, parent: str) -> MadeCommit:
        """A commit with no author or committer given, so GitHub makes it as the token's identity and signs it."""
        response = self._call(
            "creating the commit",
            "POST",
            self._url("/git/commits"),
            json={"message": message, "tree": tree, "parents": [parent]},
        )
        data = response.json()
        verification = data.get("verification") or {}
        return MadeCommit(str(data["sha"]), str(data["tree"]["sha"]), bool(verification.get("verified")))

    def graphql(self, what: str, query: str, variables: Mapping[str, Any]) -> Any:
        """One GraphQL request (POST {api}/graphql; on GHES {host}/api/graphql); GraphQL errors raise."""
        base = self._base.removesuffix("/v3") if self._base.endswith("/api/v3") else self._base
        response = self._call(what, "POST", f"{base}/graphql", json={"query": query, "variables": dict(variables)})
        data = response.json()
        errors = data.get("errors") if isinstance(data, dict) else None
        if errors:
            messages = "; ".join(str(e.get("message")) for e in errors if isinstance(e, dict))
            raise GitHubError(f"{what}: GitHub answered {messages}")
        return data.get("data")

    def set_draft(self, pull: PullRequest, draft: bool) -> None:
        """Convert a pull request to a draft or mark it ready: only GraphQL offers both ways."""
        name = "convertPullRequestToDraft" if draft else "markPullRequestReadyForReview"
        query = f"mutation($id: ID!) {{ {name}(input: {{pullRequestId: $id}}) {{ pullRequest {{ isDraft }} }} }}"
        what = f"marking pull request #{pull.number} " + ("as a draft" if draft else "ready for review")
        self.graphql(what, query, {"id": pull.node_id})
