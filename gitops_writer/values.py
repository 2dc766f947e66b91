"""Parsing JSON values from the command line, comparing decoded values, and the literals every format spells alike."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from decimal import Decimal
from typing import NoReturn, TypeAlias

from gitops_writer.errors import UnsupportedError, UsageError
from gitops_writer.ordering import sorted_position

MAX_DEPTH = 64

# A decoded value as every format here reads it: JSON's values, with numbers that have a fraction or an
# exponent kept exact as Decimal where a reader can (parse_json_value, the HCL and YAML decoders).
JSONValue: TypeAlias = None | bool | int | float | Decimal | str | list["JSONValue"] | dict[str, "JSONValue"]
JSONObject: TypeAlias = dict[str, JSONValue]


def parse_json_value(text: str, *, what: str = "VALUE") -> JSONValue:
    """Decode a JSON value; numbers with a fraction or exponent stay exact as Decimal."""

    def reject_constant(name: str) -> NoReturn:
        raise UsageError(f"{what} is not valid JSON: {name} is not a JSON number")

    try:
        value: JSONValue = json.loads(text, parse_float=Decimal, parse_constant=reject_constant)
    except RecursionError:
        raise UsageError(f"{what} is nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        hint = ""
        if text.strip() and "\n" not in text and "'" not in text and text.strip()[0] not in '{["':
            hint = f"; a string is written in JSON quotes: '{json.dumps(text)}'"
        raise UsageError(
            f"{what} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}"
        ) from None
    check_value(value, what=what)
    return value


def check_value(value: object, *, what: str = "VALUE") -> None:
    """Refuse what no file format here can hold: deep nesting, lone surrogates, non-string keys."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise UsageError(f"{what} is nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, str):
            _check_string(item, what)
        elif isinstance(item, dict):
            for key, child in item.items():
                if not isinstance(key, str):
                    raise UsageError(f"{what} has a non-string object key {key!r}")
                _check_string(key, what)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, (float, Decimal)) and not isinstance(item, bool) and not is_finite(item):
            held = "NaN" if item != item or (isinstance(item, Decimal) and item.is_nan()) else "infinity"
            raise UsageError(f"{what} holds {held} ({item}), which no file format here can hold")


def is_finite(number: float | Decimal) -> bool:
    """Whether a number reads back as itself: YAML and JSON readers turn 1e999 into infinity, as a float."""
    if isinstance(number, Decimal) and not number.is_finite():
        return False
    try:
        return math.isfinite(float(number))
    except OverflowError:
        return False


def _check_string(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UsageError(f"{what} holds a lone surrogate (invalid Unicode)") from None
    if "\x00" in text:
        raise UsageError(f"{what} holds a NUL character")


def same_value(a: object, b: object) -> bool:
    """Structural equality where 1 == 1.0 but True != 1 and key order does not matter."""
    if type(a) is str and type(b) is str:  # the common case, as when comparing with each item of a list
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float, Decimal)) and isinstance(b, (int, float, Decimal)):
        return Decimal(str(a)) == Decimal(str(b)) if not (isinstance(a, int) and isinstance(b, int)) else a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b, strict=False))
    return type(a) is type(b) and a == b


def json_literal(value: object) -> str | None:
    """null, true, false or an integer as JSON spells it, and so do HCL and YAML; None for any other value."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    return None


def locate(items: Sequence[object], value: object) -> tuple[int | None, int]:
    """Where `value` stands among a list's decoded items: the index of the first equal item (None if
    none is), and where a new item goes: its sorted place in a sorted list of strings (so parallel
    requests touch different lines), the end of any other list."""
    found = next((i for i, item in enumerate(items) if same_value(item, value)), None)
    return found, sorted_position(items, value)


def to_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=_json_default, allow_nan=False)


def _json_default(value: object) -> int | float:
    if isinstance(value, Decimal):
        if not is_finite(value):
            raise UnsupportedError(f"the value holds {value}, which JSON cannot represent")
        return int(value) if value == value.to_integral_value() and "E" not in str(value) else float(value)
    raise TypeError(f"cannot encode {type(value).__name__}")
