"""Commits known to be the tool's: an idle refresh checks each one once in a clone kept between runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from gitops_writer import __version__
from gitops_writer.publish import PublishOptions
from gitops_writer.publish import refresh as refresh_module
from gitops_writer.publish.known import STORE, KnownCommits
from gitops_writer.publish.refresh import RefreshOptions, refresh
from gitops_writer.publish.request import publish_request as publish_for_real
from gitops_writer.requests.runner import RunOptions
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import (
    ecr,
    full_clone,
    full_clone_fixture,  # noqa: F401 (the fixture work)
    gitops_remote_fixture,  # noqa: F401 (the fixture remote)
    publish_request,
)
from tests.publish.support import Remote, Sleeps

BRANCH = "registry/create-cart-api"


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The requests refresh makes again, by name."""
    calls: list[str] = []
    real = refresh_module.prepare_on

    def counted(tree, request, config, **flags):  # type: ignore[no-untyped-def]
        calls.append(request.fields["name"])
        return real(tree, request, config, **flags)

    monkeypatch.setattr(refresh_module, "prepare_on", counted)
    return calls


def statuses(work: Path, options: PublishOptions, sleeps: Sleeps) -> list[str]:
    return [pull.status for pull in refresh(work, RefreshOptions(options), sleep=sleeps).pulls]


def test_an_idle_run_makes_each_request_again_once_per_commit_in_a_clone_kept_between_runs(
    tmp_path: Path, work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, made: list[str]
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)  # as another clone would: nothing remembered here

    assert statuses(work, options, sleeps) == ["unchanged"] and made == ["cart-api"]
    assert statuses(work, options, sleeps) == ["unchanged"] and made == ["cart-api"]  # known now
    assert remote.sha(BRANCH) in KnownCommits(work)

    fresh = full_clone(tmp_path, remote, "fresh")  # a new checkout knows nothing: it checks again
    assert statuses(fresh, options, sleeps) == ["unchanged"] and made == ["cart-api", "cart-api"]


def test_a_commit_published_with_the_bases_own_config_is_known_from_the_start(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, made: list[str]
) -> None:
    publish_for_real(work, ecr("cart-api"), RunOptions(), options)

    assert statuses(work, options, sleeps) == ["unchanged"] and made == []
    assert remote.sha(BRANCH) in KnownCommits(work)


def test_with_a_config_file_from_outside_the_tree_every_commit_is_checked(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, made: list[str]
) -> None:
    config = work / ".gitops-writer.yaml"
    config.write_text("base_branch: development\n")
    publish_for_real(work, ecr("cart-api"), RunOptions(config_file=config), options)

    for runs in (1, 2):
        pulls = refresh(work, RefreshOptions(options, config_file=config), sleep=sleeps).pulls
        assert [pull.status for pull in pulls] == ["unchanged"] and made == ["cart-api"] * runs
    assert remote.sha(BRANCH) not in KnownCommits(work)


def test_what_another_version_of_the_tool_found_is_not_trusted(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, made: list[str]
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    store = work / ".git" / STORE
    store.write_text(json.dumps({"version": "0.0.1", "commits": [remote.sha(BRANCH)]}))

    assert statuses(work, options, sleeps) == ["unchanged"] and made == ["cart-api"]
    assert json.loads(store.read_text())["version"] != "0.0.1"


def test_a_commit_found_not_to_be_the_tools_is_never_remembered(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, made: list[str]
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    edited = remote.commit(BRANCH, "notes.md", "someone else's line\n", who=("github-actions[bot]", _bot(remote)))

    assert statuses(work, options, sleeps) == ["blocked"]
    assert statuses(work, options, sleeps) == ["blocked"]
    assert edited not in KnownCommits(work) and remote.sha(BRANCH) == edited


def _bot(remote: Remote) -> str:
    return remote.log(BRANCH)[0].split()[2]  # the tool's committer e-mail, as the tool's commit has it


@pytest.mark.timeout(30)
@pytest.mark.parametrize("hostile", ["fifo", "symlink", "deep", "not json"])
def test_a_hostile_store_is_only_not_used(work: Path, tmp_path: Path, hostile: str) -> None:
    store = work / ".git" / STORE
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"version": __version__, "commits": ["a" * 40]}))
    if hostile == "fifo":
        os.mkfifo(store)
    elif hostile == "symlink":
        store.symlink_to(outside)
    else:
        store.write_text("[" * 100_000 if hostile == "deep" else "{")
    assert "a" * 40 not in KnownCommits(work)
