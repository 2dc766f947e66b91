"""What refresh costs in git processes: a constant per run, not per open pull request."""

from __future__ import annotations

from pathlib import Path

import pytest

import gitops_writer.hcl.syntax as hcl_syntax
from gitops_writer.publish import PublishOptions
from gitops_writer.publish.git import Repository
from gitops_writer.publish.refresh import RefreshOptions, refresh
from gitops_writer.publish.request import publish_request as publish_for_real
from gitops_writer.requests.runner import RunOptions
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import (
    ecr,
    full_clone_fixture,  # noqa: F401 (the fixture work)
    gitops_remote_fixture,  # noqa: F401 (the fixture remote)
    merge,
)
from tests.publish.support import Remote, Sleeps


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The git commands the tool runs (not the long-lived cat-file), by name."""
    ran: list[str] = []
    real = Repository._git

    def counted(self: Repository, *args: str, **kwargs: str) -> str:
        ran.append(args[0])
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Repository, "_git", counted)
    return ran


def statuses(work: Path, options: PublishOptions, sleeps: Sleeps) -> list[str]:
    return [pull.status for pull in refresh(work, RefreshOptions(options), sleep=sleeps).pulls]


def test_an_idle_run_costs_the_same_git_processes_for_one_open_request_as_for_three(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, commands: list[str]
) -> None:
    """One ls-remote and at most one fetch for every branch, and commits read through one cat-file."""
    counts = []
    for name in ("cart-api", "billing-api-2", "search-api"):
        publish_for_real(work, ecr(name), RunOptions(), options)
        assert set(statuses(work, options, sleeps)) == {"unchanged"}  # fetches the new branch
        commands.clear()
        assert set(statuses(work, options, sleeps)) == {"unchanged"}
        counts.append(sorted(commands))
    assert counts[0] == counts[1] == counts[2]
    assert "fetch" not in counts[0] and counts[0].count("ls-remote") == 2  # the base's, then every branch's


def test_the_branches_behind_the_base_are_fetched_and_walked_once_for_all(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, commands: list[str]
) -> None:
    for name in ("cart-api", "billing-api-2", "search-api"):
        publish_for_real(work, ecr(name), RunOptions(), options)
    remote.commit("development", "README.md", "infra, documented\n")  # every branch is one behind now
    commands.clear()

    assert statuses(work, options, sleeps) == ["unchanged"] * 3  # each merges cleanly as it is
    # the base fetched; the branches are here already, as their pushes left them
    assert (commands.count("fetch"), commands.count("rev-list"), commands.count("merge-tree")) == (1, 1, 3)


def test_requests_rebuilt_on_one_base_parse_its_tfvars_once_between_them(
    work: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    hcl_parses: list[tuple[bytes, bool]],
) -> None:
    for name in ("cart-api", "billing-api-2", "search-api"):
        publish_for_real(work, ecr(name), RunOptions(), options)
    publish_for_real(work, ecr("jobs-api", date="2026-12-01"), RunOptions(), options)
    assert merge(remote, "registry/create-jobs-api")  # every other branch now conflicts on last_updated
    api.merge(next(n for n, pull in api.pulls.items() if pull.head == "registry/create-jobs-api"))
    hcl_syntax._PARSED.clear()
    hcl_parses.clear()

    assert statuses(work, options, sleeps) == ["rebuilt"] * 3
    reads = [src for src, incremental in hcl_parses if not incremental]
    assert len(reads) == 1, f"{len(reads)} reads of the base's tfvars"
