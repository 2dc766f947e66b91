"""Templates read backwards: which values of a file a kind's placeholders stand for."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import lru_cache

from gitops_writer.placeholders import Placeholder, escape, fill, names, parse
from gitops_writer.values import JSONValue


def placeholders(template: str) -> tuple[str, ...]:
    return tuple(names(template))


def template_regex(template: str, known: Mapping[str, str] | None = None, *, segment: bool = False) -> re.Pattern[str]:
    """A regex matching what `template` fills to: known placeholders literally, others as named groups.

    `segment`: a placeholder does not match '/' (for paths).
    """
    return _template_regex(template, tuple(sorted((known or {}).items())), segment)


@lru_cache(maxsize=1024)
def _template_regex(template: str, known_items: tuple[tuple[str, str], ...], segment: bool) -> re.Pattern[str]:
    known = dict(known_items)
    parts: list[str] = []
    seen: set[str] = set()
    for piece in parse(template):
        name = piece.name if isinstance(piece, Placeholder) else None
        if name is None:
            parts.append(re.escape(str(piece)))
        elif name in known:
            parts.append(re.escape(known[name]))
        elif name in seen:
            parts.append(f"(?P={_group(name)})")
        else:
            seen.add(name)
            parts.append(f"(?P<{_group(name)}>{'[^/]+' if segment else '.+'})")
    return re.compile("".join(parts), re.DOTALL)


@lru_cache(maxsize=1024)
def _group(name: str) -> str:
    return "p_" + re.sub(r"\W", "_", name)


def matched(match: re.Match[str], name: str) -> str | None:
    try:
        return match.group(_group(name))
    except IndexError:
        return None


def leaves_with(
    value: JSONValue, placeholder: str, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], str]]:
    """(pointer tokens, template string) of each string leaf of `value` that holds `{placeholder}`."""
    if isinstance(value, str):
        if placeholder in placeholders(value):
            yield prefix, value
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from leaves_with(child, placeholder, (*prefix, str(key)))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from leaves_with(child, placeholder, (*prefix, str(index)))


def partial_fill(template: str, known: Mapping[str, str]) -> str:
    """`template` with the known placeholders filled (values as they are); the others, and literal
    braces, left as template text (a lone brace comes back doubled, which reads the same)."""
    return "".join(
        escape(piece) if isinstance(piece, str) else known.get(piece.name, "{" + piece.name + "}")
        for piece in parse(template)
    )


def literal(template: str) -> str:
    """A template without placeholders, as it reads (`{{` and `}}` become braces)."""
    return fill(template, lambda name: "{" + name + "}")
