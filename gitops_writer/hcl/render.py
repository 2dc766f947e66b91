"""Writing values as HCL text that looks hand-written and reads back exactly."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from gitops_writer.errors import UsageError
from gitops_writer.pointer import format_pointer
from gitops_writer.values import JSONValue, json_literal

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
# Bare keys that HCL would read as something other than their own name.
_KEYWORDS = frozenset({"true", "false", "null", "for", "in", "if", "endif", "else", "endfor"})
# A `$` or `%` right before `${` / `%{` is written as \u escape: `$$${` would read ambiguously.
_CONTROL = re.compile(r'[\x00-\x1f\x7f"\\]|\$(?=\$\{)|%(?=%\{)|\$\{|%\{')
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\", "${": "$${", "%{": "%%{"}


@dataclass(frozen=True)
class Style:
    """How the surrounding file is written; nested levels follow a sibling's nested objects."""

    unit: str = "  "  # one level of indentation
    newline: str = "\n"
    one_line: bool = False  # nested objects on one line, as `{ a = 1 }`
    one_line_from: int | None = None  # nesting depth from which objects are written on one line
    separator: str = " = "  # between a nested key and its value: " = ", ": " or " : "
    align: bool = True  # pad `=` as terraform fmt does
    commas: str = "none"  # after entries of multi-line objects: "all", "between" or "none"
    quote_keys: bool | None = None  # nested keys "quoted" even when identifiers; None: no sibling to follow
    max_width: int = 100  # a nested object longer than this on one line is written out

    def nested(self) -> Style:
        # With no sibling to follow, only the outermost map of objects is taken for names (quoted).
        quote_keys = bool(self.quote_keys)
        if self.one_line or self.one_line_from is None:
            return replace(self, quote_keys=quote_keys)
        return replace(
            self, one_line=self.one_line_from <= 1, one_line_from=self.one_line_from - 1, quote_keys=quote_keys
        )


def quote(text: str) -> str:
    return '"' + _CONTROL.sub(lambda m: _ESCAPES.get(m.group(0)) or f"\\u{ord(m.group(0)):04x}", text) + '"'


def is_identifier(text: str) -> bool:
    return bool(_IDENTIFIER.match(text)) and text not in _KEYWORDS


def key_text(key: str, *, quoted: bool) -> str:
    return key if not quoted and is_identifier(key) else quote(key)


def scalar(value: JSONValue) -> str:
    literal = json_literal(value)
    if literal is not None:
        return literal
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, (float, Decimal)):
        text = (repr(value) if isinstance(value, float) else str(value)).replace("E", "e")
        mantissa, exponent, power = text.partition("e")
        # tree-sitter-hcl reads an exponent only after a fraction (`1e2` is a syntax error to it)
        return f"{mantissa}.0e{power}" if exponent and "." not in mantissa else text
    raise TypeError(f"cannot write {type(value).__name__} as HCL")


def is_collection(value: JSONValue) -> bool:
    return isinstance(value, (dict, list))


def render(value: JSONValue, indent: str, style: Style) -> str:
    """The value's text; its first line starts at the cursor, later lines carry their own indent."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        if style.one_line:
            return (
                "{ "
                + ", ".join(_key(k, style) + style.separator + render(v, "", style) for k, v in value.items())
                + " }"
            )
        inner, nested = indent + style.unit, style.nested()
        quoted = (
            style.quote_keys if style.quote_keys is not None else all(isinstance(v, dict) and v for v in value.values())
        )
        keys = [key_text(k, quoted=quoted) for k in value]
        texts = [_render_nested(v, inner, nested) for v in value.values()]
        paddings = _aligned_padding(keys, texts) if style.align and style.separator == " = " else [""] * len(keys)
        last = len(keys) - 1
        lines = [
            inner
            + key
            + padding
            + style.separator
            + text
            + ("," if style.commas == "all" or (style.commas == "between" and i < last) else "")
            for i, (key, text, padding) in enumerate(zip(keys, texts, paddings, strict=False))
        ]
        return "{" + style.newline + style.newline.join(lines) + style.newline + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if style.one_line or not any(is_collection(item) for item in value):
            return "[" + ", ".join(render(item, "", style) for item in value) + "]"
        inner, nested = indent + style.unit, style.nested()
        lines = [inner + _render_nested(item, inner, nested) + "," for item in value]
        return "[" + style.newline + style.newline.join(lines) + style.newline + indent + "]"
    return scalar(value)


def _key(key: str, style: Style) -> str:
    return key_text(key, quoted=bool(style.quote_keys))


def _render_nested(value: JSONValue, indent: str, style: Style) -> str:
    text = render(value, indent, style)
    if style.one_line and isinstance(value, dict) and len(indent) + len(text) > style.max_width:
        return render(value, indent, replace(style, one_line=False, one_line_from=None))
    return text


def _aligned_padding(keys: list[str], texts: list[str]) -> list[str]:
    """Spaces that line up `=` across each run of single-line entries, as terraform fmt does.

    A line that opens a multi-line value ends a run and is not part of one.
    """
    paddings = [""] * len(keys)
    run: list[int] = []

    def close_run() -> None:
        width = max((len(keys[i]) for i in run), default=0)
        for i in run:
            paddings[i] = " " * (width - len(keys[i]))
        run.clear()

    for index, text in enumerate(texts):
        if "\n" in text:
            close_run()
        else:
            run.append(index)
    close_run()
    return paddings


def check_normalized(path: Sequence[str], value: JSONValue) -> None:
    """Terraform reads every string and key in Unicode NFC: other text would not read back as written,
    and a key could turn into one the map already holds."""
    stack: list[Any] = [*path, value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and not unicodedata.is_normalized("NFC", item):
            raise UsageError(
                f"{format_pointer(path)}: {item[:40]!r} is not in Unicode NFC, and Terraform would read it as "
                f"{unicodedata.normalize('NFC', item)[:40]!r}; write it normalized"
            )
