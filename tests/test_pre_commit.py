""".pre-commit-hooks.yaml: `pre-commit try-repo` installs the hook from this repository as pre-commit users get it,
passes on the bundled example repository, and fails with the finding once an entity file is gone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")

pytestmark = pytest.mark.slow


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=cwd, check=True, capture_output=True
    )


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree's tracked files as one commit: both runs below then share one hook environment."""
    if not (ROOT / ".git").exists() or not PRE_COMMIT.exists():
        pytest.skip("needs a git checkout and pre-commit (the test extra)")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    copy = tmp_path_factory.mktemp("hooks")
    for name in filter(None, listed.split("\0")):
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    _git(copy, "init", "-q")
    _git(copy, "add", "-A")
    _git(copy, "commit", "-qm", "snapshot")
    return copy


@pytest.fixture
def example(tmp_path: Path) -> Path:
    repo = Path(shutil.copytree(ROOT / "fixtures/gitops-repo", tmp_path / "gitops-repo"))
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "example")
    return repo


def try_repo(hooks_repo: Path, repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(hooks_repo), "gitops-writer-check", "--all-files", "--color=never"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_the_hook_passes_on_the_example_and_fails_with_the_finding_without_an_entity_file(
    hooks_repo: Path, example: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    passed = try_repo(hooks_repo, example, home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "gitops-writer check" in passed.stdout and "Passed" in passed.stdout

    _git(example, "rm", "-q", "catalog/resources/ecr/billing-api.yaml")
    failed = try_repo(hooks_repo, example, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "ecr billing-api has no entity file (catalog/resources/ecr/billing-api.yaml)" in failed.stdout
