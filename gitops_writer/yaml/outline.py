"""Texts in plain block style, read off their lines: the parser's tree, built only where it is read.

Most catalogs are block mappings and lists of one-line scalars. When every line of a text has one of
a few shapes (one regular expression checks them all) and its indentation nests the way YAML's block
structure requires (one pass over the lines), its node tree is the tree the parser's events give,
node for node; but each collection reads its items off its own lines when they are first asked for.
An edit then builds the few hundred nodes it looks at, not the hundred thousand of a large file.

Any other text (flow collections, block scalars, anchors, tags, multi-line scalars, several
documents, tabs, non-ASCII, no final line break...) gets None, and the parser reads it whole.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from gitops_writer.yaml.syntax import MAPPING, SCALAR, SEQUENCE, Document, Node

_PLAIN = r"[A-Za-z0-9_./~+(][^\s:#]*+(?:(?::(?=\S)|#| ++(?=[^\s#]))[^\s:#]*+)*+"
_QUOTED = r"\"[^\"\\\n]*+\"|'[^'\n]*+(?:''[^'\n]*+)*+'"
_VALUE = rf"(?:{_PLAIN}|{_QUOTED}|\{{\}}|\[\])"
# A key is read as a simple key, which YAML limits to 1024 characters.
_KEY = r"(?:[A-Za-z0-9_][A-Za-z0-9_./\-]{0,1000}+|\"[^\"\\\n]{0,1000}+\"|'(?:[^'\n]|''){0,1000}+')"
_COMMENT = r"(?: ++#[^\n]*+)?+ *+"
_LINES = re.compile(rf"(?: *+(?:#[^\n]*+|(?:- {_VALUE}|{_KEY}:(?: ++{_VALUE})?+){_COMMENT})?+\n)*+")
_FORBIDDEN = re.compile(r"[^\t\n\x20-\x7e]")  # what the line shapes let through only inside comments and quotes
_OPENER = re.compile(rf"{_KEY}:(?: ++#|$)")
_MARKER = re.compile(r"(?: *+(?:#[^\n]*+)?+\n)*+(---)(?: ++#[^\n]*+)?+ *+\n")  # an explicit document start

_ENTRY_LINE, _OPENING_LINE, _ITEM_LINE = 0, 1, 2


def read(text: str) -> list[Document] | None:
    """The one document of `text` with a tree built as it is read, or None when the text is not in
    plain block style (the caller then parses it whole)."""
    marker = _MARKER.match(text)
    body = marker.end() if marker else 0
    if not text.endswith("\n") or _FORBIDDEN.search(text) or _LINES.fullmatch(text, body) is None:
        return None
    layout = _nesting(text, body)
    if layout is None:
        return None
    start, line, style = layout
    root = _Lazy(text, MAPPING, start, len(text), line, 0, start)
    return [Document(0, marker.start(1) if marker else start, len(text), root, None, style=style)]


def _nesting(text: str, begin: int) -> tuple[int, int, tuple[int | None, int | None]] | None:
    """Where the root mapping starts (offset, line), and the house style's samples, if the lines from
    offset `begin` on nest as YAML's block structure requires; None if they do not (or the root is not
    a mapping at column 0).

    The samples are those `render.detect_style` reads: the indent of the first nested mapping and of the
    first sequence under a key, ordered by the mappings holding them, then by the lines that start them.
    """
    levels: list[tuple[int, bool, int]] = []  # open collections: (indent, is a sequence, first line)
    top, in_sequence, top_line = -1, False, 0  # the innermost one, whose indent is the last line's
    kind = _ENTRY_LINE  # of the last line that is not blank or a comment
    opener = (0, 0, 0)  # the last opening line: (its mapping's first line, its own line, its indent)
    step: tuple[int, int, int] | None = None  # (mapping's first line, opening line, step) of the sample
    offset: tuple[int, int, int] | None = None
    first_line = text.count("\n", 0, begin)
    for number, line in enumerate(text[begin:].split("\n"), first_line):
        body = line.lstrip(" ")
        if not body or body[0] == "#":
            continue
        previous, indent = kind, len(line) - len(body)
        if body[0] == "-":
            kind = _ITEM_LINE
        elif "#" in body or body[-1] == " ":
            kind = _OPENING_LINE if _OPENER.match(body.rstrip(" ")) else _ENTRY_LINE
        else:
            kind = _OPENING_LINE if body[-1] == ":" else _ENTRY_LINE
        if indent == top and in_sequence == (kind == _ITEM_LINE):
            pass  # the next entry or item of the same collection: the common case
        elif top < 0:
            if indent or kind == _ITEM_LINE:
                return None
            top, in_sequence, top_line = 0, False, number
            levels.append((top, in_sequence, top_line))
        elif indent > top or (indent == top and previous == _OPENING_LINE):  # (then a list at its key's indent)
            if previous != _OPENING_LINE:
                return None  # deeper than a line that opens nothing: a continued scalar, or an error
            sample = (opener[0], opener[1], indent - opener[2])
            if kind == _ITEM_LINE:
                offset = sample if offset is None or sample[:2] < offset[:2] else offset
            else:
                step = sample if step is None or sample[:2] < step[:2] else step
            top, in_sequence, top_line = indent, kind == _ITEM_LINE, number
            levels.append((top, in_sequence, top_line))
        else:
            while levels[-1][0] > indent:
                levels.pop()
            if levels[-1][0] != indent:
                return None  # back out to an indent no open collection has
            if levels[-1][1] != (kind == _ITEM_LINE):
                if not levels[-1][1] or len(levels) < 2 or levels[-2][0] != indent:
                    return None
                levels.pop()  # a sequence at its key's indent ends where the key's mapping goes on
            top, in_sequence, top_line = levels[-1]
        if kind == _OPENING_LINE:
            opener = (top_line, number, indent)
    if not levels:
        return None
    root_line = levels[0][2]
    root = _line_start(text, begin, root_line - first_line)
    return root, root_line, (step[2] if step else None, offset[2] if offset else None)


def _line_start(text: str, begin: int, lines: int) -> int:
    """The offset of the line `lines` lines after the one starting at `begin`."""
    for _ in range(lines):
        begin = text.index("\n", begin) + 1
    return begin


_ITEMS: Any = Node.__dict__["items"]  # the slot that holds a node's items, once they are read


class _Lazy(Node):
    """A block mapping or sequence whose items are read off its lines when first asked for."""

    __slots__ = ("_text",)

    def __init__(self, text: str, node_type: str, start: int, end: int, line: int, column: int, body: int) -> None:
        self._text = text
        self.node_type = node_type
        self.start = start
        self.end = end
        self.body = body
        self.line = line
        self.column = column
        self.tag = self.anchor = self.style = None
        self.flow = False
        self.value = ""

    @property
    def items(self) -> list[Any]:
        try:
            return _ITEMS.__get__(self, Node)  # type: ignore[no-any-return]
        except AttributeError:
            items = _mapping_items(self) if self.node_type == MAPPING else _sequence_items(self)
            _ITEMS.__set__(self, items)
            return items

    @items.setter
    def items(self, items: list[Any]) -> None:
        _ITEMS.__set__(self, items)


@cache
def _entries_at(indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A mapping's entries at `indent`: key, value, and (looking ahead) the indent of the next line that
    is not blank or a comment, where the lines below a `key:` hold its collection. The first pattern
    reads the entry a line starts with; the second finds the next ones by their line break, which
    the regex engine scans for far faster than for a line start."""
    entry = rf" {{{indent}}}({_KEY}):(?: ++({_VALUE}))?+(?=[^\n]*+\n(?: *+(?:#[^\n]*+)?+\n)*+( *+))"
    return re.compile(entry), re.compile("\n" + entry)


