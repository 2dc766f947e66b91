"""The words of the config's `notifications:` section: its keys and the events a request can be heard of.

The section is read by notify/settings.py; the config's JSON Schema (config_schema.py) names the same keys.
"""

from __future__ import annotations

from typing import Literal

Event = Literal["opened", "updated", "refused", "blocked", "done"]
EVENTS: tuple[Event, ...] = ("opened", "updated", "refused", "blocked", "done")
KEYS = frozenset({"namespace", "requester_field", "owner_field", "notify_owner", "events", "topic"})
