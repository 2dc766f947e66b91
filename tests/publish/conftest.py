"""Real git (a bare remote with main and a diverged development, a shallow clone of main) and the
GitHub stand-in on loopback; only the network is stood in for."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.github_api import GitHubAPI
from gitops_writer.publish import PublishOptions
from tests.publish.support import REPOSITORY, Remote, Sleeps, git


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config, and no GitHub environment leaking in from the runner."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
                 "GIT_CONFIG_COUNT", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL",
                 "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    git(seed, "config", "user.name", "Seed")
    git(seed, "config", "user.email", "seed@example.com")
    (seed / "README.md").write_text("infra\n")
    (seed / "registries.txt").write_text("alpha\n")
    git(seed, "add", ".")
    git(seed, "commit", "-q", "-m", "start")
    git(seed, "checkout", "-q", "-b", "development")
    (seed / "registries.txt").write_text("alpha\nbeta\n")
    git(seed, "commit", "-q", "-am", "development moves on")
    git(seed, "checkout", "-q", "main")
    (seed / "workflow.yml").write_text("on: workflow_dispatch\n")
    git(seed, "add", ".")
    git(seed, "commit", "-q", "-m", "main diverges")
    git(seed, "remote", "add", "origin", str(bare))
    git(seed, "push", "-q", "origin", "main", "development")
    return Remote(bare, seed)


@pytest.fixture
def clone(tmp_path: Path, remote: Remote) -> Path:
    """The Actions checkout: shallow, single-branch, of main; no identity configured."""
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", "--depth", "1", "--single-branch", "--branch", "main", f"file://{remote.bare}", str(work))
    return work


@pytest.fixture
def token() -> str:
    return f"ghs_{secrets.token_hex(18)}"


@pytest.fixture
def api(remote: Remote, token: str) -> Iterator[GitHubAPI]:
    with GitHubAPI(remote.bare, REPOSITORY, token) as server:
        yield server
    assert server.problems == [], "exchanges broke GitHub's OpenAPI description"


@pytest.fixture
def options(api: GitHubAPI, token: str) -> PublishOptions:
    return PublishOptions(repository=REPOSITORY, token=token, api_url=api.url)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


