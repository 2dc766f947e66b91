"""One request to GitHub's REST API, retried: the session every GitHub call goes through.

`_call` retries server errors, transport failures, secondary rate limits (honouring `retry-after`,
else `x-ratelimit-reset`, as GitHub documents) and, for creation only, the 422 GitHub answers while a
just-pushed branch is not yet visible. The sleep is injected, so waits are counted in tests. Lists
follow the `Link: <...>; rel="next"` header, and only to the API's own origin, so the token is never
sent anywhere else. The token is never logged: it travels in one header only, and messages are built
from GitHub's answers, never from the request.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlsplit

import httpx

from gitops_writer import __version__
from gitops_writer.errors import GitHubError, UsageError
from gitops_writer.values import JSONObject, JSONValue

Sleep = Callable[[float], None]
API_VERSION = "2022-11-28"
_TOKEN = re.compile(r"[\x21-\x7e]+")  # printable ASCII, no spaces: what an HTTP header can carry
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
log = logging.getLogger(__name__)


class DuplicatePullRequest(GitHubError):
    """Another run opened the pull request between our look-up and our create."""


def check_token(token: str) -> None:
    """Refuse a token no HTTP header can carry (a pasted line break, a space) before any request."""
    if not _TOKEN.fullmatch(token):
        raise UsageError("the GitHub token holds a space, a line break or a non-ASCII character; pass the token alone")


@dataclass(frozen=True)
class _Answer:
    """A refusal from GitHub: the status, its message and the `errors` list of a 422."""

    status: int
    message: str
    errors: tuple[JSONObject, ...]
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


class GitHubSession:
    """The repository's REST API: one retried call, and every page of a list."""

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

    def __enter__(self) -> Self:
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
        json: JSONValue = None,
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

    def _pages(self, what: str, url: str, params: Mapping[str, str | int]) -> Iterator[JSONValue]:
        """Every item of a list endpoint, following `Link: rel="next"` to the API's own origin only."""
        next_url: str | None = url
        query: Mapping[str, str | int] | None = params
        while next_url is not None:
            response = self._call(what, "GET", next_url, params=query)
            data: JSONValue = response.json()
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
