"""zizmor, offline, finds nothing in the action and the workflows, and does find what it should."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.action.conftest import ROOT

FILES = [
    "action.yml",
    "examples/workflows/create-ecr-registry.yml",
    "examples/workflows/refresh-requests.yml",
    ".github/workflows/ci.yml",
    ".github/workflows/release.yml",
]


def zizmor(*paths: Path | str) -> tuple[int, list[dict[str, object]]]:
    executable = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or shutil.which("zizmor")
    if executable is None:
        pytest.fail("zizmor is not installed; it is in the [test] extra")
    done = subprocess.run(
        [executable, "--offline", "--no-progress", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode not in (0, 10, 11, 12, 13, 14):  # 1x: findings at some severity
        pytest.fail(f"zizmor failed ({done.returncode}): {done.stderr}")
    return done.returncode, json.loads(done.stdout or "[]")


def test_no_findings_in_the_action_or_the_workflows() -> None:
    code, findings = zizmor(*(ROOT / name for name in FILES))
    assert findings == [] and code == 0, json.dumps(findings, indent=1)[:4000]


def test_the_pedantic_persona_finds_nothing_either() -> None:
    done = subprocess.run(
        [
            shutil.which("zizmor", path=str(Path(sys.executable).parent)) or "zizmor",
            "--offline",
            "--no-progress",
            "--persona",
            "pedantic",
            "--format",
            "json",
            *(str(ROOT / name) for name in FILES),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert json.loads(done.stdout or "[]") == [], done.stdout[:4000]


@pytest.mark.parametrize(
    ("edit", "audit"),
    [
        (
            lambda text: text.replace(
                "'\"$GW_PYTHON\" -m gitops_writer.actions.entry'",
                "'\"$GW_PYTHON\" -m gitops_writer.actions.entry --name ${{ inputs.registry-name }}'",
            ),
            "template-injection",
        ),
        (lambda text: text.replace("@5fda3b95a4ea91299a34e894583c3862153e4b97 # v7.0.0", "@v7"), "unpinned-uses"),
    ],
    ids=["input-in-run", "unpinned"],
)
def test_zizmor_would_catch_a_regression_in_action_yml(tmp_path: Path, edit: object, audit: str) -> None:
    text = (ROOT / "action.yml").read_text()
    broken = edit(text)  # type: ignore[operator]
    assert broken != text, "the edit no longer applies to action.yml"
    (tmp_path / "action.yml").write_text(broken)
    code, findings = zizmor(tmp_path / "action.yml")
    assert code != 0 and audit in {finding["ident"] for finding in findings}
