"""All-or-nothing writes of several files, crash-safe as databases make them: a journal first.

A write goes through these steps, each one atomic on a POSIX file system:

1. the journal is written in state `staging`, naming every target, temporary and backup file;
2. each new text is staged in a temporary file beside its target (fsynced);
3. the journal moves to state `forward`: the commit point;
4. each existing target is hard-linked to its backup, then the temporary file is renamed over it
   (or the target deleted);
5. the backups and then the journal are removed.

A journal found later (by any run, before it does anything else, or by `gitops-writer recover`) is
settled: `staging` rolls back (the temporary files go, every target is still old), `forward` rolls
forward (the renames not done yet are done), `back` (an error in step 4, being undone) rolls back
from the backups. Settling is idempotent. SIGINT and SIGTERM are held back during steps 3 to 5, so
only SIGKILL or a power cut can stop a run there, and the journal then finishes the work.

Testing hook: `GITOPS_WRITER_FAULT_AFTER=N` kills the process with SIGKILL (SIGTERM when
`GITOPS_WRITER_FAULT_SIGNAL=TERM`) right after step N of a write, counting every single file
operation; `on_step`, when set, is called with each step's description after it is done.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import signal
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypedDict, cast

from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo.lock import git_dir
from gitops_writer.repo.reading import inside, loads_json, read_text

JOURNAL = "gitops-writer.journal"
VERSION = 1  # of the journal's format: a journal of any other version is settled by hand
STATES = ("staging", "forward", "back")
_SUFFIXES = {"temp": "tmp", "backup": "bak"}  # as `_entry` names them
_BESIDE = re.compile(r"\.(?P<name>.+)\.(?P<token>[0-9a-f]{12})\.gitops-writer\.(?P<suffix>tmp|bak)")
_DEFERRED = {signal.SIGINT, signal.SIGTERM}

on_step: Callable[[str], None] | None = None  # testing hook: observe (or interrupt) each step


class Entry(TypedDict):
    """One file of a write as the journal records it: paths relative to the root."""

    target: str
    temp: str | None  # None: the write deletes the target
    backup: str | None  # None: the target did not exist


class Record(TypedDict):
    """The journal: what `recover` needs to finish or undo an interrupted write."""

    version: int
    state: str  # one of STATES
    entries: list[Entry]
    directories: list[str]  # made by the write, parents first


@dataclass(frozen=True)
class Target:
    """One file of a write: `text` None deletes it; `shown` is how messages name it."""

    path: Path  # absolute; for a deletion the link itself when the file is a symlink
    text: str | None
    shown: str


def journal_path(root: Path) -> Path:
    """Where the working tree's journal lives: inside `.git/` when there is one, else at the root."""
    found = git_dir(root)
    return found / JOURNAL if found is not None else root / f".{JOURNAL}"


def write_all(root: Path, targets: Sequence[Target]) -> None:
    """Write every target or none; the caller holds the tree's lock (see `lock.tree_lock`)."""
    journal = journal_path(root)
    entries = [_entry(root, target) for target in targets]
    created = _missing_directories([target.path for target in targets if target.text is not None])
    record: Record = {
        "version": VERSION,
        "state": "staging",
        "entries": entries,
        "directories": [_relative(root, d) for d in created],
    }
    counter = _Steps()
    shown = {  # every name a failing call can report, as the user knows the file
        str(root / name): target.shown
        for entry, target in zip(entries, targets, strict=True)
        for name in (entry["target"], entry["temp"], entry["backup"])
        if name
    }
    try:
        _write_journal(journal, record, durable=False)  # lost in a power cut, it only leaves temporary files
        counter.done("journal: staging")
        for entry, target in zip(entries, targets, strict=True):
            if target.text is not None:
                _stage(root, entry, target.text)
                counter.done(f"staged {entry['target']}")
        with _signals_deferred():
            try:
                record["state"] = "forward"
                _write_journal(journal, record)
                counter.done("journal: forward")
                _forward(root, entries, counter)
            except BaseException:
                record["state"] = "back"
                _write_journal(journal, record)
                raise
            with contextlib.suppress(OSError):  # every file is new: a leftover backup is the next run's to remove
                _finish(root, journal, entries, counter)
    except BaseException as exc:
        with contextlib.suppress(OSError, GitopsWriterError):  # else the journal stays for the next run
            settle(root)
        if isinstance(exc, OSError):
            name = os.fsdecode(exc.filename) if exc.filename else ""
            where = f"{shown.get(name, Path(name).name)}: " if name else ""
            raise GitopsWriterError(
                f"{where}cannot write ({exc.strerror or exc}); every file was put back as it was"
            ) from exc
        raise


