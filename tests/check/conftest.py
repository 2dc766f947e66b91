from __future__ import annotations

from pathlib import Path

import pytest

from tests.fit.support import built_repository


@pytest.fixture
def built(tmp_path: Path) -> Path:
    """A repository built by requests, as generate and the request commands write it."""
    target = tmp_path / "built"
    target.mkdir()
    return built_repository(target)
