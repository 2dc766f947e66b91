from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.requests.model import Request

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"
# A valid ECR request's fields; with its date, as flat_request takes them.
ECR_FIELDS = {
    "name": "payments-api",
    "environment": "dev",
    "owner": "team-payments",
    "requester": "jdoe",
    "domain": "payments",
    "risk": "medium",
}
ECR_REQUEST = {**ECR_FIELDS, "date": "2026-11-29"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A private copy of the example GitOps repository."""
    target = tmp_path / "gitops-repo"
    shutil.copytree(EXAMPLE, target)
    return target


def snapshot_of(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def flat_request(kind: str, action: str, **given: Any) -> Request:
    """A Request from flat keyword fields, `date` taken apart as the request's date."""
    date = given.pop("date", "")
    return Request(kind=kind, action=action, fields=given, date=date)
