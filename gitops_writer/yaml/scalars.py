"""Reading scalars the way YAML 1.1 and 1.2 readers do, and writing them so they read back unchanged."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import TYPE_CHECKING, TypeAlias

from gitops_writer.errors import UnsupportedError, UsageError
from gitops_writer.values import JSONValue, json_literal

if TYPE_CHECKING:
    from ruamel.yaml.resolver import VersionedResolver

YAML_1_1 = (1, 1)
YAML_1_2 = (1, 2)
TAG_PREFIX = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Opaque:
    """A value JSON cannot hold (a timestamp, NaN, a custom tag); compared by its text."""

    tag: str
    value: YamlValue


# A value as a YAML reader sees it: JSON's values and the ones JSON has no form for.
Scalar: TypeAlias = None | bool | int | float | Decimal | str | Opaque
YamlValue: TypeAlias = Scalar | list["YamlValue"] | dict[str, "YamlValue"]


@lru_cache(maxsize=4)
def resolver(version: tuple[int, int]) -> VersionedResolver:
    """ruamel's resolver for a YAML version: the reference `implicit_tag` must agree with."""
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver(version=version)


# What the npm `yaml` package's core schema and YAML 1.2 JSON schema resolve (beyond ruamel's set).
_CORE_1_2 = re.compile(
    r"""(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE
    |[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+
    |[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
    |[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)""",
    re.X,
)
# A quick test for text no implicit resolver can claim: it starts with a letter that begins no keyword.
# Or a dot not followed by what could make .5, .inf or .nan (a relative path such as ./resources/...).
_SURELY_STRING = re.compile(r"[a-egh-mp-su-xzA-EGH-MP-SU-XZ_/]|\.[^0-9_iInN]")


def implicit_tag(text: str, version: tuple[int, int]) -> str:
    """The short tag ("str", "int", "bool", ...) a plain scalar resolves to."""
    if _SURELY_STRING.match(text):
        return "str"
    from ruamel.yaml.nodes import ScalarNode

    tag = str(resolver(version).resolve(ScalarNode, text, (True, False)))
    return tag[len(TAG_PREFIX) :] if tag.startswith(TAG_PREFIX) else tag


def plain_value(text: str, version: tuple[int, int]) -> Scalar:
    return tagged_value(implicit_tag(text, version), text, version)


def tagged_value(tag: str, text: str, version: tuple[int, int]) -> Scalar:
    if tag == "str":
        return text
    if tag == "null":
        return None
    if tag == "bool":
        return text.lower() in ("true", "yes", "on", "y")
    if tag == "int":
        return _int(text, version)
    if tag == "float":
        return _float(text)
    return Opaque(tag, text)


def _int(text: str, version: tuple[int, int]) -> int | Opaque:
    body = text.replace("_", "")
    sign = -1 if body.startswith("-") else 1
    body = body.lstrip("+-")
    try:
        if ":" in body:
            total = 0
            for part in body.split(":"):
                total = total * 60 + int(part)
            return sign * total
        if body[:2] in ("0x", "0X"):
            return sign * int(body[2:], 16)
        if body[:2] in ("0o", "0O"):
            return sign * int(body[2:], 8)
        if body[:2] in ("0b", "0B"):
            return sign * int(body[2:], 2)
        if version == YAML_1_1 and len(body) > 1 and body[0] == "0":
            return sign * int(body, 8)
        return sign * int(body)
    except ValueError:
        return Opaque("int", text)


def _float(text: str) -> Decimal | Opaque:
    body = text.replace("_", "").lower()
    if body.endswith("nan"):
        return Opaque("float", ".nan")
    if body.endswith(".inf"):
        return Decimal("-Infinity") if body.startswith("-") else Decimal("Infinity")
    try:
        if ":" in body:
            sign = -1 if body.startswith("-") else 1
            total = Decimal(0)
            for part in body.lstrip("+-").split(":"):
                total = total * 60 + Decimal(part)
            return sign * total
        return Decimal(body)
    except InvalidOperation:
        return Opaque("float", text)


# ---------------------------------------------------------------- writing

_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = set(",[]{}")
_PRINTABLE = re.compile(r"[\t\n\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0", "\x1b": "\\e"}


def plain_allowed(text: str, *, flow: bool) -> bool:
    """Whether `text` can be written unquoted and still read back as the same string everywhere."""
    if text == "" or text != text.strip() or "\n" in text or "\t" in text or "\r" in text:
        return False
    if text[0] in _INDICATORS or text.startswith(("---", "...")):
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (_FLOW_INDICATORS & set(text) or any(c in text for c in ":?#")):
        return False
    if not _PRINTABLE.match(text) or any(c in text for c in "\x85\u2028\u2029\ufeff\xa0"):
        return False
    if _SURELY_STRING.match(text):
        return True
    if _CORE_1_2.fullmatch(text):
        return False
    return implicit_tag(text, YAML_1_1) == "str" and implicit_tag(text, YAML_1_2) == "str"


def double_quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char in "\x85\u2028\u2029\ufeff" or not _PRINTABLE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def single_quotable(text: str) -> bool:
    return (
        "\n" not in text
        and "\r" not in text
        and bool(_PRINTABLE.match(text))
        and not any(c in text for c in "\x85\u2028\u2029\ufeff")
    )


def render_scalar(value: JSONValue, *, flow: bool = False, keep_style: str | None = None) -> str:
    """One scalar as YAML text on a single line; the house quoting rules live here and nowhere else.

    `keep_style` is the quote style of the scalar being replaced ("'" or '"' or None for plain),
    kept when it can hold the new string.
    """
    literal = json_literal(value)
    if literal is not None:
        return literal
    if isinstance(value, (float, Decimal)):
        return render_number(value)
    if not isinstance(value, str):
        raise UsageError(f"cannot write a {type(value).__name__} to YAML")
    if keep_style == "'" and single_quotable(value):
        return "'" + value.replace("'", "''") + "'"
    if keep_style == '"':
        return double_quoted(value)
    if plain_allowed(value, flow=flow):
        return value
    return double_quoted(value)


def render_number(value: float | Decimal) -> str:
    """A float that YAML 1.1 readers (which need a dot and a signed exponent) and 1.2 readers agree on."""
    number = Decimal(repr(value)) if isinstance(value, float) else value
    if not number.is_finite():
        raise UsageError(f"{value} cannot be written as a YAML number both YAML 1.1 and 1.2 read alike")
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    if -30 <= exponent <= 0 and len(digits) + exponent > -30:
        text = f"{number:f}"
        return text if "." in text else text + ".0"
    mantissa = "".join(map(str, digits))
    power = exponent + len(mantissa) - 1
    return f"{'-' if sign else ''}{mantissa[0]}.{mantissa[1:] or '0'}e{'+' if power >= 0 else '-'}{abs(power)}"


def literal_allowed(text: str) -> bool:
    """Whether a multi-line string can be a `|` block scalar that reads back exactly."""
    if "\n" not in text.rstrip("\n") or text.endswith("\n\n") or text.startswith((" ", "\n", "\t")):
        return False
    if "\r" in text or not _PRINTABLE.match(text) or any(c in text for c in "\x85\u2028\u2029\ufeff\t"):
        return False
    return all(line == line.rstrip(" ") for line in text.split("\n"))


def check_key(key: str) -> None:
    if len(key) > 1000:
        raise UnsupportedError("mapping keys longer than 1000 characters cannot be written as implicit YAML keys")