def settle(root: Path) -> str | None:
    """Finish or undo the write a journal records; what was done, or None when there was nothing.

    A journal is text in the tree, and the tree may come from anyone: one that is not exactly what
    `write_all` writes (its version, its states, paths inside the tree with the tool's own temporary
    and backup names beside their targets) is refused, and nothing is touched.
    """
    journal = journal_path(root)
    half_written = journal.with_name(journal.name + ".tmp")
    if os.path.lexists(half_written):  # killed while writing the journal: that step never happened
        half_written.unlink()
    if not os.path.lexists(journal):
        return None
    try:
        record = _validated(root, loads_json(read_text(journal, str(journal))))
    except (GitopsWriterError, ValueError) as exc:
        raise GitopsWriterError(
            f"{journal}: the journal of an interrupted write is unusable ({exc}); settle it by hand"
        ) from None
    entries, state = record["entries"], record["state"]
    with _signals_deferred():
        if state == "forward":
            _forward(root, entries, _Steps(counting=False), resuming=True)
            _finish(root, journal, entries, _Steps(counting=False))
            return f"finished an interrupted write of {len(entries)} file{'s' if len(entries) != 1 else ''}"
        for entry in entries:
            backup = entry["backup"] and root / entry["backup"]
            if state == "back" and backup and backup.exists():
                os.replace(backup, root / entry["target"])
                backup.unlink(missing_ok=True)  # renaming a hard link onto its twin leaves both names
            elif state == "back" and not entry["backup"] and entry["temp"]:
                (root / entry["target"]).unlink(missing_ok=True)  # a new file that was renamed into place
            if entry["temp"]:
                (root / entry["temp"]).unlink(missing_ok=True)
        for directory in reversed(record["directories"]):
            with contextlib.suppress(OSError):
                (root / directory).rmdir()
        journal.unlink()
        _sync_directory(journal.parent)
        return f"undid an interrupted write of {len(entries)} file{'s' if len(entries) != 1 else ''}"


def _validated(root: Path, record: object) -> Record:
    """The record as `write_all` writes it, or ValueError saying what is wrong with it."""
    if not isinstance(record, dict) or set(record) != {"version", "state", "entries", "directories"}:
        raise ValueError("not a journal of this version of gitops-writer")
    if record["version"] != VERSION or isinstance(record["version"], bool):
        raise ValueError(f"version {_short(record['version'])}, not {VERSION}")
    if record["state"] not in STATES:
        raise ValueError(f"unknown state {_short(record['state'])}")
    entries, directories = record["entries"], record["directories"]
    if not isinstance(entries, list) or not isinstance(directories, list):
        raise ValueError("entries and directories must be lists")
    parents: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"target", "temp", "backup"}:
            raise ValueError("an entry must name a target, a temporary file and a backup")
        target = entry["target"]
        if not isinstance(target, str):
            raise ValueError("an entry's target must be a path")
        _confined(root, target)
        tokens = {_beside(root, target, entry[key], suffix) for key, suffix in _SUFFIXES.items() if entry[key]}
        if len(tokens) > 1:
            raise ValueError(f"{_short(target)}: its temporary and backup files are of different writes")
        parents.update(str(parent) for parent in PurePosixPath(target).parents)
    for directory in directories:
        if not isinstance(directory, str) or directory not in parents:
            raise ValueError(f"{_short(directory)} is not a folder of a file the write names")
        _confined(root, directory)
    return cast(Record, record)  # every key and value checked above


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."


def _confined(root: Path, relative: str) -> None:
    try:
        inside(root, relative)
    except GitopsWriterError as exc:  # a ValidationError is the command line's: this one is the journal's
        raise ValueError(str(exc)) from None


def _beside(root: Path, target: str, name: object, suffix: str) -> str:
    """The token of a temporary or backup file named as `_entry` names them, beside the target."""
    pure = PurePosixPath(target)
    form = _BESIDE.fullmatch(PurePosixPath(name).name) if isinstance(name, str) else None
    if (
        form is None
        or not isinstance(name, str)
        or PurePosixPath(name).parent != pure.parent
        or (form["name"], form["suffix"]) != (pure.name, suffix)
    ):
        raise ValueError(f"{_short(target)}: {_short(name)} is not a .{suffix} file of gitops-writer's beside it")
    _confined(root, name)
    return form["token"]


def _entry(root: Path, target: Target) -> Entry:
    path, token = target.path, secrets.token_hex(6)
    temp = path.with_name(f".{path.name}.{token}.gitops-writer.tmp")
    backup = path.with_name(f".{path.name}.{token}.gitops-writer.bak")
    return {
        "target": _relative(root, path),
        "temp": None if target.text is None else _relative(root, temp),
        "backup": _relative(root, backup) if path.exists() or path.is_symlink() else None,
    }


def _stage(root: Path, entry: Entry, text: str) -> None:
    assert entry["temp"] is not None, "only a target with a text is staged"
    path, temp = root / entry["target"], root / entry["temp"]
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, mode)


def _forward(root: Path, entries: list[Entry], counter: _Steps, *, resuming: bool = False) -> None:
    for entry in entries:
        target = root / entry["target"]
        temp = entry["temp"] and root / entry["temp"]
        backup = entry["backup"] and root / entry["backup"]
        if temp and resuming and not temp.exists():
            continue  # renamed before the interruption
        if backup and not resuming:
            os.link(target, backup, follow_symlinks=False)
            counter.done(f"backed up {entry['target']}")
        if temp:
            os.replace(temp, target)
            counter.done(f"renamed {entry['target']}")
        elif target.exists() or target.is_symlink():
            target.unlink()
            counter.done(f"deleted {entry['target']}")
    for folder in {(root / entry["target"]).parent for entry in entries}:
        if folder.is_dir():
            _sync_directory(folder)


def _finish(root: Path, journal: Path, entries: list[Entry], counter: _Steps) -> None:
    for entry in entries:
        if entry["backup"]:
            (root / entry["backup"]).unlink(missing_ok=True)
            counter.done(f"removed the backup of {entry['target']}")
    journal.unlink()
    _sync_directory(journal.parent)  # else a journal back from a power cut could delete a file made since
    counter.done("journal: removed")


def _write_journal(journal: Path, record: Record, *, durable: bool = True) -> None:
    temp = journal.with_name(journal.name + ".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump(record, handle, indent=1)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    os.replace(temp, journal)
    if durable:
        _sync_directory(journal.parent)


def _sync_directory(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _missing_directories(paths: Sequence[Path]) -> list[Path]:
    """The directories that writing these files would create, deepest last."""
    missing: list[Path] = []
    for path in paths:
        for parent in reversed(path.parents):
            if not parent.exists() and parent not in missing:
                missing.append(parent)
    return missing


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


class _Steps:
    """Counts the steps of a write for the fault-injection hook."""

    def __init__(self, *, counting: bool = True) -> None:
        self.count = 0
        self.counting = counting
        self.fault_after = int(os.environ.get("GITOPS_WRITER_FAULT_AFTER", "0") or 0) if counting else 0

    def done(self, what: str) -> None:
        if not self.counting:
            return
        self.count += 1
        if on_step is not None:
            on_step(what)
        if self.fault_after and self.count == self.fault_after:
            sig = signal.SIGTERM if os.environ.get("GITOPS_WRITER_FAULT_SIGNAL") == "TERM" else signal.SIGKILL
            os.kill(os.getpid(), sig)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while files are renamed; they arrive once the block is left."""
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, _DEFERRED)
    except (AttributeError, ValueError, OSError):  # not the main thread, or no such call here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
