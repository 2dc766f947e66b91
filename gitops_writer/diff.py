"""Unified diffs of planned file changes, at a cost that follows the change rather than the file."""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Callable, Sequence

from gitops_writer.repo.files import FileChange

CONTEXT = 3


def unified_diff(changes: Sequence[FileChange]) -> str:
    """A git-style unified diff of every changed file; its cost follows the change, not the file.

    The changed lines are found by trimming the common start and end of the two texts, and a long run
    that stays equal in place between two edits is cut out of them by comparing text, not lines;
    only the lines left go through difflib, and only the lines shown are ever split off the texts.
    """
    out: list[str] = []
    for change in changes:
        if not change.changed:
            continue
        old, new = _Text(change.old or ""), _Text(change.new or "")
        groups = list(_KnownChange(old, new).get_grouped_opcodes(CONTEXT))
        if not groups:
            continue  # an empty file created or deleted: no line to show
        out.append("--- " + ("/dev/null" if change.old is None else f"a/{change.path.lstrip('/')}") + "\n")
        out.append("+++ " + ("/dev/null" if change.new is None else f"b/{change.path.lstrip('/')}") + "\n")
        for group in groups:
            first, last = group[0], group[-1]
            out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
            for tag, i1, i2, j1, j2 in group:
                if tag == "equal":
                    out.extend(_shown(" ", old.lines(i1, i2)))
                    continue
                out.extend(_shown("-", old.lines(i1, i2)))
                out.extend(_shown("+", new.lines(j1, j2)))
    return "".join(out)


class _Text:
    """A text's lines as git counts them, split off only where they are read. The offsets of a few
    lines are known (the first, the end, the edges of the changed regions); others are found by
    stepping from the nearest of those."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
        self._known = {0: 0, self.count: len(text)}

    def knows(self, line: int, offset: int) -> None:
        self._known[line] = offset

    def offset(self, line: int) -> int:
        known = self._known
        if line not in known:
            below = max(k for k in known if k < line)
            above = min(k for k in known if k > line)
            text = self.text
            if line - below <= above - line:
                position = known[below]
                for _ in range(line - below):
                    position = text.index("\n", position) + 1
            else:
                position = known[above]
                for _ in range(above - line):
                    position = text.rfind("\n", 0, position - 1) + 1
            known[line] = position
        return known[line]

    def lines(self, start: int, stop: int) -> list[str]:
        return _lines(self.text[self.offset(start) : self.offset(stop)]) if start < stop else []

    def line(self, number: int) -> str:
        return self.text[self.offset(number) : self.offset(number + 1)]


class _KnownChange(difflib.SequenceMatcher[str]):
    """Opcodes for two texts known to share everything but one region: difflib runs on that region only."""

    def __init__(self, old: _Text, new: _Text) -> None:
        super().__init__(None, (), (), autojunk=False)  # grouping reads only get_opcodes(); no index of b
        first, old_end, new_end = _changed_lines(old, new)
        opcodes = [("equal", 0, first, 0, first)] if first else []
        opcodes += _pieces(old, new, first, old_end, first, new_end)
        if old_end < old.count:
            opcodes.append(("equal", old_end, old.count, new_end, new.count))
        self._known: list[tuple[str, int, int, int, int]] = []
        for opcode in opcodes:  # one equal run where the region's edge met an equal line
            if self._known and opcode[0] == "equal" == self._known[-1][0]:
                self._known[-1] = ("equal", self._known[-1][1], opcode[2], self._known[-1][3], opcode[4])
            else:
                self._known.append(opcode)

    def get_opcodes(self) -> list[tuple[str, int, int, int, int]]:  # type: ignore[override]
        return self._known


def _pieces(old: _Text, new: _Text, a1: int, a2: int, b1: int, b2: int) -> list[tuple[str, int, int, int, int]]:
    """Opcodes for old lines [a1, a2) against new lines [b1, b2). A large region whose first lines
    differ in place and are followed by a long run equal in place (a date stamp above an insertion)
    is cut there by comparing text; the rest goes to `_region` as lines."""
    if (a2 - a1) + (b2 - b1) > SMALL:
        head = 0
        while head < 8 and a1 + head < a2 and b1 + head < b2 and old.line(a1 + head) != new.line(b1 + head):
            head += 1
        start_a, start_b = old.offset(a1 + head), new.offset(b1 + head)
        limit = min(old.offset(a2) - start_a, new.offset(b2) - start_b)
        equal = _common_length(limit, lambda n: old.text[start_a : start_a + n] == new.text[start_b : start_b + n])
        equal = old.text.rfind("\n", start_a, start_a + equal) + 1 - start_a  # whole lines only
        run = old.text.count("\n", start_a, start_a + equal) if equal > 0 else 0
        if run > SMALL:
            old.knows(a1 + head + run, start_a + equal)
            new.knows(b1 + head + run, start_b + equal)
            return (
                _pieces(old, new, a1, a1 + head, b1, b1 + head)
                + [("equal", a1 + head, a1 + head + run, b1 + head, b1 + head + run)]
                + _pieces(old, new, a1 + head + run, a2, b1 + head + run, b2)
            )
    a, b = old.lines(a1, a2), new.lines(b1, b2)
    return [(tag, i1 + a1, i2 + a1, j1 + b1, j2 + b1) for tag, i1, i2, j1, j2 in _region(a, b, 0, len(a), 0, len(b))]


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


def _changed_lines(old: _Text, new: _Text) -> tuple[int, int, int]:
    """The first line that differs, and the end (exclusive) of the differing lines in old and in new;
    their offsets become known to both texts."""
    a, b = old.text, new.text
    prefix = _common_length(min(len(a), len(b)), lambda n: a[:n] == b[:n])
    suffix = _common_length(min(len(a), len(b)) - prefix, lambda n: a[len(a) - n :] == b[len(b) - n :])
    cut, new_cut = len(a) - suffix, len(b) - suffix
    if (cut and a[cut - 1] != "\n") or (new_cut and b[new_cut - 1] != "\n"):
        line_end = a.find("\n", cut)  # the shared end must begin at a line start in both texts
        suffix = 0 if line_end == -1 else len(a) - line_end - 1
    first = a.count("\n", 0, prefix)
    start = a.rfind("\n", 0, prefix) + 1
    old.knows(first, start)
    new.knows(first, start)
    old_end = _line_end(a, len(a) - suffix)
    new_end = _line_end(b, len(b) - suffix)
    if old_end > first:
        old.knows(old_end, len(a) - suffix)
    if new_end > first:
        new.knows(new_end, len(b) - suffix)
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
