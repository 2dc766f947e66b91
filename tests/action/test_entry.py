"""gitops_writer.actions.entry: from GW_* variables to an argument list, without a shell in between."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_writer.actions.entry import (
    VARIABLES,
    InputError,
    Inputs,
    build_argv,
    child_environment,
    dry_run_summary,
    flag_arguments,
    publish_flags,
    read_inputs,
)
from gitops_writer.actions.workflow import append_summary, write_outputs
from gitops_writer.errors import ExitCode, RunnerFileError, UsageError

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"

BASE = {
    "GW_REGISTRY_NAME": "payments-api",
    "GW_ENVIRONMENT": "dev",
    "GW_OWNER": "team-payments",
    "GW_REQUESTER": "jdoe",
    "GW_DOMAIN": "payments",
    "GW_RISK": "low",
    "GW_BASE_BRANCH": "development",
    "GW_TOKEN": "ghs_secret",
    "GW_DRY_RUN": "false",
    "GW_EXTRA_BODY_FILE": "",
    "GW_LABELS": "",
    "GW_DRAFT": "false",
    "GW_CONFIG": "",
    "GW_WORKING_DIRECTORY": ".",
}
FIELDS = [
    "--name=payments-api",
    "--environment=dev",
    "--owner=team-payments",
    "--requester=jdoe",
    "--domain=payments",
    "--risk=low",
]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({}, ["ecr", "request", "--repo=.", *FIELDS, "--publish", "--base-branch=development"]),
        ({"GW_DRY_RUN": "true"}, ["ecr", "request", "--repo=.", *FIELDS, "--dry-run", "--json"]),
        (
            {"GW_DRY_RUN": "TRUE", "GW_DRAFT": "true", "GW_LABELS": "a,b"},  # dry run ignores publish inputs
            ["ecr", "request", "--repo=.", *FIELDS, "--dry-run", "--json"],
        ),
        (
            {"GW_DRAFT": "True", "GW_LABELS": " a, b ", "GW_EXTRA_BODY_FILE": "plan.txt", "GW_BASE_BRANCH": "release"},
            [
                "ecr",
                "request",
                "--repo=.",
                *FIELDS,
                "--publish",
                "--base-branch=release",
                "--extra-body-file=plan.txt",
                "--labels=a, b",
                "--draft",
            ],
        ),
        (
            {"GW_WORKING_DIRECTORY": "infra", "GW_CONFIG": "infra/layout.yaml", "GW_BASE_BRANCH": ""},
            ["ecr", "request", "--repo=infra", *FIELDS, "--config=infra/layout.yaml", "--publish"],
        ),
        (
            {"GW_WORKING_DIRECTORY": ""},
            ["ecr", "request", "--repo=.", *FIELDS, "--publish", "--base-branch=development"],
        ),
    ],
    ids=["publish", "dry-run", "dry-run-ignores-publish-inputs", "publish-options", "paths", "empty-directory"],
)
def test_inputs_become_one_option_per_argument(overrides: dict[str, str], expected: list[str]) -> None:
    assert build_argv(read_inputs({**BASE, **overrides})) == expected


def test_a_value_that_looks_like_an_option_stays_the_value_of_its_own_option() -> None:
    argv = build_argv(read_inputs({**BASE, "GW_REGISTRY_NAME": "--force", "GW_OWNER": "--token=x"}))
    assert "--name=--force" in argv and "--owner=--token=x" in argv
    assert "--force" not in argv and "--token=x" not in argv


def test_the_token_is_in_the_child_environment_only() -> None:
    inputs = read_inputs({**BASE, "GH_TOKEN": "stale", "GITHUB_TOKEN": "stale"})
    assert all("ghs_secret" not in arg for arg in build_argv(inputs))
    env = child_environment(inputs, {**BASE, "GH_TOKEN": "stale", "GITHUB_OUTPUT": "/o", "PATH": "/bin"})
    assert env == {"GITHUB_TOKEN": "ghs_secret", "GITHUB_OUTPUT": "/o", "PATH": "/bin"}
    assert not set(env) & set(VARIABLES.values())


def test_a_dry_run_child_gets_no_token_and_writes_no_outputs_or_summary_of_its_own() -> None:
    inputs = read_inputs({**BASE, "GW_DRY_RUN": "true"})
    env = child_environment(inputs, {"GITHUB_OUTPUT": "/o", "GITHUB_STEP_SUMMARY": "/s", "GITHUB_ACTIONS": "true"})
    assert env == {"GITHUB_ACTIONS": "true"}  # and no token: a dry run never calls GitHub


BACKSTAGE = {"GW_BACKSTAGE_URL": " https://backstage.example.com ", "GW_BACKSTAGE_TOKEN": "static-secret"}


def test_the_backstage_url_is_an_option_and_its_token_only_in_the_child_environment() -> None:
    inputs = read_inputs({**BASE, **BACKSTAGE})
    argv = build_argv(inputs)
    assert "--backstage-url=https://backstage.example.com" in argv
    assert all("static-secret" not in arg for arg in argv) and "static-secret" not in repr(inputs)
    env = child_environment(inputs, {**BASE, **BACKSTAGE, "BACKSTAGE_URL": "https://other", "PATH": "/bin"})
    assert env == {"GITHUB_TOKEN": "ghs_secret", "BACKSTAGE_TOKEN": "static-secret", "PATH": "/bin"}


def test_a_dry_run_notifies_no_one_whatever_the_environment_holds() -> None:
    inputs = read_inputs({**BASE, **BACKSTAGE, "GW_DRY_RUN": "true"})
    assert not any(arg.startswith("--backstage") for arg in build_argv(inputs))
    env = child_environment(inputs, {"BACKSTAGE_URL": "https://b", "BACKSTAGE_TOKEN": "runner-secret"})
    assert env == {}


def test_without_backstage_inputs_nothing_changes() -> None:
    inputs = read_inputs(BASE)
    assert not any(arg.startswith("--backstage") for arg in build_argv(inputs))
    assert "BACKSTAGE_TOKEN" not in child_environment(inputs, {"BACKSTAGE_TOKEN": "runner-secret"})


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"GW_REGISTRY_NAME": ""}, "input registry-name is required and was empty"),
        ({"GW_RISK": "  "}, "input risk is required and was empty"),
        ({"GW_DRY_RUN": "yes"}, "input dry-run must be true or false, not 'yes'"),
        ({"GW_DRAFT": "1"}, "input draft must be true or false, not '1'"),
        ({"GW_OWNER": "team\n::error::forged"}, "input owner holds a control character"),
        ({"GW_LABELS": "a\rb"}, "input labels holds a control character"),
    ],
)
def test_unusable_inputs_are_refused_naming_the_input(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_inputs({**BASE, **overrides})


def test_the_dry_run_summary_fences_the_diff_even_when_it_holds_backticks() -> None:
    inputs = Inputs({"registry-name": "x", "environment": "dev"}, "", True, False)
    diff = "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-```\n+````\n"
    summary = dry_run_summary(inputs, {"diff": diff, "files": ["f"], "branch": "registry/create-x"})
    assert "`````diff\n" + diff + "`````\n" in summary
    assert "Would change 1 file on branch `registry/create-x`" in summary
    assert "Nothing would change" in dry_run_summary(inputs, {"diff": "", "files": []})


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {
                "GW_REVIEWERS": " alice,bob ",
                "GW_TEAM_REVIEWERS": "platform",
                "GW_ASSIGNEES": "alice",
                "GW_AUTHOR": "Pat <pat@example.com>",
                "GW_COMMITTER": "Bot <bot@example.com>",
            },
            [
                "--reviewers=alice,bob",
                "--team-reviewers=platform",
                "--assignees=alice",
                "--author=Pat <pat@example.com>",
                "--committer=Bot <bot@example.com>",
            ],
        ),
        ({"GW_SIGN_COMMITS": "true", "GW_DELETE_BRANCH": "true"}, ["--commit=api", "--delete-branch"]),
        ({"GW_SIGN_COMMITS": "false", "GW_DELETE_BRANCH": "false"}, []),
        ({"GW_DRAFT_ON_UPDATE": "true"}, ["--draft-on-update"]),
        ({"GW_DRAFT_ON_UPDATE": "false"}, ["--ready-on-update"]),
        ({"GW_DRAFT_ON_UPDATE": ""}, []),
    ],
)
def test_publishing_inputs_become_their_options(overrides: dict[str, str], expected: list[str]) -> None:
    argv = build_argv(read_inputs({**BASE, **overrides}))
    assert argv[argv.index("--base-branch=development") + 1 :] == expected


def test_the_publishing_inputs_reach_the_command_as_the_same_flags() -> None:
    from gitops_writer.cli import options
    from gitops_writer.cli.request import request_command

    inputs = read_inputs(
        {
            **BASE,
            "GW_LABELS": " a, b ",
            "GW_DRAFT": "true",
            "GW_EXTRA_BODY_FILE": "plan.md",
            "GW_REVIEWERS": "alice",
            "GW_TEAM_REVIEWERS": "acme/ops",
            "GW_ASSIGNEES": "bob",
            "GW_AUTHOR": "Pat <pat@example.com>",
            "GW_COMMITTER": "Bot <bot@example.com>",
            "GW_DRAFT_ON_UPDATE": "false",
            "GW_SIGN_COMMITS": "true",
            "GW_DELETE_BRANCH": "true",
        }
    )
    flags = publish_flags(inputs)
    parsed = request_command.make_context("request", ["ecr", *flag_arguments(flags)]).params

    assert options.publish_flags(dict(parsed)) == flags
    assert flags.draft_on_update is False and flags.commit == "api" and flags.labels == "a, b"


def test_a_publishing_boolean_that_is_not_one_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="input sign-commits must be true or false, not 'yes'"):
        read_inputs({**BASE, "GW_SIGN_COMMITS": "yes"})


def test_input_errors_are_usage_errors_of_the_one_hierarchy() -> None:
    assert issubclass(InputError, UsageError) and InputError("x").exit_code == ExitCode.USAGE == 2


@pytest.mark.parametrize("variable", ["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"])
@pytest.mark.parametrize("where", ["missing", "directory"])
def test_an_unwritable_runner_file_is_one_line_not_a_traceback(tmp_path: Path, variable: str, where: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURE, repo)
    target = tmp_path / "absent" / "file" if where == "missing" else tmp_path
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("GW_", "GITHUB_")) and k != "GITOPS_WRITER_DEBUG"
    }
    what = "outputs" if variable == "GITHUB_OUTPUT" else "summary"
    environ |= {**BASE, "GW_DRY_RUN": "true", "GW_WORKING_DIRECTORY": str(repo), variable: str(target)}
    done = subprocess.run(
        [sys.executable, "-m", "gitops_writer.actions.entry"], env=environ, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == ExitCode.DOMAIN, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.splitlines()[-1].startswith(f"gitops-writer: error: cannot write the step {what}")
    assert f"{variable}={target}" in done.stderr
    assert "::error title=gitops-writer action::cannot write" in done.stdout


def test_write_outputs_and_append_summary_raise_the_domain_error(tmp_path: Path) -> None:
    with pytest.raises(RunnerFileError, match="GITHUB_OUTPUT="):
        write_outputs({"branch": "b"}, {"GITHUB_OUTPUT": str(tmp_path)})
    with pytest.raises(RunnerFileError, match="GITHUB_STEP_SUMMARY="):
        append_summary("# s", {"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such")})
    assert write_outputs({"branch": "b"}, {}) is False


def test_a_working_directory_that_is_none_is_named_as_the_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from gitops_writer.actions.entry import run

    monkeypatch.chdir(tmp_path)
    code = run({**BASE, "GW_DRY_RUN": "true", "GW_WORKING_DIRECTORY": "infra/gitops"})
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "input working-directory: 'infra/gitops' is no directory of the workspace" in err
    assert "--repo" not in err


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("[" * 100_000, "nested too deeply"),
        ('{"name": "a\\u0000b"}', "name holds a NUL character or a lone surrogate"),
        ('{"name": "a\\ud800"}', "name holds a NUL character or a lone surrogate"),
    ],
    ids=["deep", "nul", "lone-surrogate"],
)
def test_hostile_fields_are_one_input_error(raw: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        read_inputs({**BASE, "GW_KIND": "ecr", "GW_FIELDS": raw})


@pytest.mark.parametrize(("value", "shown"), [("true", "true"), ("25", "25"), ('["team-a"]', "a list")])
def test_a_json_value_for_a_text_field_is_refused_not_made_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], value: str, shown: str
) -> None:
    from gitops_writer.actions.entry import run

    shutil.copytree(FIXTURE, tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    raw = f'{{"name": "payments-api", "environment": "dev", "owner": {value}, "requester": "jdoe"}}'
    code = run({**BASE, "GW_KIND": "ecr", "GW_FIELDS": raw, "GW_DRY_RUN": "true"})
    err = capsys.readouterr().err
    assert code == ExitCode.USAGE and err.count("\n") == 1, err
    assert err.startswith("gitops-writer: error: input fields: owner: ") and shown in err
