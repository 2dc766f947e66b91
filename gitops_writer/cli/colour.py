"""Colour on a terminal: `--color auto|always|never` before the command; NO_COLOR (no-color.org) turns auto off.

Only diffs and findings are coloured: every other output is data or one line of text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

import click

MODES = ("auto", "always", "never")
_KEY = "gitops_writer.color"
STYLES: dict[str, dict[str, object]] = {
    "error": {"fg": "red", "bold": True},
    "warning": {"fg": "yellow", "bold": True},
    "path": {"bold": True},
    "known": {"dim": True},
    "added": {"fg": "green"},
    "removed": {"fg": "red"},
    "hunk": {"fg": "cyan"},
    "header": {"bold": True},
}


def remember(ctx: click.Context, param: click.Parameter, mode: str) -> str:
    ctx.meta[_KEY] = mode
    return mode


def enabled() -> bool:
    ctx = click.get_current_context(silent=True)
    mode = ctx.meta.get(_KEY, "auto") if ctx is not None else "auto"
    if mode != "auto":
        return bool(mode == "always")
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def paint(text: str, style: str) -> str:
    return click.style(text, **STYLES[style])  # type: ignore[arg-type]


def painter() -> Callable[[str, str], str]:
    """`paint` when colour is on, else a function that leaves the text as it is."""
    return paint if enabled() else _plain


def _plain(text: str, style: str) -> str:
    return text


def echo(text: str, *, nl: bool = True) -> None:
    click.echo(text, nl=nl, color=enabled())


def echo_diff(diff: str) -> None:
    """A unified diff, its lines coloured by what they are."""
    if not enabled():
        click.echo(diff, nl=False)
        return
    lines = []
    for line in diff.splitlines(keepends=True):
        body, end = line.rstrip("\n"), line[len(line.rstrip("\n")) :]
        if line.startswith(("+++", "---")):
            style = "header"
        elif line.startswith("@@"):
            style = "hunk"
        elif line.startswith("+"):
            style = "added"
        elif line.startswith("-"):
            style = "removed"
        else:
            lines.append(line)
            continue
        lines.append(paint(body, style) + end)
    click.echo("".join(lines), nl=False, color=True)