@cache
def _items_at(indent: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A sequence's items at `indent`, as `_entries_at` finds a mapping's."""
    item = rf" {{{indent}}}- ({_VALUE})"
    return re.compile(item), re.compile("\n" + item)


def _lines(patterns: tuple[re.Pattern[str], re.Pattern[str]], text: str, start: int, end: int) -> list[re.Match[str]]:
    """The collection's lines from the one starting at `start` (its first) up to `end`."""
    first, rest = patterns
    found = first.match(text, start, end)
    assert found is not None, "a collection starts with one of its own lines"
    return [found, *rest.finditer(text, start, end)]


def _mapping_items(mapping: _Lazy) -> list[tuple[Node, Node]]:
    text, indent = mapping._text, mapping.column
    entries = _lines(_entries_at(indent), text, mapping.start - indent, mapping.end)
    items: list[tuple[Node, Node]] = []
    line, counted = mapping.line, mapping.start
    for index, entry in enumerate(entries):
        start, colon = entry.span(1)
        line += text.count("\n", counted, start)
        counted = start
        key = _scalar(text, start, colon, line, indent)
        if entry.group(2) is not None:
            value = _scalar(text, entry.start(2), entry.end(2), line, entry.start(2) - start + indent)
        else:
            end = entries[index + 1].start(1) if index + 1 < len(entries) else mapping.end
            value = _opened(text, colon + 1, end, line, start - indent, indent, entry)
        items.append((key, value))
    return items


def _opened(text: str, colon: int, end: int, line: int, line_start: int, indent: int, entry: re.Match[str]) -> Node:
    """What a `key:` with nothing after it holds: the collection on the lines below it, or a null."""
    start, deeper = entry.end(3), len(entry.group(3))
    if start < end and text.startswith("- ", start) and deeper >= indent:
        below = line + text.count("\n", colon, start)
        return _Lazy(text, SEQUENCE, start, end, below, deeper, start + 1 if deeper == indent else start)
    if start < end and deeper > indent:
        return _Lazy(text, MAPPING, start, end, line + text.count("\n", colon, start), deeper, start)
    return _scalar(text, colon, colon, line, colon - line_start)


def _sequence_items(sequence: _Lazy) -> list[Node]:
    text, indent = sequence._text, sequence.column
    items: list[Node] = []
    line, counted = sequence.line, sequence.start
    for item in _lines(_items_at(indent), text, sequence.start - indent, sequence.end):
        start, end = item.span(1)
        line += text.count("\n", counted, start)
        counted = start
        items.append(_scalar(text, start, end, line, indent + 2))
    return items


def _scalar(text: str, start: int, end: int, line: int, column: int) -> Node:
    """The node of a one-line value: a plain or quoted scalar, or an empty flow mapping or sequence."""
    first = text[start] if start < end else ""
    if first in ("{", "["):
        node = Node(MAPPING if first == "{" else SEQUENCE, start, start + 1, line, column, None, None, [])
        node.end = end
        node.flow = True
        return node
    node = Node(SCALAR, start, end, line, column, None, None, _NO_ITEMS)
    if first == '"':
        node.value, node.style = text[start + 1 : end - 1], '"'
    elif first == "'":
        node.value, node.style = text[start + 1 : end - 1].replace("''", "'"), "'"
    else:
        node.value = text[start:end]
    return node


_NO_ITEMS: list[Any] = []
