"""Journaled writes: every file or none, under injected failures and interruptions at every step, modes kept."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo import RepositoryFiles, journal, recover

OLD = {"a.tfvars": "a = 1\n", "b/b.yaml": "b: 1\n", "c.yaml": "c: 1\n", "gone.yaml": "x: 1\n"}
NEW = {"a.tfvars": "a = 2\n", "b/b.yaml": "b: 2\n", "new/d.yaml": "d: 1\n", "gone.yaml": None, "c.yaml": "c: 2\n"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in OLD.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "b/b.yaml").chmod(0o600)
    return tmp_path


def contents(root: Path) -> dict[str, tuple[str, int]]:
    """Every file below root with its mode: a temporary file, backup or journal left behind shows here."""
    return {
        str(p.relative_to(root)): (p.read_text(), p.stat().st_mode & 0o777)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write(root: Path) -> None:
    files = RepositoryFiles(root)
    with files.lock():
        for name, text in NEW.items():
            files.write(name, text)
        files.write_changes()


def texts(root: Path) -> dict[str, str]:
    return {name: text for name, (text, _) in contents(root).items()}


ALL_OLD = dict(OLD)
ALL_NEW = {name: text for name, text in NEW.items() if text is not None}


@pytest.fixture
def steps(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The steps of the write, recorded once through the testing hook on a twin of the tree."""
    twin = tmp_path_factory.mktemp("twin")
    for name, (text, _) in contents(tree).items():
        (twin / name).parent.mkdir(parents=True, exist_ok=True)
        (twin / name).write_text(text)
    seen: list[str] = []
    journal.on_step = seen.append
    try:
        write(twin)
    finally:
        journal.on_step = None
    return seen


def test_all_written_modes_kept(tree: Path) -> None:
    write(tree)
    after = contents(tree)
    assert after["a.tfvars"][0] == "a = 2\n" and after["b/b.yaml"] == ("b: 2\n", 0o600)
    assert after["new/d.yaml"][0] == "d: 1\n" and "gone.yaml" not in after
    assert texts(tree) == ALL_NEW, "nothing else is left: no journal, temporary or backup file"


def test_every_step_is_counted(steps: list[str]) -> None:
    assert steps[0] == "journal: staging" and steps[-1] == "journal: removed"
    assert steps.index("journal: forward") == 1 + 4, "four texts are staged before the commit point"
    assert len(steps) == 1 + 4 + 1 + 4 + 5 + 4 + 1


def _fail_on_call(n: int, error: BaseException, real: Any) -> Any:
    calls = []

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == n:
            raise error
        return real(*args, **kwargs)

    return wrapper


@pytest.mark.parametrize(
    ("target", "attribute", "call", "error"),
    [
        pytest.param(os, "fsync", 2, OSError(28, "No space left on device"), id="disk-full-staging"),
        pytest.param(os, "fsync", 4, KeyboardInterrupt(), id="interrupted-staging"),
        pytest.param(os, "replace", 2, OSError(28, "No space left on device"), id="disk-full-committing"),
        pytest.param(os, "replace", 4, OSError(28, "No space left on device"), id="disk-full-renaming"),
        pytest.param(os, "replace", 5, KeyboardInterrupt(), id="interrupted-renaming"),
        pytest.param(os, "link", 2, PermissionError(13, "Permission denied"), id="backup-refused"),
        pytest.param(Path, "unlink", 1, PermissionError(13, "Permission denied"), id="delete-refused"),
    ],
)
def test_failure_leaves_every_file_as_it_was(
    tree: Path, monkeypatch: pytest.MonkeyPatch, target: Any, attribute: str, call: int, error: BaseException
) -> None:
    before = contents(tree)
    monkeypatch.setattr(target, attribute, _fail_on_call(call, error, getattr(target, attribute)))
    with pytest.raises(KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else GitopsWriterError) as info:
        write(tree)
    if isinstance(error, OSError):
        assert "cannot write" in str(info.value) and "put back" in str(info.value)
    monkeypatch.undo()
    assert contents(tree) == before, "same texts, same modes, and no temporary, backup or journal file left behind"
    assert not (tree / "new").exists(), "no directory left behind either"


@pytest.fixture
def failing_at() -> Iterator[Any]:
    def arm(step: int, error: BaseException) -> None:
        count = 0

        def hook(what: str) -> None:
            nonlocal count
            count += 1
            if count == step:
                raise error

        journal.on_step = hook

    yield arm
    journal.on_step = None


