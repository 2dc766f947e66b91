"""Git's object database, read through one long-lived `git cat-file`, and trees made in memory.

A request reads the few files it edits of a commit's tree (`GitTree`) and makes its new tree from that
listing: only the directories above the changed files are serialised, their ids computed here, and
the new objects written by one `git unpack-objects` whatever their number. Comparing a tree the
tool would make with one that exists needs no git process at all.
"""

from __future__ import annotations

import hashlib
import struct
import subprocess
import weakref
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from gitops_writer.errors import GitError, GitopsWriterError
from gitops_writer.repo.files import FileChange
from gitops_writer.repo.reading import LIMIT

TREE = "40000"  # a directory's mode inside a tree object (ls-tree prints it 040000)
REGULAR = ("100644", "100755")

Run = Callable[..., str]  # (*git arguments, env=, stdin=) -> stdout


class ObjectReader:
    """`git cat-file --batch-command`, started on first use and kept: one process for every read of a run.

    It sees objects and refs written after it started (git looks again for what it does not find).
    """

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self._cwd, self._env = cwd, dict(env)
        self._process: subprocess.Popen[bytes] | None = None

    def _ask(self, command: str, name: str) -> tuple[str, str, int] | None:
        if "\n" in name:
            raise GitError(f"not an object name: {name!r}")
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch-command"],
                cwd=self._cwd,
                env=self._env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            weakref.finalize(self, _stop, self._process)
        assert self._process.stdin is not None and self._process.stdout is not None
        try:
            self._process.stdin.write(f"{command} {name}\n".encode())
            self._process.stdin.flush()
            header = self._process.stdout.readline().decode().split()
        except OSError as exc:
            raise GitError(f"git cat-file failed: {exc}") from None
        if len(header) == 2 and header[1] in ("missing", "ambiguous"):
            return None
        if len(header) != 3:
            raise GitError(f"git cat-file failed for {name[:40]}: {' '.join(header) or 'no answer'}")
        return header[0], header[1], int(header[2])

    def info(self, name: str) -> tuple[str, str, int] | None:
        """(id, type, size) of what `name` names (an id, a ref, `sha^{tree}`...), None when there is none."""
        return self._ask("info", name)

    def read(self, name: str) -> tuple[str, bytes] | None:
        """(type, bytes) of the object `name` names, None when there is none."""
        found = self._ask("contents", name)
        if found is None:
            return None
        assert self._process is not None and self._process.stdout is not None
        data = self._process.stdout.read(found[2] + 1)[:-1]
        return found[1], data

    def close(self) -> None:
        if self._process is not None:
            _stop(self._process)
            self._process = None


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None and not process.stdin.closed:
        process.stdin.close()  # cat-file ends at the end of its input
    process.wait()
    if process.stdout is not None:
        process.stdout.close()


def object_id(kind: str, data: bytes, length: int = 40) -> str:
    """The id git gives an object: its hash over a `kind size\\0` header and the bytes."""
    digest = hashlib.sha256 if length == 64 else hashlib.sha1
    return digest(f"{kind} {len(data)}\0".encode() + data).hexdigest()


_PACKED = {"commit": 1, "tree": 2, "blob": 3}  # object types as a pack numbers them


def pack(objects: Sequence[tuple[str, bytes]], length: int = 40) -> bytes:
    """A pack holding `objects` ((type, bytes) each) whole, for `git unpack-objects` to write in one go."""
    parts = [b"PACK", struct.pack(">II", 2, len(objects))]
    for kind, data in objects:
        size = len(data)
        byte, size = (_PACKED[kind] << 4) | (size & 0x0F), size >> 4
        header = bytearray()
        while size:
            header.append(byte | 0x80)
            byte, size = size & 0x7F, size >> 7
        header.append(byte)
        parts += [bytes(header), zlib.compress(data)]
    content = b"".join(parts)
    digest = hashlib.sha256 if length == 64 else hashlib.sha1
    return content + digest(content).digest()


@dataclass(frozen=True)
class Entry:
    mode: str  # as in a tree object: 100644, 100755, 120000, 160000 or 40000
    id: str

    @property
    def is_tree(self) -> bool:
        return self.mode == TREE


def serialise(entries: Mapping[str, Entry]) -> bytes:
    """A tree object's bytes: entries in git's order, where a directory sorts as if its name ended in '/'."""
    ordered = sorted(entries.items(), key=lambda item: item[0].encode() + (b"/" if item[1].is_tree else b""))
    return b"".join(f"{entry.mode} {name}".encode() + b"\0" + bytes.fromhex(entry.id) for name, entry in ordered)


