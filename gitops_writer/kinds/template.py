"""The template engine: `{placeholder}` in strings, keys and nested values of a kind's settings.

- `{{` and `}}` stand for literal braces.
- A string that is exactly one placeholder keeps the value's JSON type: `"{capacity}"` becomes the
  number 25, `"{pitr}"` a boolean, `"{environments}"` a list.
- Inside a longer string a value is written as text: booleans as `true`/`false`, a field not given as
  nothing.
- In a mapping, a key whose value is exactly one placeholder for a field not given (None) is left out,
  and so is a mapping that is left empty that way.
- In a list, an item that uses `{environments}` is repeated once per environment
  (`"env-{environments}"` gives `env-dev`, `env-prod`).
- In an edit's JSON pointer a value fills exactly one reference token: `/` and `~` in it are
  escaped (`~1`, `~0`), so no value can add a level.
- In an edit's path a value fills part of exactly one path segment: a value holding `/`, `\\`, `~`
  or a control character, `.` or `..`, or with spaces at either end, is refused; so is a path that
  leaves the repository or names `.git` or `.github` (in any case, with trailing dots or spaces).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from typing import TypeGuard

from gitops_writer.errors import ValidationError
from gitops_writer.placeholders import exact as exact
from gitops_writer.placeholders import fill as fill_placeholders
from gitops_writer.placeholders import names
from gitops_writer.values import JSONValue

ENVIRONMENTS = "environments"


class _Omitted:
    """What an optional field that was not given fills: its key or list item is left out."""


_OMIT = _Omitted()


def placeholders(text: str) -> list[str]:
    """The placeholder names used in a template string, in order, literal braces skipped."""
    return names(text)


def placeholders_in(value: object) -> Iterator[str]:
    """Every placeholder used anywhere in a nested template value (keys included)."""
    if isinstance(value, str):
        yield from placeholders(value)
    elif isinstance(value, Mapping):
        for key, child in value.items():
            yield from placeholders_in(key)
            yield from placeholders_in(child)
    elif isinstance(value, list | tuple):
        for child in value:
            yield from placeholders_in(child)


def as_text(value: object) -> str:
    """A value written into a longer string."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value)
    return json.dumps(value, sort_keys=True)


def fill_text(template: str, values: Mapping[str, object]) -> str:
    """A template string with every placeholder written as text."""
    return _fill_with(template, values, lambda name, value: as_text(value))


def fill_pointer(template: str, values: Mapping[str, object]) -> str:
    """An edit's JSON pointer: each value escaped to stay within its one reference token."""
    return _fill_with(template, values, lambda name, value: as_text(value).replace("~", "~0").replace("/", "~1"))


_NOT_IN_SEGMENT = re.compile(r"[/\\~\x00-\x1f\x7f-\x9f\u2028\u2029]")


def fill_path(template: str, values: Mapping[str, object]) -> str:
    """An edit's path, each value within one path segment, `./` dropped; ValidationError otherwise."""
    path = _fill_with(template, values, _segment)
    problem = path_problem(path)
    if problem is not None:
        raise ValidationError("path", problem)
    return "/".join(part for part in path.split("/") if part != ".")


def _segment(name: str, value: object) -> str:
    text = as_text(value)
    if text in (".", "..") or text != text.strip() or _NOT_IN_SEGMENT.search(text) or _reserved(text):
        raise ValidationError(
            name,
            f"{text!r} cannot be part of a file name: no '/', '\\', '~' or control characters, "
            "not '.', '..', '.git' or '.github', no spaces at either end",
        )
    return text


def _reserved(part: str) -> str | None:
    plain = part.rstrip(". ").lower()  # how Windows and macOS may name it
    if plain == ".git":
        return "names .git, git's own files"
    if plain == ".github":
        return "is under .github/, which holds workflows; no request may write there"
    return None


def path_problem(path: str) -> str | None:
    """Why no request may write `path` (relative to the repository), or None."""
    parts = [part for part in path.split("/") if part != "."]
    if path.startswith("/") or "\\" in path or not parts or any(part in ("", "..") for part in parts):
        return f"{path!r} is not a path inside the repository"
    reserved = next((why for why in map(_reserved, parts) if why), None)
    return f"{path!r} {reserved}" if reserved else None


def _fill_with(template: str, values: Mapping[str, object], write: Callable[[str, object], str]) -> str:
    return fill_placeholders(template, lambda name: write(name, values[name]))


def fill(template: JSONValue, values: Mapping[str, JSONValue]) -> JSONValue:
    """The template with every placeholder replaced (see the module's rules)."""
    result = _fill(template, values)
    return None if isinstance(result, _Omitted) else result


def _fill(template: JSONValue, values: Mapping[str, JSONValue]) -> JSONValue | _Omitted:
    if isinstance(template, str):
        name = exact(template)
        if name is not None:
            value = values[name]
            return list(value) if isinstance(value, tuple) else value
        return fill_text(template, values)
    if isinstance(template, Mapping):
        filled: dict[str, JSONValue] = {}
        for key, child in template.items():
            if isinstance(child, str) and exact(child) is not None and values[exact(child) or ""] is None:
                continue  # an optional field not given: the key is left out
            child_filled = _fill(child, values)
            if isinstance(child_filled, _Omitted):
                continue
            filled[fill_text(key, values)] = child_filled
        return _OMIT if template and not filled else filled
    if isinstance(template, list | tuple):
        items: list[JSONValue | _Omitted] = []
        environments = values.get(ENVIRONMENTS)
        for child in template:
            if ENVIRONMENTS in placeholders_in(child) and isinstance(environments, list | tuple):
                items.extend(_fill(child, {**values, ENVIRONMENTS: env}) for env in environments)
            else:
                items.append(_fill(child, values))
        return [item for item in items if not isinstance(item, _Omitted)]
    return template


def computed(default: object) -> TypeGuard[str]:
    """Whether a field's `default` is a template of other values ("Secret for {service} service")."""
    return isinstance(default, str) and bool(placeholders(default))


def depends_on(template: object, name: str) -> bool:
    return name in placeholders_in(template)
