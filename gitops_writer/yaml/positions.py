"""Position queries over one YAML text: where lines, entries, keys and values begin and end.

Pure reading, no rendering: the splicer builds on these, and window verification uses them alone.
"""

from __future__ import annotations

from gitops_writer.errors import UnsupportedError
from gitops_writer.yaml.render import dash_position
from gitops_writer.yaml.syntax import MAPPING, SCALAR, SEQUENCE, Node


class Positions:
    def __init__(self, text: str) -> None:
        self.text = text

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def line_after(self, pos: int) -> int:
        found = self.text.find("\n", pos)
        return len(self.text) if found < 0 else found + 1

    def starts_line(self, pos: int) -> bool:
        return self.text[self.line_start(pos) : pos].strip(" \t") == ""

    def column(self, pos: int) -> int:
        return pos - self.line_start(pos)

    def colon_end(self, key: Node) -> int:
        pos = key.end
        while pos < len(self.text) and self.text[pos] in " \t":
            pos += 1
        if pos >= len(self.text) or self.text[pos] != ":":
            raise UnsupportedError(f"the key at line {key.line + 1} is a complex or explicit key; it cannot be edited")
        return pos + 1

    def content_end(self, node: Node) -> int:
        """Just after the last character that belongs to the node (block scalars: last content line)."""
        if node.node_type == SCALAR and node.style in ("|", ">"):
            header = self.text[node.start : self.line_after(node.start)]
            indicator = header[max(header.find("|"), header.find(">")) :].split("#")[0]
            if "+" in indicator:
                return node.end - 1 if self.text[node.end - 1 : node.end] == "\n" else node.end
            return self._stripped_end(node)
        if node.node_type in (MAPPING, SEQUENCE) and not node.flow and node.items:
            last = node.items[-1]
            if node.node_type == MAPPING:
                key, value = last
                return max(self.colon_end(key), self.content_end(value))
            return self.content_end(last)
        return node.end

    def entry_end(self, end: int, column: int) -> int:
        """The line start after an entry: its last line plus comment lines indented deeper than it."""
        pos = best = self.line_after(end)
        while pos < len(self.text):
            nxt = self.line_after(pos)
            line = self.text[pos:nxt]
            stripped = line.strip()
            if stripped and not (stripped.startswith("#") and len(line) - len(line.lstrip(" ")) > column):
                break
            pos = nxt
            if stripped:
                best = pos
        return best

    def leading_start(self, pos: int, column: int) -> int:
        """The start of the comment lines (at the entry's own column) directly above an entry."""
        start = self.line_start(pos)
        while start > 0:
            prev = self.line_start(start - 1)
            line = self.text[prev:start]
            if line.strip().startswith("#") and len(line) - len(line.lstrip(" ")) == column:
                start = prev
                continue
            break
        return start

    def has_blank(self, start: int, end: int) -> bool:
        return any(not line.strip() for line in self.text[start:end].splitlines())

    def entry_start(self, container: Node, index: int) -> int:
        """Where entry `index` of a block collection begins: its key or its dash."""
        if container.node_type == MAPPING:
            key: Node = container.items[index][0]
            return key.start
        dash = dash_position(self.text, container.items[index])
        if dash is None:
            raise UnsupportedError(f"the list item at line {container.items[index].line + 1} has no '-' before it")
        return dash

    def entry_content_end(self, container: Node, index: int) -> int:
        item = container.items[index]
        if container.node_type == MAPPING:
            return max(self.colon_end(item[0]), self.content_end(item[1]))
        return self.content_end(item)

    def ends_kept(self, container: Node, index: int) -> bool:
        """Whether entry `index` ends in a `|+` block scalar, which would absorb blank lines after it."""
        node = container.items[index]
        while True:
            if isinstance(node, tuple):
                node = node[1]
            elif node.node_type in (MAPPING, SEQUENCE) and not node.flow and node.items:
                node = node.items[-1]
            else:
                break
        return (
            node.node_type == SCALAR and node.style in ("|", ">") and self.content_end(node) != self._stripped_end(node)
        )

    def _stripped_end(self, node: Node) -> int:
        pos = node.end
        while pos > node.start and self.text[pos - 1] in " \t\r\n":
            pos -= 1
        return pos

    def gap_has_blank(self, container: Node, index: int) -> bool:
        """Whether a blank line separates entry `index - 1` from entry `index`."""
        if index <= 0 or index >= len(container.items):
            return False
        return self.has_blank(
            self.line_after(self.entry_content_end(container, index - 1)),
            self.line_start(self.entry_start(container, index)),
        )

    def entry_start_flow(self, container: Node, index: int) -> int:
        first: Node = container.items[index][0] if container.node_type == MAPPING else container.items[index]
        return first.start

    def flow_entry_end(self, container: Node, index: int) -> int:
        if container.node_type == MAPPING:
            key: Node
            value: Node
            key, value = container.items[index]
            return key.end if value.is_empty_null else value.end
        item: Node = container.items[index]
        return item.end

    def _blank_line_at(self, pos: int) -> bool:
        return pos < len(self.text) and not self.text[pos : self.line_after(pos)].strip()
