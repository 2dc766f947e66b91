"""Verify an edit by re-reading only a window of entries around it, when that is provably enough.

The window is the text from the start of the line of the entry before the edit (untouched, starting its
line at the container's column `c`; for an edit at the first entry, the line the edit begins on, see
`_before_first`) to the start of the line of the first untouched entry after it (or,
for an edit at the end, the first token after the container). Parsed alone, that text must give one
block collection at column `c` holding the expected entries. Why that proves the whole edited text reads
as intended:

- The text before the window is identical, and the scanner's lookahead from it reaches no further than
  the window's first line, which the edit does not touch; so the parser enters the window in the same
  state as before: block context, at a line start, inside the container at column `c`.
- From there the full parse and the window parse agree token for token, except where a line indented
  less than `c` would close the container: in the window that closes the document's root, and any
  further content then fails to parse (a later document needs `---`, refused below with `...`).
- The window ends just before a line that starts an untouched entry at column `c` (or the token after
  the container, indented less), which ends every scalar and nested collection of the window; an open
  quote or bracket fails the window parse at its end. So after the window the full parser is again in
  the container at column `c`, as it was in the old text, and the rest (identical text) reads the same.

Anything outside these conditions (flow collections, directives, entries sharing a line, a first entry
after an anchor or tag, a window that fails to parse or to match) is left to the whole-document
verification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from gitops_writer.errors import GitopsWriterError
from gitops_writer.values import same_value
from gitops_writer.yaml.decode import mapping_key, to_value
from gitops_writer.yaml.positions import Positions
from gitops_writer.yaml.scalars import YAML_1_1
from gitops_writer.yaml.splice import Change
from gitops_writer.yaml.syntax import MAPPING, Document, Node, walk
from gitops_writer.yaml.trees import parse_documents

INSERT, APPEND, REPLACE, REMOVE = "insert", "append", "replace", "remove"
_MARKER = re.compile(r"^(?:---|\.\.\.)(?:[ \t\r\n]|$)", re.M)


@dataclass(frozen=True)
class EntryChange:
    """What an edit does to the entries of one block collection: `index` is an old entry index
    (for INSERT, the index the new entry takes)."""

    container: Node
    action: str
    index: int
    key: str | None = None  # INSERT into a mapping: the new key
    value: Any = None  # INSERT, APPEND, REPLACE: the new entry's value


def window_verified(old: str, new: str, doc: Document, changes: list[Change], edit: EntryChange) -> bool:
    """True when the window proves the edit; False means "not proven here", never "wrong"."""
    container = edit.container
    if doc.directives or container.flow or not container.items or not changes:
        return False
    count = len(container.items)
    first = edit.index - 1
    after = {INSERT: edit.index, APPEND: count, REPLACE: edit.index + 1, REMOVE: edit.index + 1}[edit.action]
    if first < 0 and edit.action == REMOVE:
        after += 1  # the window must hold an entry: the one that becomes the first
    if after > count:
        return False
    positions = Positions(old)
    lo, hi = min(c[0] for c in changes), max(c[1] for c in changes)
    if first >= 0:
        head = positions.entry_start(container, first)
        if not positions.starts_line(head) or lo < positions.line_after(head):
            return False
        start = positions.line_start(head)
    else:
        opening = _before_first(old, positions, container, lo)
        if opening is None:
            return False
        start = opening
    if after < count:
        tail = positions.entry_start(container, after)
        if not positions.starts_line(tail):
            return False
        end = positions.line_start(tail)
    elif container.end == len(old):
        end = len(old)
    else:
        end = positions.line_start(container.end)
        if old[end : container.end].strip(" "):
            return False
    if hi > end:
        return False
    delta = len(new) - len(old)
    if 0 < end + delta < len(new) and new[end + delta - 1] != "\n":
        return False  # the untouched rest no longer starts a line: it would join the window's last line
    window = new[start : end + delta]
    if _MARKER.search(window):
        return False
    try:
        column = positions.column(positions.entry_start(container, 0)) if first < 0 else None
        return _matches(old, window, start, delta, doc, edit, max(first, 0), after, column)
    except GitopsWriterError:  # unparsable window, alias to an anchor outside it, ...
        return False


def _before_first(old: str, positions: Positions, container: Node, lo: int) -> int | None:
    """Where a window over an edit at the container's first entry starts: the start of the line the
    edit begins on, provided only blank and comment lines lie between it and the first entry.

    The container carries no anchor or tag, so its first entry is its first token: the text before
    the window then ends with the token that opens the container's place (a key's `:`, a `-`, the
    document start) and whitespace, read the same in the old and the new text. The parser leaves
    it, in both, at a line start about to open a block collection at the first entry's column;
    the window parsed alone opens its root collection at the same column, and the two agree from
    there as the module docstring says.
    """
    if container.anchor or container.tag is not None:
        return None
    entry = positions.entry_start(container, 0)
    if not positions.starts_line(entry):
        return None
    start = positions.line_start(min(lo, entry))
    between = old[start : positions.line_start(entry)].split("\n")
    if any(line.strip() and not line.lstrip().startswith("#") for line in between):
        return None
    return start


def _matches(
    old: str,
    window: str,
    start: int,
    delta: int,
    doc: Document,
    edit: EntryChange,
    first: int,
    after: int,
    column: int | None,
) -> bool:
    """`column`: for a window that opens the container, the column its first entry must start at."""
    docs = parse_documents(window)
    if len(docs) != 1:
        return False
    root = docs[0].root
    container = edit.container
    if root.node_type != container.node_type or root.flow or not root.items:
        return False
    if column is not None:
        opened = Positions(window)
        head = opened.entry_start(root, 0)
        if not opened.starts_line(head) or opened.column(head) != column:
            return False
    # the old entries the window should hold, with None where the new (or replaced) entry goes
    expected: list[int | None] = list(range(first, after))
    if edit.action in (INSERT, APPEND):
        expected.insert(edit.index - first, None)
    elif edit.action == REPLACE:
        expected[edit.index - first] = None
    else:
        del expected[edit.index - first]
    if len(root.items) != len(expected):
        return False
    old_positions, new_positions = Positions(old), Positions(window)
    for position, index in enumerate(expected):
        new_start = new_positions.entry_start(root, position) + start
        if index is None:
            if not _new_entry(root, position, new_start, docs[0], doc, edit):
                return False
            continue
        old_start = old_positions.entry_start(container, index)
        moved = index > edit.index or (index == edit.index and edit.action == INSERT)
        if new_start != old_start + (delta if moved else 0):
            return False
        old_text = old[old_start : old_positions.entry_content_end(container, index)]
        new_text = window[new_start - start : new_positions.entry_content_end(root, position)]
        if old_text != new_text:
            return False
    return True


def _new_entry(
    root: Node, position: int, new_start: int, window_doc: Document, doc: Document, edit: EntryChange
) -> bool:
    container = edit.container
    if container.node_type == MAPPING:
        key, node = root.items[position]
        if edit.action == REPLACE:
            old_key = container.items[edit.index][0]
            if new_start != old_key.start or mapping_key(key) != mapping_key(old_key):
                return False
        elif mapping_key(key) != edit.key:
            return False
    else:
        node = root.items[position]
    if any(inner.anchor for inner in walk(node)):  # a new anchor could capture aliases further down
        return False
    return same_value(to_value(node, window_doc, doc.version), edit.value) and same_value(
        to_value(node, window_doc, YAML_1_1), edit.value
    )
