"""gitops_writer.requests.operations: a plan as data, and the lines and status read off it."""

from __future__ import annotations

import pytest

from gitops_writer.repo import FileChange
from gitops_writer.requests.operations import (
    AddItem,
    ChangeSet,
    CreateEntry,
    CreateFile,
    Operation,
    Plan,
    RemoveEntry,
    RemoveFile,
    RemoveItem,
    Stamp,
    UpdateEntry,
)

TFVARS = "envs/dev/terraform.tfvars"


@pytest.mark.parametrize(
    ("operation", "effect", "line"),
    [
        (CreateFile("catalog/x.yaml", value={"a": 1}), "created", "new file"),
        (RemoveFile("catalog/x.yaml"), "removed", "deleted"),
        (CreateEntry(TFVARS, "/ecr_repositories/x", {"scan": True}), "created", "added /ecr_repositories/x"),
        (UpdateEntry(TFVARS, "/ecr_repositories/x/scan", False), "updated", "set /ecr_repositories/x/scan to false"),
        (RemoveEntry(TFVARS, "/ecr_repositories/x"), "removed", "removed /ecr_repositories/x"),
        (AddItem("c.yaml", "/spec/targets", "./x.yaml"), "created", "added ./x.yaml to /spec/targets"),
        (RemoveItem("c.yaml", "/spec/targets", "./x.yaml"), "removed", "removed ./x.yaml from /spec/targets"),
        (RemoveItem("c.yaml", "/envs", ["dev"], staying=True), "updated", 'removed ["dev"] from /envs'),
        (Stamp("c.yaml", "/last_updated", "2026-12-07"), None, 'set /last_updated to "2026-12-07"'),
    ],
)
def test_each_operation_says_how_it_counts_and_what_it_does(
    operation: Operation, effect: str | None, line: str
) -> None:
    assert operation.effect == effect
    assert operation.line == line


def test_a_plan_shows_what_creates_then_updates_then_removes_and_hides_the_stamp() -> None:
    stamp, update = Stamp("c.yaml", "/d", "2026-12-07"), UpdateEntry(TFVARS, "/a", 1)
    removal, creation = RemoveEntry("c.yaml", "/b"), CreateEntry(TFVARS, "/c", 2)
    plan = Plan((stamp, update, removal, creation))
    assert plan.shown == [creation, update, removal]
    assert plan.files == ["c.yaml", TFVARS]


@pytest.mark.parametrize(
    ("operations", "changed", "status"),
    [
        ((CreateEntry(TFVARS, "/c", 2),), False, "unchanged"),
        ((CreateEntry(TFVARS, "/c", 2), UpdateEntry(TFVARS, "/a", 1)), True, "created"),
        ((UpdateEntry(TFVARS, "/a", 1),), True, "updated"),
        ((UpdateEntry(TFVARS, "/a", 1), RemoveEntry(TFVARS, "/b")), True, "removed"),
    ],
)
def test_a_change_set_status(operations: tuple[Operation, ...], changed: bool, status: str) -> None:
    change = FileChange(TFVARS, "a = 1\n", "a = 2\n" if changed else "a = 1\n")
    assert ChangeSet(Plan(operations), (change,)).status == status
