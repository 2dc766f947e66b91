"""The placeholder grammar of a kind's templates, read one way wherever a template is filled or matched.

A template is text with `{name}` placeholders, read left to right: `{{` and `}}` are literal braces, and
any other brace is itself. In a kind's id, `{seq:N}` (N from 1 to 9) is the request's number, written
with N digits at least.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
SEQUENCE = re.compile(r"seq:([1-9])")


@dataclass(frozen=True)
class Placeholder:
    name: str


Piece = str | Placeholder


@lru_cache(maxsize=4096)
def parse(template: str) -> tuple[Piece, ...]:
    """The template as its literal texts (braces unescaped) and placeholders, in order."""
    pieces: list[Piece] = []
    literal, at = [], 0
    for match in _TOKEN.finditer(template):
        literal.append(template[at : match.start()])
        at = match.end()
        name = match.group(1)
        if name is None:
            literal.append(match.group(0)[0])
            continue
        if any(literal):
            pieces.append("".join(literal))
        literal = []
        pieces.append(Placeholder(name))
    literal.append(template[at:])
    if any(literal):
        pieces.append("".join(literal))
    return tuple(pieces)


def escape(text: str) -> str:
    """Text as a template that reads as it: each brace doubled."""
    return text.replace("{", "{{").replace("}", "}}")


def names(template: str) -> list[str]:
    """The placeholder names a template uses, in order."""
    return [piece.name for piece in parse(template) if isinstance(piece, Placeholder)]


def exact(template: str) -> str | None:
    """The placeholder's name when the template is exactly one placeholder, else None."""
    pieces = parse(template)
    return pieces[0].name if len(pieces) == 1 and isinstance(pieces[0], Placeholder) else None


def fill(template: str, write: Callable[[str], str]) -> str:
    """The template with each placeholder written as `write(name)` says."""
    return "".join(piece if isinstance(piece, str) else write(piece.name) for piece in parse(template))


def regex(template: str, part: Callable[[str], str]) -> str:
    """A regular expression for what the template fills to: its literal text escaped, each placeholder
    as `part(name)` says."""
    return "".join(re.escape(piece) if isinstance(piece, str) else part(piece.name) for piece in parse(template))


def sequence_width(template: str) -> int | None:
    """N of the template's `{seq:N}`, None when it has none."""
    found = (SEQUENCE.fullmatch(name) for name in names(template))
    return next((int(match.group(1)) for match in found if match), None)
