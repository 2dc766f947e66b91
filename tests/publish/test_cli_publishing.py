"""`ecr request --publish` as a user runs it: what they see while it waits, and each warning once."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, seed_remote, shallow_clone

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"
REQUEST = [
    *("ecr", "request", "--name", "payments-api", "--environment", "dev", "--owner", "team-payments"),
    *("--requester", "jdoe", "--domain", "payments", "--risk", "medium", "--date", "2026-11-29"),
]


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def gitops_files(seed: Path) -> None:
        shutil.copytree(EXAMPLE, seed, dirs_exist_ok=True)

    def workflow(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=gitops_files, main=workflow)


@pytest.fixture
def clone(tmp_path: Path, remote: Remote) -> Path:
    return shallow_clone(tmp_path, remote)


def environment(tmp_path: Path, api: GitHubAPI, token: str, *, actions: bool) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "GH_", "RUNNER_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GITHUB_TOKEN=token,
        GITHUB_REPOSITORY=REPOSITORY,
        GITHUB_API_URL=api.url,
    )
    if actions:
        env.update(GITHUB_ACTIONS="true", GITHUB_OUTPUT=str(tmp_path / "output"))
    return env


def run(clone: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args, "--repo", str(clone)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("actions", [False, True])
def test_a_retry_is_shown_and_a_warning_is_shown_once(
    clone: Path, api: GitHubAPI, token: str, tmp_path: Path, actions: bool
) -> None:
    api.fail("pulls/list", 502)
    denied = {"message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest"}
    api.fail("issues/add-labels", 403, denied)

    done = run(clone, environment(tmp_path, api, token, actions=actions), *REQUEST, "--publish")

    assert done.returncode == 0, done.stderr
    retry = "listing pull requests for registry/create-payments-api: HTTP 502; retrying in 1s (attempt 2 of 5)"
    assert f"gitops-writer: {retry}\n" in done.stderr
    assert (f"::notice title=gitops-writer::{retry}\n" in done.stdout) is actions
    assert done.stderr.count("Resource not accessible by integration") == 1
    assert done.stdout.count("Resource not accessible by integration") == (1 if actions else 0)  # the annotation
    assert "HTTP Request" not in done.stderr  # httpx's own log stays quiet
    assert token not in done.stdout + done.stderr


@pytest.mark.parametrize("actions", [False, True])
def test_a_relation_the_base_does_not_define_is_a_warning_of_the_published_request(
    clone: Path, remote: Remote, api: GitHubAPI, token: str, tmp_path: Path, actions: bool
) -> None:
    registry = "catalog/resources/ecr-registry.yaml"
    retired = remote.read("development", registry).replace("name: ecr-registry\n", "name: ecr-registry-retired\n")
    remote.commit("development", registry, retired)

    done = run(clone, environment(tmp_path, api, token, actions=actions), *REQUEST, "--publish")

    assert done.returncode == 0, done.stderr
    dangling = "Resource ecr-payments-api: spec.dependencyOf resource:ecr-registry is not a Resource the repository"
    dangling += " defines"
    assert done.stderr.count(f"gitops-writer: warning: {dangling}\n") == 1
    assert (f"::warning title=gitops-writer publish::{dangling}" in done.stdout) is actions
    assert [pull.title for pull in api.pulls.values()] == ["Create ECR Registry: payments-api (dev)"]
