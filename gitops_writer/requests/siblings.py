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

from collections.abc import Sequence
from dataclasses import dataclass

from gitops_writer.errors import GitopsWriterError
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
