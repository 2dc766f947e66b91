"""Keeping terraform fmt's `=` alignment true around an edit."""

from __future__ import annotations

from gitops_writer.hcl import layout
from gitops_writer.hcl.splice import Splice
from gitops_writer.hcl.syntax import Container


def alignment(
    src: bytes, new: bytes, containers: list[tuple[Container, Container]], splices: list[Splice]
) -> list[Splice]:
    """Re-pad `=` in the runs the edit joined, split or changed, where terraform fmt had aligned them.

    `containers` pairs the old and new views of the edited container and of its parent: opening
    `{}` or collapsing to it changes whether the owning line is a one-line assignment.
    """
    first_row, last_row = _edited_rows(src, new, splices)
    row_delta = new.count(b"\n") - src.count(b"\n")
    padding: list[Splice] = []
    for old_container, new_container in containers:
        old_lines = layout.assign_lines(src, old_container)
        new_lines = layout.assign_lines(new, new_container)
        for run in layout.runs_touching(new_lines, range(first_row - 1, last_row + 2)):
            if all(_was_aligned(src, old_lines, line.row, first_row, last_row, row_delta) for line in run):
                padding.extend(s for s in layout.realign(run) if new[s[0] : s[1]] != s[2].encode())
    return padding


def _edited_rows(src: bytes, new: bytes, splices: list[Splice]) -> tuple[int, int]:
    """The rows of `new` whose text the splices wrote (first > last: none, the edit sits before `first`)."""
    rows: list[int] = []
    anchor = None
    shift = 0
    for start, end, text in sorted(splices, key=lambda s: (s[0], s[1])):
        position = start + shift
        shift += len(text.encode()) - (end - start)
        data = text.encode()
        if anchor is None:
            anchor = new.count(b"\n", 0, position)
        if data.strip(b",") == b"":  # a separator comma after a value moves no column
            if not data and position and new[position - 1 : position] != b"\n":
                rows.append(new.count(b"\n", 0, position))  # a deletion inside a line
            continue
        low, high = position, position + len(data)
        if src[start : start + 1] in (b"\n", b"\r", b"") and data.startswith((b"\n", b"\r\n")):
            low += 2 if data.startswith(b"\r\n") else 1  # appended after the end of a line
            anchor = new.count(b"\n", 0, low)
        rows.extend((new.count(b"\n", 0, low), new.count(b"\n", 0, high - 1)))
    if not rows:
        return (anchor or 0), (anchor or 0) - 1
    return min(rows), max(rows)


def _was_aligned(
    src: bytes, old_lines: dict[int, layout.AssignLine], row: int, first_row: int, last_row: int, row_delta: int
) -> bool:
    if first_row <= row <= last_row:
        return True  # written by this edit
    run = layout.run_of(old_lines, row if row < first_row else row - row_delta)
    return bool(run) and layout.is_aligned(src, run)
