"""Real git (a bare remote with main and a diverged development, a shallow clone of main) and the
GitHub stand-in on loopback; only the network is stood in for."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.publish import PublishOptions
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, Sleeps, seed_remote, shallow_clone


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git config, and no GitHub environment leaking in from the runner."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_CONFIG_COUNT",
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITHUB_REPOSITORY",
        "GITHUB_API_URL",
        "GITHUB_OUTPUT",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_ACTIONS",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")
        (seed / "registries.txt").write_text("alpha\n")

    def development_moves_on(seed: Path) -> None:
        (seed / "registries.txt").write_text("alpha\nbeta\n")

    def main_diverges(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=development_moves_on, main=main_diverges)


@pytest.fixture
def clone(tmp_path: Path, remote: Remote) -> Path:
    """The Actions checkout: shallow, single-branch, of main; no identity configured."""
    return shallow_clone(tmp_path, remote)


@pytest.fixture
def options(api: GitHubAPI, token: str) -> PublishOptions:
    return PublishOptions(repository=REPOSITORY, token=token, api_url=api.url)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
