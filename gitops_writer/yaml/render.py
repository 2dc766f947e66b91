"""New YAML text in the style of the document it joins: indent step, sequence offset, line ending."""

from __future__ import annotations

from dataclasses import dataclass

from gitops_writer.values import JSONValue
from gitops_writer.yaml.scalars import check_key, literal_allowed, render_scalar
from gitops_writer.yaml.syntax import MAPPING, SCALAR, SEQUENCE, Document, Node


@dataclass(frozen=True)
class Style:
    step: int = 2  # indent of a nested mapping relative to its key
    seq_offset: int = 2  # column of a sequence's dash relative to its key (0: `key:\n- a`)
    eol: str = "\n"
    literals: bool = True  # off when the file lacks a final line break: a last `|` block would lose its own


def detect_style(text: str, doc: Document | None) -> Style:
    """Read the house style off the document: its first nested block mapping and first block sequence
    under a key, each the first in the order of the mappings holding them (then of their entries)."""
    newline = text.find("\n")
    eol = "\r\n" if newline > 0 and text[newline - 1] == "\r" else "\n"
    step = offset = None
    if doc is not None and doc.style is not None:
        step, offset = doc.style
    elif doc is not None:
        first = (len(text), 0)  # (start of the holding mapping, index of the entry) of the sample taken
        for mapping, index, key, value in doc.nested:
            child = value.items[0][0]
            if child.column > key.column and child.line > key.line and (mapping.start, index) < first:
                first, step = (mapping.start, index), child.column - key.column
        for _, _, key, value in sorted(doc.sequences, key=lambda sample: (sample[0].start, sample[1])):
            dash = dash_position(text, value.items[0])
            if dash is not None and text.rfind("\n", 0, dash) >= key.start:
                offset = dash - text.rfind("\n", 0, dash) - 1 - key.column
                break
    step = step or 2
    literals = not text or text.endswith("\n")
    return Style(step, step if offset is None or offset < 0 else offset, eol, literals)


def dash_position(text: str, item: Node) -> int | None:
    """The `-` that introduces a block sequence item, or None if something else stands before it."""
    pos = item.start - 1
    while pos >= 0 and text[pos] in " \t\r\n":
        pos -= 1
    return pos if pos >= 0 and text[pos] == "-" else None


def inline(value: JSONValue, *, flow: bool = False, keep_style: str | None = None, like: Node | None = None) -> str:
    """A value on one line: scalars, empty collections, or (in flow context) whole collections."""
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = []
        for key, child in value.items():
            like_key, like_value = _like_entry(like, key)
            parts.append(f"{key_text(key, flow=True, like=like_key)}: {inline(child, flow=True, like=like_value)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(inline(v, flow=True, like=_like_item(like)) for v in value) + "]"
    return render_scalar(value, flow=flow, keep_style=keep_style or quote_style(like))


def quote_style(node: Node | None) -> str | None:
    """The quotes of a scalar, which a new or replacing scalar in its place takes on."""
    if node is not None and node.node_type == SCALAR and node.style in ("'", '"'):
        return node.style
    return None


def _like_entry(like: Node | None, key: str) -> tuple[Node | None, Node | None]:
    """The key and value nodes of the same key in a neighbouring mapping (or its last key, no value)."""
    if like is None or like.node_type != MAPPING or not like.items:
        return None, None
    for like_key, like_value in like.items:
        if like_key.node_type == SCALAR and like_key.value == key:
            return like_key, like_value
    return like.items[-1][0], None


def _like_item(like: Node | None) -> Node | None:
    return like.items[-1] if like is not None and like.node_type == SEQUENCE and like.items else None


def key_text(key: str, *, flow: bool = False, keep_style: str | None = None, like: Node | None = None) -> str:
    check_key(key)
    return render_scalar(key, flow=flow, keep_style=keep_style or quote_style(like))


def is_block(value: JSONValue, like: Node | None = None, style: Style | None = None) -> bool:
    """Whether a value needs lines of its own below its key or dash."""
    if isinstance(value, (dict, list)):
        return bool(value) and not (like is not None and like.flow and like.node_type in (MAPPING, SEQUENCE))
    if style is not None and not style.literals:
        return False
    return isinstance(value, str) and "\n" in value.rstrip("\n") and literal_allowed(value)


def block_lines(
    value: list[JSONValue] | dict[str, JSONValue], column: int, style: Style, like: Node | None = None
) -> list[str]:
    """A non-empty collection as block lines whose entries (or dashes) sit at `column`.

    `like` is a neighbouring node of the same shape: new text copies its flow style and quotes.
    """
    lines: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            like_key, like_value = _like_entry(like, key)
            lines.extend(entry_lines(key, child, column, style, like_key, like_value))
    else:
        for child in value:
            lines.extend(item_lines(child, column, style, like=_like_item(like)))
    return lines


def entry_lines(
    key: str, value: JSONValue, column: int, style: Style, like_key: Node | None = None, like: Node | None = None
) -> list[str]:
    first, *rest = _after_indicator(value, column, style, style.seq_offset, like)
    return [" " * column + key_text(key, like=like_key) + ":" + first, *rest]


def item_lines(value: JSONValue, column: int, style: Style, offset: int = 2, like: Node | None = None) -> list[str]:
    """One sequence item at dash column `column`; nested collections start on the dash's line."""
    if is_block(value, like, style) and isinstance(value, (dict, list)):
        lines = block_lines(value, column + offset, style, like)
        lines[0] = " " * column + "-" + " " * (offset - 1) + lines[0].lstrip(" ")
        return lines
    first, *rest = _after_indicator(value, column + offset - 2, style, offset, like)
    return [" " * column + "-" + first, *rest]


def _after_indicator(
    value: JSONValue, column: int, style: Style, seq_offset: int, like: Node | None = None
) -> list[str]:
    """What follows `key:` or `-`: the first element goes on the indicator's line, the rest are lines."""
    if not is_block(value, like, style):
        return [" " + inline(value, like=like)]
    if isinstance(value, dict):
        return ["", *block_lines(value, column + style.step, style, like)]
    if isinstance(value, list):
        return ["", *block_lines(value, column + seq_offset, style, like)]
    assert isinstance(value, str), "is_block holds only for collections and multi-line strings"
    return [" " + literal_header(value), *literal_body(value, column + style.step)]


def literal_header(text: str) -> str:
    return "|" if text.endswith("\n") else "|-"


def literal_body(text: str, column: int) -> list[str]:
    return [(" " * column + line) if line else "" for line in text.rstrip("\n").split("\n")]


def after_indicator_text(value: JSONValue, column: int, style: Style, like: Node | None = None) -> str:
    """The text that replaces whatever follows a `key:` whose key sits at `column`."""
    return style.eol.join(_after_indicator(value, column, style, style.seq_offset, like))


def join(lines: list[str], style: Style) -> str:
    return "".join(line + style.eol for line in lines)
