"""Workflow commands GitHub Actions reads from a step's output: annotations, which input cannot forge.

Down here, below every package, so that any layer can annotate a run; actions/ holds the rest of the
Actions environment (step outputs, the summary).
"""

from __future__ import annotations

import sys
from typing import TextIO


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


def file_annotation(kind: str, path: str, line: int, title: str, message: str, stream: TextIO | None = None) -> None:
    """An `error` or `warning` annotation shown on a line of a file in the pull request's diff.

    The runner reads workflow commands on stderr too: a command whose stdout is data writes them there."""
    if kind not in ("error", "warning", "notice"):
        raise ValueError(f"unknown annotation kind {kind!r}")
    where = f"file={_escape_property(path)},line={int(line)},title={_escape_property(title)}"
    out = stream or sys.stdout
    out.write(f"::{kind} {where}::{_escape_data(message)}\n")
    out.flush()
