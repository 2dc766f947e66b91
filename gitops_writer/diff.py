"""Unified diffs of planned file changes, at a cost that follows the change rather than the file."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Sequence

from gitops_writer.repo.files import FileChange

CONTEXT = 3


def unified_diff(changes: Sequence[FileChange]) -> str:
    """A git-style unified diff of every changed file; its cost follows the change, not the file.

    The changed lines are found by trimming the common start and end of the two texts; only those
    lines go through difflib, so the hunks sit exactly where the edit was made.
    """
    out: list[str] = []
    for change in changes:
        if not change.changed:
            continue
        old_lines, new_lines = _lines(change.old or ""), _lines(change.new or "")
        groups = list(
            _KnownChange(change.old or "", change.new or "", old_lines, new_lines).get_grouped_opcodes(CONTEXT)
        )
        if not groups:
            continue  # an empty file created or deleted: no line to show
        out.append("--- " + ("/dev/null" if change.old is None else f"a/{change.path.lstrip('/')}") + "\n")
        out.append("+++ " + ("/dev/null" if change.new is None else f"b/{change.path.lstrip('/')}") + "\n")
        for group in groups:
            first, last = group[0], group[-1]
            out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    out.extend(_shown(" ", old_lines[i1:i2]))
                    continue
                out.extend(_shown("-", old_lines[i1:i2]))
                out.extend(_shown("+", new_lines[j1:j2]))
    return "".join(out)


class _KnownChange(difflib.SequenceMatcher[str]):
    """Opcodes for two texts known to share everything but one region: difflib runs on that region only."""

    def __init__(self, old: str, new: str, old_lines: list[str], new_lines: list[str]) -> None:
        super().__init__(None, (), (), autojunk=False)  # grouping reads only get_opcodes(); no index of b
        first, old_end, new_end = _changed_lines(old, new)
        opcodes = [("equal", 0, first, 0, first)] if first else []
        opcodes += _region(old_lines, new_lines, first, old_end, first, new_end)
        if old_end < len(old_lines):
            opcodes.append(("equal", old_end, len(old_lines), new_end, len(new_lines)))
        self._known: list[tuple[str, int, int, int, int]] = []
        for opcode in opcodes:  # one equal run where the region's edge met an equal line
            if self._known and opcode[0] == "equal" == self._known[-1][0]:
                self._known[-1] = ("equal", self._known[-1][1], opcode[2], self._known[-1][3], opcode[4])
            else:
                self._known.append(opcode)

    def get_opcodes(self) -> list[tuple[str, int, int, int, int]]:  # type: ignore[override]
        return self._known


SMALL = 400  # lines: below this difflib compares a region directly, above it unique lines split it first


def _region(a: list[str], b: list[str], a1: int, a2: int, b1: int, b2: int) -> list[tuple[str, int, int, int, int]]:
    """Opcodes for a[a1:a2] against b[b1:b2]. A large region, such as a request's two edits far apart
    in one file, is cut at lines that occur once on each side and in the same order (patience diff),
    so difflib only sees the small pieces between them."""
    if a2 - a1 == b2 - b1 and a[a1:a2] == b[b1:b2]:
        return [("equal", a1, a2, b1, b2)] if a1 < a2 else []
    if (a2 - a1) + (b2 - b1) <= SMALL:
        matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2], autojunk=False)
        return [(tag, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    # Two edits far apart that keep the line count between them (a date stamp above an insertion):
    # a few lines differ in place, then a long run is equal in place.
    head = 0
    while head < 8 and a1 + head < a2 and b1 + head < b2 and a[a1 + head] != b[b1 + head]:
        head += 1
    run = _common_length(
        min(a2 - a1, b2 - b1) - head, lambda n: a[a1 + head : a1 + head + n] == b[b1 + head : b1 + head + n]
    )
    if run > SMALL:
        middle_a, middle_b = a1 + head + run, b1 + head + run
        return (
            _region(a, b, a1, a1 + head, b1, b1 + head)
            + [("equal", a1 + head, middle_a, b1 + head, middle_b)]
            + _region(a, b, middle_a, a2, middle_b, b2)
        )
    anchors = _unique_common(a, b, a1, a2, b1, b2)
    if not anchors:
        matcher = difflib.SequenceMatcher(None, a[a1:a2], b[b1:b2])  # difflib's own heuristics bound its cost
        return [(tag, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]
    opcodes: list[tuple[str, int, int, int, int]] = []
    i, j = a1, b1
    for ai, bj in anchors + [(a2, b2)]:
        if i < ai or j < bj:
            opcodes += _region(a, b, i, ai, j, bj)
        if ai < a2:
            opcodes.append(("equal", ai, ai + 1, bj, bj + 1))
        i, j = ai + 1, bj + 1
    return opcodes


def _unique_common(a: list[str], b: list[str], a1: int, a2: int, b1: int, b2: int) -> list[tuple[int, int]]:
    """Lines found exactly once in each side, matched, longest run in the same order on both sides."""
    seen_a: dict[str, int] = {}
    for index in range(a1, a2):
        seen_a[a[index]] = -1 if a[index] in seen_a else index
    seen_b: dict[str, int] = {}
    for index in range(b1, b2):
        line = b[index]
        if seen_a.get(line, -1) >= 0:
            seen_b[line] = -1 if line in seen_b else index
    pairs = [(seen_a[line], index) for line, index in seen_b.items() if index >= 0]
    pairs.sort()
    # longest increasing subsequence of the b indices, in O(n log n)
    tails: list[int] = []
    links: list[int] = [-1] * len(pairs)
    tail_at: list[int] = []
    for position, (_, bj) in enumerate(pairs):
        k = bisect.bisect_left(tails, bj)
        if k == len(tails):
            tails.append(bj)
            tail_at.append(position)
        else:
            tails[k] = bj
            tail_at[k] = position
        links[position] = tail_at[k - 1] if k else -1
    chain: list[tuple[int, int]] = []
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        chain.append(pairs[position])
        position = links[position]
    return chain[::-1]


def _range(start: int, stop: int) -> str:
    """difflib's unified range: 1-based start and a length; an empty range names the line before it."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"


