"""Posting one notification to Backstage's notifications backend: delivered, replaced by scope, refused, retried."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from gitops_writer.notify.client import Backstage, NotifyError, check, send
from gitops_writer.notify.payload import Notification
from tests.notify.backstage import NotificationsBackend


def note(
    user: str,
    title: str = "Pull request opened",
    scope: str = "gitops-writer:acme/infra:ecr:create:a:dev",
    link: str = "https://github.example/acme/infra/pull/1",
) -> Notification:
    return Notification((f"user:default/{user}",), title, "what was asked", link, "normal", "gitops-writer", scope)


@pytest.fixture
def sleeps() -> list[float]:
    return []


def test_a_notification_lands_in_the_recipients_inbox(backstage: NotificationsBackend, sleeps: list[float]) -> None:
    send(check(backstage.url, backstage.token), note("amelia.park"), sleep=sleeps.append)

    [told] = backstage.inbox("user:default/amelia.park")
    assert told["payload"]["title"] == "Pull request opened"
    assert told["payload"]["link"] == "https://github.example/acme/infra/pull/1"
    assert told["origin"] == "external:test-service"  # the service principal the token stands for
    assert told["read"] is None and sleeps == []


def test_the_same_scope_replaces_the_notification_and_another_scope_adds_one(backstage: NotificationsBackend) -> None:
    target = check(backstage.url, backstage.token)
    send(target, note("ben.okafor"))
    [first] = backstage.inbox("user:default/ben.okafor")

    send(target, note("ben.okafor", title="Pull request updated"))
    [replaced] = backstage.inbox("user:default/ben.okafor")
    send(target, note("ben.okafor", title="Request refused", scope="gitops-writer:acme/infra:ecr:create:b:dev"))

    assert replaced["id"] == first["id"] and replaced["payload"]["title"] == "Pull request updated"
    assert replaced["updated"] is not None  # Backstage marks it updated, and unread again
    assert [n["payload"]["title"] for n in backstage.inbox("user:default/ben.okafor")] == [
        "Request refused",
        "Pull request updated",
    ]


def test_a_refused_token_is_not_retried_and_not_repeated(backstage: NotificationsBackend, sleeps: list[float]) -> None:
    with pytest.raises(NotifyError) as refused:
        send(check(backstage.url, "static-token-that-is-wrong"), note("chen.li"), sleep=sleeps.append)

    assert str(refused.value).startswith(f"{backstage.url} answered 401 (")
    assert "static-token-that-is-wrong" not in str(refused.value)
    assert sleeps == [] and backstage.inbox("user:default/chen.li") == []


def test_a_link_backstage_refuses_is_not_retried(backstage: NotificationsBackend, sleeps: list[float]) -> None:
    with pytest.raises(NotifyError, match="answered 400"):
        send(check(backstage.url, backstage.token), note("dana.ruiz", link="javascript:alert(1)"), sleep=sleeps.append)

    assert sleeps == []


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_nobody_listening_is_retried_a_bounded_number_of_times(closed_port: int, sleeps: list[float]) -> None:
    with pytest.raises(NotifyError, match=rf"cannot reach http://127.0.0.1:{closed_port} \(ConnectError\)"):
        send(check(f"http://127.0.0.1:{closed_port}", "t"), note("x"), sleep=sleeps.append)

    assert sleeps == [0.5, 1.0]


@pytest.fixture
def silent() -> Iterator[str]:
    """A port that accepts connections and never answers: a Backstage too slow to wait for."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(8)
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_a_slow_backstage_costs_a_short_timeout_per_attempt(silent: str, sleeps: list[float]) -> None:
    target = Backstage(silent, "t", timeout=0.2)

    with pytest.raises(NotifyError, match=r"no answer within 0.2 s"):
        send(target, note("x"), sleep=sleeps.append)

    assert sleeps == [0.5, 1.0]


@pytest.mark.parametrize(
    ("url", "token", "message"),
    [
        ("backstage.example.com", "t", "is not an http"),
        ("ftp://backstage.example.com", "t", "is not an http"),
        ("https://user:pw@backstage.example.com", "t", "holds credentials"),
        ("https://backstage.example.com/?token=pw", "t", "holds a query"),
        ("http://[::1", "t", "is not an http"),
        ("http://127.0.0.1:99999", "t", "is not an http"),
        ("http://back stage.example.com", "t", "holds a space or a control character"),
        ("http://127.0.0.1:1/\x00", "t", "holds a space or a control character"),
        ("https://backstage.example.com", "", "no Backstage token"),
        ("https://backstage.example.com", "a b", "holds a space"),
        ("https://backstage.example.com", "tok\n", "holds a space"),
    ],
)
def test_an_unusable_url_or_token_is_refused_before_sending(url: str, token: str, message: str) -> None:
    with pytest.raises(NotifyError, match=message) as refused:
        check(url, token)

    assert "pw" not in str(refused.value)


def test_the_token_stays_out_of_the_values_repr() -> None:
    assert "s3cret" not in repr(check("https://backstage.example.com/", "s3cret"))
    assert check("https://backstage.example.com/", "s3cret").url == "https://backstage.example.com"
