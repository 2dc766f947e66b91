"""Commits known to be exactly gitops-writer's, kept in the git directory between runs.

Refresh force-pushes, closes or deletes a branch only when its one commit is exactly what the tool makes
of the request it records, on that commit's parent: finding that out means making the request again. A
commit's id names its tree, its parents, its message and its people, and the request is made with the
config of the parent's own tree, so the answer for one commit id never changes for one version of the
tool. It is kept here, for the commits this clone made (published or rebuilt) or checked, so an idle
run asks it once per commit instead of once per run. A clone made afresh knows nothing and checks all.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from gitops_writer import __version__
from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo.lock import git_dir
from gitops_writer.repo.reading import loads_json, read_text

STORE = "gitops-writer-commits.json"  # in the git directory
KEEP = 2000  # commit ids kept, newest last
LARGEST = 1024 * 1024  # bytes: a bigger file is not this one, and is ignored


class KnownCommits:
    def __init__(self, root: Path) -> None:
        folder = git_dir(root)
        self._store = folder / STORE if folder is not None else None
        self._known: dict[str, None] = {}  # insertion-ordered: the oldest go first
        self._changed = False
        if self._store is None:
            return
        # A hostile store (a FIFO, a symlink, a huge or deep file) is only not used.
        with contextlib.suppress(OSError, ValueError, GitopsWriterError):
            if self._store.lstat().st_size > LARGEST:
                return
            record = loads_json(read_text(self._store))
            if isinstance(record, dict) and record.get("version") == __version__:
                commits = record.get("commits")
                if isinstance(commits, list):
                    self._known = dict.fromkeys(sha for sha in commits if isinstance(sha, str))

    def __contains__(self, sha: str) -> bool:
        return sha in self._known

    def add(self, sha: str) -> None:
        if sha not in self._known:
            self._known[sha] = None
            self._changed = True

    def save(self) -> None:
        """Best effort, replaced whole: a run that cannot write it only checks again next time."""
        if self._store is None or not self._changed:
            return
        commits = list(self._known)[-KEEP:]
        temp = self._store.with_name(f".{STORE}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            temp.write_text(json.dumps({"version": __version__, "commits": commits}), encoding="utf-8")
            os.replace(temp, self._store)
        self._changed = False
