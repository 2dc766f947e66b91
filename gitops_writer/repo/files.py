"""Reading and atomically writing text files, all-or-nothing across files, under a lock."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_writer.errors import GitopsWriterError, ParseError

BOM = "\ufeff"


@dataclass(frozen=True)
class FileChange:
    """One file's planned change: `old`/`new` are full texts, None meaning absent."""

    path: str  # as shown in diffs, relative to the repository root
    old: str | None
    new: str | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def decode(data: bytes, path: str) -> str:
    """UTF-8 text with a BOM kept as U+FEFF, so a write puts it back."""
    if b"\x00" in data:
        raise ParseError("file holds a NUL byte; refusing to edit a binary file").at(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError("file is not valid UTF-8", line, column).at(path) from None


def read_text(path: Path, shown_as: str | None = None) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise GitopsWriterError(f"{shown_as or path}: no such file") from None
    except IsADirectoryError:
        raise GitopsWriterError(f"{shown_as or path}: is a directory") from None
    except PermissionError:
        raise GitopsWriterError(f"{shown_as or path}: permission denied") from None
    return decode(data, shown_as or str(path))


def write_atomically(targets: Sequence[tuple[Path, str | None]]) -> None:
    """Write (or delete, for None) every file, or leave every file as it was.

    New contents go to temporary files beside their targets first; only when all of them are on
    disk are they renamed into place, and a failure midway puts back what was already replaced.
    """
    try:
        _write_all(targets)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        raise GitopsWriterError(
            f"{where}cannot write ({exc.strerror or exc}); every file was put back as it was"
        ) from exc


def _write_all(targets: Sequence[tuple[Path, str | None]]) -> None:
    created = _missing_directories(path for path, text in targets if text is not None)
    staged: list[tuple[Path, Path | None]] = []
    try:
        for path, text in targets:
            staged.append((path, None if text is None else _stage(path, text)))
    except BaseException:
        for _, temp in staged:
            if temp is not None:
                temp.unlink(missing_ok=True)
        _remove_directories(created)
        raise

    done: list[tuple[Path, Path | None]] = []  # (target, a link to its old content, or None if it is new)
    try:
        for path, temp in staged:
            backup = None
            if path.exists():
                backup = path.with_name(f".{path.name}.{secrets.token_hex(6)}.gitops-writer.bak")
                os.link(path, backup)
            try:
                if temp is None:
                    path.unlink()
                else:
                    os.replace(temp, path)
            except BaseException:
                if backup is not None:
                    backup.unlink(missing_ok=True)
                raise
            done.append((path, backup))
    except BaseException:
        for path, backup in reversed(done):
            if backup is not None:
                os.replace(backup, path)
            else:
                path.unlink(missing_ok=True)
        for _, temp in staged:
            if temp is not None:
                temp.unlink(missing_ok=True)
        _remove_directories(created)
        raise
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _missing_directories(paths: Iterable[Path]) -> list[Path]:
    """The directories that writing these files would create, deepest last."""
    missing: list[Path] = []
    for path in paths:
        for parent in reversed(path.parents):
            if not parent.exists() and parent not in missing:
                missing.append(parent)
    return missing


def _remove_directories(directories: list[Path]) -> None:
    for directory in reversed(directories):
        with contextlib.suppress(OSError):
            directory.rmdir()


def _stage(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".gitops-writer.tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp


@contextlib.contextmanager
def exclusive_lock(directory: Path) -> Iterator[None]:
    """Serialise read-modify-write runs on one working tree, without leaving a file inside it."""
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"gitops-writer-{key}.lock"
    with open(lock_path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
