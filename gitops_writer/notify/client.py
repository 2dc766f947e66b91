"""Backstage at the edge: POST one notification, with a short timeout and a few bounded retries.

A failure is a `NotifyError` whose message names what Backstage answered (or that it did not), never
the token: the token travels in one header only, and messages are built from the answer alone.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from gitops_writer import __version__
from gitops_writer.errors import GitopsWriterError
from gitops_writer.notify.payload import Notification

Sleep = Callable[[float], None]
PATH = "/api/notifications/notifications"
TIMEOUT = 5.0  # seconds for each of connect, read and write: a slow Backstage costs the run little
ATTEMPTS = 3
BACKOFF = 0.5  # seconds before the second attempt, doubled before each later one
_TOKEN = re.compile(r"[\x21-\x7e]+")
_UNSENDABLE = re.compile(r"[\x00-\x20\x7f]")


class NotifyError(GitopsWriterError):
    """Backstage could not be told; the request's own result stands."""


@dataclass(frozen=True)
class Backstage:
    url: str  # the backend's base URL, e.g. https://backstage.example.com
    token: str = field(repr=False)  # a static token of backend.auth.externalAccess
    timeout: float = TIMEOUT
    attempts: int = ATTEMPTS


def check(url: str, token: str) -> Backstage:
    """The Backstage to tell, or NotifyError when the URL or token cannot be used."""
    if _UNSENDABLE.search(url.strip()):
        raise NotifyError("the Backstage URL holds a space or a control character; give the backend's base URL alone")
    try:
        parts = urlsplit(url.strip())
        port = parts.port  # a port out of range raises ValueError here
    except ValueError:  # not repeated: it is not known yet what in it is a host and what a password
        raise NotifyError("the Backstage URL is not an http(s) URL of the backend") from None
    if "@" in parts.netloc:  # never repeated: what stands before the @ may be a password
        raise NotifyError("the Backstage URL holds credentials; pass the token in BACKSTAGE_TOKEN instead")
    if parts.query or parts.fragment:
        raise NotifyError("the Backstage URL holds a query or a fragment; give the backend's base URL alone")
    if parts.scheme not in ("http", "https") or not parts.hostname or port == 0:
        raise NotifyError(f"the Backstage URL {_shown(url)} is not an http(s) URL of the backend")
    if not token:
        raise NotifyError("no Backstage token: set BACKSTAGE_TOKEN to a static token Backstage's externalAccess lists")
    if not _TOKEN.fullmatch(token):
        raise NotifyError("the Backstage token holds a space, a line break or a non-ASCII character")
    return Backstage(url.strip().rstrip("/"), token)


def send(
    backstage: Backstage,
    notification: Notification,
    *,
    sleep: Sleep = time.sleep,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """Deliver one notification; retried on no answer, 5xx and 429, never on another refusal."""
    headers = {"Authorization": f"Bearer {backstage.token}", "User-Agent": f"gitops-writer/{__version__}"}
    problem = ""
    with httpx.Client(timeout=backstage.timeout, transport=transport, follow_redirects=False) as http:
        for attempt in range(backstage.attempts):
            if attempt:
                sleep(BACKOFF * 2 ** (attempt - 1))
            try:
                response = http.post(backstage.url + PATH, json=notification.body(), headers=headers)
            except httpx.TimeoutException:
                problem = f"no answer within {backstage.timeout:g} s"
                continue
            except httpx.TransportError as exc:
                problem = f"cannot reach {backstage.url} ({type(exc).__name__})"
                continue
            except httpx.InvalidURL:
                problem = f"{backstage.url} is not a URL httpx can send to"
                break
            if response.is_success:
                return
            problem = f"{backstage.url} answered {response.status_code}{_reason(response, backstage.token)}"
            if response.status_code != 429 and response.status_code < 500:
                break
    raise NotifyError(problem)


def _reason(response: httpx.Response, token: str) -> str:
    """Backstage's own message from its error body, `{"error": {"name": ..., "message": ...}}`.

    An answer may quote the token it refused: it is cut out before the message goes anywhere.
    """
    try:
        error = response.json().get("error") or {}
        message = f"{error.get('name', '')}: {error.get('message', '')}".strip(": ")
    except (ValueError, AttributeError):
        return ""
    return f" ({_shown(message.replace(token, '***'), 200)})" if message else ""


def _shown(text: str, limit: int = 100) -> str:
    line = " ".join(str(text).split())
    return repr(line if len(line) <= limit else line[: limit - 1] + "…")
