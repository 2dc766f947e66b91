"""Backstage's own notifications backend, run in a node process on loopback (tests/node/notifications.mjs).

with NotificationsBackend([user("amelia.park")]) as backstage:
    backstage.url               # the backend's base URL, for --backstage-url / the action input
    backstage.token             # the service token it accepts, standing in for a static externalAccess token
    backstage.inbox("user:default/amelia.park")   # that user's notifications, newest first, as they read them
"""

from __future__ import annotations

import json
import selectors
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from tests.backstage_node import NODE_DIR, SETUP_HINT, require_node

SCRIPT = NODE_DIR / "notifications.mjs"
START_TIMEOUT = 60.0


def user(name: str, groups: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "User",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"memberOf": list(groups)},
    }


def group(name: str, members: Sequence[str]) -> dict[str, Any]:
    """A group as the catalog serves it: its members as hasMember relations, which recipients resolve through."""
    return {
        "apiVersion": "backstage.io/v1alpha1",
        "kind": "Group",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"type": "team", "children": [], "members": list(members)},
        "relations": [{"type": "hasMember", "targetRef": f"user:default/{member}"} for member in members],
    }


class NotificationsBackend:
    def __init__(self, entities: Sequence[Mapping[str, Any]]) -> None:
        if not (NODE_DIR / "node_modules" / "@backstage" / "plugin-notifications-backend").is_dir():
            raise RuntimeError(SETUP_HINT)
        self._entities = list(entities)
        self._process: subprocess.Popen[str] | None = None
        self.url = ""
        self.token = ""
        self._user_tokens: dict[str, str] = {}

    def __enter__(self) -> NotificationsBackend:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as catalog:
            json.dump(self._entities, catalog)
        self._catalog = Path(catalog.name)
        self._process = subprocess.Popen(
            [require_node(), str(SCRIPT), str(self._catalog)],
            cwd=NODE_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self._process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            if not selector.select(START_TIMEOUT):
                self.__exit__()
                raise RuntimeError(f"the notifications backend did not start within {START_TIMEOUT:g} s")
        line = self._process.stdout.readline()
        if not line:
            self.__exit__()
            raise RuntimeError("the notifications backend exited before serving")
        started = json.loads(line)
        self.url, self.token, self._user_tokens = started["url"], started["serviceToken"], started["userTokens"]
        return self

    def __exit__(self, *exc: object) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()  # the harness stops the backend and exits
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        self._catalog.unlink(missing_ok=True)

    def inbox(self, user_ref: str) -> list[dict[str, Any]]:
        """The user's notifications as Backstage's notifications page asks for them."""
        response = httpx.get(
            f"{self.url}/api/notifications/notifications",
            headers={"Authorization": f"Bearer {self._user_tokens[user_ref]}"},
            timeout=10,
        )
        response.raise_for_status()
        notifications: list[dict[str, Any]] = response.json()["notifications"]
        return notifications
