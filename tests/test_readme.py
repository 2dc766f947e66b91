"""The README's two commands stay true: CI runs the second, and the first's request works here."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "the README opens with a sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_two_commands() -> None:
    assert len(commands()) == 2


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands()[1] in ci


def test_the_first_command_dry_runs_a_request_on_the_example_repository() -> None:
    first = commands()[0]
    request = shlex.split(first.split("&& .venv/bin/gitops-writer", 1)[1])
    assert request[:2] == ["ecr", "request"] and "--dry-run" in request
    result = subprocess.run(
        [sys.executable, "-m", "gitops_writer", *request], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("+++ b/") == 4
    assert "would be created (4 files)" in result.stderr