def _shown(mark: str, lines: list[str]) -> list[str]:
    return [mark + line if line.endswith("\n") else mark + line + "\n\\ No newline at end of file\n" for line in lines]


def _lines(text: str) -> list[str]:
    """Lines as git sees them: only LF ends a line (a CR stays part of its line)."""
    lines = text.split("\n")
    last = lines.pop()
    return [line + "\n" for line in lines] + ([last] if last else [])


def _changed_lines(old: str, new: str) -> tuple[int, int, int]:
    """The first line that differs, and the end (exclusive) of the differing lines in old and in new."""
    prefix = _common_length(min(len(old), len(new)), lambda n: old[:n] == new[:n])
    suffix = _common_length(min(len(old), len(new)) - prefix, lambda n: old[len(old) - n :] == new[len(new) - n :])
    cut, new_cut = len(old) - suffix, len(new) - suffix
    if (cut and old[cut - 1] != "\n") or (new_cut and new[new_cut - 1] != "\n"):
        line_end = old.find("\n", cut)  # the shared end must begin at a line start in both texts
        suffix = 0 if line_end == -1 else len(old) - line_end - 1
    first = old.count("\n", 0, prefix)
    old_end = _line_end(old, len(old) - suffix)
    new_end = _line_end(new, len(new) - suffix)
    return first, max(first, old_end), max(first, new_end)


def _line_end(text: str, position: int) -> int:
    """How many lines end at or before `position`, counting a line that `position` falls inside."""
    lines = text.count("\n", 0, position)
    return lines + 1 if position > 0 and text[position - 1] != "\n" else lines


def _common_length(limit: int, same: Callable[[int], bool]) -> int:
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if same(middle):
            low = middle
        else:
            high = middle - 1
    return low
