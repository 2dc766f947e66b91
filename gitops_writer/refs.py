"""Branch names: what `git check-ref-format --branch` accepts, less the names that only confuse."""

from __future__ import annotations

import re

_FORBIDDEN = re.compile(r"\.\.|@\{|//|[\x00-\x20\x7f~^:?*\[\\]")
# Valid for git, but they read as something else: the current commit, a full ref, a remote's branch.
_CONFUSING = re.compile(r"HEAD|(?:refs|heads|remotes|origin)/.*", re.IGNORECASE)


def branch_problem(branch: str) -> str | None:
    """Why `branch` cannot be a request's branch, or None when it can."""
    parts = branch.split("/")
    if (
        not branch
        or _FORBIDDEN.search(branch)
        or branch.startswith(("-", "/"))
        or branch.endswith(("/", ".", ".lock"))
        or branch == "@"
        or any(part.startswith(".") or part.endswith(".lock") for part in parts)
    ):
        return f"{branch!r} is not a valid git branch name"
    if _CONFUSING.fullmatch(branch):
        return f"{branch!r} reads as HEAD, a full ref or a remote's branch, not a branch of its own"
    return None
