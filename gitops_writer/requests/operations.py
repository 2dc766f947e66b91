"""A request's plan as data: what it does to each file, one operation at a time.

`planner.plan` reads the files and returns a `Plan`; `applying.apply` splices it into the texts and
returns a `ChangeSet`. The diff, the commit message and the pull request are read off these values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import ClassVar, Literal

from gitops_writer.repo.files import FileChange
from gitops_writer.values import JSONValue

Effect = Literal["created", "updated", "removed"]


@dataclass(frozen=True)
class Operation:
    """One change to one file: `pointer` (a JSON Pointer) names where in the file, `value` what goes there."""

    file: str  # relative to the repository root, POSIX separators
    pointer: str = ""
    value: JSONValue = None
    document: int = 0  # which document of a YAML stream

    EFFECT: ClassVar[Effect | None] = None
    LINE: ClassVar[str] = "set {pointer} to {json}"  # with the pointer, the value and the value as JSON

    def __init_subclass__(cls, *, effect: Effect | None = None, line: str = LINE) -> None:
        super().__init_subclass__()
        cls.EFFECT, cls.LINE = effect, line

    @property
    def effect(self) -> Effect | None:
        """How the operation counts in the request's status, and where its line goes (None: not shown)."""
        return self.EFFECT

    @property
    def line(self) -> str:
        """One line for people, after the file's path: what the operation does."""
        return self.LINE.format(pointer=self.pointer, value=self.value, json=show(self.value))


@dataclass(frozen=True)
class CreateFile(Operation, effect="created", line="new file"):
    """A new file: `value` is its data (an entity, a document) unless `text` gives the text itself."""

    text: str | None = None
    header: str = ""  # text kept verbatim before the rendered value (comments, `---`)


@dataclass(frozen=True)
class RemoveFile(Operation, effect="removed", line="deleted"):
    """A file deleted."""


@dataclass(frozen=True)
class CreateEntry(Operation, effect="created", line="added {pointer}"):
    """A map entry that does not exist yet (its parents are made as needed)."""


@dataclass(frozen=True)
class UpdateEntry(Operation, effect="updated"):
    """An existing value set to another."""


@dataclass(frozen=True)
class RemoveEntry(Operation, effect="removed", line="removed {pointer}"):
    """An entry taken out of its map."""


@dataclass(frozen=True)
class AddItem(Operation, effect="created", line="added {value!s} to {pointer}"):
    """An item added to the list at `pointer`, in its sorted place when the list is sorted."""


@dataclass(frozen=True)
class RemoveItem(Operation):
    """Every item equal to `value` taken out of the list at `pointer`.

    `staying`: the record stays (another environment still holds the resource), so the removal only
    keeps it up to date and counts as an update.
    """

    staying: bool = False

    @property
    def effect(self) -> Effect:
        return "updated" if self.staying else "removed"

    @property
    def line(self) -> str:
        shown = show(self.value) if self.staying else f"{self.value!s}"
        return f"removed {shown} from {self.pointer}"


@dataclass(frozen=True)
class Stamp(Operation):
    """The file's date field (at `pointer`) set to the request's date (`value`)."""


@dataclass(frozen=True)
class Plan:
    """Every operation of one request, in the order they are made, and where the resource lives after it."""

    operations: tuple[Operation, ...]
    environments: tuple[str, ...] = ()  # the environments holding the resource once the request is made

    def effects(self, effect: Effect) -> list[Operation]:
        return [op for op in self.operations if op.effect == effect]

    @property
    def files(self) -> list[str]:
        """The files the plan touches, in the order of their first operation."""
        return list(dict.fromkeys(op.file for op in self.operations))

    @property
    def shown(self) -> list[Operation]:
        """The operations people see, what creates first, then what updates, then what removes."""
        return self.effects("created") + self.effects("updated") + self.effects("removed")


@dataclass(frozen=True)
class ChangeSet:
    """A plan applied: one FileChange per file read, and the plan they come from."""

    plan: Plan
    changes: tuple[FileChange, ...]

    @property
    def environments(self) -> tuple[str, ...]:
        return self.plan.environments

    @property
    def changed(self) -> bool:
        return any(change.changed for change in self.changes)

    @property
    def status(self) -> str:
        if not self.changed:
            return "unchanged"
        if self.plan.effects("removed"):
            return "removed"
        return "updated" if self.plan.effects("updated") and not self.plan.effects("created") else "created"


def show(value: object) -> str:
    """A value as one line of JSON, as the change lines show it."""
    return json.dumps(value, ensure_ascii=False, default=str)
