"""The release workflow: least privilege per job, and its scripts run here on this repository's own files
(the tag and version check, the release notes cut from CHANGELOG.md, the major tag)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from gitops_writer import __version__ as VERSION
from tests.action.conftest import ROOT

RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def workflow() -> Any:
    return yaml.load(RELEASE.read_text(), Loader=yaml.BaseLoader)


def step(job: str, name_starts: str) -> dict[str, Any]:
    (found,) = [s for s in workflow()["jobs"][job]["steps"] if s.get("name", "").startswith(name_starts)]
    return found  # type: ignore[no-any-return]


def bash(script: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # `python` is the test's
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env={**os.environ, "PATH": path, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_runs_on_version_tags_with_no_permission_but_each_jobs_own() -> None:
    flow = workflow()
    assert flow["on"] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    assert flow["permissions"] == {}
    jobs = flow["jobs"]
    assert jobs["build"]["permissions"] == {"contents": "read", "id-token": "write", "attestations": "write"}
    assert jobs["pypi"]["permissions"] == {"id-token": "write"}  # trusted publishing, no stored token
    assert jobs["pypi"]["environment"] == "pypi" and jobs["pypi"]["needs"] == "build"
    assert jobs["release"]["permissions"] == {"contents": "write"} and jobs["release"]["needs"] == "pypi"
    uses = [s.get("uses", "") for s in jobs["build"]["steps"]]
    assert any(u.startswith("actions/attest-build-provenance@") for u in uses)
    assert any(s.get("uses", "").startswith("pypa/gh-action-pypi-publish@") for s in jobs["pypi"]["steps"])


def test_the_changelog_has_the_section_of_the_packages_version() -> None:
    assert f"\n## [{VERSION}]" in (ROOT / "CHANGELOG.md").read_text()


def test_the_tag_check_passes_the_packages_version_and_refuses_another(tmp_path: Path) -> None:
    (tmp_path / "gitops_writer").mkdir()
    for name in ("gitops_writer/__init__.py", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    script = step("build", "Check that the tag")["run"]
    assert bash(script, tmp_path, TAG=f"v{VERSION}").returncode == 0
    wrong = bash(script, tmp_path, TAG="v9.9.9")
    assert wrong.returncode == 1 and f"::error::the tag v9.9.9 is not v{VERSION}" in wrong.stdout
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n")
    missing = bash(script, tmp_path, TAG=f"v{VERSION}")
    assert missing.returncode == 1 and f"CHANGELOG.md has no section '## [{VERSION}]'" in missing.stdout


def test_the_release_notes_are_the_versions_section_and_the_pin(tmp_path: Path) -> None:
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    script = step("release", "Create the release")["run"]
    before_gh = script[: script.index("gh release create")]
    sha = "a" * 40
    done = bash(before_gh, tmp_path, TAG=f"v{VERSION}", SHA=sha, GITHUB_REPOSITORY="acme/gitops-writer")
    assert done.returncode == 0, done.stderr
    notes = (tmp_path / "notes.md").read_text()
    assert notes.lstrip().startswith("The first release") or notes.lstrip().startswith("###")
    assert "## [" not in notes  # the version's section alone
    assert notes.endswith(f"    uses: acme/gitops-writer@{sha} # v{VERSION}\n")


def test_the_major_tag_is_the_versions_first_part(tmp_path: Path) -> None:
    script = step("release", "Move the major tag")["run"]
    first = script.splitlines()[0]
    done = bash(f'{first}\necho "$major"', tmp_path, TAG="v1.4.2")
    assert done.stdout == "v1\n"
