"""The distributions: the sdist holds the repository as git tracks it (so its tests run), the wheel says its licence."""

from __future__ import annotations

import email
import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from gitops_writer import __version__

ROOT = Path(__file__).resolve().parents[1]
# What setuptools adds to every sdist, beside the tracked files.
GENERATED = {"PKG-INFO", "setup.cfg"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to compare the sdist with")
    out, source = tmp_path_factory.mktemp("dist"), tmp_path_factory.mktemp("source")
    for name in tracked():  # a copy: parallel workers would share build/ and the egg-info in the checkout
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    return out


def tracked() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return {name for name in listed.split("\0") if name and (ROOT / name).is_file()}


def test_the_sdist_holds_every_tracked_file_and_nothing_else(dist: Path) -> None:
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        top = sdist.name.removesuffix(".tar.gz")
        members = {m.name.removeprefix(f"{top}/") for m in archive.getmembers() if m.isfile()}
    members = {m for m in members if not m.startswith("gitops_writer.egg-info/")} - GENERATED
    assert members == tracked()


def test_the_wheel_states_its_licence_and_where_the_project_lives(dist: Path) -> None:
    (wheel,) = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = email.message_from_bytes(archive.read(next(n for n in names if n.endswith(".dist-info/METADATA"))))
    assert metadata["License-Expression"] == "Apache-2.0"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert metadata["Author"]
    urls = dict(u.split(", ", 1) for u in metadata.get_all("Project-URL"))
    assert {"Source", "Issues", "Changelog"} <= set(urls)
    assert "Programming Language :: Python :: 3.11" in metadata.get_all("Classifier")
    assert any(n.startswith("gitops_writer/kinds/") and n.endswith(".yaml") for n in names)


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built wheel installed as users install it, `uv tool install`, into an environment of its own."""
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not installed (it is in the test extra)")
    (wheel,) = dist.glob("*.whl")
    home = tmp_path_factory.mktemp("tool")
    env = {
        **os.environ,
        "UV_TOOL_DIR": str(home / "tools"),
        "UV_TOOL_BIN_DIR": str(home / "bin"),
        "UV_PYTHON_DOWNLOADS": "never",
    }
    done = subprocess.run(
        [str(uv), "tool", "install", "--python", sys.executable, str(wheel)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return home / "bin" / "gitops-writer"


def _run(executable: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    return subprocess.run([str(executable), *args], capture_output=True, text=True, timeout=120, env=env)


def test_the_installed_tool_runs_its_kind_files_included(installed: Path, tmp_path: Path) -> None:
    version = _run(installed, "--version")
    assert version.stdout == f"gitops-writer, version {__version__}\n"
    kinds = _run(installed, "kinds", f"--repo={tmp_path}")
    assert kinds.returncode == 0 and kinds.stdout.startswith("ecr: ECR Registry (built-in)")
    example = shutil.copytree(ROOT / "fixtures/gitops-repo", tmp_path / "gitops-repo")
    done = _run(installed, "check", f"--repo={example}")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "0 errors, 0 warnings\n")


def test_the_installed_tool_checks_a_copy_of_the_seed_repository(installed: Path, tmp_path: Path) -> None:
    seed = next((p / "shared" / "seed-repo" for p in ROOT.parents[:2] if (p / "shared" / "seed-repo").is_dir()), None)
    if seed is None:
        pytest.skip("the seed repository is not beside the project")
    copy = shutil.copytree(seed, tmp_path / "seed", ignore=shutil.ignore_patterns(".git"))
    done = _run(installed, "check", f"--repo={copy}", "--format=json")
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)
    assert len(findings) > 50 and {f["check"] for f in findings} >= {"references", "consistency", "workflows"}


def test_uvx_runs_the_wheel_without_installing_it(dist: Path, tmp_path: Path) -> None:
    uv = Path(sys.executable).with_name("uv")
    if not uv.exists():
        pytest.skip("uv is not installed (it is in the test extra)")
    (wheel,) = dist.glob("*.whl")
    example = shutil.copytree(ROOT / "fixtures/gitops-repo", tmp_path / "gitops-repo")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"} | {"UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(
        [str(uv), "tool", "run", "--python", sys.executable, "--from", str(wheel), "gitops-writer", "check"],
        cwd=example,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    assert done.stderr.endswith("0 errors, 0 warnings\n")
