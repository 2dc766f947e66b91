"""The one lock per working tree, whatever the entry point: the generic verbs and requests alike.

The lock is an advisory `flock` on the working tree's root directory itself, so it leaves no file
anywhere (no lock files pile up in /tmp) and the kernel drops it when a process dies, even by SIGKILL.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

_held: dict[Path, int] = {}  # roots this process holds, with how many nested holders: flock is not re-entrant


def working_tree_root(start: Path) -> Path:
    """The root every run on `start` (a directory) locks and journals in.

    The nearest enclosing git working tree (a `.git` folder or file); else the nearest folder holding a
    `.gitops-writer.yaml`; else `start` itself, or its nearest folder that exists.
    """
    start = start.resolve()
    for marker in (".git", ".gitops-writer.yaml"):
        for folder in (start, *start.parents):
            if (folder / marker).exists():
                return folder
    while not start.is_dir() and start != start.parent:  # a file to be written in folders not made yet
        start = start.parent
    return start


def git_dir(root: Path) -> Path | None:
    """The git directory of a working tree root (a linked worktree's `.git` file names it), if any."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    if dot_git.is_file():
        try:
            line = dot_git.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if line.startswith("gitdir:"):
            found = (root / line.removeprefix("gitdir:").strip()).resolve()
            return found if found.is_dir() else None
    return None


@contextlib.contextmanager
def tree_lock(root: Path) -> Iterator[None]:
    """Hold the working tree's lock for the block; nested holders in one process share it."""
    if _held.get(root):
        _held[root] += 1
        try:
            yield
        finally:
            _held[root] -= 1
        return
    fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _held[root] = 1
        try:
            yield
        finally:
            del _held[root]
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
