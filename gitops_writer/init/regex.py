"""Patterns found in a workflow or a template, made into a kind's JSON Schema `pattern`, or refused.

A workflow tests its inputs with grep (POSIX basic or extended expressions, or Perl's with -P) or
bash's `=~`; a template's `pattern:` is already ECMAScript. Each is translated to ECMAScript, then
judged: it must compile, be short, and not repeat a repetition ambiguously (`(a+)+`, `(\\w+\\s?)*`,
`(a|aa)*`), which backtracks for exponential time on a near miss. A refused pattern is reported
with the reason, never copied.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from gitops_writer.kinds.validate import ecma_pattern

with warnings.catch_warnings():  # Python's own regex parser, the one `re` uses; its old names warn
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as c
    import sre_parse

MAX_PATTERN = 500  # characters
_POSIX_CLASSES = {
    "alpha": "a-zA-Z",
    "digit": "0-9",
    "alnum": "a-zA-Z0-9",
    "upper": "A-Z",
    "lower": "a-z",
    "space": " \\t\\n\\r\\f\\v",
    "blank": " \\t",
    "punct": "!-\\/:-@\\[-`{-~",
    "xdigit": "0-9A-Fa-f",
    "word": "A-Za-z0-9_",
}
# Basic expressions: these are operators escaped and literals bare; extended ones the other way round.
_BRE_SWAPPED = set("(){}|+?")
ASCII = frozenset(chr(c) for c in range(128))
LONG_REPEAT = 20  # a repetition this long or unbounded can take a near miss's length
ADJACENT_MAX = 3  # such repetitions side by side that share characters: polynomial backtracking of that degree


class PatternRefused(ValueError):
    """Why a pattern is not copied into the kind."""


def from_posix(pattern: str, *, basic: bool = False) -> str:
    """A POSIX (grep) expression in ECMAScript: bracket classes spelled out, a bracket's backslash literal."""
    out: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "[":
            end, text = _bracket(pattern, index)
            out.append(text)
            index = end
            continue
        if char == "\\" and index + 1 < len(pattern):
            following = pattern[index + 1]
            if following in "<>":
                raise PatternRefused(f"uses \\{following} (a word boundary of GNU grep), which JSON Schema cannot")
            out.append(following if basic and following in _BRE_SWAPPED else char + following)
            index += 2
            continue
        out.append("\\" + char if basic and char in _BRE_SWAPPED else char)
        index += 1
    return "".join(out)


def _bracket(pattern: str, start: int) -> tuple[int, str]:
    """(index after the bracket expression at `start`, its ECMAScript spelling)."""
    index = start + 1
    out = ["["]
    if index < len(pattern) and pattern[index] == "^":
        out.append("^")
        index += 1
    first = True
    while index < len(pattern):
        char = pattern[index]
        if char == "]" and not first:
            out.append("]")
            return index + 1, "".join(out)
        if pattern.startswith("[:", index):
            end = pattern.find(":]", index + 2)
            name = pattern[index + 2 : end] if end > 0 else ""
            if name not in _POSIX_CLASSES:
                raise PatternRefused(f"uses the bracket class [:{name}:], which is not a POSIX class")
            out.append(_POSIX_CLASSES[name])
            index = end + 2
        else:
            out.append("\\" + char if char in "\\]^" or (char == "[" and not first) else char)
            index += 1
        first = False
    raise PatternRefused("has a '[' that is never closed")


def checked(pattern: str) -> str:
    """The ECMAScript pattern itself, when it compiles and cannot backtrack for exponential time."""
    if len(pattern) > MAX_PATTERN:
        raise PatternRefused(f"is {len(pattern)} characters long, more than the {MAX_PATTERN} a kind takes")
    if re.search(r"[\x00-\x1f\x7f]", pattern):
        raise PatternRefused("holds a control character")
    try:
        re.compile(ecma_pattern(pattern))
    except re.error as exc:
        raise PatternRefused(f"is not a valid regular expression ({exc})") from None
    if _ambiguous(_tree(sre_parse.parse(ecma_pattern(pattern)).data)):
        raise PatternRefused(
            "repeats a repetition, or sets repetitions side by side, that can split its text many ways "
            "(catastrophic backtracking)"
        )
    return pattern


@dataclass(frozen=True)
class Part:
    """One item of a parsed expression, as much of it as the backtracking judgement needs."""

    op: str  # repeat, group, branch, char (one character of `chars`), other
    low: int = 0
    high: int = 0
    chars: frozenset[str] = ASCII
    parts: tuple[tuple[Part, ...], ...] = ()  # a repeat's or group's body; a branch's alternatives


def _tree(data: Sequence[tuple[object, object]]) -> tuple[Part, ...]:
    """Python's own parse of the expression, in plain typed parts."""
    return tuple(_part(op, av) for op, av in data)


