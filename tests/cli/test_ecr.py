"""cli/ecr.py: `ecr request|remove`, a shorthand that runs exactly `request ecr -f ...` and `remove ecr -f ...`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gitops_writer.cli.main import cli

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"
FIELDS = {"environment": "dev", "owner": "team-a", "requester": "amelia.park", "domain": "payments", "risk": "low"}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "repo"))


def _diff(*args: str) -> str:
    done = CliRunner().invoke(cli, [*args, "--dry-run", "--date=2026-12-07"], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_the_shorthand_makes_the_same_request_as_the_generic_command(repo: Path) -> None:
    options = [f"--{name}={value}" for name, value in FIELDS.items()]
    pairs = [f"-f{name}={value}" for name, value in FIELDS.items()]

    shorthand = _diff("ecr", "request", f"--repo={repo}", "--name=ledger-api", *options)

    assert shorthand.startswith("--- a/") and "+  ledger-api" in shorthand
    assert shorthand == _diff("request", "ecr", f"--repo={repo}", "-fname=ledger-api", *pairs)


def test_the_shorthand_removes_as_the_generic_command_does(repo: Path) -> None:
    shorthand = _diff("ecr", "remove", f"--repo={repo}", "--name=billing-api", "--environment=dev")

    assert '-  "billing-api" = {' in shorthand
    assert shorthand == _diff("remove-request", "ecr", f"--repo={repo}", "-fname=billing-api", "-fenvironment=dev")
