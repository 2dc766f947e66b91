"""Backstage's scaffolder backend under node (tests/node/scaffolder.mjs), one process for many tasks,
and what GitHub makes of the inputs a dispatch sends (the workflow's `inputs` context)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from tests.backstage_node import NODE_DIR, SETUP_HINT

SCRIPT = NODE_DIR / "scaffolder.mjs"


def node_or_skip() -> str:
    """node, or skip the test saying why; with node present, missing packages are a failure, not a skip."""
    import pytest

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: Backstage's scaffolder backend runs under node")
    if not (NODE_DIR / "node_modules" / "@backstage" / "plugin-scaffolder-backend").is_dir():
        pytest.fail(SETUP_HINT)
    return node


@dataclass(frozen=True)
class Dispatch:
    workflow: str
    inputs: dict[str, Any]  # the request body's inputs, as Backstage sent them
    ref: str
    status: int  # what the loopback GitHub answered
    answer: str


@dataclass(frozen=True)
class Task:
    status: str  # completed, failed, or refused (the backend would not start it)
    error: str | None
    dispatches: tuple[Dispatch, ...]
    log: tuple[str, ...]


class Scaffolder:
    """The scaffolder backend with the GitHub module, an in-memory catalog holding `entities`."""

    def __init__(self, entities: Sequence[Mapping[str, Any]]) -> None:
        self._process = subprocess.Popen(
            [node_or_skip(), str(SCRIPT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=NODE_DIR,
        )
        self._send({"entities": list(entities)})
        ready = self._receive()
        if ready != {"ready": True}:
            raise RuntimeError(f"scaffolder.mjs did not start: {ready}")

    def _send(self, message: Mapping[str, Any]) -> None:
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(message) + "\n")
        self._process.stdin.flush()

    def _receive(self) -> Any:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait(timeout=30)
            assert self._process.stderr is not None
            raise RuntimeError(f"scaffolder.mjs stopped ({self._process.returncode}): {self._process.stderr.read()}")
        return json.loads(line)

    def run(self, template: str, values: Mapping[str, Any], user: str, workflows: Mapping[str, str]) -> Task:
        """Run template `template` (its metadata.name) as `user` (an entity ref), GitHub holding `workflows`."""
        self._send({"template": template, "values": dict(values), "user": user, "workflows": dict(workflows)})
        result = self._receive()
        if result["status"] == "harness-error":
            raise RuntimeError(result["error"])
        dispatches = tuple(
            Dispatch(d["workflow"], d["body"].get("inputs") or {}, d["body"].get("ref", ""), d["status"], d["answer"])
            for d in result["dispatches"]
        )
        return Task(result["status"], result["error"], dispatches, tuple(result["log"]))

    def answer(self, workflow: str, body: Mapping[str, Any]) -> tuple[int, str]:
        """What the loopback GitHub answers a dispatch of `body` to a workflow of this text."""
        self._send({"answer": {"workflow": workflow, "body": dict(body)}})
        result = self._receive()
        return result["status"], result["answer"]

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        for stream in (self._process.stdout, self._process.stderr):
            if stream is not None:
                stream.close()


def inputs_context(workflow: str, sent: Mapping[str, Any]) -> dict[str, Any]:
    """The `inputs` context GitHub builds from a dispatch's inputs: declared inputs only, defaults filled in,
    booleans as booleans and numbers as numbers; the others strings."""
    declared = yaml.load(workflow, Loader=yaml.BaseLoader)["on"]["workflow_dispatch"].get("inputs") or {}
    context: dict[str, Any] = {}
    for name, spec in declared.items():
        value = sent.get(name, spec.get("default"))
        kind = spec.get("type", "string")
        if kind == "boolean":
            context[name] = str(value).lower() == "true"
        elif kind == "number":
            if value is not None and str(value) != "":
                context[name] = float(value)
        else:
            context[name] = "" if value is None else str(value)
    return context
