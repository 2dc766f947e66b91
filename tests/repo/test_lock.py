"""gitops_writer.repo.lock: which folder a run locks, and the lock itself, held by one process at a time."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from gitops_writer.repo.lock import git_dir, tree_lock, working_tree_root


def test_the_root_is_the_git_working_tree_else_the_config_folder_else_the_folder(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert working_tree_root(deep / "new" / "folders") == deep  # folders not made yet: the nearest that exists
    (tmp_path / "a" / ".gitops-writer.yaml").write_text("{}\n")
    assert working_tree_root(deep) == tmp_path / "a"
    (tmp_path / ".git").mkdir()
    assert working_tree_root(deep) == tmp_path


def test_a_linked_worktree_names_its_git_directory(tmp_path: Path) -> None:
    real = tmp_path / "main.git" / "worktrees" / "w"
    real.mkdir(parents=True)
    tree = tmp_path / "w"
    tree.mkdir()
    (tree / ".git").write_text(f"gitdir: {real}\n")
    assert git_dir(tree) == real
    (tree / ".git").write_text("gitdir: nowhere\n")
    assert git_dir(tree) is None
    assert git_dir(tmp_path) is None


def test_the_lock_is_held_until_the_last_nested_holder_leaves(tmp_path: Path) -> None:
    def taken() -> bool:  # whether another open file description can take the lock now
        fd = os.open(tmp_path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        finally:
            os.close(fd)
        return False

    with tree_lock(tmp_path):
        with tree_lock(tmp_path):
            assert taken()
        assert taken()
    assert not taken()


def test_the_lock_is_let_go_when_the_block_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), tree_lock(tmp_path):
        raise RuntimeError
    with tree_lock(tmp_path):
        pass
