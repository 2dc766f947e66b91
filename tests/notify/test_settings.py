"""The `notifications:` section: defaults, every key, and a clear refusal of each malformed one."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import build_config
from gitops_writer.notify.settings import EVENTS, NotifySettings, notify_settings


def test_without_a_section_every_default_applies_and_nothing_is_configured() -> None:
    settings = notify_settings({})

    assert settings == NotifySettings()
    assert (settings.namespace, settings.requester_field, settings.notify_owner) == ("default", "requester", False)
    assert settings.events == frozenset(EVENTS) and not settings.configured


def test_every_key_is_read() -> None:
    settings = notify_settings(
        {
            "notifications": {
                "namespace": "platform",
                "requester_field": "asked_by",
                "owner_field": "team",
                "notify_owner": True,
                "events": ["refused", "blocked"],
                "topic": "Infrastructure requests",
            }
        }
    )

    assert settings == NotifySettings(
        namespace="platform",
        requester_field="asked_by",
        owner_field="team",
        notify_owner=True,
        events=frozenset({"refused", "blocked"}),
        topic="Infrastructure requests",
        configured=True,
    )


def test_the_section_is_a_known_key_of_the_config_file() -> None:
    config = build_config({"notifications": {"notify_owner": True}})

    assert notify_settings(config.publishing).notify_owner


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ([], "notifications must be a mapping"),
        ({"namespaces": "x"}, "unknown setting 'namespaces'"),
        ({"namespace": "a/b"}, "namespace must be a Backstage namespace"),
        ({"requester_field": "$(x)"}, "requester_field must be a request field's name"),
        ({"notify_owner": "yes"}, "notify_owner must be true or false"),
        ({"events": ["opened", "merged"]}, "events must be a list of opened, updated, refused, blocked, done"),
        ({"topic": ""}, "topic must be a short text"),
    ],
)
def test_a_malformed_section_is_refused_naming_the_key(section: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("$", r"\$")):
        notify_settings({"notifications": section})


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("user", "amelia.park", "user:default/amelia.park"),
        ("user", " amelia.park ", "user:default/amelia.park"),
        ("user", "user:team-a/jdoe", "user:team-a/jdoe"),
        ("group", "team-payments", "group:default/team-payments"),
        ("user", "group:default/x", None),
        ("user", "a/../b", None),
        ("user", "user:/x", None),
        ("user", "user:team-a\n/jdoe", None),
        ("user", "-jdoe", None),
        ("user", "", None),
        ("user", "x" * 64, None),
        ("user", 7, None),
        ("user", None, None),
    ],
)
def test_a_field_becomes_an_entity_ref_only_when_it_is_a_backstage_name(
    kind: Any, value: object, expected: str | None
) -> None:
    assert NotifySettings().entity_ref(kind, value) == expected
