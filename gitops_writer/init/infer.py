"""Learn a kind's house style from what the repository already holds.

Each edit of the kind is looked up where the built-in layout puts it; what the repository holds
there (the newest sibling entity, the governance catalog's newest entry, the Location that lists
the siblings, the tfvars map) becomes the edit's template, with the sibling's own values turned back
into placeholders. What cannot be found is left to the built-in layout, and said so.
"""

from __future__ import annotations

import posixpath
import re
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gitops_writer.check.patterns import literal, matched, partial_fill, placeholders, template_regex
from gitops_writer.check.scan import Snapshot, at, child
from gitops_writer.errors import GitopsWriterError, UsageError, in_file
from gitops_writer.pointer import format_pointer, parse_pointer
from gitops_writer.requests.model import name_id
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE

# Which placeholder wins when two fields hold the same value, most specific first.
PRIORITY = ("id", "name_id", "name", "environment", "owner", "requester", "domain", "risk", "date")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass
class Learned:
    edit_id: str
    edit: dict[str, Any]  # the edit as the config file writes it
    same_as_built_in: bool
    sources: list[str]  # the files it was learned from


@dataclass
class Inference:
    kind: str
    learned: list[Learned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was inferred, and from which files
    unknown: list[str] = field(default_factory=list)  # what could not be, left to the built-in layout

    @property
    def overrides(self) -> list[Learned]:
        return [item for item in self.learned if not item.same_as_built_in]


def edit_id(edit: Any) -> str:
    """The edit's id; edits of a layout written before ids existed are named by what they are."""
    given = getattr(edit, "id", None)
    if given:
        return str(given)
    if edit.kind == "file":
        return "entity"
    if edit.kind == "item":
        return "location"
    return "tfvars" if edit.path.endswith(".tfvars") else "catalog"


def edit_data(edit: Any) -> dict[str, Any]:
    """An edit as it is written in a config file."""
    data: dict[str, Any] = {"id": edit_id(edit), "kind": edit.kind, "path": edit.path}
    if edit.kind != "file":
        data["pointer"] = edit.pointer
    data["value"] = edit.value
    if getattr(edit, "keep", ()):
        data["keep"] = list(edit.keep)
    if getattr(edit, "stamp", ""):
        data["stamp"] = edit.stamp
    if getattr(edit, "document", 0):
        data["document"] = edit.document
    return data


def templatize(value: Any, known: Mapping[str, str], *, in_list: bool = False, like: Any = None) -> Any:
    """`value` with each known value, where it stands as a whole word, written as its placeholder.

    In a list item, or where the built-in template (`like`) lists them, the environment becomes
    `{environments}`: every environment the resource lives in, as the built-in kind records them.
    """
    if isinstance(value, dict):
        return {
            key: templatize(child, known, like=like.get(key) if isinstance(like, dict) else None)
            for key, child in value.items()
        }
    if isinstance(value, list):
        items = [templatize(child, known, in_list=True) for child in value]
        return "{environments}" if items == ["{environments}"] else items  # the list of environments itself
    if not isinstance(value, str):
        return value
    text = value.replace("{", "{{").replace("}", "}}")
    order = sorted(
        ((name, known[name]) for name in known if len(known[name]) >= 2),
        key=lambda item: (-len(item[1]), PRIORITY.index(item[0]) if item[0] in PRIORITY else len(PRIORITY)),
    )
    for name, found in order:
        pattern = re.compile(rf"(?<![A-Za-z0-9_{{]){re.escape(found)}(?![A-Za-z0-9_}}])")
        listed = in_list or (isinstance(like, str) and "{environments}" in like)
        placeholder = "environments" if listed and name == "environment" else name
        text = pattern.sub("{" + placeholder + "}", text)
    return text


def fill_known(template: Any, known: Mapping[str, str]) -> Any:
    if isinstance(template, dict):
        return {key: fill_known(child, known) for key, child in template.items()}
    if isinstance(template, list):
        return [fill_known(child, known) for child in template]
    if isinstance(template, str):
        known = {**known, "environments": known["environment"]} if "environment" in known else known
        if any(name not in known for name in placeholders(template)):
            return None
        return literal(partial_fill(template, known))
    return template


def values_from(template: Any, data: Any, found: dict[str, str]) -> None:
    """Where the template holds exactly one placeholder, the data's value there is that placeholder's."""
    if isinstance(template, dict) and isinstance(data, dict):
        for key, child in template.items():
            if key in data:
                values_from(child, data[key], found)
    elif isinstance(template, list) and isinstance(data, list):
        for child in template:  # the file's item order need not be the template's
            for item in data:
                values_from(child, item, found)
    elif isinstance(template, str) and isinstance(data, list) and data and all(isinstance(d, str) for d in data):
        values_from(template, data[0], found)  # `{environments}` as a whole list
    elif isinstance(template, str) and isinstance(data, str):
        match = template_regex(template).fullmatch(data)
        if match is None:
            return
        for name in placeholders(template):
            value = matched(match, name)
            if value and name not in found:
                found[name] = value


class Learner:
    def __init__(self, root: Path, kind_name: str, kind: Any, environments: Sequence[str]) -> None:
        self.root = root
        self.snapshot = Snapshot(root)
        self.entities: dict[str, Any] = {}  # each sibling's entity, decoded once
        self.kind_name = kind_name
        self.kind = kind
        self.environments = environments
        self.edits = {edit_id(edit): edit for edit in kind.edits}
        self.result = Inference(kind_name)

    def note(self, text: str) -> None:
        self.result.notes.append(text)

    def unknown(self, text: str) -> None:
        self.result.unknown.append(text)

    def learn(self) -> Inference:
        siblings = self._siblings()
        newest = self._newest(siblings)
        catalog_entries = self._catalog_entries()
        known: dict[str, str] = {}
        if newest is not None:
            name, path = newest
            known = self._values(name, path, catalog_entries)
            self._entity(name, path, known, siblings, catalog_entries)
            self._location(name, path)
        self._catalog(newest[0] if newest else None, catalog_entries, known)
        self._tfvars()
        return self.result

    # -- the entity folder and its siblings

    def _siblings(self) -> dict[str, str]:
        edit = self.edits.get("entity")
        if edit is None or edit.kind != "file":
            self.unknown("entity: the kind writes no entity file")
            return {}
        template = partial_fill(edit.path, {})
        pattern = template_regex(template, segment=True)
        folder = posixpath.dirname(literal(template.split("{", 1)[0] + "x"))
        from gitops_writer.yaml.decode import to_value

        found = {}
        for path in sorted(self.snapshot.files):
            match = pattern.fullmatch(path)
            name = matched(match, "name") if match else None
            if name:
                try:
                    documents = self.snapshot.yaml(path)
                    if not documents or child(documents[0].root, "kind") is None:
                        continue
                    self.entities[path] = to_value(documents[0].root, documents[0])
                except GitopsWriterError as exc:  # unreadable, or an alias bomb: one line, and the others still count
                    self.unknown(f"entity: {in_file(exc, path)}; not learned from")
                    continue
                found[name] = path
        if not found:
            self.unknown(f"entity: no entity in {folder}/ to learn from; the built-in entity stays")
        return found

    def _newest(self, siblings: dict[str, str]) -> tuple[str, str] | None:
        if not siblings:
            return None
        added = self._git_added(list(siblings.values()))
        if added:
            path = max(added, key=lambda p: (added[p], p))
            name = next(n for n, p in siblings.items() if p == path)
            self.note(f"entity: {path} is the newest of {len(siblings)} siblings (the last one git added)")
            return name, path
        listed = self._listed_order(siblings)
        if listed:
            name = listed[-1]
            self.note(
                f"entity: {siblings[name]} is the newest of {len(siblings)} siblings "
                f"(listed last by the Location that lists them)"
            )
            return name, siblings[name]
        path = max(siblings.values(), key=lambda p: ((self.root / p).stat().st_mtime, p))
        self.note(f"entity: {path} is the newest of {len(siblings)} siblings (by modification time)")
        return next(n for n, p in siblings.items() if p == path), path

    def _git_added(self, paths: list[str]) -> dict[str, int]:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.root), "log", "--diff-filter=A", "--format=@%ct", "--name-only", "--", *paths],
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if done.returncode != 0:
            return {}
        prefix = subprocess.run(
            ["git", "-C", str(self.root), "rev-parse", "--show-prefix"], capture_output=True, text=True, check=False
        ).stdout.strip()
        added: dict[str, int] = {}
        stamp = 0
        for line in done.stdout.splitlines():
            if line.startswith("@"):
                stamp = int(line[1:])
            elif line.strip():
                path = line.strip().removeprefix(prefix)
                added.setdefault(path, stamp)  # git log runs newest first
        return {path: added[path] for path in paths if path in added}

    def _location_targets(self) -> list[tuple[str, int, list[str]]]:
        """(Location file, document index, targets resolved to repository paths) of every Location."""
        found = []
        for entity in self.snapshot.entities:
            if entity.kind != "Location":
                continue
            targets = child(child(entity.node, "spec"), "targets")
            if targets is None or targets.kind != SEQUENCE:
                continue
            folder = posixpath.dirname(entity.path)
            resolved = [
                posixpath.normpath(posixpath.join(folder, t.value)) for t in targets.items if t.kind == "scalar"
            ]
            documents = self.snapshot.yaml(entity.path)
            index = next(i for i, d in enumerate(documents) if d.root is entity.node)
            found.append((entity.path, index, resolved))
        return found

    def _listed_order(self, siblings: dict[str, str]) -> list[str]:
        by_path = {path: name for name, path in siblings.items()}
        for _, _, resolved in self._location_targets():
            order = [by_path[p] for p in resolved if p in by_path]
            if order:
                return order
        return []

    # -- the values a sibling was requested with

    def _catalog_entries(self) -> dict[str, Any]:
        edit = self.edits.get("catalog")
        if edit is None or edit.kind != "entry":
            return {}
        path = literal(edit.path)
        if placeholders(edit.path) or not self.snapshot.exists(path):
            self.unknown(f"catalog: {literal(edit.path)} does not exist; the built-in catalog entry stays")
            return {}
        tokens = parse_pointer(edit.pointer)
        try:
            documents = self.snapshot.yaml(path)
        except GitopsWriterError as exc:
            self.unknown(f"catalog: {exc}")
            return {}
        from gitops_writer.yaml.decode import to_value

        node = at(documents[edit.document].root, [literal(t) for t in tokens[:-1]]) if documents else None
        if node is None or node.kind != MAPPING:
            self.unknown(f"catalog: {path} has no map at {format_pointer(tokens[:-1])}")
            return {}
        try:
            return {key.value: to_value(value, documents[edit.document]) for key, value in node.items}
        except GitopsWriterError as exc:
            self.unknown(f"catalog: {in_file(exc, path)}")
            return {}

    def _values(self, name: str, path: str, catalog: dict[str, Any]) -> dict[str, str]:
        """The placeholders' values for one sibling: from its catalog entry and its entity, read through the
        built-in templates."""
        known: dict[str, str] = {"name": name, "name_id": name_id(name)}
        if name in catalog and "catalog" in self.edits:
            values_from(self.edits["catalog"].value, catalog[name], known)
        if "entity" in self.edits:
            values_from(self.edits["entity"].value, self.entities[path], known)
        if "date" in known and not _DATE.fullmatch(known["date"]):
            del known["date"]
        if "environments" in known:  # one sibling: the environment it was requested in
            known.setdefault("environment", known.pop("environments"))
        return {k: v for k, v in known.items() if isinstance(v, str) and v}

    # -- each edit

    def _entity(
        self, name: str, path: str, known: dict[str, str], siblings: dict[str, str], catalog: dict[str, Any]
    ) -> None:
        data = self.entities[path]
        edit = self.edits["entity"]
        value = templatize(data, {k: v for k, v in known.items() if k != "date"}, like=edit.value)
        agree = checked = 0
        for other, other_path in siblings.items():
            if other == name:
                continue
            values = self._values(other, other_path, catalog)
            expected = fill_known(value, values)
            if _complete(expected):
                checked += 1
                agree += expected == self.entities[other_path]
        self.note(
            f"entity: shape, annotation keys and their order, description, tags and relations from {path}"
            + (f"; {agree} of {checked} siblings whose values are known read the same" if checked else "")
        )
        learned = {"id": "entity", "kind": "file", "path": edit.path, "value": value}
        self._add("entity", learned, edit, [path])

    def _location(self, name: str, path: str) -> None:
        edit = self.edits.get("location")
        for location, index, resolved in self._location_targets():
            if path not in resolved:
                continue
            documents = self.snapshot.yaml(location)
            targets = child(child(documents[index].root, "spec"), "targets")
            assert targets is not None
            text = targets.items[resolved.index(path)].value
            value = templatize(text, {"name": name})
            learned: dict[str, Any] = {"id": "location", "kind": "item", "path": location, "pointer": "/spec/targets"}
            if index:
                learned["document"] = index
            learned["value"] = value
            self.note(f"location: {location} lists the siblings, as {value}")
            self._add("location", learned, edit, [location])
            return
        self.unknown(f"location: no Location lists {path}; the built-in Location target stays")

    def _catalog(self, name: str | None, entries: dict[str, Any], known: dict[str, str]) -> None:
        edit = self.edits.get("catalog")
        if edit is None or not entries:
            return
        entry_name = name if name in entries else list(entries)[-1]
        values = dict(known) if entry_name == name else {"name": entry_name, "name_id": name_id(entry_name)}
        values_from(edit.value, entries[entry_name], values)
        entry = entries[entry_name]
        value = _dates(templatize(entry, {k: v for k, v in values.items() if k != "date"}, like=edit.value), values)
        for pointer in getattr(edit, "keep", ()):  # people change these after the request: take the built-in's
            _put(value, pointer, _get(edit.value, pointer))
        path = literal(edit.path)
        learned: dict[str, Any] = {"id": "catalog", "kind": "entry", "path": edit.path, "pointer": edit.pointer}
        learned["value"] = value
        keep = [p for p in getattr(edit, "keep", ()) if _has(value, p)]
        if keep:
            learned["keep"] = keep
        stamp = getattr(edit, "stamp", "")
        documents = self.snapshot.yaml(path)
        if stamp and at(documents[edit.document].root, list(parse_pointer(stamp))) is not None:
            learned["stamp"] = stamp
        fields = ", ".join(_leaf_pointers(value))
        self.note(f"catalog: the fields of entry {entry_name} in {path}, in their order: {fields}")
        self._add("catalog", learned, edit, [path])

    def _tfvars(self) -> None:
        edit = self.edits.get("tfvars")
        if edit is None or edit.kind != "entry":
            return
        tokens = parse_pointer(edit.pointer)
        variable = literal(tokens[0]) if tokens else ""
        holders = []
        for environment in self.environments:
            path = literal(partial_fill(edit.path, {"environment": environment}))
            if not self.snapshot.exists(path):
                continue
            try:
                src, tree = self.snapshot.hcl(path)
            except GitopsWriterError as exc:
                self.unknown(f"tfvars: {exc}")
                continue
            from gitops_writer.hcl.syntax import body_container, container_of, text_of

            for element in body_container(tree, src).elements:
                if element.key_node is not None and text_of(src, element.key_node) == variable:
                    container = container_of(element.value)
                    entries = container.elements if container is not None else []
                    quoted = sum(1 for e in entries if e.key_node and text_of(src, e.key_node).startswith('"'))
                    holders.append((path, len(entries), quoted))
        if not holders:
            self.unknown(f"tfvars: no {literal(edit.path)} holds the map {variable}; the built-in location stays")
            return
        described = "; ".join(
            f"{path}: {count} entr{'y' if count == 1 else 'ies'}"
            + (f", {quoted} with quoted keys" if count else " (new keys are quoted, as names of a map of objects)")
            for path, count, quoted in holders
        )
        self.note(f"tfvars: the map {variable} is at {literal(edit.path)} {edit.pointer} ({described})")
        learned = edit_data(edit)
        self._add("tfvars", learned, edit, [path for path, _, _ in holders])

    def _add(self, name: str, learned: dict[str, Any], built_in: Any, sources: list[str]) -> None:
        same = built_in is not None and _canonical(learned) == _canonical(edit_data(built_in))
        self.result.learned.append(Learned(name, learned, same, sources))


