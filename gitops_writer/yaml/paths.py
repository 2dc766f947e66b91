"""Following a JSON Pointer through a YAML document's nodes: one lookup of an entry, one walk.

`follow` reads (it never raises but for a duplicate key); `existing` and `parent` are the steps of an
edit, which must not pass an alias, an aliased anchor or a tagged collection.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from gitops_writer.errors import DuplicateKeyError, NotFoundError, UnsupportedError
from gitops_writer.pointer import format_pointer, parse_index
from gitops_writer.yaml.decode import is_merge_key, mapping_key
from gitops_writer.yaml.splice import Slot
from gitops_writer.yaml.syntax import ALIAS, MAPPING, SCALAR, SEQUENCE, Document, Node, walk

_NULLS = ("", "~", "null", "Null", "NULL")


@dataclass(frozen=True)
class Reached:
    """How far a pointer leads through existing entries: (collection, entry index) per step taken,
    the node it reached, and the tokens it did not follow."""

    chain: list[tuple[Node, int]]
    node: Node
    rest: Sequence[str]


def here(path: Sequence[str], depth: int) -> str:
    """The pointer to the collection that path[depth] is looked up in, as messages name it."""
    return format_pointer(path[:depth]) or "the document"


def find_key(mapping: Node, token: str, where: str) -> int | None:
    """The index of the entry whose key reads `token`; a key written twice is refused wherever it is."""
    found = None
    seen: dict[str, Node] = {}
    for index, (key, _) in enumerate(mapping.items):
        name = mapping_key(key)
        if name in seen:
            lines = [k.line + 1 for k, _ in mapping.items if mapping_key(k) == name]
            raise DuplicateKeyError(where, name, lines)
        seen[name] = key
        if name == token:
            found = index
    return found


def entry(node: Node, token: str, where: str) -> tuple[int, Node] | None:
    """The entry `token` names in a mapping (its key) or a sequence (an index), None if there is none."""
    if node.node_type == MAPPING:
        index = find_key(node, token, where)
        return None if index is None else (index, node.items[index][1])
    if node.node_type == SEQUENCE and token.isdigit() and token.isascii() and (token == "0" or token[0] != "0"):
        index = int(token)
        return (index, node.items[index]) if index < len(node.items) else None
    return None


def follow(doc: Document, path: Sequence[str], *, plain: bool = False) -> Reached:
    """Follow `path` from the root while its entries exist. `plain`: only through untagged collections
    without merge keys, and not onto an alias, so that what it reaches reads as the converted data would."""
    chain: list[tuple[Node, int]] = []
    node = doc.root
    for depth, token in enumerate(path):
        if plain and (node.tag is not None or has_merge_key(node)):
            break
        found = entry(node, token, here(path, depth))
        if found is None or (plain and found[1].node_type == ALIAS):
            break
        chain.append((node, found[0]))
        node = found[1]
    return Reached(chain, node, path[len(chain) :])


def has_merge_key(node: Node) -> bool:
    return node.node_type == MAPPING and any(is_merge_key(key) for key, _ in node.items)


def existing(doc: Document, node: Node, path: Sequence[str], depth: int) -> tuple[int, Node]:
    """The index and node of the entry path[depth] names in `node`, as an edit steps through it: it must exist."""
    where = format_pointer(path[: depth + 1])
    guard(doc, node, here(path, depth))
    if node.node_type == SEQUENCE:
        index = parse_index(path[depth], len(node.items), allow_append=False, where=where)
        if index >= len(node.items):
            raise NotFoundError(f"{where}: index {index} is out of range (the list has {len(node.items)} items)")
    elif node.node_type != MAPPING:
        raise NotFoundError(f"{where}: {here(path, depth)} holds {describe(node)}, not a mapping or a list")
    found = entry(node, path[depth], here(path, depth))
    if found is None:
        raise NotFoundError(f"{where}: no such key")
    return found


def parent(doc: Document, path: Sequence[str]) -> tuple[Node, Slot]:
    """The existing collection that holds the last entry of `path`, and where it sits itself."""
    node, slot = doc.root, Slot(None)
    for depth in range(len(path) - 1):
        index, child = existing(doc, node, path, depth)
        node, slot = child, Slot(node, node.items[index][0] if node.node_type == MAPPING else None)
    return node, slot


def guard(doc: Document, node: Node, where: str) -> None:
    """Refuse to edit inside an alias, an aliased anchor or a tagged collection."""
    if node.node_type == ALIAS:
        raise UnsupportedError(f"{where} is an alias (*{node.value}); edit the anchored value instead")
    if node.anchor and node.anchor in doc.aliased:
        raise UnsupportedError(
            f"{where} is anchored as &{node.anchor} and used by an alias; editing it would change every alias"
        )
    if node.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq") and node.node_type != SCALAR:
        raise UnsupportedError(f"{where} carries the tag {node.tag}; gitops-writer does not edit inside tagged values")


def guard_subtree(doc: Document, node: Node, where: str) -> None:
    for inner in walk(node):
        if inner.anchor and inner.anchor in doc.aliased:
            raise UnsupportedError(
                f"{where} holds the anchor &{inner.anchor}, used by an alias; editing it would break the alias"
            )


def is_null(node: Node) -> bool:
    return node.style is None and node.value in _NULLS


def describe(node: Node) -> str:
    if node.node_type == SCALAR:
        return f"the scalar {node.value[:40]!r}"
    return "an alias" if node.node_type == ALIAS else f"a {node.node_type}"
