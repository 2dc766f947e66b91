"""Where each of a kind's edits finds its resources today: map keys, list items, files, by name."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gitops_writer.check.patterns import leaves_with, literal, matched, partial_fill, placeholders, template_regex
from gitops_writer.check.scan import Snapshot, at, scalars
from gitops_writer.errors import GitopsWriterError, UsageError
from gitops_writer.pointer import parse_pointer
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Node

if TYPE_CHECKING:
    from gitops_writer.kinds.model import EditTemplate


@dataclass(frozen=True)
class Place:
    path: str
    line: int
    environments: frozenset[str]  # the environments this place records the resource in


@dataclass
class Presence:
    """One edit of a kind, read back over the whole repository."""

    edit: EditTemplate
    label: str  # "tfvars entry", "catalog entry", ...
    scoped: bool  # the edit's path names {environment}: one file per environment
    records_environment: bool  # the edit's value records {environment}
    recorders: list[tuple[tuple[str, ...], re.Pattern[str]]] = field(default_factory=list)  # where, and how
    places: dict[str, list[Place]] = field(default_factory=dict)
    unreadable: list[tuple[str, GitopsWriterError]] = field(default_factory=list)
    read: list[str] = field(default_factory=list)  # the files it looked in

    def add(self, name: str, place: Place) -> None:
        self.places.setdefault(name, []).append(place)

    def where(self, name: str, environment: str | None = None) -> str:
        """The file (and pointer) this edit writes for the resource, for a message."""
        known = {"name": name, **({"environment": environment} if environment else {})}
        path = literal(partial_fill(self.edit.path, known))
        pointer = literal(partial_fill(self.edit.pointer, known))
        if self.edit.edit_type == "item":
            return f"{literal(partial_fill(str(self.edit.value), known))} in {path} {pointer}"
        if self.edit.edit_type == "entry":
            return f"{path} {pointer}"
        return path


# A record names one environment ({environment}) or, shared by several, each of them ({environments}: a list).
ENVIRONMENT_PLACEHOLDERS = ("environment", "environments")
LABELS = {"tfvars": "tfvars entry", "catalog": "catalog entry", "entity": "entity file", "location": "Location target"}


def label_of(edit: EditTemplate, index: int) -> str:
    if edit.id in LABELS:
        return LABELS[edit.id]
    if edit.edit_type == "file":
        return "entity file" if isinstance(edit.value, dict) and "apiVersion" in edit.value else "file"
    if edit.edit_type == "item":
        return "Location target" if edit.pointer == "/spec/targets" else "list item"
    return "tfvars entry" if edit.path.endswith(".tfvars") else "catalog entry"


def presences(snapshot: Snapshot, edits: Sequence[EditTemplate], environments: Sequence[str]) -> list[Presence]:
    return [_presence(snapshot, edit, index, environments) for index, edit in enumerate(edits)]


def _presence(snapshot: Snapshot, edit: EditTemplate, index: int, environments: Sequence[str]) -> Presence:
    scoped = "environment" in placeholders(edit.path)
    value = edit.value
    recorders = [
        (tokens, template_regex(leaf))
        for placeholder in ENVIRONMENT_PLACEHOLDERS
        for tokens, leaf in leaves_with(value, placeholder)
    ]
    presence = Presence(edit, label_of(edit, index), scoped, bool(recorders), recorders)
    for environment in environments if scoped else [None]:
        known = {"environment": environment} if environment else {}
        path_template = partial_fill(edit.path, known)
        recorded = frozenset([environment]) if environment else None
        for path, match in _paths(snapshot, path_template):
            presence.read.append(path)
            try:
                if edit.edit_type == "file":
                    name = matched(match, "name") if match else None
                    if name is None:
                        continue
                    presence.add(name, Place(path, 1, recorded or _recorded(snapshot, path, presence, environments)))
                elif edit.edit_type == "entry":
                    _entries(snapshot, presence, path, partial_fill(edit.pointer, known), recorded, environments)
                elif edit.edit_type == "item":
                    _items(snapshot, presence, path, partial_fill(edit.pointer, known), recorded)
            except GitopsWriterError as exc:
                presence.unreadable.append((path, exc))
    return presence


def _paths(snapshot: Snapshot, template: str) -> Iterable[tuple[str, re.Match[str] | None]]:
    if not placeholders(template):
        path = literal(template)
        if snapshot.exists(path):
            yield path, None
        return
    pattern = template_regex(template, segment=True)
    prefix = literal(template.split("{", 1)[0].rsplit("/", 1)[0])
    for path in sorted(snapshot.files):
        if path.startswith(prefix):
            match = pattern.fullmatch(path)
            if match:
                yield path, match


def _entries(
    snapshot: Snapshot,
    presence: Presence,
    path: str,
    pointer: str,
    recorded: frozenset[str] | None,
    environments: Sequence[str],
) -> None:
    tokens = _tokens(pointer)
    *parent, last = tokens
    if any(placeholders(token) for token in parent) or not placeholders(last):
        return  # the entry is not keyed by a placeholder: nothing to find resources by
    key_pattern = template_regex(last)
    for key, line, node in _keys(snapshot, path, tuple(literal(t) for t in parent), presence.edit):
        match = key_pattern.fullmatch(key)
        name = matched(match, "name") if match else None
        if name is None:
            continue
        environments_here = recorded
        if environments_here is None:
            environments_here = _environments(node, presence, environments) if node is not None else frozenset()
        presence.add(name, Place(path, line, environments_here))


def _keys(
    snapshot: Snapshot, path: str, parent: tuple[str, ...], edit: EditTemplate
) -> Iterable[tuple[str, int, Node | None]]:
    """(key, line, value node or None) of the map at `parent`."""
    if path.endswith((".tfvars", ".tf", ".hcl")):
        yield from _hcl_keys(snapshot, path, parent)
        return
    documents = snapshot.yaml(path)
    index = edit.document
    if index >= len(documents):
        return
    node = at(documents[index].root, parent)
    if node is None or node.node_type != MAPPING:
        return
    for key, value in node.items:
        if key.node_type == "scalar":
            yield key.value, key.line + 1, value


def _hcl_keys(snapshot: Snapshot, path: str, parent: tuple[str, ...]) -> Iterable[tuple[str, int, Node | None]]:
    from gitops_writer.hcl.decode import decode_key
    from gitops_writer.hcl.syntax import body_container, container_of

    src, tree = snapshot.hcl(path)
    container = body_container(tree, src)
    for token in parent:
        element = next(
            (e for e in container.elements if e.key_node is not None and decode_key(src, e.key_node) == token), None
        )
        found = container_of(element.value) if element is not None else None
        if found is None:
            return
        container = found
    for element in container.elements:
        if element.key_node is not None:
            key = decode_key(src, element.key_node)
            if isinstance(key, str):
                yield key, element.node.start_point[0] + 1, None


def _items(snapshot: Snapshot, presence: Presence, path: str, pointer: str, recorded: frozenset[str] | None) -> None:
    value = presence.edit.value
    if not isinstance(value, str) or "name" not in placeholders(value):
        return
    pattern = template_regex(value)
    documents = snapshot.yaml(path)
    index = presence.edit.document
    node = at(documents[index].root, tuple(literal(t) for t in _tokens(pointer))) if index < len(documents) else None
    for text, line in scalars(node) if node is not None and node.node_type == SEQUENCE else []:
        match = pattern.fullmatch(text)
        name = matched(match, "name") if match else None
        if name is not None:
            presence.add(name, Place(path, line, recorded or frozenset()))


def _recorded(snapshot: Snapshot, path: str, presence: Presence, environments: Sequence[str]) -> frozenset[str]:
    if not presence.recorders:
        return frozenset()
    documents = snapshot.yaml(path)
    return _environments(documents[0].root, presence, environments) if documents else frozenset()


def _environments(node: Node, presence: Presence, environments: Sequence[str]) -> frozenset[str]:
    """The environments recorded where the template writes `{environment}` (any item of a list counts)."""
    found: set[str] = set()
    for tokens, pattern in presence.recorders:
        for text in _texts_at(node, tokens):
            match = pattern.fullmatch(text)
            environment = (matched(match, "environment") or matched(match, "environments")) if match else None
            if environment in environments:
                found.add(environment)  # type: ignore[arg-type]
    return frozenset(found)


def _texts_at(node: Node | None, tokens: tuple[str, ...]) -> list[str]:
    nodes = [node]
    for token in tokens:
        following: list[Node | None] = []
        for current in nodes:
            if current is not None and current.node_type == SEQUENCE and token.isdigit():
                following.extend(current.items)  # the template's item order need not be the file's
            else:
                following.append(at(current, (token,)))
        nodes = following
    return [text for current in nodes for text, _ in scalars(current)]


def _tokens(pointer: str) -> tuple[str, ...]:
    try:
        return parse_pointer(pointer)
    except UsageError:
        return ()
