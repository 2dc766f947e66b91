from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.publish import PublishFlags, PublishOptions, resolve_options

ENV = {"GITHUB_TOKEN": "ghs_env", "GITHUB_REPOSITORY": "acme/infra"}


def test_environment_supplies_what_is_not_given() -> None:
    options = resolve_options(PublishFlags(), environ={**ENV, "GITHUB_API_URL": "https://ghe.example.com/api/v3/"})
    assert options == PublishOptions(repository="acme/infra", token="ghs_env", api_url="https://ghe.example.com/api/v3")


def test_explicit_values_win_over_the_environment(tmp_path: Path) -> None:
    body = tmp_path / "plan.md"
    body.write_text("plan")
    flags = PublishFlags(
        token="ghs_flag",
        repository="acme/other",
        api_url="http://127.0.0.1:1",
        base_branch="staging",
        remote="upstream",
        on_closed="skip",
        extra_body_file=body,
        draft=True,
        labels="a",
        force=True,
    )
    options = resolve_options(flags, environ={**ENV, "GH_TOKEN": "ghs_gh"})
    assert options == PublishOptions(
        repository="acme/other",
        token="ghs_flag",
        api_url="http://127.0.0.1:1",
        base_branch="staging",
        remote="upstream",
        on_closed="skip",
        extra_body_file=body,
        draft=True,
        labels=("a",),
        force=True,
    )


@pytest.mark.parametrize(
    ("environ", "kwargs", "message"),
    [
        ({"GITHUB_REPOSITORY": "acme/infra"}, {}, "no GitHub token: pass --token or set GITHUB_TOKEN or GH_TOKEN"),
        ({"GITHUB_TOKEN": "", "GH_TOKEN": "", "GITHUB_REPOSITORY": "acme/infra"}, {}, "no GitHub token"),
        ({"GITHUB_TOKEN": "t"}, {}, "no repository"),
        (ENV, {"repository": "infra"}, "not of the form OWNER/NAME"),
        (ENV, {"extra_body_file": Path("/nonexistent/plan.md")}, "no such file"),
        (ENV, {"extra_body_file": Path("/dev/zero")}, "/dev/zero: is not a regular file"),
        (ENV, {"api_url": "ghe.example.com"}, "not an http"),
    ],
    ids=[
        "no-token",
        "empty-token",
        "no-repository",
        "bad-repository",
        "missing-body-file",
        "device-body-file",
        "bad-api-url",
    ],
)
def test_bad_settings_are_usage_errors(environ: dict[str, str], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        resolve_options(PublishFlags(**kwargs), environ=environ)


def test_gh_token_is_the_fallback_and_never_shown() -> None:
    options = resolve_options(PublishFlags(), environ={"GH_TOKEN": "ghs_secret", "GITHUB_REPOSITORY": "acme/infra"})
    assert options.token == "ghs_secret"
    assert "ghs_secret" not in repr(options)


def test_the_flags_win_over_the_config_for_the_risk() -> None:
    from gitops_writer.publish.git import Identity

    config = {
        "reviewers": {"default": {"users": ["alice"]}, "high": {"users": ["sec-lead"], "teams": ["acme/security"]}},
        "required_labels": ["ecr-registry"],
        "commit": "git",
        "delete_branch": True,
    }
    given = PublishFlags(
        token="ghs_x",
        repository="acme/infra",
        team_reviewers="platform, @acme/ops",
        assignees="bob",
        commit="api",
        author="Pat Person <pat@example.com>",
        draft_on_update=False,
        delete_branch=None,
    )

    options = resolve_options(given, config=config, risk="high")

    assert options.review.users == ("sec-lead",)  # not given: the config's, for the risk
    assert options.review.teams == ("platform", "ops")  # given: wins
    assert options.assignees == ("bob",) and options.settings.required_labels == ("ecr-registry",)
    assert options.commit_mode == "api" and options.deletes_branch is True
    assert options.author == Identity("Pat Person", "pat@example.com") and options.draft_on_update is False
    assert resolve_options(given, config={}).review.users == ()
