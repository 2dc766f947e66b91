"""The action run as the runner runs it, against real git and the loopback GitHub API.

The GitOps repository is fixtures/gitops-repo pushed to a bare remote as main, with development
diverged from it (development gained a registry; main gained the workflow file). The workspace is
what actions/checkout leaves: a shallow single-branch clone of main.
"""

from __future__ import annotations

import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import gitops_writer
from tests.action.cache import CacheStore
from tests.action.runner import ActionRun, ActionRunner, Uses, environment_for_tests
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, seed_remote, shallow_clone

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "gitops-repo"
SETUP_PYTHON = "actions/setup-python"
SETUP_PYTHON_SHA = "5fda3b95a4ea91299a34e894583c3862153e4b97"  # v7.0.0, as in docs/REFERENCE pins
SERVER_URL = "https://github.example"

REQUEST = {
    "registry-name": "payments-api",
    "environment": "dev",
    "owner": "team-payments",
    "requester": "jdoe",
    "domain": "payments",
    "risk": "low",
}


def simulate_setup_python(with_: Mapping[str, str], workspace: Path) -> dict[str, str]:
    """What setup-python would need and give: a version, and no cache of its own (the action caches its venv)."""
    assert with_["python-version"], "python-version is empty"
    assert with_["update-environment"] == "false", "setup-python must not change the caller's PATH"
    assert "cache" not in with_, "the venv is cached by the action; a pip cache would save nothing more"
    return {"python-version": platform.python_version(), "python-path": sys.executable, "cache-hit": "false"}


def reuse_current_interpreter(env: Mapping[str, str]) -> dict[str, str]:
    """The install step, offline: this interpreter already has gitops-writer installed from this checkout."""
    action_path = Path(env["GW_ACTION_PATH"])
    assert action_path == ROOT
    assert Path(gitops_writer.__file__).resolve().is_relative_to(action_path), (
        f"gitops_writer is imported from {gitops_writer.__file__}, not from the action path {action_path}"
    )
    assert env["GW_PYTHON"] == sys.executable, "the install step did not get setup-python's python-path"
    return {"python": sys.executable}


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    for name, value in environment_for_tests(home).items():
        monkeypatch.setenv(name, value)
    for name in (
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITHUB_REPOSITORY",
        "GITHUB_API_URL",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTIONS",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)


def _gitops(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "gitops_writer", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def gitops_repository(seed: Path) -> None:
        shutil.copytree(FIXTURE, seed, dirs_exist_ok=True)

    def audit_log_requested(seed: Path) -> None:
        _gitops(
            "ecr",
            "request",
            "--repo",
            str(seed),
            "--name",
            "audit-log",
            "--environment",
            "dev",
            "--owner",
            "team-security",
            "--requester",
            "asmith",
            "--domain",
            "security",
            "--risk",
            "medium",
            "--date",
            "2026-11-20",
        )

    def dispatch_workflow(seed: Path) -> None:
        (seed / ".github" / "workflows").mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "workflows" / "create-ecr-registry.yml", seed / ".github" / "workflows")

    return seed_remote(
        tmp_path,
        base=gitops_repository,
        development=audit_log_requested,
        main=dispatch_workflow,
        who=("Platform Team", "platform@example.com"),
    )


@pytest.fixture
def workspace(tmp_path: Path, remote: Remote) -> Path:
    """What actions/checkout with persist-credentials: false leaves: a shallow clone of main."""
    return shallow_clone(tmp_path, remote, "workspace")


RunAction = Callable[..., ActionRun]


def make_runner(
    workspace: Path,
    temp: Path,
    *,
    token: str,
    api_url: str,
    real_install: bool = False,
    cache: CacheStore | None = None,
    python: str = sys.executable,
) -> ActionRunner:
    """`cache`: where actions/cache keeps its archives (default: beside `temp`, shared by a test's runs)."""
    temp.mkdir(exist_ok=True)
    store = cache or CacheStore(temp.parent / "actions-cache")

    def setup_python(with_: Mapping[str, str], workspace: Path) -> dict[str, str]:
        return {**simulate_setup_python(with_, workspace), "python-path": python}

    return ActionRunner(
        ROOT,
        workspace=workspace,
        temp=temp,
        github={
            "token": token,
            "repository": REPOSITORY,
            "api_url": api_url,
            "server_url": SERVER_URL,
            "event_name": "workflow_dispatch",
            "ref": "refs/heads/main",
            "sha": "0" * 40,
        },
        environ=environment_for_tests(Path.home()),
        uses={SETUP_PYTHON: Uses(SETUP_PYTHON_SHA, setup_python), **store.uses()},
        replace={} if real_install else {"install": reuse_current_interpreter},
    )


@pytest.fixture
def run_action(tmp_path: Path, workspace: Path, api: GitHubAPI, token: str) -> RunAction:
    """Run action.yml with REQUEST plus `overrides` as inputs, in a fresh RUNNER_TEMP each time."""
    runs = iter(range(1000))

    def run(**overrides: str) -> ActionRun:
        runner = make_runner(workspace, tmp_path / f"runner-temp-{next(runs)}", token=token, api_url=api.url)
        return runner.run({**REQUEST, **overrides})

    return run
