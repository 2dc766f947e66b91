"""Lines, indentation and terraform fmt's `=` alignment, read off the source bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitops_writer.hcl.syntax import Container

# The indent of a code line (not blank, not a comment): any, one that starts with a space, only spaces.
_LEADING = re.compile(rb"^[ \t]+(?=[^ \t\r\n#/])", re.MULTILINE)
_LEADING_SPACE = re.compile(rb"^ [ \t]*(?=[^ \t\r\n#/])", re.MULTILINE)
_SPACES = re.compile(rb"^ +(?=[^ \t\r\n#/])", re.MULTILINE)


def line_start(src: bytes, pos: int) -> int:
    return src.rfind(b"\n", 0, pos) + 1


def line_end(src: bytes, pos: int) -> int:
    """Where the line holding `pos` ends, before its newline (and before the CR of a CRLF)."""
    end = src.find(b"\n", pos)
    if end == -1:
        return len(src)
    return end - 1 if end > 0 and src[end - 1] == 13 else end


def after_line(src: bytes, pos: int) -> int:
    """The first byte of the next line (end of text on the last line)."""
    end = src.find(b"\n", pos)
    return len(src) if end == -1 else end + 1


def indentation(src: bytes, pos: int) -> str:
    start = line_start(src, pos)
    end = start
    while end < len(src) and src[end] in b" \t":
        end += 1
    return src[start:end].decode()


def first_on_line(src: bytes, pos: int) -> bool:
    return not src[line_start(src, pos) : pos].strip()


def rest_is_blank_or_comment(src: bytes, pos: int) -> bool:
    rest = src[pos : line_end(src, pos)].strip()
    return not rest or rest.startswith((b"#", b"//")) or (rest.startswith(b"/*") and rest.endswith(b"*/"))


def is_comment_line(src: bytes, start: int) -> bool:
    text = src[start : line_end(src, start)].strip()
    return text.startswith((b"#", b"//", b"/*"))


def column(src: bytes, pos: int) -> int:
    return len(src[line_start(src, pos) : pos].decode("utf-8"))


def newline_of(src: bytes) -> str:
    return "\r\n" if src.count(b"\r\n") * 2 > src.count(b"\n") else "\n"


def indent_unit(src: bytes) -> str:
    """The file's indentation step: the smallest indent of a code line, or a tab."""
    head = src[:200_000]
    if _LEADING.search(head) and not _LEADING_SPACE.search(head):
        return "\t"
    widths = list(map(len, _SPACES.findall(head)))
    return " " * min(widths) if widths and min(widths) <= 8 else "  "


@dataclass(frozen=True)
class AssignLine:
    """A line terraform fmt aligns: one single-line `key = value` element starts it."""

    row: int
    lead: int  # columns up to the end of the key
    gap_start: int  # byte after the key
    gap_end: int  # byte of the `=`


def assign_lines(src: bytes, container: Container) -> dict[int, AssignLine]:
    lines: dict[int, AssignLine] = {}
    previous_end_row = -1
    elements = container.elements
    for index, element in enumerate(elements):
        row = element.node.start_point[0]
        first = row != previous_end_row
        previous_end_row = element.node.end_point[0]
        if not first or element.key_node is None or element.value.end_point[0] != row:
            continue
        if element.node.child_count < 3 or element.node.children[1].type != "=":
            continue
        later = index + 1
        while later < len(elements) and elements[later].node.start_point[0] == row:
            if elements[later].node.end_point[0] != row:
                break
            later += 1
        else:
            key_end = element.key_node.end_byte
            lines[row] = AssignLine(row, column(src, key_end), key_end, element.node.children[1].start_byte)
    return lines


def runs_touching(lines: dict[int, AssignLine], rows: range) -> list[list[AssignLine]]:
    """The maximal runs of consecutive assign lines that include any row in `rows`."""
    runs: list[list[AssignLine]] = []
    seen: set[int] = set()
    for row in rows:
        if row not in lines or row in seen:
            continue
        first = row
        while first - 1 in lines:
            first -= 1
        last = row
        while last + 1 in lines:
            last += 1
        seen.update(range(first, last + 1))
        runs.append([lines[r] for r in range(first, last + 1)])
    return runs


def run_of(lines: dict[int, AssignLine], row: int) -> list[AssignLine]:
    runs = runs_touching(lines, range(row, row + 1))
    return runs[0] if runs else []


def is_aligned(src: bytes, run: list[AssignLine]) -> bool:
    width = max(line.lead for line in run)
    return all(src[line.gap_start : line.gap_end] == b" " * (width - line.lead + 1) for line in run)


def realign(run: list[AssignLine]) -> list[tuple[int, int, str]]:
    width = max(line.lead for line in run)
    return [(line.gap_start, line.gap_end, " " * (width - line.lead + 1)) for line in run]
