"""Journaled writes: every file or none, under injected failures and interruptions at every step, modes kept."""

from __future__ import annotations

import os
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
        files.commit()


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
