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

    def __init__(self, kind: str, start: Any, end: Any, offset: int, anchor: str | None, tag: str | None) -> None:
        self.kind = kind
        self.start = start.index + offset
        self.end = self.body = end.index + offset  # body: where content starts, after anchor and tag
        self.line = start.line
        self.column = start.column
        self.tag = tag
        self.anchor = anchor
        self.style: str | None = None
        self.flow = False
        self.value = ""
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
    from ruamel.yaml import events as ev

    documents: list[Document] = []
    stack: list[Node] = []
    pending: list[Node | None] = []  # per open mapping: a key waiting for its value
    doc_start = 0
    version = None
    anchors: dict[str, Node] = {}
    aliased: set[str] = set()
    root: Node | None = None
    for event in events:
        kind = type(event)
        if kind is ev.ScalarEvent:
            node = Node(SCALAR, event.start_mark, event.end_mark, offset, event.anchor, event.tag)
            node.value = event.value
            node.style = event.style or None
        elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            node = Node(
                MAPPING if kind is ev.MappingStartEvent else SEQUENCE,
                event.start_mark, event.end_mark, offset, event.anchor, event.tag,
            )
            node.flow = bool(event.flow_style)
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            stack.pop().end = event.end_mark.index + offset
            pending.pop()
            continue
        elif kind is ev.AliasEvent:
            node = Node(ALIAS, event.start_mark, event.end_mark, offset, None, None)
            node.value = event.anchor
            aliased.add(event.anchor)
        elif kind is ev.DocumentStartEvent:
            doc_start = event.start_mark.index + offset
            version = tuple(event.version) if event.version else None
            anchors, aliased, root = {}, set(), None
            continue
        elif kind is ev.DocumentEndEvent:
            assert root is not None
            end = event.end_mark.index + offset
            documents.append(Document(len(documents), doc_start, end, root, version, anchors, aliased))  # type: ignore[arg-type]
            continue
        else:
            continue
        if node.anchor:
            anchors[node.anchor] = node
        if stack:
            parent = stack[-1]
            if parent.kind == SEQUENCE:
                parent.items.append(node)
            elif pending[-1] is None:
                pending[-1] = node
            else:
                parent.items.append((pending[-1], node))
                pending[-1] = None
        else:
            root = node
        if node.kind == MAPPING or node.kind == SEQUENCE:
            stack.append(node)
            pending.append(None)
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