def _part(op: object, av: object) -> Part:
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, body = cast("tuple[int, int, sre_parse.SubPattern]", av)
        return Part("repeat", low, high, parts=(_tree(body.data),))
    if op == c.SUBPATTERN:
        body = cast("tuple[object, object, object, sre_parse.SubPattern]", av)[3]
        return Part("group", parts=(_tree(body.data),))
    if op == c.BRANCH:
        branches = cast("tuple[object, list[sre_parse.SubPattern]]", av)[1]
        return Part("branch", parts=tuple(_tree(b.data) for b in branches))
    if op in (c.ASSERT, c.ASSERT_NOT):
        return Part("group", low=1, high=1, parts=(_tree(cast("tuple[int, sre_parse.SubPattern]", av)[1].data),))
    if op == c.LITERAL and isinstance(av, int):
        return Part("char", chars=frozenset({chr(av)}) & ASCII)
    if op == c.NOT_LITERAL and isinstance(av, int):
        return Part("char", chars=ASCII - {chr(av)})
    if op == c.ANY:
        return Part("char")
    if op == c.IN:
        return Part("char", chars=_class(cast("list[tuple[object, object]]", av)))
    return Part("other", chars=frozenset())


def _class(members: list[tuple[object, object]]) -> frozenset[str]:
    found: set[str] = set()
    negate = False
    for op, av in members:
        if op == c.NEGATE:
            negate = True
        elif op == c.LITERAL and isinstance(av, int):
            found.add(chr(av))
        elif op == c.RANGE:
            low, high = cast("tuple[int, int]", av)
            found.update(chr(x) for x in range(low, min(high, 127) + 1))
        elif op == c.CATEGORY:
            found.update(ch for ch in ASCII if _in_category(av, ch))
    chars = frozenset(found) & ASCII
    return ASCII - chars if negate else chars


def _in_category(category: object, char: str) -> bool:
    if category == c.CATEGORY_DIGIT:
        return char.isdigit()
    if category == c.CATEGORY_WORD:
        return char.isalnum() or char == "_"
    if category == c.CATEGORY_SPACE:
        return char.isspace()
    return True  # a negated category: taken as anything


def _ambiguous(parts: tuple[Part, ...]) -> bool:
    if _adjacent(parts) >= ADJACENT_MAX:
        return True
    for part in parts:
        if part.op == "repeat":
            body = _unwrapped(part.parts[0])
            if part.high >= 2 and (_nested(body) or _overlapping(body) or _optional_end(body)):
                return True
        if any(_ambiguous(inner) for inner in part.parts):
            return True
    return False


def _adjacent(parts: tuple[Part, ...]) -> int:
    """The longest run of long repetitions side by side that may take the same characters (`a*a*a*`):
    each one more multiplies the ways to split a near miss by its length."""
    longest = run = 0
    taken: frozenset[str] = frozenset()
    for part in parts:
        if part.op != "repeat" or part.high < LONG_REPEAT:
            run, taken = 0, frozenset()
            continue
        first = _first(part.parts[0])
        run, taken = (run + 1, taken | first) if taken & first else (1, first)
        longest = max(longest, run)
    return longest


def _unwrapped(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    while len(parts) == 1 and parts[0].op == "group":
        parts = parts[0].parts[0]
    return parts


def _first(parts: tuple[Part, ...]) -> frozenset[str]:
    """The characters `parts` may start with: exact for one character, all of them otherwise."""
    parts = _unwrapped(parts)
    return parts[0].chars if parts and parts[0].op == "char" else ASCII


def _nested(body: tuple[Part, ...]) -> bool:
    """A repeated body holding a repetition, unless a character the repetition cannot take starts it."""
    inner = list(_repeats(body))
    if not inner:
        return False
    separator = body[0].chars if body[0].op == "char" else ASCII
    return any(separator & taken for taken in inner)


def _repeats(parts: tuple[Part, ...]) -> Iterator[frozenset[str]]:
    """The characters each repetition in `parts` may start with."""
    for part in parts:
        if part.op == "repeat" and part.high > 1:
            inner = _unwrapped(part.parts[0])
            yield _first(inner) if len(inner) == 1 else ASCII
        elif part.op in ("group", "branch"):
            for inner in part.parts:
                yield from _repeats(inner)


def _overlapping(body: tuple[Part, ...]) -> bool:
    """Alternatives that may start with the same character, repeated: `(a|ab)*`."""
    if len(body) != 1 or body[0].op != "branch":
        return False
    starts = [_first(branch) for branch in body[0].parts]
    return any(a & b for i, a in enumerate(starts) for b in starts[i + 1 :])


def _optional_end(body: tuple[Part, ...]) -> bool:
    """A repeated body whose optional end may start as the body does: `(a(?:|a))+`; `(ab?)+` is safe."""
    if len(body) < 2:
        return False
    last = body[-1]
    if last.op == "branch" and any(not branch for branch in last.parts):
        end = frozenset().union(*(_first(branch) for branch in last.parts if branch))
    elif last.op == "repeat" and last.low == 0:
        end = _first(last.parts[0])
    else:
        return False
    return bool(end & _first(body))
