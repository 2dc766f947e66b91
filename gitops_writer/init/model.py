"""What init learned: each edit as the config file writes it, and what it says about where it came from."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gitops_writer.values import JSONObject

if TYPE_CHECKING:
    from gitops_writer.kinds.model import EditTemplate


@dataclass
class Learned:
    edit_id: str
    edit: JSONObject  # the edit as the config file writes it
    same_as_built_in: bool
    sources: list[str]  # the files it was learned from


@dataclass
class Inference:
    kind: str
    learned: list[Learned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was inferred, and from which files
    unknown: list[str] = field(default_factory=list)  # what could not be, left to the built-in layout
    settings: JSONObject = field(default_factory=dict)  # kind settings besides edits (fields, labels, ...)
    comments: dict[tuple[str, ...], list[str]] = field(default_factory=dict)  # setting's keys -> where from

    @property
    def overrides(self) -> list[Learned]:
        return [item for item in self.learned if not item.same_as_built_in]

    def note(self, text: str) -> None:
        self.notes.append(text)

    def cannot(self, text: str) -> None:
        self.unknown.append(text)

    def add(self, name: str, learned: JSONObject, built_in: EditTemplate | None, sources: list[str]) -> None:
        same = built_in is not None and canonical(learned) == canonical(edit_data(built_in))
        self.learned.append(Learned(name, learned, same, sources))


def edit_id(edit: EditTemplate) -> str:
    """The edit's id; edits of a layout written before ids existed are named by what they are."""
    if edit.id:
        return edit.id
    if edit.edit_type == "file":
        return "entity"
    if edit.edit_type == "item":
        return "location"
    return "tfvars" if edit.path.endswith(".tfvars") else "catalog"


def edit_data(edit: EditTemplate) -> JSONObject:
    """An edit as it is written in a config file."""
    data: JSONObject = {"id": edit_id(edit), "kind": edit.edit_type, "path": edit.path}
    if edit.edit_type != "file":
        data["pointer"] = edit.pointer
    data["value"] = edit.value
    if edit.keep:
        data["keep"] = list(edit.keep)
    if edit.stamp:
        data["stamp"] = edit.stamp
    if edit.document:
        data["document"] = edit.document
    return data


def canonical(data: JSONObject) -> str:
    trimmed = {k: v for k, v in data.items() if k != "keep" or v}
    return json.dumps(trimmed, sort_keys=False, default=str)