def _canonical(data: dict[str, Any]) -> Any:
    import json

    trimmed = {k: v for k, v in data.items() if k not in ("keep",) or v}
    return json.dumps(trimmed, sort_keys=False, default=str)


def _complete(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return all(_complete(v) for v in value.values())
    if isinstance(value, list):
        return all(_complete(v) for v in value)
    return True


def _dates(value: Any, values: Mapping[str, str]) -> Any:
    """A date written in an entry is the request's date."""
    if isinstance(value, dict):
        return {k: _dates(v, values) for k, v in value.items()}
    if isinstance(value, str) and _DATE.fullmatch(value):
        return "{date}"
    return value


_ABSENT = object()


def _get(value: Any, pointer: str) -> Any:
    for token in parse_pointer(pointer):
        if not isinstance(value, dict) or token not in value:
            return _ABSENT
        value = value[token]
    return value


def _put(value: Any, pointer: str, new: Any) -> None:
    *parents, last = parse_pointer(pointer)
    for token in parents:
        if not isinstance(value, dict) or token not in value:
            return
        value = value[token]
    if isinstance(value, dict) and last in value and new is not _ABSENT:
        value[last] = new


def _has(value: Any, pointer: str) -> bool:
    try:
        tokens = parse_pointer(pointer)
    except UsageError:
        return False
    for token in tokens:
        if not isinstance(value, dict) or token not in value:
            return False
        value = value[token]
    return True


def _leaf_pointers(value: Any, prefix: tuple[str, ...] = ()) -> list[str]:
    if isinstance(value, dict):
        return [p for key, child in value.items() for p in _leaf_pointers(child, (*prefix, key))]
    return [".".join(prefix)]


def infer(root: Path, kind_name: str, kind: Any, environments: Sequence[str]) -> Inference:
    return Learner(root, kind_name, kind, environments).learn()
