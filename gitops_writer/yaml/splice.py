"""The edits as splices at parser offsets: insert an entry, append an item, replace a value, remove one.

Each function returns `(start, end, replacement)` triples; nothing outside them changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitops_writer.errors import UnsupportedError
from gitops_writer.ordering import sorted_position
from gitops_writer.values import JSONValue
from gitops_writer.yaml.decode import mapping_key
from gitops_writer.yaml.positions import Positions
from gitops_writer.yaml.render import (
    Style,
    after_indicator_text,
    block_lines,
    dash_position,
    entry_lines,
    inline,
    is_block,
    item_lines,
    join,
    key_text,
)
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Node

Change = tuple[int, int, str]


@dataclass(frozen=True)
class Slot:
    """Where a node sits: under `key` in a mapping, in a sequence, or (parent None) at the root."""

    parent: Node | None
    key: Node | None = None


def apply(text: str, changes: list[Change]) -> str:
    for start, end, replacement in sorted(changes, key=lambda c: (c[0], c[1]), reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


class Splicer(Positions):
    """The edits of one text as splices, rendered in the text's own style."""

    def __init__(self, text: str, style: Style) -> None:
        super().__init__(text)
        self.style = style

    def at_eof(self, text: str, pos: int) -> str:
        """A block inserted at `pos`, moved past a missing final line break if it lands at the end."""
        if pos == len(self.text) and self.text and not self.text.endswith("\n"):
            return self.style.eol + text[: -len(self.style.eol)]
        return text

    def _braced(self, mapping: Node) -> None:
        """Refuse a one-pair mapping written inside a flow list (`[key: value]`): it has no braces to edit within."""
        if not self.text.startswith("{", mapping.start):
            raise UnsupportedError(
                "a one-pair mapping inside a flow list ([key: value]) cannot gain or lose a key;"
                " write it as {key: value} first"
            )

    # ------------------------------------------------------------ insert

    def insert_entry(self, mapping: Node, slot: Slot, key: str, value: JSONValue) -> list[Change]:
        if not mapping.items:
            return self._first_entry(mapping, slot, {key: value})
        keys = [mapping_key(k) for k, _ in mapping.items]
        index = sorted_position(keys, key)
        like_key, like = mapping.items[max(index - 1, 0)]
        if mapping.flow:
            self._braced(mapping)
            entry = f"{key_text(key, flow=True, like=like_key)}: {inline(value, flow=True, like=like)}"
            return self._flow_insert(mapping, index, entry)
        column = mapping.items[0][0].column
        block = join(entry_lines(key, value, column, self.style, like_key, like), self.style)
        return self._block_insert(mapping, index, column, block)

    def append_item(self, sequence: Node, slot: Slot, value: JSONValue) -> list[Change]:
        return self.insert_item(sequence, slot, value, len(sequence.items))

    def insert_item(self, sequence: Node, slot: Slot, value: JSONValue, index: int) -> list[Change]:
        """A new item before the one at `index` (after the last when `index` is the length)."""
        if not sequence.items:
            return self._first_entry(sequence, slot, [value])
        like = sequence.items[min(index, len(sequence.items) - 1)]
        if sequence.flow:
            return self._flow_insert(sequence, index, inline(value, flow=True, like=like))
        dash = self.entry_start(sequence, min(index, len(sequence.items) - 1))
        offset = like.start - dash if self.line_start(like.start) == self.line_start(dash) else 2
        column = self.column(dash)
        block = join(item_lines(value, column, self.style, max(offset, 2), like=like), self.style)
        return self._block_insert(sequence, index, column, block)

    def _block_insert(self, container: Node, index: int, column: int, block: str) -> list[Change]:
        count = len(container.items)
        eol = self.style.eol
        if index < count:
            start = self.entry_start(container, index)
            if not self.starts_line(start):  # `- name: x`: the new first key takes the dash's line
                return [(start, start, block[column:] + " " * column)]
            grouped = self.gap_has_blank(container, index if index else 1)
            pos = self.leading_start(start, column)
            return [(pos, pos, block + (eol if grouped else ""))]
        pos = self.entry_end(self.entry_content_end(container, count - 1), column)
        grouped = self.gap_has_blank(container, count - 1) and not self.ends_kept(container, count - 1)
        return [(pos, pos, self.at_eof((eol if grouped else "") + block, pos))]

    def _flow_insert(self, container: Node, index: int, entry: str) -> list[Change]:
        one_line = "\n" not in self.text[container.start : container.end]
        if index < len(container.items):
            first = self.entry_start_flow(container, index)
            sep = ", " if one_line else "," + self.style.eol + " " * self.column(first)
            return [(first, first, entry + sep)]
        last = self.entry_start_flow(container, index - 1)
        end = self.flow_entry_end(container, index - 1)
        sep = ", " if one_line else "," + self.style.eol + " " * self.column(last)
        return [(end, end, sep + entry)]

    def _first_entry(self, empty: Node, slot: Slot, collection: list[JSONValue] | dict[str, JSONValue]) -> list[Change]:
        """`{}` or `[]` gets its first entry: in block context it becomes a block collection."""
        parent = slot.parent
        if empty.anchor or empty.tag or (parent is not None and parent.flow):
            text = inline(collection, flow=True)
            return [(empty.body, empty.end - 1, text[1:-1])]
        eol = self.style.eol
        if parent is not None and parent.node_type == MAPPING:
            assert slot.key is not None
            step = self.style.step if isinstance(collection, dict) else self.style.seq_offset
            block = join(block_lines(collection, slot.key.column + step, self.style), self.style)
            after = self.line_after(empty.end)
            return [(self.colon_end(slot.key), empty.end, ""), (after, after, self.at_eof(block, after))]
        column = self.column(empty.start)
        block = join(block_lines(collection, column, self.style), self.style)
        return [(empty.start, empty.end, block[column : -len(eol)])]

    # ------------------------------------------------------------ replace

    def replace_value(self, node: Node, slot: Slot, value: JSONValue) -> list[Change]:
        parent = slot.parent
        assert parent is not None
        if parent.flow:
            return [(node.start, node.end, inline(value, flow=True, like=node))]
        block_old = (node.node_type in (MAPPING, SEQUENCE) and not node.flow) or node.style in ("|", ">")
        if parent.node_type == MAPPING:
            assert slot.key is not None
            colon = self.colon_end(slot.key)
            if not is_block(value, node, self.style) and not block_old and not node.is_empty_null:
                return [(node.start, node.end, inline(value, like=node))]
            end = max(colon, self.content_end(node))
            return [(colon, end, after_indicator_text(value, slot.key.column, self.style, node))]
        dash = dash_position(self.text, node)
        if dash is None:
            raise UnsupportedError(f"the list item at line {node.line + 1} has no '-' before it")
        if not is_block(value, node, self.style) and not block_old and not node.is_empty_null:
            return [(node.start, node.end, inline(value, like=node))]
        column = self.column(dash)
        offset = (
            node.start - dash if not node.is_empty_null and self.line_start(node.start) == self.line_start(dash) else 2
        )
        lines = item_lines(value, column, self.style, max(offset, 2), like=node)
        return [(dash, max(dash + 1, self.content_end(node)), self.style.eol.join(lines)[column:])]

    # ------------------------------------------------------------ remove

    def remove_entry(self, container: Node, slot: Slot, index: int) -> list[Change]:
        count = len(container.items)
        if container.flow:
            if container.node_type == MAPPING:
                self._braced(container)
            return self._flow_remove(container, index)
        start = self.entry_start(container, index)
        content_end = self.entry_content_end(container, index)
        empty = "{}" if container.node_type == MAPPING else "[]"
        parent = slot.parent
        if count == 1 and (parent is None or parent.node_type == SEQUENCE):
            return [(start, content_end, empty)]
        if not self.starts_line(start):
            if count == 1 or index:
                raise UnsupportedError(f"the entry at line {self.text.count(chr(10), 0, start) + 1} shares its line")
            return [(start, self.entry_start(container, 1), "")]
        column = self.column(start)
        begin, end = self.line_start(start), self.entry_end(content_end, column)
        if count == 1:
            assert slot.key is not None
            colon = self.colon_end(slot.key)
            return [(colon, colon, " " + empty), self._delete_lines(begin, end)]
        if index < count - 1:
            if (index == 0 or self.gap_has_blank(container, index)) and self._blank_line_at(end):
                end = self.line_after(end)
        elif (
            self.gap_has_blank(container, index)
            and not self.ends_kept(container, index - 1)
            and self._blank_line_at(self.line_start(begin - 1))
        ):
            begin = self.line_start(begin - 1)
        return [self._delete_lines(begin, end)]

    def _delete_lines(self, begin: int, end: int) -> Change:
        if end == len(self.text) and not self.text.endswith("\n") and begin > 0:
            begin -= 2 if self.text[begin - 2 : begin] == "\r\n" else 1
        return (begin, end, "")

    def _flow_remove(self, container: Node, index: int) -> list[Change]:
        count = len(container.items)
        start = self.entry_start_flow(container, index)
        if count == 1:
            return [(container.body, container.end - 1, "")]
        if index < count - 1:
            return [(start, self.entry_start_flow(container, index + 1), "")]
        return [(self.flow_entry_end(container, index - 1), self.flow_entry_end(container, index), "")]
