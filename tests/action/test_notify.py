"""The requester hears back: action.yml against Backstage's own notifications backend on loopback.

Real git (a bare remote), the loopback GitHub, and @backstage/plugin-notifications-backend in a node
process; the test backend's service token stands in for a static externalAccess token. Each test has
a requester of its own, so one backend serves the module.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.action.conftest import SERVER_URL, RunAction
from tests.action.test_action import pull_url
from tests.github_api import GitHubAPI
from tests.notify.backstage import NotificationsBackend, user

pytestmark = pytest.mark.slow

REQUESTERS = ("amelia.park", "ben.okafor", "chen.li", "dana.ruiz", "eli.novak", "fay.osei", "gus.berg")
RUN_URL = f"{SERVER_URL}/acme/infra/actions/runs/4242"


@pytest.fixture(scope="module")
def backstage() -> Iterator[NotificationsBackend]:
    with NotificationsBackend([user(name) for name in REQUESTERS]) as backend:
        yield backend


def notify(backstage: NotificationsBackend, requester: str) -> dict[str, str]:
    return {"requester": requester, "backstage-url": backstage.url, "backstage-token": backstage.token}


def test_the_requester_finds_the_pull_request_in_backstage_once_however_often_it_runs(
    run_action: RunAction, api: GitHubAPI, backstage: NotificationsBackend
) -> None:
    first = run_action(**notify(backstage, "amelia.park"))

    assert not first.failed, first.log
    [told] = backstage.inbox("user:default/amelia.park")
    assert told["payload"]["link"] == first.outputs["pull-request-url"] == pull_url(api, 1)
    assert told["payload"]["title"] == "Pull request opened: Create ECR Registry: payments-api (dev)"
    assert told["payload"]["severity"] == "normal" and told["payload"]["topic"] == "gitops-writer"
    assert RUN_URL in told["payload"]["description"]
    assert backstage.token not in first.log

    again = run_action(**notify(backstage, "amelia.park"))

    assert not again.failed, again.log
    assert again.outputs["pull-request-operation"] == "unchanged"
    [still] = backstage.inbox("user:default/amelia.park")
    assert still["id"] == told["id"]  # the same notification, replaced through its scope
    assert still["payload"]["scope"] == told["payload"]["scope"]
    assert still["payload"]["title"] == "Pull request up to date: Create ECR Registry: payments-api (dev)"
    assert still["payload"]["link"] == pull_url(api, 1)


def test_a_refused_request_tells_the_requester_why(run_action: RunAction, backstage: NotificationsBackend) -> None:
    published = run_action(**notify(backstage, "ben.okafor"))
    assert not published.failed, published.log

    refused = run_action(**notify(backstage, "ben.okafor"), **{"registry-name": "ledger-api", "risk": "extreme"})

    assert refused.failed and refused.step("request").returncode == 2
    inbox = backstage.inbox("user:default/ben.okafor")
    assert len(inbox) == 2
    newest = inbox[0]["payload"]
    assert newest["title"] == "Request refused: ECR Registry ledger-api in dev"
    assert "Refused (exit code 2): risk: must be one of low, medium, high" in newest["description"]
    assert newest["link"] == RUN_URL and newest["severity"] == "high"
    assert inbox[1]["payload"]["link"] == published.outputs["pull-request-url"]


def test_inputs_refused_before_the_request_runs_reach_the_requester_too(
    run_action: RunAction, backstage: NotificationsBackend
) -> None:
    run = run_action(**notify(backstage, "chen.li"), fields="{not json")

    assert run.failed and run.step("request").returncode == 2
    [told] = backstage.inbox("user:default/chen.li")
    assert told["payload"]["title"] == "Request refused: ECR Registry payments-api in dev"
    assert "Refused (exit code 2): input fields must be a JSON object" in told["payload"]["description"]


def test_an_invalid_requester_is_refused_and_nobody_is_told(
    run_action: RunAction, backstage: NotificationsBackend
) -> None:
    run = run_action(**notify(backstage, "gus.berg/../x"))

    assert run.failed
    assert "requester: must be a Backstage entity name" in run.log
    assert backstage.inbox("user:default/gus.berg") == []


def test_a_backstage_that_cannot_be_reached_leaves_the_request_as_it_was(
    run_action: RunAction, api: GitHubAPI, backstage: NotificationsBackend
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]  # free once the socket closes: nothing listens there
    run = run_action(**{**notify(backstage, "dana.ruiz"), "backstage-url": f"http://127.0.0.1:{closed}"})

    assert not run.failed, run.log
    assert run.outputs["pull-request-operation"] == "created" and len(api.pulls) == 1
    warnings = [a.message for a in run.annotations if a.kind == "warning"]
    assert warnings == [f"Backstage notification not sent: cannot reach http://127.0.0.1:{closed} (ConnectError)"]
    assert backstage.token not in run.log


def test_a_refused_token_is_a_warning_not_a_failure(run_action: RunAction, backstage: NotificationsBackend) -> None:
    run = run_action(**{**notify(backstage, "eli.novak"), "backstage-token": "not-the-static-token"})

    assert not run.failed, run.log
    assert run.outputs["pull-request-operation"] == "created"
    warnings = [a.message for a in run.annotations if a.kind == "warning"]
    [warning] = warnings
    assert "answered 401 (\"AuthenticationError: Unknown mock token '***'\")" in warning  # Backstage quoted it
    assert "not-the-static-token" not in run.log
    assert backstage.inbox("user:default/eli.novak") == []


def test_a_dry_run_notifies_no_one(run_action: RunAction, backstage: NotificationsBackend) -> None:
    run = run_action(**notify(backstage, "fay.osei"), **{"dry-run": "true"})

    assert not run.failed, run.log
    assert backstage.inbox("user:default/fay.osei") == []
