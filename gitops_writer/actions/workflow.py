"""The GitHub Actions environment: step outputs, the step summary, and progress and warnings as annotations."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

from gitops_writer.annotations import notice_annotation, warning_annotation
from gitops_writer.errors import RunnerFileError

if TYPE_CHECKING:
    from gitops_writer.publish.refresh_report import RefreshReport
    from gitops_writer.publish.result import PublishResult


class ProgressHandler(logging.Handler):
    """Shows why a run waits or repeats (retries, lost leases, races): one line on stderr, and a
    `::notice::` under Actions. Warnings a command reports itself (result.warnings) are never logged."""

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        super().__init__(logging.INFO)
        self._actions = environ.get("GITHUB_ACTIONS") == "true"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = " ".join(record.getMessage().split("\n"))
            if self._actions:
                notice_annotation("gitops-writer", line)
            sys.stderr.write(f"gitops-writer: {line}\n")
            sys.stderr.flush()
        except Exception:  # a broken stream must not turn a notice into a failure
            self.handleError(record)


def show_progress(environ: Mapping[str, str] = os.environ) -> ProgressHandler:
    """Send gitops-writer's INFO messages to people; idempotent."""
    logger = logging.getLogger("gitops_writer")
    for handler in logger.handlers:
        if isinstance(handler, ProgressHandler):
            return handler
    handler = ProgressHandler(environ)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return handler


def write_outputs(outputs: Mapping[str, str], environ: Mapping[str, str] = os.environ) -> bool:
    """Append step outputs to $GITHUB_OUTPUT with heredoc delimiters; False when not under Actions."""
    text = ""
    for name, value in outputs.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        while delimiter in value:
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        text += f"{name}<<{delimiter}\n{value}\n{delimiter}\n"
    return _append("GITHUB_OUTPUT", "the step outputs", text, environ)


def append_summary(markdown: str, environ: Mapping[str, str] = os.environ) -> bool:
    return _append(
        "GITHUB_STEP_SUMMARY", "the step summary", markdown if markdown.endswith("\n") else markdown + "\n", environ
    )


def _append(variable: str, what: str, text: str, environ: Mapping[str, str]) -> bool:
    path = environ.get(variable)
    if not path:
        return False
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:  # a missing folder, a directory, a full disk: the runner's setup, not ours
        raise RunnerFileError(f"cannot write {what} to {variable}={path}: {exc.strerror or exc}") from None
    return True


def report_to_actions(outcome: PublishResult | RefreshReport, environ: Mapping[str, str] = os.environ) -> None:
    """Step outputs, the step summary and a warning annotation per warning (of a publish, or a pull request
    refresh left for a person); each only when Actions asks for it."""
    from gitops_writer.publish.result import PublishResult

    write_outputs(outcome.outputs(), environ)
    append_summary(outcome.summary(), environ)
    if environ.get("GITHUB_ACTIONS") == "true":
        publishing = isinstance(outcome, PublishResult)
        warnings = outcome.warnings if isinstance(outcome, PublishResult) else outcome.warnings()
        for warning in warnings:
            warning_annotation(f"gitops-writer {'publish' if publishing else 'refresh'}", warning)
