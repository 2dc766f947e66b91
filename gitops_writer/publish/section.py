"""Sections of a pull request body owned by a tool, replaced in place between two markers.

    <!-- gitops-writer:plan -->
    ...the text a tool wrote (a terraform plan)...
    <!-- /gitops-writer:plan -->

Everything outside the markers is left as it is, byte for byte; a section that is not there yet is
appended. The body stays within GitHub's 65,536 characters: the section's text is cut, with a note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_writer.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from gitops_writer.publish.github import GitHubClient

MAX_BODY = 65536  # characters GitHub accepts in a pull request body
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_RESERVED = frozenset({"request"})  # the hidden request record, not a section
CUT = "\n\n… (truncated: GitHub limits a pull request body to 65536 characters)\n"


def check_name(name: str) -> str:
    if not _NAME.match(name) or name in _RESERVED:
        raise UsageError(f"section name {name!r} must be lowercase letters, digits and dashes (not 'request')")
    return name


def markers(name: str) -> tuple[str, str]:
    return f"<!-- gitops-writer:{name} -->", f"<!-- /gitops-writer:{name} -->"


def _span(body: str, name: str) -> tuple[int, int] | None:
    """Where the section (markers included) is in `body`, when both markers are there in order."""
    start, end = markers(name)
    at = body.find(start)
    if at < 0:
        return None
    stop = body.find(end, at + len(start))
    return None if stop < 0 else (at, stop + len(end))


def names(body: str) -> list[str]:
    """The sections present in `body`, in order."""
    found = re.findall(r"<!-- gitops-writer:([a-z0-9][a-z0-9-]*) -->", body)
    return [name for name in dict.fromkeys(found) if name not in _RESERVED and _span(body, name)]


def section(body: str, name: str) -> str | None:
    span = _span(body, name)
    return None if span is None else body[span[0] : span[1]]


def replace(body: str, name: str, text: str, limit: int = MAX_BODY) -> str:
    """`body` with section `name` holding `text` (created at the end on first use), within `limit`."""
    check_name(name)
    start, end = markers(name)
    span = _span(body, name)
    before, after = (
        (body[: span[0]], body[span[1] :]) if span else (body.rstrip("\n") + "\n\n" if body.strip() else "", "\n")
    )
    inner = "\n" + text.strip("\n") + "\n"
    room = limit - len(before) - len(after) - len(start) - len(end)
    if len(inner) > room:
        if room < len(CUT) + 1:
            raise UsageError(f"the pull request body leaves no room for section {name!r} within {limit} characters")
        inner = inner[: room - len(CUT)] + CUT
    return f"{before}{start}{inner}{end}{after}"


def keep(new: str, old: str, limit: int = MAX_BODY) -> str:
    """`new` (the tool's own body) with every section of `old` it lacks carried over, so an update
    of the body never drops what another tool wrote into it."""
    for name in names(old):
        if _span(new, name) is None:
            kept = section(old, name)
            assert kept is not None
            start, end = markers(name)
            new = replace(new, name, kept[len(start) : -len(end)], limit)
    return new


@dataclass(frozen=True)
class SectionResult:
    number: int
    url: str
    changed: bool
    truncated: bool


def write(github: GitHubClient, branch: str, name: str, text: str, base: str | None = None) -> SectionResult:
    """Put `text` into section `name` of the open pull request from `branch`; no call when already there."""
    check_name(name)
    pulls = [pull for pull in github.pulls_for_head(branch, base, state="open") if pull.state == "open"]
    if not pulls:
        raise NotFoundError(f"no open pull request from {branch}" + (f" into {base}" if base else ""))
    if len(pulls) > 1:
        numbers = ", ".join(f"#{pull.number}" for pull in pulls)
        raise UsageError(f"{branch} has several open pull requests ({numbers}); pass --base-branch to pick one")
    pull = pulls[0]
    body = replace(pull.body, name, text)
    truncated = CUT.strip() in (section(body, name) or "") and CUT.strip() not in text
    if body == pull.body:
        return SectionResult(pull.number, pull.url, changed=False, truncated=truncated)
    updated = github.update_body(pull.number, body)
    return SectionResult(updated.number, updated.url, changed=True, truncated=truncated)
