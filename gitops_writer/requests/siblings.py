"""Entries shaped like their siblings: a request's catalog entry is written the way the house writes them.

A kind's `entry` edit in a YAML file says what to record; how to write it is read from the file: the
entry itself when it is there, else the newest sibling, the last entry of the same mapping (the
house's workflows append, so the file's order is the order they were made in, whatever the history
can tell). The shape is the order of the keys, and whether an entry names its environments as one
scalar (`environment: dev`) or a list (`environments: [dev]`). A key the kind writes and the sibling
lacks stays, after the key it follows in the kind; a key the sibling has and the kind does not write
is not invented.

Where the house writes one environment as a scalar, a resource in several environments has that key
written as a list (`environment: [dev, prod]`), never a conflict, as the lists of environments are
record keeping; it is a scalar again when a removal leaves one environment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gitops_writer.errors import GitopsWriterError
from gitops_writer.kinds import EditTemplate, RequestKind
from gitops_writer.kinds.template import fill_path, fill_pointer, fill_text, placeholders
from gitops_writer.placeholders import parse
from gitops_writer.pointer import parse_pointer
from gitops_writer.repo import RepositoryFiles
from gitops_writer.values import JSONValue

Leaf = tuple[str, ...]


@dataclass(frozen=True)
class Shaped:
    value: JSONValue
    listing: tuple[Leaf, ...]  # the leaves that list environments, renamed as the value's keys are


def like_siblings(
    files: RepositoryFiles,
    path: str,
    pointer: str,
    document: int,
    value: JSONValue,
    listing: tuple[Leaf, ...],
) -> Shaped:
    """The entry `value` at `pointer` of the YAML file `path` in the shape of its model (see the module)."""
    unchanged = Shaped(value, listing)
    tokens = parse_pointer(pointer)
    if not path.endswith((".yaml", ".yml")) or not isinstance(value, dict) or not tokens:
        return unchanged
    text = files.content(path)
    if text is None:
        return unchanged
    from gitops_writer.yaml.editor import YamlEditor

    editor = files.editor(path, document=document)  # the planner's own: the file is parsed once
    assert isinstance(editor, YamlEditor)
    try:
        keys = editor.keys(text, tokens[:-1])
        name = tokens[-1] if tokens[-1] in keys else next((key for key in reversed(keys) if key != tokens[-1]), None)
        if name is None:
            return unchanged
        model = editor.get(text, (*tokens[:-1], name))
    except GitopsWriterError:
        return unchanged  # no mapping there yet, or one the planner will report on
    renamed: dict[Leaf, Leaf] = {}
    shaped = _shape(value, model, (), frozenset(listing), renamed)
    return Shaped(shaped, tuple(renamed.get(leaf, leaf) for leaf in listing))


def _shape(
    value: JSONValue, model: JSONValue, prefix: Leaf, listing: frozenset[Leaf], renamed: dict[Leaf, Leaf]
) -> JSONValue:
    if not isinstance(value, dict) or not isinstance(model, dict):
        return value
    out: dict[str, JSONValue] = {}
    for key, child in value.items():
        at = (*prefix, key)
        single = key[:-1] if at in listing and key not in model and key.endswith("s") else ""
        if single in model and isinstance(child, list) and child:
            renamed[at] = (*prefix, single)
            out[single] = child[0] if len(child) == 1 else child
            continue
        out[key] = _shape(child, model.get(key), at, listing, renamed)
    return {key: out[key] for key in _ordered(list(out), list(model))}


def _ordered(keys: Sequence[str], model: Sequence[str]) -> list[str]:
    """`keys` in the model's order; a key the model lacks right after the key it follows in `keys`."""
    result = [key for key in model if key in keys]
    previous: str | None = None
    for key in keys:
        if key not in result:
            result.insert(result.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    return result


def file_like_siblings(
    files: RepositoryFiles, kind: RequestKind, edit: EditTemplate, values: Mapping[str, JSONValue], shaped: Shaped
) -> Shaped:
    """A new file (an entity) in the shape of its newest sibling: the file another request of the kind
    made, the newest by the kind's catalog (its last entry whose file exists), else by the Location
    listing them (its last target). Neither there: as the kind writes it."""
    name = values.get("name")
    for sibling in reversed(_sibling_names(files, kind, values)):
        if sibling == name:
            continue
        path = fill_path(edit.path, {**values, "name": sibling})
        text = files.content(path)
        if text is None or not path.endswith((".yaml", ".yml")):
            continue
        try:
            model = files.editor(path, document=edit.document).get(text, ())
        except GitopsWriterError:
            return shaped  # a sibling the tool cannot read shapes nothing
        renamed: dict[Leaf, Leaf] = {}
        value = _shape(shaped.value, model, (), frozenset(shaped.listing), renamed)
        return Shaped(value, tuple(renamed.get(leaf, leaf) for leaf in shaped.listing))
    return shaped


def _sibling_names(files: RepositoryFiles, kind: RequestKind, values: Mapping[str, JSONValue]) -> list[str]:
    """The names the kind's records hold, oldest first: its catalog's entries, else its Location's targets."""
    for wanted in ("entry", "item"):
        for edit in kind.edits:
            if edit.edit_type != wanted or not edit.path.endswith((".yaml", ".yml")) or edit.per_environment:
                continue
            tokens = parse_pointer(edit.pointer)
            if wanted == "entry" and (not tokens or tokens[-1] != "{name}"):
                continue
            if wanted == "item" and not (isinstance(edit.value, str) and "name" in placeholders(edit.value)):
                continue
            path = fill_path(edit.path, values)
            if wanted == "entry":
                keys = _keys(files, path, parse_pointer(fill_pointer(edit.pointer, values))[:-1], edit.document)
                if keys:
                    return keys
                continue
            held = read_at(files, path, fill_pointer(edit.pointer, values), edit.document)
            if isinstance(held, list) and isinstance(edit.value, str):
                pattern = _name_pattern(edit.value, values)
                return [m.group("name") for item in held if isinstance(item, str) and (m := pattern.fullmatch(item))]
    return []


def _keys(files: RepositoryFiles, path: str, tokens: Sequence[str], document: int) -> list[str]:
    """The keys of the mapping at `tokens`, in the file's order, read without converting its entries."""
    from gitops_writer.yaml.editor import YamlEditor

    text = files.content(path)
    editor = files.editor(path, document=document) if text is not None else None
    if text is None or not isinstance(editor, YamlEditor):
        return []
    try:
        return list(editor.keys(text, tokens))
    except GitopsWriterError:
        return []


def _name_pattern(template: str, values: Mapping[str, JSONValue]) -> re.Pattern[str]:
    out: list[str] = []
    for piece in parse(template):
        if isinstance(piece, str):
            out.append(re.escape(piece))
        elif piece.name == "name":
            out.append("(?P<name>[^/]+)" if "(?P<name>" not in "".join(out) else "(?P=name)")
        else:
            out.append(re.escape(fill_text("{" + piece.name + "}", values)))
    return re.compile("".join(out))


def read_at(files: RepositoryFiles, path: str, pointer: str, document: int) -> JSONValue:
    """The value at `pointer` of a file's document; None when the file or the value is not there."""
    text = files.content(path)
    if text is None:
        return None
    try:
        return files.editor(path, document=document).get(text, parse_pointer(pointer))
    except GitopsWriterError:
        return None
