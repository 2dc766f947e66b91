"""The GitHub Actions environment: annotations, step outputs and the step summary."""

from __future__ import annotations

import logging
import os
import secrets
import sys
from collections.abc import Mapping


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(kind: str, title: str, message: str) -> None:
    # Values are escaped so that input cannot forge another workflow command.
    sys.stdout.write(f"::{kind} title={_escape_property(title)}::{_escape_data(message)}\n")
    sys.stdout.flush()


def error_annotation(title: str, message: str) -> None:
    _annotation("error", title, message)


def warning_annotation(title: str, message: str) -> None:
    _annotation("warning", title, message)


def notice_annotation(title: str, message: str) -> None:
    _annotation("notice", title, message)


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
    path = environ.get("GITHUB_OUTPUT")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as handle:
        for name, value in outputs.items():
            delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            while delimiter in value:
                delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
            handle.write(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return True


def append_summary(markdown: str, environ: Mapping[str, str] = os.environ) -> bool:
    path = environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return False
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return True
