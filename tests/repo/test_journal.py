"""write_atomically: every file or none, under injected failures and interruptions, modes kept."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo import files
from gitops_writer.repo.files import write_atomically


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in (("a.tfvars", "a = 1\n"), ("b/b.yaml", "b: 1\n"), ("c.yaml", "c: 1\n"), ("gone.yaml", "x: 1\n")):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "b/b.yaml").chmod(0o600)
    return tmp_path


def contents(root: Path) -> dict[str, tuple[str, int]]:
    return {
        str(p.relative_to(root)): (p.read_text(), p.stat().st_mode & 0o777)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def targets(root: Path) -> list[tuple[Path, str | None]]:
    return [
        (root / "a.tfvars", "a = 2\n"),
        (root / "b/b.yaml", "b: 2\n"),
        (root / "new/d.yaml", "d: 1\n"),
        (root / "gone.yaml", None),
        (root / "c.yaml", "c: 2\n"),
    ]


def test_all_written_modes_kept(tree: Path) -> None:
    write_atomically(targets(tree))
    after = contents(tree)
    assert after["a.tfvars"][0] == "a = 2\n" and after["b/b.yaml"] == ("b: 2\n", 0o600)
    assert after["new/d.yaml"][0] == "d: 1\n" and "gone.yaml" not in after


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
        pytest.param(tempfile, "mkstemp", 2, PermissionError(13, "Permission denied"), id="permission-denied-staging"),
        pytest.param(os, "fsync", 2, OSError(28, "No space left on device"), id="disk-full-staging"),
        pytest.param(os, "replace", 2, OSError(28, "No space left on device"), id="disk-full-renaming"),
        pytest.param(os, "replace", 3, KeyboardInterrupt(), id="interrupted-renaming"),
        pytest.param(os, "fsync", 3, KeyboardInterrupt(), id="interrupted-staging"),
        pytest.param(Path, "unlink", 1, PermissionError(13, "Permission denied"), id="delete-refused"),
    ],
)
def test_failure_leaves_every_file_as_it_was(
    tree: Path, monkeypatch: pytest.MonkeyPatch, target: Any, attribute: str, call: int, error: BaseException
) -> None:
    before = contents(tree)
    monkeypatch.setattr(target, attribute, _fail_on_call(call, error, getattr(target, attribute)))
    with pytest.raises(KeyboardInterrupt if isinstance(error, KeyboardInterrupt) else GitopsWriterError) as info:
        write_atomically(targets(tree))
    if isinstance(error, OSError):
        assert "cannot write" in str(info.value) and "put back" in str(info.value)
    monkeypatch.undo()
    assert contents(tree) == before, "same texts, same modes, and no temporary or backup file left behind"
    assert not (tree / "new").exists(), "no directory left behind either"


def test_temporary_files_live_beside_their_targets(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = files._stage

    def spy(path: Path, text: str) -> Path:
        staged = real(path, text)
        seen.append(str(staged.parent == path.parent))
        return staged

    monkeypatch.setattr(files, "_stage", spy)
    write_atomically(targets(tree))
    assert seen == ["True"] * 4
