"""Who is told what: recipients from the request's fields, the configured events, refusals, refresh."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import ConflictError, ValidationError
from gitops_writer.kinds import build_config
from gitops_writer.notify import Notifier, notifier, run_url
from gitops_writer.publish import PublishResult
from gitops_writer.publish.refresh_report import PullOutcome, RefreshReport
from gitops_writer.requests.model import Request
from tests.notify.backstage import NotificationsBackend

PULL = "https://github.example/acme/infra/pull/3"


def request(requester: str, **fields: str) -> Request:
    given = {
        "name": "payments-api",
        "environment": "dev",
        "owner": "team-payments",
        "requester": requester,
        "domain": "payments",
        "risk": "low",
        **fields,
    }
    return Request("ecr", "create", given)


def opened() -> PublishResult:
    return PublishResult("created", "registry/create-payments-api", "development", 3, PULL, title="Create it")


def make(backstage: NotificationsBackend, settings: dict[str, Any] | None = None, **environ: str) -> Notifier:
    config = build_config({} if settings is None else {"notifications": settings})
    made = notifier(backstage.url, backstage.token, config, repository="acme/infra", environ=environ)
    assert made is not None
    return made


def titles(backstage: NotificationsBackend, name: str) -> list[str]:
    return [n["payload"]["title"] for n in backstage.inbox(f"user:default/{name}")]


def test_the_owner_group_hears_it_too_when_asked_through_the_catalog(backstage: NotificationsBackend) -> None:
    config = build_config({"notifications": {"notify_owner": True}})

    make(backstage, {"notify_owner": True}).published(request("amelia.park"), config, opened())

    for name in ("amelia.park", "gus.berg", "hana.sato"):  # the requester, and team-payments' members
        assert titles(backstage, name) == ["Pull request opened: Create it"], name


def test_only_the_configured_events_are_sent(backstage: NotificationsBackend) -> None:
    config = build_config({})
    tell = make(backstage, {"events": ["refused"]})

    tell.published(request("ben.okafor"), config, opened())
    tell.refused(request("ben.okafor"), config, ConflictError("registry/create-payments-api holds commits by Pat"))

    assert titles(backstage, "ben.okafor") == ["Request refused: ECR Registry payments-api in dev"]


def test_a_refusal_of_the_requester_field_itself_tells_nobody(
    backstage: NotificationsBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    refusal = ValidationError.many([("requester", "must be a Backstage entity name"), ("risk", "must be one of")])

    make(backstage).refused(request("chen.li"), None, refusal)

    assert backstage.inbox("user:default/chen.li") == []
    assert capsys.readouterr().err == ""


def test_a_refusal_names_every_broken_rule_on_one_line(backstage: NotificationsBackend) -> None:
    refusal = ValidationError.many([("risk", "must be one of low, medium, high"), ("domain", "must be one of x")])

    make(backstage).refused(request("dana.ruiz", risk="extreme"), None, refusal)

    [told] = backstage.inbox("user:default/dana.ruiz")
    assert (
        "Refused (exit code 2): risk: must be one of low, medium, high; domain: must be one of x"
        in (told["payload"]["description"])
    )


def test_already_done_is_low_news_linking_to_what_there_is(backstage: NotificationsBackend) -> None:
    nothing = PublishResult(
        "none", "registry/create-payments-api", "development", reason="development already holds these changes"
    )

    make(
        backstage, GITHUB_SERVER_URL="https://github.example", GITHUB_REPOSITORY="acme/infra", GITHUB_RUN_ID="77"
    ).published(request("eli.novak"), build_config({}), nothing)

    [told] = backstage.inbox("user:default/eli.novak")
    assert told["payload"]["title"] == "Request already done: ECR Registry payments-api in dev"
    assert told["payload"]["link"] == "https://github.example/acme/infra/actions/runs/77"
    assert told["payload"]["severity"] == "low"


def test_a_pull_request_left_closed_says_so(backstage: NotificationsBackend) -> None:
    skipped = PublishResult(
        "none",
        "registry/create-payments-api",
        "development",
        number=3,
        url=PULL,
        reason="pull request #3 for this branch was closed; --on-closed skip leaves it closed",
    )

    make(backstage).published(request("chen.li", name="left-api"), build_config({}), skipped)

    [told] = backstage.inbox("user:default/chen.li")
    assert told["payload"]["title"] == "Pull request left closed: ECR Registry left-api in dev"
    assert "Left closed: pull request #3 for this branch was closed" in told["payload"]["description"]
    assert told["payload"]["link"] == PULL


def test_refresh_tells_of_what_it_blocked_or_closed_this_run_only(backstage: NotificationsBackend) -> None:
    def outcome(status: Any, told: bool, name: str) -> PullOutcome:
        made = request("fay.osei", name=name)
        return PullOutcome(3, PULL, f"registry/create-{name}", status, "it no longer applies", None, told, made)

    report = RefreshReport(
        "development",
        "0" * 40,
        (
            outcome("blocked", True, "alpha"),
            outcome("blocked", False, "beta"),  # labelled in an earlier run: told then
            outcome("closed", True, "gamma"),
            outcome("rebuilt", False, "delta"),
        ),
    )

    make(backstage).refreshed(report, build_config({}))

    assert sorted(titles(backstage, "fay.osei")) == [
        "Request already done: ECR Registry gamma in dev",
        "Request blocked: ECR Registry alpha in dev",
    ]


def test_a_refusal_told_to_nobody_listening_is_a_warning_and_nothing_more(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    made = notifier(f"http://127.0.0.1:{closed}", "t", None, environ={}, sleep=lambda seconds: None)
    assert made is not None

    made.refused(request("amelia.park"), None, ConflictError("registry/create-payments-api holds commits by Pat"))

    warning = "gitops-writer: warning: Backstage notification not sent: cannot reach"
    assert capsys.readouterr().err == f"{warning} http://127.0.0.1:{closed} (ConnectError)\n"


def test_without_a_url_nothing_is_sent_and_nothing_said(capsys: pytest.CaptureFixture[str]) -> None:
    assert notifier(None, "t", build_config({}), environ={"BACKSTAGE_TOKEN": "t"}) is None
    assert notifier("", None, None, environ={}) is None
    assert capsys.readouterr() == ("", "")


def test_the_environment_gives_url_and_token(backstage: NotificationsBackend) -> None:
    made = notifier(None, None, None, environ={"BACKSTAGE_URL": backstage.url, "BACKSTAGE_TOKEN": backstage.token})

    assert made is not None and made.backstage.url == backstage.url


def test_a_malformed_section_is_a_warning_and_an_annotation_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    config = build_config({"notifications": {"events": ["merged"]}})

    assert notifier("https://backstage.example.com", "t", config, environ={"GITHUB_ACTIONS": "true"}) is None

    out, err = capsys.readouterr()
    assert out.startswith("::warning title=gitops-writer notify::Backstage notification not sent: config ")
    assert err.startswith(
        "gitops-writer: warning: Backstage notification not sent: config built-in defaults: notifications: events"
    )


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        (
            {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "a/b", "GITHUB_RUN_ID": "9"},
            "https://github.com/a/b/actions/runs/9",
        ),
        (
            {
                "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_REPOSITORY": "a/b",
                "GITHUB_RUN_ID": "9",
                "GITHUB_RUN_ATTEMPT": "2",
            },
            "https://github.com/a/b/actions/runs/9/attempts/2",
        ),
        ({"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "a/b", "GITHUB_RUN_ID": "9;x"}, ""),
        ({"GITHUB_SERVER_URL": "javascript:", "GITHUB_REPOSITORY": "a/b", "GITHUB_RUN_ID": "9"}, ""),
        ({}, ""),
    ],
)
def test_the_run_link(environ: dict[str, str], expected: str) -> None:
    assert run_url(environ) == expected


def test_a_bug_in_building_a_notification_is_a_warning_unless_debugging(
    backstage: NotificationsBackend, capsys: pytest.CaptureFixture[str]
) -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("cannot print")

    odd = Request("ecr", "create", {"requester": "amelia.park", "name": Unprintable()})

    make(backstage).refused(odd, None, ConflictError("refused"))

    assert "Backstage notification not sent: internal error: RuntimeError: cannot print" in capsys.readouterr().err
    with pytest.raises(RuntimeError):
        make(backstage, GITOPS_WRITER_DEBUG="1").refused(odd, None, ConflictError("refused"))
