"""The requester hears back: a Backstage notification when a request's pull request opens or updates,
when the request is refused, and when refresh finds it blocked or already done.

Nothing here ever changes a request's result: a Backstage that cannot be reached, answers slowly or
refuses the token costs one warning (an Actions annotation under Actions) and nothing else.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_writer.annotations import warning_annotation
from gitops_writer.errors import GitopsWriterError, ValidationError
from gitops_writer.notify import payload
from gitops_writer.notify.client import Backstage, NotifyError, Sleep, check, send
from gitops_writer.notify.settings import NotifySettings, notify_settings

if TYPE_CHECKING:
    from gitops_writer.kinds import Config
    from gitops_writer.publish import PublishResult
    from gitops_writer.publish.refresh_report import RefreshReport
    from gitops_writer.requests.model import Request

__all__ = ["Backstage", "Notifier", "NotifySettings", "notifier", "notify_settings", "run_url"]

TITLE = "gitops-writer notify"
_RUN_ID = re.compile(r"[0-9]{1,20}", re.ASCII)
_REPOSITORY = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+", re.ASCII)


def notifier(
    url: str | None,
    token: str | None,
    config: Config | None,
    *,
    repository: str | None = None,
    environ: Mapping[str, str] = os.environ,
    sleep: Sleep = time.sleep,
) -> Notifier | None:
    """Who to tell what, or None when no Backstage URL is given (or it cannot be used: then one warning).

    `url` and `token` win over BACKSTAGE_URL and BACKSTAGE_TOKEN; without a readable config the
    defaults apply, so a refusal caused by the config itself still reaches the requester.
    """
    url = url or environ.get("BACKSTAGE_URL", "")
    if not url.strip():
        return None
    try:
        backstage = check(url, token or environ.get("BACKSTAGE_TOKEN", ""))
        settings = notify_settings(config.publishing, f"config {config.source}") if config else NotifySettings()
    except GitopsWriterError as exc:
        warn(str(exc), environ)
        return None
    repository = repository or environ.get("GITHUB_REPOSITORY", "")
    return Notifier(backstage, settings, repository, run_url(environ), environ, sleep)


def run_url(environ: Mapping[str, str] = os.environ) -> str:
    """The link to this workflow run (this attempt of it), or "" outside Actions."""
    server = environ.get("GITHUB_SERVER_URL", "").rstrip("/")
    repository, run_id = environ.get("GITHUB_REPOSITORY", ""), environ.get("GITHUB_RUN_ID", "")
    if not server.startswith(("https://", "http://")) or not _REPOSITORY.fullmatch(repository):
        return ""
    if not _RUN_ID.fullmatch(run_id):
        return ""
    attempt = environ.get("GITHUB_RUN_ATTEMPT", "1")
    tail = f"/attempts/{attempt}" if _RUN_ID.fullmatch(attempt) and attempt != "1" else ""
    return f"{server}/{repository}/actions/runs/{run_id}{tail}"


def warn(message: str, environ: Mapping[str, str] = os.environ) -> None:
    line = f"Backstage notification not sent: {message}"
    if environ.get("GITHUB_ACTIONS") == "true":
        warning_annotation(TITLE, line)
    print(f"gitops-writer: warning: {line}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Notifier:
    backstage: Backstage
    settings: NotifySettings
    repository: str
    run_url: str
    environ: Mapping[str, str]
    sleep: Sleep

    def published(self, request: Request, config: Config, result: PublishResult) -> None:
        subject = self.subject(request, config)
        if result.operation == "none":
            reason, closed = result.reason or "nothing to publish", result.number is not None
            self._tell(subject, payload.Done(reason, result.url or "", left_closed=closed))
            return
        self._tell(subject, payload.Published(result.operation, result.title, result.url or ""))

    def refused(self, request: Request, config: Config | None, error: GitopsWriterError) -> None:
        broken = {field for field, _ in error.problems} if isinstance(error, ValidationError) else set()
        if self.settings.requester_field in broken:
            return  # the requester field itself is what was refused: nobody to tell
        reason = "; ".join(error.lines) if isinstance(error, ValidationError) else " ".join(str(error).split())
        subject = self.subject(request, config)
        self._tell(subject, payload.Refused(reason, int(error.exit_code)))

    def refreshed(self, report: RefreshReport, config: Config) -> None:
        """Tell the requesters of the pull requests this refresh blocked or closed (and commented on)."""
        for pull in report.pulls:
            if not pull.told or pull.request is None or pull.status not in ("blocked", "closed"):
                continue
            subject = self.subject(pull.request, config)
            if pull.status == "closed":
                self._tell(subject, payload.Done(pull.reason, pull.url))
            else:
                self._tell(subject, payload.Blocked(pull.reason, pull.url))

    def subject(self, request: Request, config: Config | None) -> payload.Subject:
        kind = config.requests.get(request.kind) if config is not None else None
        fields: dict[str, object] = {}
        for key, value in request.fields.items():
            name = (kind.field_name(str(key)) if kind is not None else None) or str(key)
            fields.setdefault(name, value)
        risk = fields.get(kind.controls_field if kind is not None else "risk")
        return payload.Subject(
            repository=self.repository,
            kind=request.kind,
            title=kind.title if kind is not None else request.kind,
            action=request.action,
            fields=fields,
            risk=None if risk is None else str(risk),
        )

    def recipients(self, subject: payload.Subject) -> tuple[str, ...]:
        refs = [self.settings.entity_ref("user", subject.fields.get(self.settings.requester_field))]
        if self.settings.notify_owner:
            refs.append(self.settings.entity_ref("group", subject.fields.get(self.settings.owner_field)))
        return tuple(dict.fromkeys(ref for ref in refs if ref))

    def _tell(self, subject: payload.Subject, outcome: payload.Outcome) -> None:
        if outcome.event not in self.settings.events:
            return
        recipients = self.recipients(subject)
        if not recipients:
            warn(f"the request's {self.settings.requester_field} field names no Backstage user", self.environ)
            return
        try:
            notification = payload.notification(subject, self.settings, recipients, outcome, run_url=self.run_url)
            send(self.backstage, notification, sleep=self.sleep)
        except NotifyError as exc:
            warn(str(exc), self.environ)
        except Exception as exc:  # a bug at this edge must not cost the request its own result
            if self.environ.get("GITOPS_WRITER_DEBUG"):
                raise
            warn(f"internal error: {type(exc).__name__}: {exc}".replace(self.backstage.token, "***"), self.environ)
