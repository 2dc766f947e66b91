"""The request recorded with its change, so that `refresh` can make it again from the pull request alone.

It is written twice: in the PR body, a hidden `<!-- gitops-writer:request {json} -->` comment; in the
commit message, the trailers `Gitops-Writer-Kind:`, `Gitops-Writer-Action:` and
`Gitops-Writer-Request: {json}`. The JSON is `{"action", "date", "fields", "kind"}`; `read_record`
reads either back into a `Request`.
"""

from __future__ import annotations

import json
import re

from gitops_writer.repo.reading import loads_json
from gitops_writer.requests.model import Request, ValidRequest

MARKER = "gitops-writer:request"
KIND_TRAILER = "Gitops-Writer-Kind"
ACTION_TRAILER = "Gitops-Writer-Action"
REQUEST_TRAILER = "Gitops-Writer-Request"
# A record spread over lines (a body edited by hand) is still one: counted, and never read as two.
_MARKER = re.compile(r"<!-- " + re.escape(MARKER) + r" (\{.*?\}) -->", re.DOTALL)
_TRAILER = re.compile(r"^" + REQUEST_TRAILER + r": (\{.*\})$", re.M)


def record_json(request: ValidRequest) -> str:
    """The request as one line of JSON, safe inside an HTML comment and a commit trailer."""
    text = json.dumps(request.record(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")


def body_record(request: ValidRequest) -> str:
    """The hidden comment that records the request in a pull request body."""
    return f"<!-- {MARKER} {record_json(request)} -->"


def trailers(request: ValidRequest) -> list[str]:
    """The commit trailers that record the request."""
    return [
        f"{KIND_TRAILER}: {request.kind.name}",
        f"{ACTION_TRAILER}: {request.action}",
        f"{REQUEST_TRAILER}: {record_json(request)}",
    ]


def read_record(text: str) -> Request | None:
    """The request recorded in a PR body or a commit message (the last record wins), or None."""
    found = _MARKER.findall(text) + _TRAILER.findall(text)
    for raw in reversed(found):
        try:
            data = loads_json(raw)
        except ValueError:
            continue
        if not isinstance(data, dict):
            continue
        kind, action, fields = data.get("kind"), data.get("action"), data.get("fields")
        if isinstance(kind, str) and action in ("create", "remove") and isinstance(fields, dict):
            return Request(kind=kind, action=str(action), fields=fields, date=str(data.get("date", "")))
    return None


def body_records(body: str) -> int:
    """How many request records a pull request body holds."""
    return len(_MARKER.findall(body))
