"""One Backstage notifications backend for the module; each test reads the inbox of users of its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.notify.backstage import NotificationsBackend, group, user

USERS = ("amelia.park", "ben.okafor", "chen.li", "dana.ruiz", "eli.novak", "fay.osei", "gus.berg", "hana.sato")


@pytest.fixture(scope="module")
def backstage() -> Iterator[NotificationsBackend]:
    entities = [user(name) for name in USERS] + [group("team-payments", ["gus.berg", "hana.sato"])]
    with NotificationsBackend(entities) as backend:
        yield backend
