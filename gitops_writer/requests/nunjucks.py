"""The part of Nunjucks a house's template files use (Backstage `fetch:template` skeletons), read as data.

A skeleton is repository content, so hostile until read: what is understood is

- `${{ values.NAME }}` and `{{ values.NAME }}` (an output; `{{ NAME }}` for a loop's item),
- `{% if C %}`, `{% elif C %}`, `{% else %}`, `{% endif %}` where C is `values.NAME`, `not values.NAME`
  or `values.NAME == LITERAL` / `!=` (a quoted text, a number, true or false),
- `{% for ITEM in values.NAME %}` ... `{% endfor %}` over a list,
- `{# comments #}`, and `-` on either side of a tag trimming the white space on that side;

anything else (filters, calls, other tags, a tag left open, tags nested over 50 deep) is refused,
naming its line. Rendering never writes a value into the text: each output becomes a marker the caller replaces (see
`requests.house_template`), so what the skeleton's own text makes is known before any value is in it.
Backstage renders only `${{ }}` outputs (`{{ }}` needs its cookiecutterCompat); both are read as
outputs here, which is what a skeleton mixing them means.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from gitops_writer.errors import ConfigError
from gitops_writer.values import JSONValue

_OPENING = re.compile(r"\$\{\{|\{\{|\{%|\{#")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_REF = re.compile(rf"(values\.)?({_NAME})")
_CONDITION = re.compile(rf"(not\s+)?(values\.{_NAME}|{_NAME})(?:\s*(==|!=)\s*(.+))?")
_FOR = re.compile(rf"for\s+({_NAME})\s+in\s+(values\.{_NAME})")
_LITERAL = re.compile(r"'([^'\\]*)'|\"([^\"\\]*)\"|(-?[0-9]+)|(true|false)")
_MAX_NESTING = 50
_CLOSE = {"${{": "}}", "{{": "}}", "{%": "%}", "{#": "#}"}


@dataclass(frozen=True)
class Output:
    name: str
    loop: bool  # the item of an enclosing for, not one of `values`


@dataclass(frozen=True)
class Condition:
    name: str
    negated: bool = False
    operator: str = ""  # "", "==" or "!="
    literal: JSONValue = None


@dataclass
class Block:
    """Text, outputs and nested blocks, in order; an if's branches or a for's body."""

    parts: list[str | Output | Branches | Loop] = field(default_factory=list)


@dataclass
class Branches:
    branches: list[tuple[Condition | None, Block]]  # None: the else


@dataclass
class Loop:
    item: str
    name: str
    body: Block = field(default_factory=Block)


def parse(text: str, where: str) -> Block:
    """The skeleton as a tree of text, outputs, ifs and fors; ConfigError naming the line otherwise."""
    root = Block()
    stack: list[Block | Branches | Loop] = [root]
    pieces = _pieces(text, where)
    for piece, line in pieces:
        if isinstance(piece, str):
            _current(stack).parts.append(piece)
        else:
            _tag(stack, piece, f"{where} line {line}")
            if len(stack) > _MAX_NESTING:
                raise ConfigError(f"{where} line {line}: tags nest more than {_MAX_NESTING} deep")
    if len(stack) > 1:
        raise ConfigError(f"{where}: a {{% if %}} or {{% for %}} is not closed")
    return root


def _pieces(text: str, where: str) -> list[tuple[str | tuple[str, str], int]]:
    """Text and (opening, inside) tags in order, trimmed where a tag says `-`; one pass over the text,
    each tag closed by its own closing (`}}`, `%}`, `#}`) or refused."""
    pieces: list[tuple[str | tuple[str, str], int]] = []
    at, trim_next, line, counted = 0, False, 1, 0
    for opened in _OPENING.finditer(text):
        if opened.start() < at:
            continue  # inside the tag just read
        opening = opened.group(0)
        line, counted = line + text.count("\n", counted, opened.start()), opened.start()
        close = text.find(_CLOSE[opening], opened.end())
        if close < 0:
            raise ConfigError(f"{where} line {line}: {opening} is not closed by {_CLOSE[opening]}")
        inside = text[opened.end() : close]
        left, right = inside.startswith("-"), inside.endswith("-") and len(inside) > 1
        before = text[at : opened.start()]
        before = before.lstrip() if trim_next else before
        pieces.append((before.rstrip() if left else before, line))
        if opening != "{#":
            pieces.append(((opening, inside[int(left) : len(inside) - int(right)].strip()), line))
        at, trim_next = close + len(_CLOSE[opening]), right
    rest = text[at:]
    pieces.append((rest.lstrip() if trim_next else rest, text.count("\n") + 1))
    return pieces


def _current(stack: list[Block | Branches | Loop]) -> Block:
    top = stack[-1]
    if isinstance(top, Block):
        return top
    if isinstance(top, Loop):
        return top.body
    return top.branches[-1][1]


def _tag(stack: list[Block | Branches | Loop], tag: tuple[str, str], at: str) -> None:
    opening, inside = tag
    if opening in ("${{", "{{"):
        ref = _REF.fullmatch(inside)
        loops = {part.item for part in stack if isinstance(part, Loop)}
        if ref is None or (not ref.group(1) and ref.group(2) not in loops):
            raise ConfigError(f"{at}: {opening} {inside} }}}} is not values.NAME, which is all the tool renders")
        _current(stack).parts.append(Output(ref.group(2), loop=not ref.group(1)))
        return
    word = inside.split(maxsplit=1)[0] if inside else ""
    if word in ("if", "elif"):
        condition = _condition(inside[len(word) :].strip(), at)
        if word == "if":
            branches = Branches([(condition, Block())])
            _current(stack).parts.append(branches)
            stack.append(branches)
        else:
            _open(stack, Branches, at, word).branches.append((condition, Block()))
    elif inside == "else":
        _open(stack, Branches, at, word).branches.append((None, Block()))
    elif inside in ("endif", "endfor"):
        _open(stack, Branches if inside == "endif" else Loop, at, inside)
        stack.pop()
    elif word == "for" and (loop := _FOR.fullmatch(inside)):
        made = Loop(loop.group(1), loop.group(2).removeprefix("values."))
        _current(stack).parts.append(made)
        stack.append(made)
    else:
        raise ConfigError(f"{at}: {{% {inside} %}} is a tag the tool does not render (if, elif, else, for)")


def _open(stack: list[Block | Branches | Loop], kind: type, at: str, word: str) -> Branches:
    top = stack[-1]
    if not isinstance(top, kind):
        raise ConfigError(f"{at}: {{% {word} %}} has no {{% {'for' if kind is Loop else 'if'} %}} open")
    return top if isinstance(top, Branches) else Branches([])


def _condition(text: str, at: str) -> Condition:
    match = _CONDITION.fullmatch(text)
    literal = _LITERAL.fullmatch(match.group(4).strip()) if match and match.group(4) else None
    if match is None or (match.group(4) and (literal is None or match.group(1))):
        raise ConfigError(f"{at}: {{% if {text} %}} is not values.NAME, not values.NAME or values.NAME == LITERAL")
    value: JSONValue = None
    if literal is not None:
        quoted, double, number, boolean = literal.groups()
        value = quoted if quoted is not None else double if double is not None else None
        value = int(number) if number is not None else (boolean == "true") if boolean else value
    name = match.group(2).removeprefix("values.")
    return Condition(name, bool(match.group(1)), match.group(3) or "", value)


Writer = Callable[[str, JSONValue], str]  # (the output's name, its value) -> the text written there


def render(block: Block, lookup: Callable[[str], JSONValue], output: Writer) -> str:
    """The skeleton's text, each output written by `output` (the caller's marker for the value)."""
    return "".join(_render(block, lookup, output, {}))


def _render(
    block: Block, lookup: Callable[[str], JSONValue], output: Writer, items: Mapping[str, tuple[JSONValue, str]]
) -> list[str]:
    """The text of a block; `items` are the enclosing fors' items, each with the name of its list."""
    out: list[str] = []
    for part in block.parts:
        if isinstance(part, str):
            out.append(part)
        elif isinstance(part, Output):
            out.append(
                output(items[part.name][1], items[part.name][0]) if part.loop else output(part.name, lookup(part.name))
            )
        elif isinstance(part, Loop):
            listed = lookup(part.name)
            for item in listed if isinstance(listed, list) else ():
                out += _render(part.body, lookup, output, {**items, part.item: (item, part.name)})
        else:
            chosen = next((body for test, body in part.branches if test is None or _holds(test, lookup, items)), None)
            if chosen is not None:
                out += _render(chosen, lookup, output, items)
    return out


def _holds(test: Condition, lookup: Callable[[str], JSONValue], items: Mapping[str, tuple[JSONValue, str]]) -> bool:
    value = items[test.name][0] if test.name in items else lookup(test.name)
    if test.operator:
        same = value == test.literal and type(value) is type(test.literal)
        same = same or (str(value) == str(test.literal) and not isinstance(value, bool | None))
        return same if test.operator == "==" else not same
    truthy = value not in (None, "", 0, False) or isinstance(value, list)  # JavaScript's: [] is true
    return not truthy if test.negated else truthy
