"""Checks of one setting's value, shared by every part of the loader: each returns the value or raises ConfigError."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TypeVar

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.template import ENVIRONMENTS, placeholders
from gitops_writer.refs import branch_problem

# Text a generated workflow or Backstage template holds: no line breaks or other control characters
# (which could end a line and start a YAML key), and no `${{`/`}}` (which GitHub and Backstage evaluate).
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|\$\{\{|\}\}")
T = TypeVar("T")


def mapping(
    value: object, where: str, known: frozenset[str] | None = None, *, must: str = "be a mapping"
) -> Mapping[str, object]:
    """A mapping of settings, holding only `known` keys when given."""
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where}: must {must}")
    if known is not None:
        refuse_unknown(value, known, where)
    return value


def refuse_unknown(settings: Iterable[object], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(key) for key in set(settings) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")


def string(value: object, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty):
        raise ConfigError(f"{where}: must be a non-empty string")
    return value


def strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def check_placeholders(text: str, where: str, known: tuple[str, ...], *, environments_allowed: bool = False) -> None:
    for placeholder in placeholders(text):
        if placeholder not in known:
            raise ConfigError(f"{where}: unknown placeholder {{{placeholder}}} (known: {', '.join(known)})")
        if placeholder == ENVIRONMENTS and not environments_allowed:
            raise ConfigError(
                f"{where}: {{environments}} is a list: use it as a whole value or in a list item, "
                "which is then repeated once per environment"
            )


def branch(value: object, where: str) -> str:
    text = generated_text(string(value, where), where)
    problem = branch_problem(text)
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return text


def generated_text(text: str, where: str) -> str:
    """Text that a generated workflow or template may hold, written there through the YAML renderer."""
    if _UNSAFE_TEXT.search(text):
        raise ConfigError(
            f"{where}: holds a line break or another control character, or '${{{{' or '}}}}', "
            "which no generated workflow or template may carry"
        )
    return text


def generated_texts(value: T, where: str) -> T:
    """The setting, once every text in it (keys included) passed `generated_text`."""
    if isinstance(value, str):
        generated_text(value, where)
    elif isinstance(value, Mapping):
        for key, child in value.items():
            generated_texts(key, where)
            generated_texts(child, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            generated_texts(child, f"{where}[{index}]")
    return value