@pytest.mark.parametrize(
    "error", [OSError(5, "Input/output error"), KeyboardInterrupt()], ids=["io-error", "interrupt"]
)
def test_a_failure_at_any_step_leaves_all_old_or_all_new_and_the_next_run_cleans_up(
    tree: Path, steps: list[str], failing_at: Any, error: BaseException
) -> None:
    commit_point = steps.index("journal: forward")
    last_rename = max(i for i, step in enumerate(steps) if step.startswith(("renamed", "deleted")))
    for step in range(1, len(steps) + 1):
        for name in list(contents(tree)):
            (tree / name).unlink()
        for name, text in OLD.items():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            (tree / name).write_text(text)
        failing_at(step, error)
        try:
            write(tree)
        except (GitopsWriterError, KeyboardInterrupt):
            pass
        journal.on_step = None
        now = texts(tree)
        if step - 1 <= last_rename:
            assert now == ALL_OLD, f"failed at {steps[step - 1]}: every file is put back at once"
        else:  # the renames were all done: the write stands, what is left over is the next run's to remove
            assert {k: v for k, v in now.items() if not k.startswith(".") and "/." not in k} == ALL_NEW
        recover(tree)
        assert texts(tree) in (ALL_OLD, ALL_NEW), f"after {steps[step - 1]} and a recovery: no leftovers"
        assert recover(tree) is None, "recovery is idempotent"
        assert step > commit_point or texts(tree) == ALL_OLD


def _journal(entries: Any = None, **changes: Any) -> dict[str, Any]:
    """A journal as `write_all` writes one, with `changes` over it."""
    temp, backup = ".a.tfvars.0123456789ab.gitops-writer.tmp", ".a.tfvars.0123456789ab.gitops-writer.bak"
    record = {
        "version": journal.VERSION,
        "state": "forward",
        "entries": [{"target": "a.tfvars", "temp": temp, "backup": backup}] if entries is None else entries,
        "directories": [],
    }
    return {**record, **changes}


def _entry(target: Any, temp: Any = None, backup: Any = None) -> dict[str, Any]:
    return {"target": target, "temp": temp, "backup": backup}


TOKEN = "0123456789ab"
HOSTILE_JOURNALS = {
    "the-issue-example": _journal(
        [
            _entry("/abs/outside/victim.txt", "../outside/payload.txt"),
            _entry("../outside/x"),
        ],
        directories=["../outside/emptydir"],
    ),
    "absolute-target": _journal([_entry("{outside}/victim.txt")]),
    "dotdot-target": _journal([_entry("../outside/victim.txt")]),
    "dotdot-temp": _journal([_entry("a.tfvars", "../outside/payload.txt")]),
    "dotdot-backup": _journal([_entry("a.tfvars", None, "../outside/victim.txt")]),
    "target-under-git": _journal([_entry(".git/config")]),
    "target-through-symlinked-folder": _journal([_entry("escape/victim.txt")]),
    "dotdot-directory": _journal(
        [_entry("new/d.yaml", f"new/.d.yaml.{TOKEN}.gitops-writer.tmp")], directories=["../outside/emptydir"]
    ),
    "directory-not-a-parent": _journal(directories=["b"]),
    "temp-not-beside-target": _journal([_entry("a.tfvars", f"b/.a.tfvars.{TOKEN}.gitops-writer.tmp")]),
    "temp-of-another-name": _journal([_entry("a.tfvars", "c.yaml")]),
    "temp-of-another-file": _journal([_entry("a.tfvars", f".c.yaml.{TOKEN}.gitops-writer.tmp")]),
    "temp-named-as-backup": _journal([_entry("a.tfvars", f".a.tfvars.{TOKEN}.gitops-writer.bak")]),
    "tokens-differ": _journal(
        [_entry("a.tfvars", f".a.tfvars.{TOKEN}.gitops-writer.tmp", ".a.tfvars.ba9876543210.gitops-writer.bak")]
    ),
    "unknown-state": _journal(state="sideways"),
    "no-version": {k: v for k, v in _journal().items() if k != "version"},
    "other-version": _journal(version=2),
    "version-true": _journal(version=True),
    "extra-key": _journal(extra=1),
    "entries-not-a-list": _journal(entries={"target": "a.tfvars"}),
    "entry-not-an-object": _journal(["a.tfvars"]),
    "entry-without-target": _journal([{"temp": None, "backup": None}]),
    "target-not-a-string": _journal([_entry(["a.tfvars"])]),
    "temp-not-a-string": _journal([_entry("a.tfvars", 7)]),
    "directories-not-a-list": _journal(directories="new"),
    "not-an-object": [],
}
HOSTILE_FILES = {
    "deeply-nested": "[" * 100_000,
    "not-json": "{state: forward",
    "not-utf8": b"\xff\xfe{}",
}


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path]:
    """A tree (no git: its journal is at its root) and a folder outside it, each with files to lose."""
    root, outside = tmp_path / "repo", tmp_path / "outside"
    for folder, names in ((root, OLD), (outside, ("victim.txt", "payload.txt", "x"))):
        for name in names:
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(f"{name} as it was\n")
    (outside / "emptydir").mkdir()
    (root / "escape").symlink_to(outside)
    (root / f".a.tfvars.{TOKEN}.gitops-writer.tmp").write_text("a staged text\n")
    return root, outside


