"""Node trees to JSON-shaped values, the way a YAML reader of the given version sees them."""

from __future__ import annotations

from gitops_writer.errors import UnsupportedError
from gitops_writer.yaml.scalars import TAG_PREFIX, YAML_1_2, Opaque, YamlValue, plain_value, tagged_value
from gitops_writer.yaml.syntax import ALIAS, MAPPING, SCALAR, Document, Node

_STANDARD = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp", "binary"}
_MAX_DEPTH = 200
_MAX_EXPANDED = 100_000  # values read through aliases: a few aliases must not build billions (an alias bomb)


def to_value(node: Node, doc: Document, version: tuple[int, int] | None = None) -> YamlValue:
    return _Converter(doc, version or doc.version or YAML_1_2).value(node, 0)


class _Converter:
    def __init__(self, doc: Document, version: tuple[int, int]) -> None:
        self.doc = doc
        self.version = version
        self.aliased = 0  # how many aliases the value being built is inside
        self.expanded = 0

    def value(self, node: Node, depth: int) -> YamlValue:
        if depth > _MAX_DEPTH:
            raise UnsupportedError("the document nests (or aliases itself) too deeply to be read")
        if self.aliased:
            self.expanded += 1
            if self.expanded > _MAX_EXPANDED:
                raise UnsupportedError(f"the document's aliases expand to more than {_MAX_EXPANDED:,} values")
        tag = _short(node.tag)
        node_type = node.node_type
        if node_type == SCALAR:
            if tag is None:
                return plain_value(node.value, self.version) if node.style is None else node.value
            if tag in _STANDARD or tag == "!":
                return tagged_value("str" if tag == "!" else tag, node.value, self.version)
            return Opaque(tag, node.value)
        if node_type == ALIAS:
            target = self.doc.anchors.get(node.value)
            if target is None:
                raise UnsupportedError(f"alias *{node.value} has no anchor")
            self.aliased += 1
            try:
                return self.value(target, depth + 1)
            finally:
                self.aliased -= 1
        result: dict[str, YamlValue] | list[YamlValue]
        if node_type == MAPPING:
            result = self.mapping(node, depth)
        else:
            result = [self.value(item, depth + 1) for item in node.items]
        return result if tag in (None, "map", "seq", "!") else Opaque(tag, result)

    def mapping(self, node: Node, depth: int) -> dict[str, YamlValue]:
        explicit: dict[str, YamlValue] = {}
        merged: dict[str, YamlValue] = {}
        for key, value in node.items:
            if is_merge_key(key):
                sources = value.items if value.node_type == "sequence" else [value]
                for source in reversed(sources):
                    data = self.value(source, depth + 1)
                    if isinstance(data, dict):
                        merged.update(data)
                continue
            explicit[mapping_key(key)] = self.value(value, depth + 1)
        if not merged:
            return explicit
        merged.update(explicit)
        return merged


def is_merge_key(key: Node) -> bool:
    return key.node_type == SCALAR and key.value == "<<" and key.style is None and key.tag is None


def mapping_key(key: Node) -> str:
    """Keys are compared as their text: JSON Pointer tokens are strings."""
    if key.node_type == SCALAR:
        return key.value
    return f"<{key.node_type} key at line {key.line + 1}>"


def _short(tag: str | None) -> str | None:
    if tag is None:
        return None
    return tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag
