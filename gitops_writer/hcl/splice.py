"""The splices that insert, replace or delete one element, written in the style of its siblings."""

from __future__ import annotations

from dataclasses import dataclass, replace

from tree_sitter import Node

from gitops_writer.hcl import layout
from gitops_writer.hcl.render import Style, key_text, render
from gitops_writer.hcl.syntax import Container, Element, container_of, text_of
from gitops_writer.values import JSONValue

Splice = tuple[int, int, str]
NEIGHBOURS = 8  # siblings on each side consulted for style: enough to see habits, cheap in huge maps


@dataclass
class Target:
    """Where an edit lands: the container, the pointer token, and the element it names (if present)."""

    container: Container
    token: str
    element: Element | None
    index: int  # the element's position, or where a new one would go


@dataclass(frozen=True)
class _Look:
    """How the entries of one container are written."""

    indent: str  # of an entry line
    quote_keys: bool
    separator: str  # between key and value, e.g. " = " or ": "
    commas: str  # "all", "between" (all but the last) or "none"
    style: Style


def _look(src: bytes, container: Container, value: JSONValue, index: int) -> _Look:
    unit = layout.indent_unit(src)
    owner_indent = layout.indentation(src, container.node.start_byte) if container.container_type != "body" else ""
    elements = container.elements[max(0, index - NEIGHBOURS) : index + NEIGHBOURS]
    line_elements = [e for e in elements if layout.first_on_line(src, e.node.start_byte)]
    if container.container_type == "body":
        indent = ""
    elif line_elements:
        indent = layout.indentation(src, line_elements[0].node.start_byte)
    else:
        comments = [
            c for c in container.node.children if c.type == "comment" and layout.first_on_line(src, c.start_byte)
        ]
        indent = layout.indentation(src, comments[0].start_byte) if comments else owner_indent + unit
    if indent.startswith(owner_indent) and len(indent) > len(owner_indent):
        unit = indent[len(owner_indent) :]

    quote_keys, separator, commas = _entry_habits(src, container, elements)
    if container.container_type != "body" and not any(e.key_node is not None for e in elements):
        quote_keys = isinstance(value, dict)  # a map of objects keyed by name, as in `"payments-api" = {`
    depths = [d for d in (_one_line_depth(e.value) for e in elements) if d is not None]
    one_line_from = max(set(depths), key=depths.count) if depths else None
    nested = next(
        (c for c in (container_of(e.value) for e in elements) if c and c.container_type == "object" and c.elements),
        None,
    )
    style = Style(
        unit=unit,
        newline=layout.newline_of(src),
        one_line=one_line_from == 0,
        one_line_from=one_line_from,
        quote_keys=None if container.container_type == "body" else False,  # a new attribute may hold a map of names
    )
    if nested is not None:
        nested_quotes, nested_separator, nested_commas = _entry_habits(src, nested, nested.elements)
        multi_line = b"\n" in src[nested.open_end : nested.close_start]
        style = replace(
            style,
            quote_keys=nested_quotes,
            separator=nested_separator,
            commas=nested_commas if multi_line else "none",
            align=_aligns(src, nested),
        )
    elif separator.strip() == ":":
        style = replace(style, separator=separator)
    return _Look(indent, quote_keys, separator, commas, style)


def _entry_habits(src: bytes, container: Container, elements: list[Element]) -> tuple[bool, str, str]:
    """Whether keys are quoted, the key/value separator, and where commas go (among `elements`)."""
    keys = [e.key_node for e in elements if e.key_node is not None]
    keyed = [e for e in elements if e.key_node is not None]
    quoted = sum(1 for key in keys if text_of(src, key).startswith('"'))
    separator = " = "
    if keyed and all(e.node.children[1].type == ":" for e in keyed):
        separator = src[keyed[0].key_node.end_byte : keyed[0].value.start_byte].decode()  # type: ignore[union-attr]
    with_comma = sum(1 for e in elements if e.comma is not None)
    if elements and with_comma == len(elements):
        commas = "all"
    elif (
        len(elements) > 1
        and with_comma == len(elements) - 1
        and elements[-1] is container.elements[-1]
        and elements[-1].comma is None
    ):
        commas = "between"
    else:
        commas = "none"
    return quoted * 2 > len(keyed), separator, commas


def _aligns(src: bytes, container: Container, limit: int = 4) -> bool:
    """Whether a sibling's nested entries are padded as terraform fmt pads them (True when unknown)."""
    lines = layout.assign_lines(src, container)
    runs = layout.runs_touching(lines, range(min(lines, default=0), max(lines, default=-1) + 1))
    telling = [run for run in runs if len({line.lead for line in run}) > 1]
    if telling:
        return all(layout.is_aligned(src, run) for run in telling)
    children = [c for c in (container_of(e.value) for e in container.elements) if c and c.elements]
    return all(_aligns(src, c, limit - 1) for c in children[:3]) if limit else True


def _one_line_depth(value: Node, limit: int = 4) -> int | None:
    """How deep in a sibling's value objects start being written on one line (None: never seen)."""
    container = container_of(value)
    if container is None or not container.elements or limit == 0:
        return None
    if value.start_point[0] == value.end_point[0]:
        return 0
    depths = [d for d in (_one_line_depth(e.value, limit - 1) for e in container.elements) if d is not None]
    return 1 + min(depths) if depths else None


def _entry_text(container: Container, key: str, value: JSONValue, look: _Look, indent: str) -> str:
    rendered = render(value, indent, look.style)
    if container.container_type == "tuple":
        return rendered
    return key_text(key, quoted=look.quote_keys) + look.separator + rendered


def insert(src: bytes, target: Target, value: JSONValue) -> list[Splice]:
    container, look = target.container, _look(src, target.container, value, target.index)
    elements, nl = container.elements, look.style.newline
    blank = nl if spaced(src, container, target.index) else ""
    if container.container_type == "body":
        entry = _entry_text(container, target.token, value, look, "")
        if not src or src.endswith(b"\n"):
            return [(len(src), len(src), blank + entry + nl)]
        return [(len(src), len(src), nl + blank + entry)]

    inline = b"\n" not in src[container.open_end : container.close_start]
    if inline and elements:
        one_line = _Look(look.indent, look.quote_keys, look.separator, look.commas, Style(one_line=True))
        entry = _entry_text(container, target.token, value, one_line, "")
        if target.index < len(elements):
            return [(elements[target.index].node.start_byte, elements[target.index].node.start_byte, entry + ", ")]
        last = elements[-1]
        if last.comma is not None:
            return [(last.comma.end_byte, last.comma.end_byte, " " + entry + ",")]
        return [(last.node.end_byte, last.node.end_byte, ", " + entry)]

    entry = _entry_text(container, target.token, value, look, look.indent)
    owner_indent = layout.indentation(src, container.node.start_byte)
    if inline:  # `{}` or `[]`: a tuple of plain values stays on one line, anything else opens up
        if container.container_type == "tuple" and "\n" not in entry:
            return [(container.open_end, container.close_start, entry)]
        comma = "," if container.container_type == "tuple" else ""
        return [(container.open_end, container.close_start, nl + look.indent + entry + comma + nl + owner_indent)]

    comma = "," if look.commas == "all" or (container.container_type == "tuple" and not elements) else ""
    if target.index < len(elements):
        before = elements[target.index]
        if not layout.first_on_line(src, before.node.start_byte):
            return [(before.node.start_byte, before.node.start_byte, entry + ", ")]
        point = _above_attached_comments(src, layout.line_start(src, before.node.start_byte), container)
        comma = "," if container.container_type == "tuple" or look.commas in ("all", "between") else ""
        return [(point, point, look.indent + entry + comma + nl + blank)]
    if not elements:
        close_line = layout.line_start(src, container.close_start)
        if layout.first_on_line(src, container.close_start):
            return [(close_line, close_line, look.indent + entry + comma + nl)]
        return [(container.close_start, container.close_start, nl + look.indent + entry + comma + nl + owner_indent)]

    last = elements[-1]
    end = last.comma.end_byte if last.comma is not None else last.node.end_byte
    splices: list[Splice] = []
    if last.comma is None and (container.container_type == "tuple" or look.commas == "between"):
        splices.append((last.node.end_byte, last.node.end_byte, ","))
    point = layout.line_end(src, end) if layout.rest_is_blank_or_comment(src, end) else end
    splices.append((point, point, nl + blank + look.indent + entry + comma))
    return splices


