"""`gitops-writer refresh` through the console entry point: exit codes, JSON, and what Actions is told."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_writer.publish import PublishOptions
from gitops_writer.publish.git import Identity
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import (
    ecr,
    full_clone,
    gitops_remote_fixture,  # noqa: F401 (the fixture remote)
    merge,
    publish_request,
)
from tests.publish.support import REPOSITORY, Remote, Sleeps, git


@pytest.fixture
def env(tmp_path: Path, api: GitHubAPI, token: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "GH_"))}
    environ.update(
        HOME=str(tmp_path / "home"),
        GIT_CONFIG_NOSYSTEM="1",
        GITHUB_ACTIONS="true",
        GITHUB_TOKEN=token,
        GITHUB_REPOSITORY=REPOSITORY,
        GITHUB_API_URL=api.url,
        GITHUB_OUTPUT=str(tmp_path / "output"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary"),
    )
    return environ


def cli(work: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", "refresh", "--repo", str(work), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refresh_reports_each_pull_request_to_scripts_and_to_actions(
    tmp_path: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    env: dict[str, str],
    token: str,
) -> None:
    work = full_clone(tmp_path, remote)
    for name in ("api-gw", "audit-log"):
        publish_request(work, ecr(name), options, sleeps)
    assert merge(remote, "registry/create-api-gw")
    api.merge(1)

    done = cli(work, env, "--json")

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{"), done.stdout + done.stderr
    report = json.loads(done.stdout)
    [pull] = report["pulls"]
    assert (pull["number"], pull["status"], pull["branch"]) == (2, "rebuilt", "registry/create-audit-log")
    assert report["base_sha"] == remote.sha("development")
    assert "refresh of development at" in done.stderr and "1 rebuilt" in done.stderr
    outputs = Path(env["GITHUB_OUTPUT"]).read_text()
    assert "pull-requests-rebuilt<<" in outputs and f"\n{remote.sha('development')}\n" in outputs
    assert "| [#2](" in Path(env["GITHUB_STEP_SUMMARY"]).read_text()
    assert token not in done.stdout + done.stderr + outputs
    assert merge(remote, "registry/create-audit-log")
    api.merge(2)

    again = cli(work, env)
    assert (again.returncode, again.stdout) == (0, ""), again.stderr


def test_a_rejected_token_is_one_line_and_exit_1(
    tmp_path: Path, remote: Remote, api: GitHubAPI, env: dict[str, str]
) -> None:
    work = full_clone(tmp_path, remote)
    done = cli(work, {**env, "GITHUB_TOKEN": "ghs_wrong"})
    assert done.returncode == 1
    [line] = [line for line in done.stderr.splitlines() if line.startswith("gitops-writer:")]
    assert "401" in line and "check that it is valid" in line and "Traceback" not in done.stderr


def test_no_token_is_a_usage_error(tmp_path: Path, remote: Remote, api: GitHubAPI, env: dict[str, str]) -> None:
    work = full_clone(tmp_path, remote)
    done = cli(work, {k: v for k, v in env.items() if k != "GITHUB_TOKEN"})
    assert done.returncode == 2 and "no GitHub token" in done.stderr


def test_refresh_commits_as_the_configs_committer_and_so_keeps_the_branches_it_made(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, env: dict[str, str]
) -> None:
    """Branches published as the config's committer are the tool's own: refresh rebuilds them as that committer."""
    bot = Identity("Platform Bot", "platform-bot@example.com")
    work = full_clone(tmp_path, remote)
    (work / ".gitops-writer.yaml").write_text(f'committer: "{bot}"\n')
    for name in ("api-gw", "audit-log"):
        publish_request(work, ecr(name), dataclasses.replace(options, committer=bot), sleeps)
    assert merge(remote, "registry/create-api-gw")
    api.merge(1)

    done = cli(work, env, "--json")

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("{"), done.stdout + done.stderr
    [pull] = json.loads(done.stdout)["pulls"]
    assert pull["status"] == "rebuilt", pull
    committer = git(remote.bare, "log", "-1", "--format=%cn <%ce>", "registry/create-audit-log").strip()
    assert committer == str(bot)


def test_the_requester_hears_in_backstage_once_when_refresh_blocks_or_closes_the_request(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, env: dict[str, str]
) -> None:
    from tests.notify.backstage import NotificationsBackend, user
    from tests.publish.test_refresh import person_applies

    work = full_clone(tmp_path, remote)
    publish_request(work, ecr("cart-api", requester="amelia.park"), options, sleeps)
    publish_request(work, ecr("chat-web", requester="amelia.park"), options, sleeps)
    person_applies(remote, ecr("cart-api", owner="team-b"))  # the same name, by hand: cart-api is blocked
    person_applies(remote, ecr("chat-web", requester="amelia.park"))  # exactly the request: chat-web is done

    with NotificationsBackend([user("amelia.park")]) as backstage:
        env = {**env, "BACKSTAGE_TOKEN": backstage.token}
        done = cli(work, env, "--json", f"--backstage-url={backstage.url}")
        again = cli(work, env, "--json", f"--backstage-url={backstage.url}")  # blocked still; told already
        inbox = backstage.inbox("user:default/amelia.park")

    assert done.returncode == again.returncode == 0, done.stderr + again.stderr
    report = json.loads(done.stdout[done.stdout.index("\n{") :])  # after the blocked one's ::warning::
    assert [pull["status"] for pull in report["pulls"]] == ["blocked", "closed"]
    assert [pull["told"] for pull in report["pulls"]] == [True, True]
    web = f"{api.url.removesuffix('/api/v3')}/{REPOSITORY}"
    assert sorted((n["payload"]["title"], n["payload"]["link"]) for n in inbox) == [
        ("Request already done: ECR Registry chat-web in dev", f"{web}/pull/2"),
        ("Request blocked: ECR Registry cart-api in dev", f"{web}/pull/1"),
    ]
    assert all(n["updated"] is None for n in inbox)  # the second run told no one again
