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
from typing import ClassVar, Literal

from gitops_writer.notify.settings import Event, NotifySettings
from gitops_writer.values import JSONObject

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
_AGAIN = "Nothing was changed; fix the request and make it again."


@dataclass(frozen=True)
class Subject:
    """The request a notification is about, as given (a refused request may be invalid in every other field)."""

    repository: str  # OWNER/NAME the request's pull request lives in
    kind: str  # the kind's name
    title: str  # the kind's title, e.g. "ECR Registry"
    action: str  # create or remove
    fields: Mapping[str, object]  # shown as text only: a refused request's fields may hold anything
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

    def headline(self, what: str) -> str:
        """`Request refused: ECR Registry payments-api in dev`."""
        return f"{what}: {self.title} {self.name} in {self.environment}"

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

    def body(self) -> JSONObject:
        payload: JSONObject = {
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


@dataclass(frozen=True)
class Published:
    """A pull request opened (created), updated, or found already up to date (unchanged) by a re-run."""

    operation: str
    pull_title: str
    pull_url: str

    @property
    def event(self) -> Event:
        return "opened" if self.operation == "created" else "updated"


@dataclass(frozen=True)
class Refused:
    """The request was refused before anything changed: the reason and the command's exit code."""

    reason: str
    exit_code: int
    event: ClassVar[Event] = "refused"


@dataclass(frozen=True)
class Done:
    """Nothing left to publish: the base branch already holds the request (its pull request, if any, closed),
    or, `left_closed`, its pull request was closed unmerged and is left so (--on-closed skip)."""

    reason: str
    pull_url: str
    left_closed: bool = False
    event: ClassVar[Event] = "done"


@dataclass(frozen=True)
class Blocked:
    """The request's pull request can no longer be rebuilt on its base: a person has to look."""

    event: ClassVar[Event] = "blocked"
    reason: str
    pull_url: str


Outcome = Published | Refused | Done | Blocked


def _words(outcome: Outcome, subject: Subject, run_url: str) -> Words:
    """The title, the lines after what was asked, and the link of a notification about `outcome`."""
    match outcome:
        case Published(operation, pull_title, pull_url):
            verb = {"created": "opened", "updated": "updated"}.get(operation, "up to date")
            facts = f"Environment {subject.environment}, risk {_text(subject.risk or 'not given')}."
            return Words(f"Pull request {verb}: {_text(pull_title)}", [facts, f"Pull request: {pull_url}"], pull_url)
        case Refused(reason, exit_code):
            refused = f"Refused (exit code {exit_code}): {_sentence(reason)}"
            return Words(subject.headline("Request refused"), [refused, _AGAIN], run_url)
        case Done(reason, pull_url, left_closed):
            said = "Left closed" if left_closed else "Already done"
            what = "Pull request left closed" if left_closed else "Request already done"
            return Words(subject.headline(what), [f"{said}: {_sentence(reason)}"], pull_url or run_url)
        case Blocked(reason, pull_url):
            lines = [f"Its pull request needs a person: {_sentence(reason)}", f"Pull request: {pull_url}"]
            return Words(subject.headline("Request blocked"), lines, pull_url)


@dataclass(frozen=True)
class Words:
    title: str
    lines: list[str]
    link: str


def notification(
    subject: Subject, settings: NotifySettings, recipients: tuple[str, ...], outcome: Outcome, *, run_url: str
) -> Notification:
    """What the requester reads about `outcome`: one line each, the run linked when there is one."""
    words = _words(outcome, subject, run_url)
    lines = [
        f"You asked to {subject.asked(settings)}.",
        *words.lines,
        *([f"Workflow run: {run_url}"] if run_url else []),
    ]
    description = " ".join(lines)
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1] + "…"
    return Notification(
        recipients=recipients,
        title=words.title[:200],
        description=description,
        link=words.link,
        severity=severity(outcome.event, subject.risk),
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
