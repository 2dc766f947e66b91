"""A sibling's values read back into placeholders, and templates filled with what is known."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gitops_writer.check.patterns import literal, matched, partial_fill, placeholders, template_regex
from gitops_writer.errors import UsageError
from gitops_writer.placeholders import escape
from gitops_writer.pointer import parse_pointer
from gitops_writer.values import JSONValue

# Which placeholder wins when two fields hold the same value, most specific first.
PRIORITY = ("id", "name_id", "name", "environment", "owner", "requester", "domain", "risk", "date")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def templatize(
    value: JSONValue, known: Mapping[str, str], *, in_list: bool = False, like: JSONValue = None
) -> JSONValue:
    """`value` with each known value, where it stands as a whole word, written as its placeholder.

    In a list item, or where the built-in template (`like`) lists them, the environment becomes
    `{environments}`: every environment the resource lives in, as the built-in kind records them.
    """
    if isinstance(value, dict):
        return {
            key: templatize(child, known, like=like.get(key) if isinstance(like, dict) else None)
            for key, child in value.items()
        }
    if isinstance(value, list):
        items = [templatize(child, known, in_list=True) for child in value]
        return "{environments}" if items == ["{environments}"] else items  # the list of environments itself
    if not isinstance(value, str):
        return value
    text = escape(value)
    order = sorted(
        ((name, known[name]) for name in known if len(known[name]) >= 2),
        key=lambda item: (-len(item[1]), PRIORITY.index(item[0]) if item[0] in PRIORITY else len(PRIORITY)),
    )
    for name, found in order:
        pattern = re.compile(rf"(?<![A-Za-z0-9_{{]){re.escape(found)}(?![A-Za-z0-9_}}])")
        listed = in_list or (isinstance(like, str) and "{environments}" in like)
        placeholder = "environments" if listed and name == "environment" else name
        text = pattern.sub("{" + placeholder + "}", text)
    return text


def fill_known(template: JSONValue, known: Mapping[str, str]) -> JSONValue:
    """The template filled; None where a placeholder's value is not known."""
    if isinstance(template, dict):
        return {key: fill_known(child, known) for key, child in template.items()}
    if isinstance(template, list):
        return [fill_known(child, known) for child in template]
    if isinstance(template, str):
        known = {**known, "environments": known["environment"]} if "environment" in known else known
        if any(name not in known for name in placeholders(template)):
            return None
        return literal(partial_fill(template, known))
    return template


def values_from(template: JSONValue, data: JSONValue, found: dict[str, str]) -> None:
    """Where the template holds exactly one placeholder, the data's value there is that placeholder's."""
    if isinstance(template, dict) and isinstance(data, dict):
        for key, child in template.items():
            if key in data:
                values_from(child, data[key], found)
    elif isinstance(template, list) and isinstance(data, list):
        for child in template:  # the file's item order need not be the template's
            for item in data:
                values_from(child, item, found)
    elif isinstance(template, str) and isinstance(data, list) and data and all(isinstance(d, str) for d in data):
        values_from(template, data[0], found)  # `{environments}` as a whole list
    elif isinstance(template, str) and isinstance(data, str):
        match = template_regex(template).fullmatch(data)
        if match is None:
            return
        for name in placeholders(template):
            value = matched(match, name)
            if value and name not in found:
                found[name] = value


def complete(value: JSONValue) -> bool:
    """Whether every placeholder of a filled template was known."""
    if value is None:
        return False
    if isinstance(value, dict):
        return all(complete(v) for v in value.values())
    if isinstance(value, list):
        return all(complete(v) for v in value)
    return True


def dates(value: JSONValue) -> JSONValue:
    """A date written in an entry is the request's date."""
    if isinstance(value, dict):
        return {k: dates(v) for k, v in value.items()}
    if isinstance(value, str) and DATE.fullmatch(value):
        return "{date}"
    return value


def lookup(value: JSONValue, pointer: str) -> tuple[bool, JSONValue]:
    """(found, the value at the pointer); a pointer that does not parse finds nothing."""
    try:
        tokens = parse_pointer(pointer)
    except UsageError:
        return False, None
    for token in tokens:
        if not isinstance(value, dict) or token not in value:
            return False, None
        value = value[token]
    return True, value


def replace_at(value: JSONValue, pointer: str, new: JSONValue) -> None:
    """Set the value at the pointer, where it exists already."""
    *parents, last = parse_pointer(pointer)
    for token in parents:
        if not isinstance(value, dict) or token not in value:
            return
        value = value[token]
    if isinstance(value, dict) and last in value:
        value[last] = new


def leaf_pointers(value: JSONValue, prefix: tuple[str, ...] = ()) -> list[str]:
    """The dotted paths of a value's leaves, in order."""
    if isinstance(value, dict):
        return [p for key, child in value.items() for p in leaf_pointers(child, (*prefix, key))]
    return [".".join(prefix)]
