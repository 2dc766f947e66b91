"""Learn a kind's house style from what the repository already holds.

Each edit of the kind is looked up where the built-in layout puts it; what the repository holds
there (the newest sibling entity, the governance catalog's newest entry, the Location that lists
the siblings, the tfvars map) becomes the edit's template, with the sibling's own values turned back
into placeholders. What cannot be found is left to the built-in layout, and said so.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from gitops_writer.check.patterns import literal, partial_fill, placeholders
from gitops_writer.check.scan import Snapshot, at, child
from gitops_writer.errors import GitopsWriterError, in_file
from gitops_writer.init.model import Inference, edit_data, edit_id
from gitops_writer.init.shapes import (
    DATE,
    complete,
    dates,
    fill_known,
    leaf_pointers,
    lookup,
    replace_at,
    templatize,
    values_from,
)
from gitops_writer.init.siblings import Newest, find_siblings, location_targets, newest
from gitops_writer.pointer import format_pointer, parse_pointer
from gitops_writer.requests.model import name_id
from gitops_writer.values import JSONObject, JSONValue
from gitops_writer.yaml.syntax import MAPPING

if TYPE_CHECKING:
    from gitops_writer.kinds.model import EditTemplate, RequestKind


class Learner:
    def __init__(self, root: Path, kind_name: str, kind: RequestKind, environments: Sequence[str]) -> None:
        self.root = root
        self.snapshot = Snapshot(root)
        self.entities: dict[str, JSONValue] = {}  # each sibling's entity, decoded once
        self.kind = kind
        self.environments = environments
        self.edits = {edit_id(edit): edit for edit in kind.edits}
        self.result = Inference(kind_name)

    def learn(self) -> Inference:
        siblings = self._siblings()
        catalog_entries = self._catalog_entries()
        chosen = self._newest(siblings, catalog_entries)
        known: dict[str, str] = {}
        if chosen is not None:
            known = self._values(chosen.name, chosen.path, catalog_entries)
            self._entity(chosen, known, siblings, catalog_entries)
            self._location(chosen.name, chosen.path)
        self._catalog(chosen.name if chosen else None, catalog_entries, known)
        self._tfvars()
        return self.result

    # -- the entity folder and its siblings

    def _siblings(self) -> dict[str, str]:
        edit = self.edits.get("entity")
        if edit is None or edit.edit_type != "file":
            self.result.cannot("entity: the kind writes no entity file")
            return {}
        found, self.entities = find_siblings(self.snapshot, edit.path, self.result)
        return found

    def _newest(self, siblings: dict[str, str], catalog_entries: JSONObject) -> Newest | None:
        if not siblings:
            return None
        edit = self.edits.get("catalog")
        catalog = (literal(edit.path) if edit is not None else "the catalog", list(catalog_entries))
        chosen = newest(self.root, siblings, catalog, location_targets(self.snapshot))
        self.result.note(f"entity: {chosen.path} is {chosen.reason}")
        return chosen

    # -- the values a sibling was requested with

    def _catalog_entries(self) -> JSONObject:
        edit = self.edits.get("catalog")
        if edit is None or edit.edit_type != "entry":
            return {}
        path = literal(edit.path)
        if placeholders(edit.path) or not self.snapshot.exists(path):
            self.result.cannot(f"catalog: {path} does not exist; the built-in catalog entry stays")
            return {}
        tokens = parse_pointer(edit.pointer)
        try:
            documents = self.snapshot.yaml(path)
        except GitopsWriterError as exc:
            self.result.cannot(f"catalog: {exc}")
            return {}
        from gitops_writer.yaml.decode import to_value

        node = at(documents[edit.document].root, [literal(t) for t in tokens[:-1]]) if documents else None
        if node is None or node.node_type != MAPPING:
            self.result.cannot(f"catalog: {path} has no map at {format_pointer(tokens[:-1])}")
            return {}
        try:
            doc = documents[edit.document]
            return {key.value: cast(JSONValue, to_value(value, doc)) for key, value in node.items}  # Opaque as read
        except GitopsWriterError as exc:
            self.result.cannot(f"catalog: {in_file(exc, path)}")
            return {}

    def _values(self, name: str, path: str, catalog: JSONObject) -> dict[str, str]:
        """The placeholders' values for one sibling: from its catalog entry and its entity, read through the
        built-in templates."""
        known: dict[str, str] = {"name": name, "name_id": name_id(name)}
        if name in catalog and "catalog" in self.edits:
            values_from(self.edits["catalog"].value, catalog[name], known)
        if "entity" in self.edits:
            values_from(self.edits["entity"].value, self.entities[path], known)
        if "date" in known and not DATE.fullmatch(known["date"]):
            del known["date"]
        if "environments" in known:  # one sibling: the environment it was requested in
            known.setdefault("environment", known.pop("environments"))
        return {k: v for k, v in known.items() if isinstance(v, str) and v}

    # -- each edit

    def _entity(self, chosen: Newest, known: dict[str, str], siblings: dict[str, str], catalog: JSONObject) -> None:
        data = self.entities[chosen.path]
        edit = self.edits["entity"]
        value = templatize(data, {k: v for k, v in known.items() if k != "date"}, like=edit.value)
        agree = checked = 0
        for other, other_path in siblings.items():
            if other == chosen.name:
                continue
            expected = fill_known(value, self._values(other, other_path, catalog))
            if complete(expected):
                checked += 1
                agree += expected == self.entities[other_path]
        self.result.note(
            f"entity: shape, annotation keys and their order, description, tags and relations from {chosen.path}"
            + (f"; {agree} of {checked} siblings whose values are known read the same" if checked else "")
        )
        learned: JSONObject = {"id": "entity", "kind": "file", "path": edit.path, "value": value}
        self.result.add("entity", learned, edit, [chosen.path])

    def _location(self, name: str, path: str) -> None:
        edit = self.edits.get("location")
        for location in location_targets(self.snapshot):
            if path not in location.targets:
                continue
            documents = self.snapshot.yaml(location.path)
            targets = child(child(documents[location.document].root, "spec"), "targets")
            assert targets is not None
            value = templatize(targets.items[location.targets.index(path)].value, {"name": name})
            learned: JSONObject = {"id": "location", "kind": "item", "path": location.path, "pointer": "/spec/targets"}
            if location.document:
                learned["document"] = location.document
            learned["value"] = value
            self.result.note(f"location: {location.path} lists the siblings, as {value}")
            self.result.add("location", learned, edit, [location.path])
            return
        self.result.cannot(f"location: no Location lists {path}; the built-in Location target stays")

    def _catalog(self, name: str | None, entries: JSONObject, known: dict[str, str]) -> None:
        edit = self.edits.get("catalog")
        if edit is None or not entries:
            return
        entry_name = name if name is not None and name in entries else list(entries)[-1]
        values = dict(known) if entry_name == name else {"name": entry_name, "name_id": name_id(entry_name)}
        values_from(edit.value, entries[entry_name], values)
        value = dates(
            templatize(entries[entry_name], {k: v for k, v in values.items() if k != "date"}, like=edit.value)
        )
        for pointer in edit.keep:  # people change these after the request: take the built-in's
            found, built_in = lookup(edit.value, pointer)
            if found:
                replace_at(value, pointer, built_in)
        path = literal(edit.path)
        learned: JSONObject = {"id": "catalog", "kind": "entry", "path": edit.path, "pointer": edit.pointer}
        learned["value"] = value
        keep: list[JSONValue] = [p for p in edit.keep if lookup(value, p)[0]]
        if keep:
            learned["keep"] = keep
        documents = self.snapshot.yaml(path)
        if edit.stamp and at(documents[edit.document].root, list(parse_pointer(edit.stamp))) is not None:
            learned["stamp"] = edit.stamp
        fields = ", ".join(leaf_pointers(value))
        self.result.note(f"catalog: the fields of entry {entry_name} in {path}, in their order: {fields}")
        self.result.add("catalog", learned, edit, [path])

    def _tfvars(self) -> None:
        edit = self.edits.get("tfvars")
        if edit is None or edit.edit_type != "entry":
            return
        tokens = parse_pointer(edit.pointer)
        variable = literal(tokens[0]) if tokens else ""
        holders = [
            found for environment in self.environments if (found := self._tfvars_map(edit, environment, variable))
        ]
        if not holders:
            self.result.cannot(f"tfvars: no {literal(edit.path)} holds the map {variable}; the built-in location stays")
            return
        described = "; ".join(
            f"{path}: {count} entr{'y' if count == 1 else 'ies'}"
            + (f", {quoted} with quoted keys" if count else " (new keys are quoted, as names of a map of objects)")
            for path, count, quoted in holders
        )
        self.result.note(f"tfvars: the map {variable} is at {literal(edit.path)} {edit.pointer} ({described})")
        self.result.add("tfvars", edit_data(edit), edit, [path for path, _, _ in holders])

    def _tfvars_map(self, edit: EditTemplate, environment: str, variable: str) -> tuple[str, int, int] | None:
        """(file, entries, entries with quoted keys) of the environment's map, if its tfvars holds it."""
        path = literal(partial_fill(edit.path, {"environment": environment}))
        if not self.snapshot.exists(path):
            return None
        try:
            src, tree = self.snapshot.hcl(path)
        except GitopsWriterError as exc:
            self.result.cannot(f"tfvars: {exc}")
            return None
        from gitops_writer.hcl.syntax import body_container, container_of, text_of

        for element in body_container(tree, src).elements:
            if element.key_node is not None and text_of(src, element.key_node) == variable:
                container = container_of(element.value)
                entries = container.elements if container is not None else []
                quoted = sum(1 for e in entries if e.key_node and text_of(src, e.key_node).startswith('"'))
                return path, len(entries), quoted
        return None
