"""RFC 6901 JSON Pointers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from gitops_writer.errors import UsageError
from gitops_writer.values import JSONValue

APPEND = "-"


def parse_pointer(text: str) -> tuple[str, ...]:
    """Split a pointer into its unescaped reference tokens; "" is the whole document."""
    if text == "":
        return ()
    if not text.startswith("/"):
        raise UsageError(f"invalid JSON pointer {text!r}: it must be empty or start with '/'")
    tokens = []
    for raw in text[1:].split("/"):
        if "~" in raw.replace("~0", "").replace("~1", ""):
            raise UsageError(f"invalid JSON pointer {text!r}: '~' must be written '~0' (and '/' as '~1')")
        tokens.append(raw.replace("~1", "/").replace("~0", "~"))
    return tuple(tokens)


Change = Literal["set", "insert", "remove"]


def nest(tokens: Sequence[str], value: JSONValue) -> JSONValue:
    """The containers a pointer's missing tail makes around `value`: `-` (append) starts a list, any other
    token a mapping."""
    for token in reversed(tokens):
        value = [value] if token == APPEND else {token: value}
    return value


def format_pointer(tokens: Sequence[str]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def parse_index(token: str, length: int, *, allow_append: bool, where: str) -> int:
    """A sequence index token: digits without leading zeros, or '-' (one past the end) when appending."""
    if token == APPEND:
        if allow_append:
            return length
        raise UsageError(f"'-' (append) can only be used to add an element, at {where}")
    if not token.isdigit() or not token.isascii() or (len(token) > 1 and token[0] == "0"):
        raise UsageError(f"invalid list index {token!r} at {where}")
    return int(token)


def changed(data: object, tokens: Sequence[str], value: object, change: Change) -> object:
    """`data`, any tree of lists and string-keyed dicts (changed in place), with `value` set at `tokens`,
    inserted before the list item there, or that entry removed; the containers a missing tail needs are made."""
    if not tokens:
        return value
    parent = data
    for token in tokens[:-1]:
        if isinstance(parent, list):
            parent = parent[int(token)]
        elif isinstance(parent, dict):
            if not isinstance(parent.get(token), (dict, list)):
                parent[token] = {}
            parent = parent[token]
    token = tokens[-1]
    if isinstance(parent, list):
        index = int(token)
        if change == "insert":
            parent.insert(index, value)
        elif change == "remove":
            del parent[index]
        elif index == len(parent):
            parent.append(value)
        else:
            parent[index] = value
    elif isinstance(parent, dict):
        if change == "remove":
            del parent[token]
        else:
            parent[token] = value
    return data