@dataclass(frozen=True)
class NewTree:
    """A tree made in memory: its id, and the objects it needs that may not exist yet."""

    id: str
    blobs: tuple[tuple[str, bytes], ...]  # (id, bytes)
    trees: tuple[tuple[str, bytes], ...]


class GitTree:
    """The files of one commit, read from the object database: listed once, each read on demand.

    Only regular files are files here: a symlink or a submodule in the tree is neither read nor listed,
    as the request path never follows a link.
    """

    def __init__(self, root: Path, sha: str, reader: ObjectReader, run: Run) -> None:
        self.root = root
        self.sha = sha
        self._reader = reader
        self._blobs: dict[str, tuple[str, str]] = {}  # path -> (mode, blob id), regular files only
        self._others: set[str] = set()  # symlinks and submodules: present, but not files to read
        self._entries: dict[str, dict[str, Entry]] = {"": {}}  # directory -> name -> entry
        for record in run("ls-tree", "-r", "-t", "-z", "--full-tree", sha).split("\0"):
            if not record:
                continue
            info, _, path = record.partition("\t")
            mode, kind, blob = info.split()
            parent, _, name = path.rpartition("/")
            self._entries.setdefault(parent, {})[name] = Entry(mode.lstrip("0"), blob)
            if kind == "tree":
                self._entries.setdefault(path, {})
            elif kind == "blob" and mode in REGULAR:
                self._blobs[path] = (mode, blob)
            else:
                self._others.add(path)

    @cached_property
    def tree_id(self) -> str:
        found = self._reader.info(f"{self.sha}^{{tree}}")
        if found is None:
            raise GitError(f"no tree for {self.sha[:12]}")
        return found[0]

    def listing(self) -> frozenset[str]:
        return frozenset(self._blobs)

    def blob(self, relative: str) -> str | None:
        entry = self._blobs.get(relative)
        return entry[1] if entry else None

    def mode(self, relative: str) -> str:
        entry = self._blobs.get(relative)
        return entry[0] if entry else "100644"

    def is_dir(self, relative: str) -> bool:
        relative = relative.rstrip("/")
        return relative in ("", ".") or relative in self._entries

    def read(self, relative: str) -> bytes | None:
        if relative in self._others:
            raise GitopsWriterError(f"{relative}: is a symlink or a submodule in the base tree; refusing to follow it")
        blob = self.blob(relative)
        if blob is None:
            return None
        info = self._reader.info(blob)
        if info is not None and info[2] > LIMIT:
            raise GitopsWriterError(f"{relative}: is larger than {LIMIT // (1024 * 1024)} MiB; refusing to read it")
        found = self._reader.read(blob)
        if found is None:
            raise GitError(f"git cat-file found no blob {blob[:12]} for {relative}")
        return found[1]

    def text(self, relative: str) -> str | None:
        """The file's text (UTF-8), None when absent."""
        data = self.read(relative)
        return None if data is None else data.decode("utf-8")

    def with_changes(self, changes: Sequence[FileChange]) -> NewTree:
        """This tree with every change applied: a file written, created or removed (its directory too, once empty).

        The texts are stored as they are, as the blobs they were read from: no clean filter or line-ending
        conversion runs on text that never was in a working tree.
        """
        length = len(self.sha)
        directories: dict[str, dict[str, Entry]] = {}

        def directory(path: str) -> dict[str, Entry]:
            if path not in directories:
                directories[path] = dict(self._entries.get(path, {}))
                if path:
                    directory(path.rpartition("/")[0])
            return directories[path]

        blobs: dict[str, bytes] = {}
        for change in changes:
            if not change.changed:
                continue
            parent, _, name = change.path.rpartition("/")
            if change.new is None:
                directory(parent).pop(name, None)
                continue
            data = change.new.encode("utf-8")
            blob = object_id("blob", data, length)
            blobs[blob] = data
            directory(parent)[name] = Entry(self.mode(change.path), blob)
        trees: dict[str, bytes] = {}
        root: str | None = None
        for path in sorted(directories, key=lambda p: -p.count("/") - (1 if p else 0)):
            entries = directories[path]
            if path:
                parent, _, name = path.rpartition("/")
                if not entries:
                    directories[parent].pop(name, None)
                    continue
            data = serialise(entries)
            tree = object_id("tree", data, length)
            trees[tree] = data
            if path:
                directories[parent][name] = Entry(TREE, tree)
            else:
                root = tree
        return NewTree(root or self.tree_id, tuple(blobs.items()), tuple(trees.items()))
