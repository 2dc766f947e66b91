"""The YAML parser: a light node tree with character offsets, built from parser events (no round-trip load)."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from gitops_writer.errors import ParseError
from gitops_writer.repo.reading import TooDeep, refuse_deep_yaml

if TYPE_CHECKING:
    from ruamel.yaml.error import MarkedYAMLError
    from ruamel.yaml.events import AliasEvent, DocumentStartEvent, Event

SCALAR, MAPPING, SEQUENCE, ALIAS = "scalar", "mapping", "sequence", "alias"


class Node:
    """One node; `start`/`end` are character offsets into the text (anchor and tag included)."""

    __slots__ = (
        "node_type",
        "start",
        "end",
        "body",
        "line",
        "column",
        "tag",
        "anchor",
        "style",
        "value",
        "flow",
        "items",
    )

    def __init__(
        self,
        node_type: str,
        start: int,
        end: int,
        line: int,
        column: int,
        anchor: str | None,
        tag: str | None,
        items: list[Any],
    ) -> None:
        self.node_type = node_type
        self.start = start
        self.end = self.body = end  # body: where content starts, after anchor and tag
        self.line = line
        self.column = column
        self.tag = tag
        self.anchor = anchor
        self.style: str | None = None
        self.flow = False
        self.value = ""
        self.items = items

    @property
    def is_empty_null(self) -> bool:
        """`key:` with nothing after it: a plain empty scalar."""
        return self.node_type == SCALAR and self.value == "" and self.style is None and self.tag is None

    def __repr__(self) -> str:
        return f"Node({self.node_type}, {self.start}:{self.end})"


@dataclass
class Document:
    index: int
    start: int
    end: int
    root: Node
    version: tuple[int, int] | None
    anchors: dict[str, Node] = field(default_factory=dict)
    aliased: set[str] = field(default_factory=set)
    # The house-style samples render.detect_style reads: (mapping, index, key, value) for every block
    # mapping (`nested`) and block sequence (`sequences`) that is the value of a block mapping's entry.
    nested: list[Sample] = field(default_factory=list)
    sequences: list[Sample] = field(default_factory=list)
    directives: bool = False  # %YAML or %TAG before the document
    # (step, sequence offset) as render.detect_style would read them off the samples, when the reader
    # already knows them without samples (outline.py does)
    style: tuple[int | None, int | None] | None = None


Sample = tuple[Node, int, Node, Node]


def _c_parser(text: str) -> Any:
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # pragma: no cover - only without ruamel.yaml.clib
        return None
    return CParser(text)


def _pure_events(text: str) -> Iterator[Event]:
    from ruamel.yaml import YAML

    yield from YAML(typ="safe", pure=True).parse(text)


def _detail(exc: MarkedYAMLError) -> str:
    """The problem, and where the construct it broke starts when that is another line."""
    detail = str(exc.problem or exc.context)
    start, problem_at = exc.context_mark, exc.problem_mark
    if start is not None and exc.context and exc.problem and (problem_at is None or start.line != problem_at.line):
        detail += f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
    return detail


def parse(text: str, *, pure: bool = False, outline: bool = True) -> list[Document]:
    """Every document of a YAML stream as a node tree; invalid YAML raises ParseError.

    A text in plain block style gets a tree built as it is read (see outline.py), unless `outline` is
    off. `pure` uses the pure-Python parser instead of the C one. All three must agree.
    """
    try:
        refuse_deep_yaml(text)
    except TooDeep as exc:
        raise ParseError(f"invalid YAML: {exc}", exc.line) from None
    if outline:
        from gitops_writer.yaml.outline import read

        documents = read(text)
        if documents is not None:
            return documents
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    offset = 1 if text.startswith("\ufeff") else 0
    collecting = gc.isenabled()
    gc.disable()  # the tree holds no cycles; collections triggered by its ~100k allocations cost a third of the pass
    try:
        parser = None if pure else _c_parser(text)
        if parser is None:
            return _build(_pure_events(text).__next__, offset)
        return _build(parser.get_event, offset)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        if mark is None:
            raise ParseError(f"invalid YAML: {problem}") from None
        raise ParseError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1, detail=_detail(exc)) from None
    except YAMLError as exc:
        raise ParseError(f"invalid YAML: {' '.join(str(exc).split())}") from None
    finally:
        if collecting:
            gc.enable()


def _build(next_event: Callable[[], Event], offset: int) -> list[Document]:
    """One pass over the events, a document at a time."""
    from ruamel.yaml.events import DocumentStartEvent, StreamEndEvent

    documents: list[Document] = []
    while True:
        event = next_event()
        if type(event) is DocumentStartEvent:
            documents.append(_document(next_event, event, offset, len(documents)))
        elif type(event) is StreamEndEvent:
            return documents


@cache
def _events() -> tuple[type[Event], ...]:
    """The event classes a document's events are told apart by (by identity: the loop's fastest test)."""
    from ruamel.yaml import events as ev

    return (
        ev.ScalarEvent,
        ev.AliasEvent,
        ev.DocumentEndEvent,
        ev.MappingStartEvent,
        ev.SequenceStartEvent,
        ev.MappingEndEvent,
        ev.SequenceEndEvent,
    )


def _document(next_event: Callable[[], Event], start: DocumentStartEvent, offset: int, index: int) -> Document:
    """The nodes of one document, up to its end event; the hot loop of every edit, so it keeps state in locals."""
    scalar_event, alias_event, document_end, mapping_start, sequence_start, mapping_end, sequence_end = _events()
    stack: list[tuple[Any, Any, Any]] = []  # the enclosing (items, in_sequence, key) of each open collection
    items: Any = None  # the open collection's items (None at the root)
    in_sequence = False
    key: Node | None = None  # in a mapping: the key waiting for its value
    anchors, aliased, collections = dict[str, Node](), set[str](), list[Node]()  # collections: the open ones
    nested, sequences = list[Sample](), list[Sample]()
    root: Node | None = None
    while True:
        event: Any = next_event()  # told apart by its class's identity, which mypy does not narrow on
        event_type = type(event)
        if event_type is scalar_event or event_type is mapping_start or event_type is sequence_start:
            mark = event.start_mark
            scalar = event_type is scalar_event
            kind_name = SCALAR if scalar else MAPPING if event_type is mapping_start else SEQUENCE
            tag = event.tag if event.ctag is not None else None
            start_at, end_at = mark.index + offset, event.end_mark.index + offset
            node = Node(
                kind_name, start_at, end_at, mark.line, mark.column, event.anchor, tag, _NO_ITEMS if scalar else []
            )
            if scalar:
                node.value = event.value
                node.style = event.style or None
            elif event.flow_style:
                node.flow = True
            elif key is not None and not collections[-1].flow:  # a block collection as a block entry's value
                sample = (collections[-1], len(items), key, node)
                (nested if event_type is mapping_start else sequences).append(sample)
            if node.anchor:
                anchors[node.anchor] = node
        elif event_type is mapping_end or event_type is sequence_end:
            collections.pop().end = event.end_mark.index + offset
            items, in_sequence, key = stack.pop()
            continue
        elif event_type is alias_event:
            node = _alias(event, anchors, offset)
            aliased.add(node.value)
        elif event_type is document_end:
            assert root is not None
            version = tuple(start.version) if start.version else None
            begin, end = start.start_mark.index + offset, event.end_mark.index + offset
            directives = bool(start.version or start.tags)
            return Document(index, begin, end, root, version, anchors, aliased, nested, sequences, directives)
        else:
            continue
        if items is None:
            root = node
        elif in_sequence:
            items.append(node)
        elif key is None:
            key = node
        else:
            items.append((key, node))
            key = None
        if node.items is not _NO_ITEMS:
            stack.append((items, in_sequence, key))
            collections.append(node)
            items, in_sequence, key = node.items, node.node_type is SEQUENCE, None


def _alias(event: AliasEvent, anchors: dict[str, Node], offset: int) -> Node:
    mark = event.start_mark
    if event.anchor not in anchors:
        raise ParseError(f"invalid YAML: alias *{event.anchor} has no anchor before it", mark.line + 1, mark.column + 1)
    node = Node(
        ALIAS, mark.index + offset, event.end_mark.index + offset, mark.line, mark.column, None, None, _NO_ITEMS
    )
    node.value = event.anchor
    return node


_NO_ITEMS: list[Any] = []  # shared by scalars and aliases, which never hold items


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if current.node_type == MAPPING:
            for key, value in reversed(current.items):
                stack.append(value)
                stack.append(key)
        elif current.node_type == SEQUENCE:
            stack.extend(reversed(current.items))
