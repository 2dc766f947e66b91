"""What the requester reads in Backstage: one notification per event, built from typed values, no I/O.

The body is what Backstage's notifications backend takes at `POST /api/notifications/notifications`:
`{"recipients": {"type": "entity", "entityRef": [...]}, "payload": {title, description, link,
severity, topic, scope}}`. Every notification about one request carries the same `scope`; the
backend then replaces that user's earlier notification of the scope (and marks it unread again)
instead of adding another.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from gitops_writer.notify.settings import Event, NotifySettings

Severity = Literal["low", "normal", "high", "critical"]
_LEVELS: tuple[Severity, ...] = ("low", "normal", "high", "critical")
_BASE: Mapping[Event, Severity] = {
    "opened": "normal",
    "updated": "normal",
    "refused": "high",
    "blocked": "high",
    "done": "low",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
VALUE_MAX = 80  # characters of one field's value shown; a hostile request cannot fill a page
DESCRIPTION_MAX = 1000


@dataclass(frozen=True)
class Subject:
    """The request a notification is about, as given (a refused request may be invalid in every other field)."""

    repository: str  # OWNER/NAME the request's pull request lives in
    kind: str  # the kind's name
    title: str  # the kind's title, e.g. "ECR Registry"
    action: str  # create or remove
    fields: Mapping[str, Any]
    risk: str | None = None

    @property
    def name(self) -> str:
        return _text(self.fields.get("name", "?"))

    @property
    def environment(self) -> str:
        return _text(self.fields.get("environment", "?"))

    @property
    def scope(self) -> str:
        """One request's scope: the same for every notification about it, in every run."""
        return ":".join(("gitops-writer", self.repository, self.kind, self.action, self.name, self.environment))

    def asked(self, settings: NotifySettings) -> str:
        """`create ECR Registry payments-api in dev (owner team-payments, domain payments, risk low)`."""
        shown = {settings.requester_field, "name", "environment"}
        rest = ", ".join(f"{_text(key)} {_text(value)}" for key, value in self.fields.items() if key not in shown)
        return f"{self.action} {self.title} {self.name} in {self.environment}" + (f" ({rest})" if rest else "")


@dataclass(frozen=True)
class Notification:
    recipients: tuple[str, ...]  # entity refs: user:NAMESPACE/NAME, group:NAMESPACE/NAME
    title: str
    description: str
    link: str
    severity: Severity
    topic: str
    scope: str

    def body(self) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "title": self.title,
            "description": self.description,
            "severity": self.severity,
            "topic": self.topic,
            "scope": self.scope,
        }
        if self.link:
            payload["link"] = self.link
        return {"recipients": {"type": "entity", "entityRef": list(self.recipients)}, "payload": payload}


def severity(event: Event, risk: str | None) -> Severity:
    """The outcome's level, one higher for a high-risk request; what is already done stays low."""
    level = _LEVELS.index(_BASE[event])
    if risk == "high" and event != "done":
        level = min(level + 1, len(_LEVELS) - 1)
    return _LEVELS[level]


def published(
    subject: Subject,
    settings: NotifySettings,
    recipients: tuple[str, ...],
    *,
    operation: str,
    pull_title: str,
    pull_url: str,
    run_url: str,
) -> Notification:
    """A pull request opened (created), updated, or found already up to date (unchanged) by a re-run."""
    event: Event = "opened" if operation == "created" else "updated"
    verb = {"created": "opened", "updated": "updated"}.get(operation, "up to date")
    lines = [
        f"You asked to {subject.asked(settings)}.",
        f"Environment {subject.environment}, risk {_text(subject.risk or 'not given')}.",
        f"Pull request: {pull_url}",
    ]
    return _notification(
        subject, settings, recipients, event, f"Pull request {verb}: {_text(pull_title)}", lines, pull_url, run_url
    )


def refused(
    subject: Subject,
    settings: NotifySettings,
    recipients: tuple[str, ...],
    *,
    reason: str,
    exit_code: int,
    run_url: str,
) -> Notification:
    lines = [
        f"You asked to {subject.asked(settings)}.",
        f"Refused (exit code {exit_code}): {_sentence(reason)}",
        "Nothing was changed; fix the request and make it again.",
    ]
    title = f"Request refused: {subject.title} {subject.name} in {subject.environment}"
    return _notification(subject, settings, recipients, "refused", title, lines, run_url, run_url)


def done(
    subject: Subject,
    settings: NotifySettings,
    recipients: tuple[str, ...],
    *,
    reason: str,
    pull_url: str,
    run_url: str,
    left_closed: bool = False,
) -> Notification:
    """Nothing left to publish: the base branch already holds the request (its pull request, if any, closed),
    or, `left_closed`, its pull request was closed unmerged and is left so (--on-closed skip)."""
    said = "Left closed" if left_closed else "Already done"
    lines = [f"You asked to {subject.asked(settings)}.", f"{said}: {_sentence(reason)}"]
    what = "Pull request left closed" if left_closed else "Request already done"
    title = f"{what}: {subject.title} {subject.name} in {subject.environment}"
    return _notification(subject, settings, recipients, "done", title, lines, pull_url or run_url, run_url)


def blocked(
    subject: Subject,
    settings: NotifySettings,
    recipients: tuple[str, ...],
    *,
    reason: str,
    pull_url: str,
    run_url: str,
) -> Notification:
    """The request's pull request can no longer be rebuilt on its base: a person has to look."""
    lines = [
        f"You asked to {subject.asked(settings)}.",
        f"Its pull request needs a person: {_sentence(reason)}",
        f"Pull request: {pull_url}",
    ]
    title = f"Request blocked: {subject.title} {subject.name} in {subject.environment}"
    return _notification(subject, settings, recipients, "blocked", title, lines, pull_url, run_url)


def _notification(
    subject: Subject,
    settings: NotifySettings,
    recipients: tuple[str, ...],
    event: Event,
    title: str,
    lines: list[str],
    link: str,
    run_url: str,
) -> Notification:
    if run_url:
        lines = [*lines, f"Workflow run: {run_url}"]
    description = " ".join(lines)
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1] + "…"
    return Notification(
        recipients=recipients,
        title=title[:200],
        description=description,
        link=link,
        severity=severity(event, subject.risk),
        topic=settings.topic,
        scope=subject.scope,
    )


def _sentence(reason: str) -> str:
    """A reason as one sentence of at most half the description."""
    text = _text(reason, DESCRIPTION_MAX // 2)
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _text(value: object, limit: int = VALUE_MAX) -> str:
    """A value as one line of at most `limit` characters."""
    text = _CONTROL.sub(" ", value if isinstance(value, str) else str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
