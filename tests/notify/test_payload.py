"""The notifications' bodies, built from typed values: what Backstage receives for each event."""

from __future__ import annotations

import pytest

from gitops_writer.notify import payload
from gitops_writer.notify.settings import NotifySettings

SETTINGS = NotifySettings()
RECIPIENTS = ("user:default/amelia.park",)
RUN = "https://github.example/acme/infra/actions/runs/4242"
PULL = "https://github.example/acme/infra/pull/7"
FIELDS = {
    "name": "payments-api",
    "environment": "dev",
    "owner": "team-payments",
    "requester": "amelia.park",
    "domain": "payments",
    "risk": "low",
}


def subject(**fields: str) -> payload.Subject:
    given = {**FIELDS, **fields}
    return payload.Subject("acme/infra", "ecr", "ECR Registry", "create", given, risk=given["risk"])


def test_an_opened_pull_request_links_to_it_and_says_what_was_asked() -> None:
    opened = payload.Published("created", "Create ECR Registry: payments-api (dev)", PULL)
    told = payload.notification(subject(), SETTINGS, RECIPIENTS, opened, run_url=RUN)

    assert told.body() == {
        "recipients": {"type": "entity", "entityRef": ["user:default/amelia.park"]},
        "payload": {
            "title": "Pull request opened: Create ECR Registry: payments-api (dev)",
            "description": (
                "You asked to create ECR Registry payments-api in dev "
                "(owner team-payments, domain payments, risk low). "
                "Environment dev, risk low. "
                f"Pull request: {PULL} Workflow run: {RUN}"
            ),
            "link": PULL,
            "severity": "normal",
            "topic": "gitops-writer",
            "scope": "gitops-writer:acme/infra:ecr:create:payments-api:dev",
        },
    }


def test_a_refusal_names_the_reason_and_the_exit_code_and_links_to_the_run() -> None:
    refused = payload.Refused("risk: must be one of low, medium, high", 2)
    told = payload.notification(subject(name="ledger-api", risk="extreme"), SETTINGS, RECIPIENTS, refused, run_url=RUN)

    body = told.body()["payload"]
    assert body["title"] == "Request refused: ECR Registry ledger-api in dev"
    assert body["description"] == (
        "You asked to create ECR Registry ledger-api in dev (owner team-payments, domain payments, risk extreme). "
        "Refused (exit code 2): risk: must be one of low, medium, high. "
        "Nothing was changed; fix the request and make it again. "
        f"Workflow run: {RUN}"
    )
    assert (body["link"], body["severity"]) == (RUN, "high")


def test_blocked_and_done_link_to_the_pull_request() -> None:
    blocked = payload.notification(
        subject(), SETTINGS, RECIPIENTS, payload.Blocked("no longer applies", PULL), run_url=""
    )
    done = payload.notification(subject(), SETTINGS, RECIPIENTS, payload.Done("development holds it", PULL), run_url="")

    assert blocked.body()["payload"]["title"] == "Request blocked: ECR Registry payments-api in dev"
    assert done.body()["payload"]["title"] == "Request already done: ECR Registry payments-api in dev"
    assert blocked.link == done.link == PULL
    assert (blocked.severity, done.severity) == ("high", "low")
    assert "Workflow run" not in blocked.description  # outside Actions there is no run to link


def test_every_event_about_one_request_shares_its_scope_and_another_request_has_another() -> None:
    one = subject()
    outcomes: list[payload.Outcome] = [
        payload.Published("created", "t", PULL),
        payload.Published("unchanged", "t", PULL),
        payload.Refused("r", 1),
        payload.Blocked("r", PULL),
    ]
    scopes = {payload.notification(one, SETTINGS, RECIPIENTS, outcome, run_url=RUN).scope for outcome in outcomes}
    assert scopes == {one.scope}
    assert subject(environment="prod").scope != one.scope
    assert subject(name="ledger-api").scope != one.scope


@pytest.mark.parametrize(
    ("event", "risk", "expected"),
    [
        ("opened", "low", "normal"),
        ("updated", "medium", "normal"),
        ("opened", "high", "high"),
        ("refused", "low", "high"),
        ("refused", "high", "critical"),
        ("blocked", "high", "critical"),
        ("done", "high", "low"),
        ("opened", None, "normal"),
    ],
)
def test_severity_follows_the_outcome_and_the_risk(event: payload.Event, risk: str | None, expected: str) -> None:
    assert payload.severity(event, risk) == expected


def test_a_hostile_value_stays_one_short_line() -> None:
    hostile = subject(domain="x\n::error::forged" + "y" * 500)
    told = payload.notification(hostile, SETTINGS, RECIPIENTS, payload.Refused("line one\nline two", 2), run_url="")

    assert "\n" not in told.description and "\n" not in told.title
    assert "domain x ::error::forged" in told.description
    assert len(told.description) <= payload.DESCRIPTION_MAX
    assert "y" * (payload.VALUE_MAX) not in told.description


def test_the_requester_is_not_repeated_in_what_was_asked() -> None:
    assert "amelia.park" not in subject().asked(SETTINGS)