def spaced(src: bytes, container: Container, index: int) -> bool:
    """Whether the entries around `index` stand apart, each gap holding a blank line: a new entry does too."""
    elements = container.elements[max(0, index - NEIGHBOURS) : index + NEIGHBOURS]
    if len(elements) < 2:
        return False
    for previous, following in zip(elements, elements[1:], strict=False):
        gap = src[(previous.comma or previous.node).end_byte : following.node.start_byte].split(b"\n")[1:-1]
        if not any(not line.strip() for line in gap):
            return False
    return True


def _above_attached_comments(src: bytes, start: int, container: Container) -> int:
    """Move an insertion point above the comment lines directly describing the next entry."""
    while start > container.open_end:
        previous = layout.line_start(src, start - 1)
        if previous <= container.open_end or not layout.is_comment_line(src, previous):
            break
        start = previous
    return start


def replace_value(src: bytes, target: Target, value: JSONValue) -> list[Splice]:
    element = target.element
    assert element is not None
    look = _look(src, target.container, value, target.index)
    old_container = container_of(element.value)
    if old_container is not None and old_container.elements:
        one_line = element.value.start_point[0] == element.value.end_point[0]
    else:
        one_line = look.style.one_line or b"\n" not in src[target.container.open_end : target.container.close_start]
    style = replace(look.style, one_line=one_line and target.container.container_type != "body", one_line_from=None)
    indent = layout.indentation(src, element.node.start_byte)
    return [(element.value.start_byte, element.value.end_byte, render(value, indent, style))]


def delete(src: bytes, target: Target) -> list[Splice]:
    container, element = target.container, target.element
    assert element is not None
    elements = container.elements
    index = target.index
    start, end = element.node.start_byte, (element.comma or element.node).end_byte
    alone = layout.first_on_line(src, start) and layout.rest_is_blank_or_comment(src, end)
    if container.container_type != "body" and len(elements) == 1 and not container.has_comments:
        return [(container.open_end, container.close_start, "")]
    splices: list[Splice] = []
    previous = elements[index - 1] if index > 0 else None
    if index == len(elements) - 1 and element.comma is None and previous is not None and previous.comma is not None:
        if alone or container.container_type == "body":
            splices.append((previous.comma.start_byte, previous.comma.end_byte, ""))
        else:
            return [(previous.node.end_byte, end, "")]
    if alone:
        first = layout.line_start(src, start)
        last = layout.after_line(src, end)
        if last == len(src) and not src.endswith(b"\n") and first > 0:
            first -= 2 if src[first - 2 : first] == b"\r\n" else 1
        elif spaced(src, container, index):  # take one of the blank lines that set the entry apart
            if last < len(src) and not src[last : layout.line_end(src, last)].strip():
                last = layout.after_line(src, last)
            elif first > 0 and not src[layout.line_start(src, first - 1) : first].strip():
                first = layout.line_start(src, first - 1)
        splices.append((first, last, ""))
    else:
        following = elements[index + 1].node.start_byte if index + 1 < len(elements) else end
        splices.append((start, following if element.comma is not None else end, ""))
    return splices


def apply(src: bytes, splices: list[Splice]) -> bytes:
    # Back to front; of two insertions at one point, the one listed first ends up first.
    for _, (start, end, text) in sorted(enumerate(splices), key=lambda s: (s[1][0], s[1][1], s[0]), reverse=True):
        src = src[:start] + text.encode("utf-8") + src[end:]
    return src
