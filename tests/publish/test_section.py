"""A tool's section of the PR body: `gitops-writer pr section`, and publishing keeping what it wrote."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.publish import PublishOptions, publish
from gitops_writer.publish import section as sections
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, AddRegistry, Remote, Sleeps

BRANCH = "registry/create-gamma"
START, END = "<!-- gitops-writer:plan -->", "<!-- /gitops-writer:plan -->"


def test_a_section_is_created_at_the_end_then_replaced_leaving_the_rest_byte_for_byte() -> None:
    person = "Intro by a person.\r\n\r\n<!-- a comment -->\n"
    created = sections.replace(person, "plan", "Plan: 1 to add")
    assert created == f"Intro by a person.\r\n\r\n<!-- a comment -->\n\n{START}\nPlan: 1 to add\n{END}\n"

    edited = created.replace("Intro", "Intro, edited") + "\nA note after it.\n"
    replaced = sections.replace(edited, "plan", "Plan: 2 to add\n\n")
    assert replaced == edited.replace("Plan: 1 to add", "Plan: 2 to add")
    assert sections.replace(replaced, "plan", "Plan: 2 to add") == replaced  # idempotent


def test_a_section_is_cut_with_a_note_to_fit_the_body_limit() -> None:
    body = sections.replace("x" * 1000, "plan", "y" * 70000)
    assert len(body) == sections.MAX_BODY
    assert body.endswith(f"(truncated: GitHub limits a pull request body to 65536 characters)\n{END}\n")
    with pytest.raises(UsageError, match="leaves no room for section 'plan'"):
        sections.replace("x" * 65530, "plan", "y")


@pytest.mark.parametrize("name", ["request", "Plan", "a b", "x" * 41, ""])
def test_section_names_are_checked(name: str) -> None:
    with pytest.raises(UsageError, match="section name"):
        sections.check_name(name)


def test_publishing_keeps_what_a_tool_wrote_into_its_section(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, tmp_path: Path
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    pull = api.pulls[1]
    pull.body = sections.replace(pull.body or "", "plan", "Plan: 1 to add")
    assert publish(clone, AddRegistry("gamma"), options, sleep=sleeps).operation == "unchanged"
    extra = tmp_path / "extra.md"
    extra.write_text("Scanned: no findings.\n")

    publish(clone, AddRegistry("gamma"), dataclasses.replace(options, extra_body_file=extra), sleep=sleeps)

    [update] = api.calls_to("pulls/update")
    assert f"{START}\nPlan: 1 to add\n{END}" in update.body["body"]
    assert update.body["body"].startswith("| name | gamma |")


def run(
    api: GitHubAPI, token: str, tmp_path: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GH_"))}
    env.update(GITHUB_TOKEN=token, GITHUB_REPOSITORY=REPOSITORY, GITHUB_API_URL=api.url)
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", "pr", "section", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )


def test_pr_section_command_writes_then_leaves_alone(
    clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, token: str, tmp_path: Path
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.pulls[1].body = "A person's words.\n\n" + (api.pulls[1].body or "")
    plan = tmp_path / "plan.txt"
    plan.write_text("```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n")

    first = run(api, token, tmp_path, "--branch", BRANCH, "--name", "plan", "--body-file", str(plan), "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["changed"] is True
    body = api.pulls[1].body or ""
    assert body.startswith("A person's words.\n\n| name | gamma |")
    assert body.endswith(f"{START}\n```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n{END}\n")

    again = run(api, token, tmp_path, "--branch", BRANCH, "--name", "plan", "--body-file", "-", stdin=plan.read_text())
    assert again.returncode == 0, again.stderr
    assert "already up to date" in again.stdout
    assert len(api.calls_to("pulls/update")) == 1
    assert token not in first.stdout + first.stderr + again.stdout + again.stderr


def test_pr_section_without_an_open_pull_request_is_one_line_and_exit_1(
    api: GitHubAPI, token: str, tmp_path: Path
) -> None:
    (tmp_path / "plan.txt").write_text("x")
    done = run(api, token, tmp_path, "--branch", BRANCH, "--name", "plan", "--body-file", "plan.txt")
    assert (done.returncode, done.stderr) == (1, f"gitops-writer: error: no open pull request from {BRANCH}\n")
    assert api.writes() == []


def test_pr_section_refuses_a_bad_name_before_any_call(api: GitHubAPI, token: str, tmp_path: Path) -> None:
    (tmp_path / "plan.txt").write_text("x")
    done = run(api, token, tmp_path, "--branch", BRANCH, "--name", "request", "--body-file", "plan.txt")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and api.calls == []
