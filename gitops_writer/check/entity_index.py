"""Which entity kinds and names each file may define, read off its text and remembered between runs.

A request checks the relations of the entity it writes against every entity file; reading and
scanning thousands of them cost more than the request's own edits. The facts of each file are kept
in the git directory, keyed on the file's size, times and inode (as git's own index does), so a run
reads only the files that changed since the last one. A file changed within the last seconds is not
remembered: a second change in the same clock tick would go unseen. A tree read from git (publishing
builds on the base branch's tree, never checked out) keys them on blob ids instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo.files import TreeSource
from gitops_writer.repo.lock import git_dir, working_tree_root
from gitops_writer.repo.reading import loads_json, read_text
from gitops_writer.values import JSONObject, JSONValue

_KIND = re.compile(r"^kind:[ \t]*['\"]?([A-Za-z][A-Za-z0-9]*)", re.MULTILINE)
# `name: value` on a line of its own, the value plain or quoted and a valid entity name
_NAME_LINE = re.compile(
    r"^[ \t]*name:[ \t]+(\"[\w.-]+\"|'[\w.-]+'|[\w.-]+)[ \t]*(?:#[^\n]*)?\r?$", re.MULTILINE | re.ASCII
)
_NAME_KEY = re.compile(r"(?<![\w.\-/])['\"]?name['\"]?[ \t]*:")
STORE = "gitops-writer-entities.json"  # in the git directory
_VERSION = 1
Entry = list[JSONValue]  # a file's [size, mtime, ctime, inode, kinds, names] or a blob's [kinds, names], as stored
_SETTLED_NS = 2_000_000_000  # a file changed this recently may change again unseen within the same tick


@dataclass(frozen=True)
class Facts:
    """What a file's text says about the entities it may define (all lower case)."""

    kinds: frozenset[str]
    names: frozenset[str] | None  # the values of its `name:` lines; None: a `name` key they do not cover

    def may_define(self, names: set[str]) -> bool | None:
        """False when the file defines none of `names`; None when only parsing it can tell."""
        if self.names is None:
            return None
        return bool(self.names & names)


NONE = Facts(frozenset(), frozenset())


def facts(text: str) -> Facts:
    """The kinds a file declares and the names its `name:` lines give.

    A `name` key written any other way (flow style, quoted, the value on the next line) leaves the
    names unknown, and the file is parsed when it mentions a wanted name.
    """
    if "kind" not in text:
        return NONE
    kinds = frozenset(kind.lower() for kind in _KIND.findall(text))
    lines = _NAME_LINE.findall(text)
    if len(lines) != len(_NAME_KEY.findall(text)):
        return Facts(kinds, None)
    return Facts(kinds, frozenset(value.strip("'\"").lower() for value in lines))


class EntityIndex:
    """The remembered facts of one working tree's files (or of a git tree's blobs); `save()` keeps
    those this run looked at, so a deleted file's are dropped."""

    def __init__(self, root: Path, source: TreeSource | None = None) -> None:
        self.root = root.resolve()
        self.source = source
        self._prefix = str(self.root) + os.sep
        folder = git_dir(working_tree_root(self.root))
        self._store = folder / STORE if folder is not None else None
        record = self._read()
        self._known = _entries(record.get("files"), 6)  # path -> [size, mtime, ctime, inode, kinds, names]
        self._blobs = _entries(record.get("blobs"), 2)  # blob id -> [kinds, names]
        self._used: dict[str, Entry] = {}
        self._used_blobs: dict[str, Entry] = {}
        self._changed = False
        self._now = time.time_ns()

    def lookup(self, relative: str) -> tuple[Facts | None, Entry | None]:
        """The remembered facts of the file (None when not known), and its stamp to `remember` new ones."""
        if self.source is not None:
            blob = self.source.blob(relative)
            if blob is None:
                return None, None
            known = self._blobs.get(blob)
            if known is not None:
                self._used_blobs[blob] = known
                return _facts(known), [blob]
            return None, [blob]
        try:
            stat = os.stat(self._prefix + relative)
        except OSError:
            return None, None
        stamp: Entry = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        if self._now - max(stat.st_mtime_ns, stat.st_ctime_ns) < _SETTLED_NS:
            return None, None
        known = self._known.get(relative)
        if known is not None and known[:4] == stamp:
            self._used[relative] = known
            return _facts(known[4:]), stamp
        return None, stamp

    def remember(self, relative: str, stamp: Entry | None, found: Facts) -> None:
        if stamp is None:
            return
        entry: Entry = [_stored(found.kinds), None if found.names is None else _stored(found.names)]
        if self.source is not None:
            self._used_blobs[str(stamp[0])] = entry
        else:
            self._used[relative] = [*stamp, *entry]
        self._changed = True

    def save(self) -> None:
        """Keep the facts this run looked at, beside the other kind's as they were; best effort."""
        files, blobs = (self._known, self._used_blobs) if self.source is not None else (self._used, self._blobs)
        unchanged = len(files) == len(self._known) and len(blobs) == len(self._blobs)
        if self._store is None or (unchanged and not self._changed):
            return
        record = {"version": _VERSION, "root": str(self.root), "files": files, "blobs": blobs}
        temp = self._store.with_name(f".{STORE}.{os.getpid()}.tmp")
        with contextlib.suppress(OSError):
            temp.write_text(json.dumps(record, separators=(",", ":")), encoding="utf-8")
            os.replace(temp, self._store)
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)

    def _read(self) -> JSONObject:
        if self._store is None:
            return {}
        try:
            record = loads_json(read_text(self._store))
        except (GitopsWriterError, ValueError):  # none, or not one this version wrote: start afresh
            return {}
        if not isinstance(record, dict) or record.get("version") != _VERSION or record.get("root") != str(self.root):
            return {}
        return record


def _entries(stored: JSONValue, length: int) -> dict[str, Entry]:
    """The well-formed entries of a stored section: each ends in [kinds, names or None]."""
    if not isinstance(stored, dict):
        return {}
    return {
        key: entry
        for key, entry in stored.items()
        if isinstance(entry, list)
        and len(entry) == length
        and isinstance(entry[-2], list)
        and (entry[-1] is None or isinstance(entry[-1], list))
    }


def _facts(entry: Entry) -> Facts:
    kinds, names = entry
    return Facts(frozenset(_texts(kinds)), None if names is None else frozenset(_texts(names)))


def _stored(texts: frozenset[str]) -> JSONValue:
    stored: list[JSONValue] = []
    stored.extend(sorted(texts))
    return stored


def _texts(stored: JSONValue) -> list[str]:
    return [str(text) for text in stored] if isinstance(stored, list) else []
