"""requirements/venv_cache.py: the cached venv's key covers what it is built from; a restored venv is checked."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.action.conftest import ROOT

SPEC = importlib.util.spec_from_file_location("venv_cache", ROOT / "requirements" / "venv_cache.py")
assert SPEC and SPEC.loader
venv_cache = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(venv_cache)

KEY = "gitops-writer-venv-Linux-X64-py3-0123"


@pytest.fixture
def action(tmp_path: Path) -> Path:
    """A copy of what the key reads: the locks, this script, action.yml, pyproject.toml and the package."""
    copy = tmp_path / "action"
    for name in venv_cache.KEYED:
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, copy / name)
    shutil.copytree(ROOT / "gitops_writer", copy / "gitops_writer", ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize(
    "name",
    [*venv_cache.LOCKS, "pyproject.toml", "action.yml", "gitops_writer/__init__.py", "gitops_writer/cli/main.py"],
)
def test_the_key_changes_with_every_lock_and_source_file(action: Path, tmp_path: Path, name: str) -> None:
    venv = tmp_path / "venv"
    before = venv_cache.cache_key(venv, action)
    with (action / name).open("a") as file:
        file.write("\n")

    assert venv_cache.cache_key(venv, action) != before


def test_the_locks_are_what_the_install_step_installs_from() -> None:
    install = next(s["run"] for s in steps() if s.get("id") == "install")
    for lock in venv_cache.LOCKS:
        assert f"$GW_ACTION_PATH/{lock}" in install, f"{lock} is keyed but not installed from"
    assert set(Path(ROOT, "requirements").glob("*.txt")) == {ROOT / lock for lock in venv_cache.LOCKS}


def test_the_key_names_the_runner_and_python_and_covers_the_venv_path_and_the_interpreter(
    action: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RUNNER_OS", "macOS")
    monkeypatch.setenv("RUNNER_ARCH", "ARM64")
    key = venv_cache.cache_key(tmp_path / "venv", action)

    assert key.startswith(f"gitops-writer-venv-macOS-ARM64-py{'.'.join(map(str, sys.version_info[:3]))}-")
    assert venv_cache.cache_key(tmp_path / "elsewhere", action) != key
    monkeypatch.setattr(venv_cache.sys, "executable", "/opt/hostedtoolcache/Python/other/bin/python")
    assert venv_cache.cache_key(tmp_path / "venv", action) != key


def test_a_compiled_file_beside_the_sources_does_not_change_the_key(action: Path, tmp_path: Path) -> None:
    before = venv_cache.cache_key(tmp_path / "venv", action)
    (action / "gitops_writer" / "__pycache__").mkdir()
    (action / "gitops_writer" / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")

    assert venv_cache.cache_key(tmp_path / "venv", action) == before


def steps() -> list[dict[str, object]]:
    return yaml.safe_load((ROOT / "action.yml").read_text())["runs"]["steps"]


def test_restore_and_save_use_the_exact_key_of_the_key_step_and_the_install_checks_it() -> None:
    by_id = {step.get("id"): step for step in steps()}
    key, path = "${{ steps.venv.outputs.key }}", "${{ steps.venv.outputs.path }}"
    for step_id in ("restore", "save"):
        assert by_id[step_id]["with"] == {"path": path, "key": key}  # no restore-keys: never a near match
    install = by_id["install"]
    assert install["env"]["GW_KEY"] == key and install["env"]["GW_VENV"] == path
    assert '"$GW_PYTHON" -I "$cache" verify "$GW_VENV" "$GW_KEY"' in install["run"]
    assert by_id["save"]["if"] == "steps.install.outputs.built == 'true' && steps.restore.outputs.cache-hit != 'true'"


def site_packages(venv: Path) -> Path:
    return venv / "lib" / "python3.12" / "site-packages"


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    """A venv's shape with a dist-info for every unconditional pin of the lock, and the project's."""
    venv = tmp_path / "venv"
    packages = site_packages(venv)
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / "pyvenv.cfg").write_text(f"home = {Path(sys.executable).parent}\n")
    installed = {name: version for name, (version, conditional) in venv_cache.pins().items() if not conditional}
    for name, version in [*installed.items(), ("gitops_writer", "0.1.0")]:
        (packages / f"{name}-{version}.dist-info").mkdir(parents=True)
        (packages / f"{name}-{version}.dist-info" / "RECORD").write_text(f"{name}/__init__.py,,\n")
        (packages / name).mkdir(exist_ok=True)
        (packages / name / "__init__.py").write_text(f"# {name}\n")
    venv_cache.main(["stamp", str(venv), KEY])
    return venv


def test_a_venv_as_its_stamp_records_it_passes(venv: Path) -> None:
    assert venv_cache.problem(venv, KEY) is None


@pytest.mark.parametrize(
    ("tamper", "why"),
    [
        (lambda venv: (site_packages(venv) / "click" / "__init__.py").write_text("import os\n"), "files differ"),
        (lambda venv: (site_packages(venv) / "zz.pth").write_text("import os\n"), "files differ"),
        (lambda venv: (site_packages(venv) / "click" / "__init__.py").unlink(), "files differ"),
        (lambda venv: (venv / "bin" / "python").unlink() or (venv / "bin" / "python").symlink_to("/bin/sh"), "differ"),
        (lambda venv: (venv / venv_cache.STAMP).unlink(), "no readable"),
        (lambda venv: (venv / venv_cache.STAMP).write_text("{"), "no readable"),
        (lambda venv: (venv / venv_cache.STAMP).write_text("[1]"), "not a stamp"),
        (lambda venv: (venv / venv_cache.STAMP).write_text("[" * 100_000), "no readable"),
        (lambda venv: (venv / venv_cache.STAMP).unlink() or os.mkfifo(venv / venv_cache.STAMP), "not a regular"),
        (lambda venv: os.mkfifo(site_packages(venv) / "click" / "fifo"), "files differ"),
        (lambda venv: (site_packages(venv) / "a\n::error::forged").write_text(""), "a\\n::error::forged'"),
    ],
    ids=[
        *("edited", "added-pth", "removed", "relinked", "no-stamp", "broken-stamp"),
        *("list-stamp", "deep-stamp", "fifo-stamp", "fifo-file", "newline-name"),
    ],
)
@pytest.mark.timeout(30)  # a FIFO that is read blocks: a hang fails here
def test_a_changed_venv_fails_the_check(venv: Path, tamper: object, why: str) -> None:
    tamper(venv)  # type: ignore[operator]

    problem = venv_cache.problem(venv, KEY)
    assert problem and why in problem


def test_a_venv_stamped_under_another_key_fails_the_check(venv: Path) -> None:
    assert "another key" in (venv_cache.problem(venv, KEY + "0") or "")


def test_a_venv_whose_versions_are_not_the_locks_fails_even_when_restamped(venv: Path) -> None:
    name, (version, _) = next(iter(venv_cache.pins().items()))
    dist_info = next(site_packages(venv).glob(f"{name.replace('-', '_')}-{version}.dist-info"))
    dist_info.rename(dist_info.with_name(f"{name.replace('-', '_')}-0.0.1.dist-info"))
    venv_cache.main(["stamp", str(venv), KEY])

    assert f"{name} 0.0.1, which the locks do not pin" in (venv_cache.problem(venv, KEY) or "")


def test_a_venv_lacking_a_pin_fails_even_when_restamped(venv: Path) -> None:
    shutil.rmtree(next(site_packages(venv).glob("click-*.dist-info")))
    venv_cache.main(["stamp", str(venv), KEY])

    assert venv_cache.problem(venv, KEY) == "it lacks click"


def test_verify_prints_one_warning_and_fails_and_nothing_of_the_venv_runs(venv: Path) -> None:
    canary = venv.parent / "ran"
    (site_packages(venv) / "zz.pth").write_text(f"import pathlib; pathlib.Path({str(canary)!r}).touch()\n")

    done = subprocess.run(
        [sys.executable, "-I", str(ROOT / "requirements" / "venv_cache.py"), "verify", str(venv), KEY],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1 and done.stderr == ""
    assert done.stdout.startswith("::warning title=gitops-writer::The cached venv is not used, ")
    assert done.stdout.count("\n") == 1 and not canary.exists()
