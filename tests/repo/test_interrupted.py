"""A request's four-file write killed by a real signal at every step: the next run finds all old or all new.

The process kills itself through the documented testing hook `GITOPS_WRITER_FAULT_AFTER=N` (see
`gitops_writer.repo.journal`), with SIGKILL, or SIGTERM as a CI runner sends on cancel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_writer.kinds import load_config
from gitops_writer.repo import journal, recover
from gitops_writer.requests.runner import apply
from tests.requests.conftest import ECR_REQUEST, EXAMPLE, flat_request

REQUEST = ["ecr", "request", *(arg for key, value in ECR_REQUEST.items() for arg in (f"--{key}", value))]
STEPS = 17  # 1 journal + 4 staged + 1 commit point + 3 backups + 4 renames + 3 backups removed + 1 journal removed


def working_tree(at: Path) -> Path:
    shutil.copytree(EXAMPLE, at)
    subprocess.run(["git", "init", "-q", str(at)], check=True)
    return at


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the tree, and whatever a write left in `.git/` (not the entity cache a run may keep there)."""
    files = {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
    return {
        name: data for name, data in files.items() if not name.startswith(".git/") or "gitops-writer.journal" in name
    }


@pytest.fixture(scope="module")
def old_and_new(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    tree = working_tree(tmp_path_factory.mktemp("twin") / "repo")
    old = snapshot(tree)
    seen: list[str] = []
    journal.on_step = seen.append
    try:
        apply(
            tree,
            flat_request("ecr", "create", **ECR_REQUEST),
            load_config(tree),
        )
    finally:
        journal.on_step = None
    assert len(seen) == STEPS, seen
    return old, snapshot(tree)


def gitops_writer(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.slow
@pytest.mark.parametrize("step", range(1, STEPS + 2))
def test_sigkill_at_every_step_then_recover(
    tmp_path: Path, step: int, old_and_new: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    old, new = old_and_new
    tree = working_tree(tmp_path / "repo")
    killed = gitops_writer(*REQUEST, "--repo", str(tree), env={"GITOPS_WRITER_FAULT_AFTER": str(step)})
    if step > STEPS:
        assert killed.returncode == 0 and snapshot(tree) == new
        return
    assert killed.returncode == -9, killed.stderr
    first = gitops_writer("recover", "--repo", str(tree / "envs"))  # any folder of the working tree will do
    done = "finished an interrupted write of 4 files" if step >= 6 else "undid an interrupted write of 4 files"
    done = "nothing to recover" if step == STEPS else done  # killed just after removing the journal
    assert (first.returncode, first.stderr) == (0, f"gitops-writer: {done}\n")
    after = snapshot(tree)
    assert after in (old, new), f"killed after step {step}: every file all old or all new, and nothing left over"
    assert (after == new) == (step >= 6), "the journal's commit point (step 6) decides which"
    again = gitops_writer("recover", "--repo", str(tree))
    assert again.returncode == 0 and again.stderr == "gitops-writer: nothing to recover\n", "recover is idempotent"
    assert snapshot(tree) == after


@pytest.mark.slow
@pytest.mark.parametrize("step", range(1, STEPS + 1))
def test_sigterm_at_every_step_cleans_up_at_once(
    tmp_path: Path, step: int, old_and_new: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    old, new = old_and_new
    tree = working_tree(tmp_path / "repo")
    env = {"GITOPS_WRITER_FAULT_AFTER": str(step), "GITOPS_WRITER_FAULT_SIGNAL": "TERM"}
    stopped = gitops_writer(*REQUEST, "--repo", str(tree), env=env)
    assert (stopped.returncode, stopped.stderr) == (1, "gitops-writer: error: terminated (SIGTERM)\n")
    after = snapshot(tree)
    assert after in (old, new), f"terminated after step {step}: no leftovers, nothing for a later run to do"
    assert (after == new) == (step >= 6), "staging is undone; from the commit point on, the renames are completed"
    assert recover(tree) is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "next_run",
    [
        pytest.param(["get", "envs/dev/terraform.tfvars", "/ecr_repositories/payments-api/metadata/id"], id="get"),
        pytest.param(["set", "envs/dev/terraform.tfvars", "/default_tags/x", '"y"'], id="set"),
        pytest.param([*REQUEST, "--repo", ".", "--dry-run"], id="request-dry-run"),
    ],
)
def test_every_entry_point_finishes_an_interrupted_write_first(
    tmp_path: Path, next_run: list[str], old_and_new: tuple[dict[str, bytes], dict[str, bytes]]
) -> None:
    _, new = old_and_new
    tree = working_tree(tmp_path / "repo")
    killed = gitops_writer(*REQUEST, "--repo", str(tree), env={"GITOPS_WRITER_FAULT_AFTER": "8"})  # mid-rename
    assert killed.returncode == -9
    assert any(".gitops-writer." in name for name in snapshot(tree)), "the kill left the journal and staged files"
    result = subprocess.run(
        [sys.executable, "-m", "gitops_writer", *next_run], cwd=tree, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    after = snapshot(tree)
    assert not [name for name in after if "gitops-writer" in name], "no journal, temporary or backup file is left"
    if next_run[0] == "get":
        assert result.stdout == '"REGISTRY_PAYMENTS_API"\n' and after == new
