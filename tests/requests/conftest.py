from __future__ import annotations

import shutil
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the example GitOps repository."""
    target = tmp_path / "gitops-repo"
    shutil.copytree(EXAMPLE, target)
    return target


def snapshot_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
