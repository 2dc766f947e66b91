"""The words around a request's change: branch, commit message, pull request title, body and labels.

Every field row comes from the kind (`shown`), so adding a field to a kind needs no code. The request
itself is recorded twice, so that `refresh` can make it again from the pull request alone:
- in the PR body, a hidden `<!-- gitops-writer:request {json} -->` comment;
- in the commit message, the trailers `Gitops-Writer-Kind:`, `Gitops-Writer-Action:` and
  `Gitops-Writer-Request: {json}`.
The JSON is `{"action", "date", "fields", "kind"}`; `read_record` reads either back into a `Request`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gitops_writer.kinds import fill_text
from gitops_writer.kinds.template import as_text
from gitops_writer.proposal import PublishPlan
from gitops_writer.requests.model import Request, ValidRequest, check_branch
from gitops_writer.requests.operations import ChangeSet

MARKER = "gitops-writer:request"
KIND_TRAILER = "Gitops-Writer-Kind"
ACTION_TRAILER = "Gitops-Writer-Action"
REQUEST_TRAILER = "Gitops-Writer-Request"
_MARKER = re.compile(r"<!-- " + re.escape(MARKER) + r" (\{.*?\}) -->")
_TRAILER = re.compile(r"^" + REQUEST_TRAILER + r": (\{.*\})$", re.M)
_REMOVE_SHOWN = ("name", "environment", "environments", "date")


def publish_plan(request: ValidRequest, changes: ChangeSet) -> PublishPlan:
    kind, values = request.kind, _values(request, changes)
    words = kind.words(request.action)
    verb = "Create" if request.creating else "Remove"
    default_title = f"{verb} {kind.title}: {request.name} ({request.environment})"
    title = fill_text(words.title, values) if words.title else default_title
    return PublishPlan(
        changes=tuple(changes.changes),
        branch=check_branch(fill_text(words.branch, values)),
        commit_subject=" ".join(fill_text(words.commit, values).split()),
        commit_body=commit_body(request, changes),
        pr_title=" ".join(title.split()),
        pr_body=pr_body(request, changes),
        labels=tuple(label for label in (fill_text(t, values).strip() for t in words.labels) if label),
    )


def record_json(request: ValidRequest) -> str:
    """The request as one line of JSON, safe inside an HTML comment and a commit trailer."""
    text = json.dumps(request.record(), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("--", "-\\u002d")


def read_record(text: str) -> Request | None:
    """The request recorded in a PR body or a commit message (the last record wins), or None."""
    found = _MARKER.findall(text) + _TRAILER.findall(text)
    for raw in reversed(found):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if (
            isinstance(data, dict)
            and isinstance(data.get("kind"), str)
            and data.get("action") in ("create", "remove")
            and isinstance(data.get("fields"), dict)
        ):
            return Request(
                kind=data["kind"], action=data["action"], fields=data["fields"], date=str(data.get("date", ""))
            )
    return None


def _values(request: ValidRequest, changes: ChangeSet) -> dict[str, Any]:
    values = dict(request.values)
    if changes.environments or not request.creating:
        values["environments"] = list(changes.environments)
    return values


def shown_rows(request: ValidRequest, changes: ChangeSet) -> list[tuple[str, str]]:
    """(label, value) rows: the kind's `shown` table; for a removal only what names the resource."""
    values = _values(request, changes)
    rows = []
    for placeholder, label in request.kind.shown:
        if not request.creating and placeholder not in _REMOVE_SHOWN:
            continue
        value = values.get(placeholder)
        if value is None or value == "" or value == []:
            continue
        rows.append((label, " ".join(as_text(value).split())))
    return rows


def commit_body(request: ValidRequest, changes: ChangeSet) -> str:
    lines = [f"{label}: {value}" for label, value in shown_rows(request, changes)]
    lines.append("")
    lines.extend(f"- {op.file}: {op.line}" for op in changes.plan.shown)
    lines += [
        "",
        f"{KIND_TRAILER}: {request.kind.name}",
        f"{ACTION_TRAILER}: {request.action}",
        f"{REQUEST_TRAILER}: {record_json(request)}",
    ]
    return "\n".join(lines)


def pr_body(request: ValidRequest, changes: ChangeSet) -> str:
    """Markdown for reviewers; every value is shown as code, so none can render as markup."""
    kind = request.kind
    action = "creates" if request.creating else "removes"
    opening = kind.words(request.action).body
    if opening:  # the kind's own words; every value in them shown as code, so none renders as markup
        values = {key: _code(as_text(value)) for key, value in _values(request, changes).items()}
        lines = [fill_text(opening, values).strip(), ""]
    else:
        lines = [
            f"This pull request {action} the {kind.title} {_code(request.name)} in {_code(request.environment)}.",
            "",
        ]
    if not request.creating and changes.environments:
        lines += [f"It stays in {', '.join(_code(e) for e in changes.environments)}.", ""]
    lines += ["| Field | Value |", "| --- | --- |"]
    lines += [f"| {label} | {_code(value)} |" for label, value in shown_rows(request, changes)]
    controls = _controls(request)
    if controls:
        lines += ["", f"### Controls for {request.fields.get(kind.controls_field)} {kind.controls_field}", ""]
        lines += [f"- {control}" for control in controls]
    lines += ["", "### Changes", ""]
    lines += [f"- `{op.file}`: {op.line}" for op in changes.plan.shown]
    lines += ["", "Generated by gitops-writer; re-running the same request updates this pull request.", ""]
    lines.append(f"<!-- {MARKER} {record_json(request)} -->")
    return "\n".join(lines) + "\n"


def _controls(request: ValidRequest) -> tuple[str, ...]:
    if not request.creating:
        return ()
    value = request.fields.get(request.kind.controls_field)
    return tuple(request.kind.controls.get(as_text(value), ())) if value is not None else ()


def _code(value: str) -> str:
    """A Markdown code span holding any text: long enough a fence, table pipes escaped."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
