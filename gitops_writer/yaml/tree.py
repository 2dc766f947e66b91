"""A light node tree with character offsets, built from parser events (no round-trip load)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from gitops_writer.errors import ParseError

SCALAR, MAPPING, SEQUENCE, ALIAS = "scalar", "mapping", "sequence", "alias"


class Node:
    """One node; `start`/`end` are character offsets into the text (anchor and tag included)."""

    __slots__ = ("kind", "start", "end", "body", "line", "column", "tag", "anchor", "style", "value", "flow", "items")

    def __init__(self, kind: str, event: Any, offset: int) -> None:
        self.kind = kind
        self.start = event.start_mark.index + offset
        self.end = event.end_mark.index + offset
        self.body = self.end  # where the content starts, after any anchor and tag (collections)
        self.line = event.start_mark.line
        self.column = event.start_mark.column
        self.tag: str | None = getattr(event, "tag", None)
        self.anchor: str | None = event.anchor
        self.style: str | None = getattr(event, "style", None) or None
        self.flow: bool = bool(getattr(event, "flow_style", False))
        self.value: str = getattr(event, "value", None) or ""
        self.items: list[Any] = []

    @property
    def is_empty_null(self) -> bool:
        """`key:` with nothing after it: a plain empty scalar."""
        return self.kind == SCALAR and self.value == "" and self.style is None and self.tag is None

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.start}:{self.end})"


@dataclass
class Document:
    index: int
    start: int
    end: int
    root: Node
    version: tuple[int, int] | None
    anchors: dict[str, Node] = field(default_factory=dict)
    aliased: set[str] = field(default_factory=set)


def _events(text: str) -> Iterator[Any]:
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - only without ruamel.yaml.clib
        yield from _pure_events(text)
        return
    parser = CParser(text)
    while True:
        event = parser.get_event()
        yield event
        if type(event).__name__ == "StreamEndEvent":
            return


def _pure_events(text: str) -> Iterator[Any]:
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).parse(text)


def parse_documents(text: str, *, pure: bool = False) -> list[Document]:
    """Every document of a YAML stream as a node tree; invalid YAML raises ParseError."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    offset = 1 if text.startswith("\ufeff") else 0
    try:
        return _build(_pure_events(text) if pure else _events(text), offset)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is None:
            raise ParseError(f"invalid YAML: {problem}") from None
        raise ParseError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1) from None
    except YAMLError as exc:
        raise ParseError(f"invalid YAML: {' '.join(str(exc).split())}") from None


def _build(events: Iterator[Any], offset: int) -> list[Document]:
    documents: list[Document] = []
    stack: list[Node] = []
    pending_key: list[Node | None] = []
    doc_start = 0
    version = None
    anchors: dict[str, Node] = {}
    aliased: set[str] = set()
    root: Node | None = None

    def attach(node: Node) -> None:
        nonlocal root
        if not stack:
            root = node
            return
        parent = stack[-1]
        if parent.kind == SEQUENCE:
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            parent.items.append((pending_key[-1], node))
            pending_key[-1] = None

    for event in events:
        name = type(event).__name__
        if name == "ScalarEvent":
            node = Node(SCALAR, event, offset)
            attach(node)
        elif name in ("MappingStartEvent", "SequenceStartEvent"):
            node = Node(MAPPING if name[0] == "M" else SEQUENCE, event, offset)
            attach(node)
            stack.append(node)
            pending_key.append(None)
        elif name in ("MappingEndEvent", "SequenceEndEvent"):
            node = stack.pop()
            pending_key.pop()
            node.end = event.end_mark.index + offset
        elif name == "AliasEvent":
            node = Node(ALIAS, event, offset)
            node.value = event.anchor
            aliased.add(event.anchor)
            attach(node)
        elif name == "DocumentStartEvent":
            doc_start = event.start_mark.index + offset
            version = tuple(event.version) if event.version else None
            anchors, aliased, root = {}, set(), None
        elif name == "DocumentEndEvent":
            assert root is not None
            documents.append(
                Document(len(documents), doc_start, event.end_mark.index + offset, root, version, anchors, aliased)  # type: ignore[arg-type]
            )
        if name in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent") and event.anchor:
            anchors[event.anchor] = node
    return documents


def key_text(node: Node) -> str | None:
    """The string a mapping key node stands for, or None for keys a pointer cannot name."""
    if node.kind != SCALAR:
        return None
    return node.value


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.kind == MAPPING:
            for key, value in reversed(current.items):
                stack.append(value)
                stack.append(key)
        elif current.kind == SEQUENCE:
            stack.extend(reversed(current.items))