def everything(*folders: Path) -> dict[str, bytes | None]:
    """Every path below the folders, with a regular file's bytes (never reading a FIFO or a device)."""
    return {
        str(p): p.read_bytes() if stat.S_ISREG(p.lstat().st_mode) else p.lstat().st_mode
        for f in folders
        for p in sorted(f.rglob("*"))
    }


def _refused(root: Path, outside: Path) -> None:
    before = everything(root, outside)
    with pytest.raises(GitopsWriterError) as info:
        recover(root)
    assert "settle it by hand" in str(info.value) and "\n" not in str(info.value)
    assert info.value.exit_code == 1
    assert everything(root, outside) == before, "nothing is touched, inside the tree or out of it"


@pytest.mark.parametrize("record", HOSTILE_JOURNALS.values(), ids=HOSTILE_JOURNALS.keys())
def test_a_journal_other_than_the_tools_own_is_settled_by_hand(hostile: tuple[Path, Path], record: Any) -> None:
    root, outside = hostile
    text = json.dumps(record).replace("{outside}", str(outside))
    (root / ".gitops-writer.journal").write_text(text)
    _refused(root, outside)


@pytest.mark.parametrize("data", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_an_unreadable_journal_is_settled_by_hand(hostile: tuple[Path, Path], data: str | bytes) -> None:
    root, outside = hostile
    (root / ".gitops-writer.journal").write_bytes(data if isinstance(data, bytes) else data.encode())
    _refused(root, outside)


@pytest.mark.parametrize("make", ["fifo", "device", "link-out"])
def test_a_journal_that_is_no_regular_file_in_the_tree_is_never_read(hostile: tuple[Path, Path], make: str) -> None:
    root, outside = hostile
    name = root / ".gitops-writer.journal"
    if make == "fifo":
        os.mkfifo(name)
    elif make == "device":
        name.symlink_to("/dev/zero")
    else:
        (outside / "journal").write_text(json.dumps(_journal()))
        name.symlink_to(outside / "journal")
    _refused(root, outside)


def test_the_journal_of_a_real_write_passes_its_own_checks(tree: Path) -> None:
    seen: list[Any] = []

    def keep(what: str) -> None:
        if what == "journal: forward":
            seen.append(json.loads((tree / ".gitops-writer.journal").read_text()))

    journal.on_step = keep
    try:
        write(tree)
    finally:
        journal.on_step = None
    assert seen[0]["version"] == journal.VERSION and seen[0]["directories"] == ["new"]
    assert journal._validated(tree.resolve(), seen[0]) == seen[0]


@pytest.mark.parametrize("key", ["temp", "backup"])
def test_a_temporary_or_backup_file_linked_out_of_the_tree_is_never_moved_into_place(
    hostile: tuple[Path, Path], key: str
) -> None:
    root, outside = hostile
    name = f".a.tfvars.{TOKEN}.gitops-writer.{'tmp' if key == 'temp' else 'bak'}"
    (root / name).unlink(missing_ok=True)
    (root / name).symlink_to(outside / "payload.txt")
    entry = _entry("a.tfvars", **{key: name})
    (root / ".gitops-writer.journal").write_text(json.dumps(_journal([entry], state="back")))
    _refused(root, outside)


def test_get_refuses_a_hostile_journal_in_one_line_and_touches_nothing(hostile: tuple[Path, Path]) -> None:
    root, outside = hostile
    (root / ".gitops-writer.journal").write_text(json.dumps(HOSTILE_JOURNALS["the-issue-example"]))
    before = everything(root, outside)
    done = subprocess.run(
        [sys.executable, "-m", "gitops_writer", "get", "a.tfvars", "/a"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "settle it by hand" in done.stderr, done.stderr
    assert everything(root, outside) == before
