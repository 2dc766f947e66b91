"""The `notifications:` section of `.gitops-writer.yaml`: who hears about a request in Backstage, and when.

    notifications:
      namespace: default                # the Backstage namespace of the user and group names
      requester_field: requester        # the request field naming the Backstage user who asked
      owner_field: owner                # the request field naming the owning Backstage group
      notify_owner: false               # true: the owner group's members hear it too
      events: [opened, updated, refused, blocked, done]   # the default: all of them
      topic: gitops-writer              # how Backstage groups the notifications

Every key is optional; the section's presence is what asks `generate workflow` to pass the Backstage
URL and token. Nothing is sent without a Backstage URL, whatever the section says.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.notifications import EVENTS, KEYS, Event
from gitops_writer.kinds.schema import BACKSTAGE_NAME_MAX, BACKSTAGE_NAME_PATTERN

__all__ = ["EVENTS", "KEYS", "Event", "NotifySettings", "notify_settings"]
_BACKSTAGE_NAME = re.compile(BACKSTAGE_NAME_PATTERN, re.ASCII)
_FIELD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*", re.ASCII)


@dataclass(frozen=True)
class NotifySettings:
    namespace: str = "default"
    requester_field: str = "requester"
    owner_field: str = "owner"
    notify_owner: bool = False
    events: frozenset[Event] = frozenset(EVENTS)
    topic: str = "gitops-writer"
    configured: bool = False  # the config has a notifications section

    def entity_ref(self, kind: Literal["user", "group"], name: object) -> str | None:
        """`user:NAMESPACE/NAME` for a field's value, or None when it is no Backstage name.

        A value that already is a reference of that kind (`user:team-a/jdoe`) is taken as it is.
        """
        if not isinstance(name, str):
            return None
        text = name.strip()
        namespace = self.namespace
        if text.lower().startswith(f"{kind}:"):
            namespace, slash, text = text[len(kind) + 1 :].rpartition("/")
            if not slash or not _name(namespace):
                return None
        if not _name(text):
            return None
        return f"{kind}:{namespace}/{text}"


def notify_settings(raw: Mapping[str, object], where: str = "config") -> NotifySettings:
    """The `notifications` key of a config mapping; the defaults when it is absent. ConfigError when malformed."""
    section = raw.get("notifications")
    if section is None:
        return NotifySettings()
    where = f"{where}: notifications"
    if not isinstance(section, Mapping):
        raise ConfigError(f"{where} must be a mapping (an empty one, {{}}, takes every default)")
    unknown = sorted(set(section) - KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    defaults = NotifySettings()
    namespace = section.get("namespace", defaults.namespace)
    if not isinstance(namespace, str) or not _name(namespace):
        raise ConfigError(f"{where}: namespace must be a Backstage namespace such as default, not {namespace!r}")
    fields = {}
    for key in ("requester_field", "owner_field"):
        value = section.get(key, getattr(defaults, key))
        if not isinstance(value, str) or not _FIELD.fullmatch(value):
            raise ConfigError(f"{where}: {key} must be a request field's name, not {value!r}")
        fields[key] = value
    notify_owner = section.get("notify_owner", False)
    if not isinstance(notify_owner, bool):
        raise ConfigError(f"{where}: notify_owner must be true or false")
    events = section.get("events", list(EVENTS))
    if not isinstance(events, list) or any(event not in EVENTS for event in events):
        raise ConfigError(f"{where}: events must be a list of {', '.join(EVENTS)}")
    topic = section.get("topic", defaults.topic)
    if not isinstance(topic, str) or not topic.strip() or len(topic) > 100:
        raise ConfigError(f"{where}: topic must be a short text")
    return NotifySettings(
        namespace=namespace,
        notify_owner=notify_owner,
        events=frozenset(events),
        topic=topic.strip(),
        configured=True,
        **fields,
    )


def _name(text: str) -> bool:
    """A Backstage entity name or namespace, by the rule the request fields are checked with."""
    return len(text) <= BACKSTAGE_NAME_MAX and _BACKSTAGE_NAME.fullmatch(text) is not None
