"""Format-preserving get/set/remove on HCL native syntax (tfvars), by splicing source bytes."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from tree_sitter import Node, Tree

from gitops_writer.errors import ConflictError, NotFoundError, UnsupportedError, UsageError, VerificationError
from gitops_writer.hcl import layout
from gitops_writer.hcl.decode import Expression, decode, decode_key
from gitops_writer.hcl.render import Style, is_identifier, key_text, render
from gitops_writer.hcl.syntax import Container, Element, body_container, container_of, parse, text_of
from gitops_writer.pointer import APPEND, format_pointer, parse_index
from gitops_writer.values import same_value

Splice = tuple[int, int, str]


@dataclass
class _Step:
    """One level of a resolved pointer: the container, and the element the token names (if present)."""

    container: Container
    token: str
    element: Element | None
    index: int  # the element's position, or where a new one would go


class HclEditor:
    def get(self, text: str, path: Sequence[str]) -> Any:
        src = text.encode("utf-8")
        tree = parse(src)
        steps = _resolve(src, tree, path)
        last = steps[-1]
        if last.element is None:
            raise NotFoundError(f"{format_pointer(path)}: not found")
        return _jsonable(decode(src, last.element.value))

    def set(self, text: str, path: Sequence[str], value: Any, *, overwrite: bool = True) -> str:
        src = text.encode("utf-8")
        tree = parse(src)
        steps = _resolve(src, tree, path, creating=True)
        where = format_pointer(path)
        missing = next((i for i, step in enumerate(steps) if step.element is None), None)
        if missing is None:
            element = steps[-1].element
            assert element is not None
            old = decode(src, element.value)
            if same_value(old, value):
                return text
            if not overwrite:
                raise ConflictError(f"{where}: already set (use set without --no-overwrite to replace it)")
            splices = _replace(src, steps[-1], value)
        else:
            created = value
            for token in reversed(path[missing + 1 :]):
                created = {token: created}
            splices = _insert(src, steps[missing], created)
        return _finish(src, tree, path, splices, _applied(src, tree, path, lambda parent, key: _put(parent, key, value)))

    def remove(self, text: str, path: Sequence[str]) -> str:
        src = text.encode("utf-8")
        tree = parse(src)
        steps = _resolve(src, tree, path)
        if steps[-1].element is None:
            raise NotFoundError(f"{format_pointer(path)}: not found, nothing to remove")
        splices = _delete(src, steps[-1])
        return _finish(src, tree, path, splices, _applied(src, tree, path, _drop))


def _jsonable(value: Any) -> Any:
    if isinstance(value, Expression):
        return value.to_json()
    if isinstance(value, dict):
        return {str(_jsonable(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _resolve(src: bytes, tree: Tree, path: Sequence[str], *, creating: bool = False) -> list[_Step]:
    if not path:
        raise UsageError("the pointer must name a top-level attribute, e.g. /ecr_repositories")
    container = body_container(tree, src)
    steps: list[_Step] = []
    for depth, token in enumerate(path):
        where = format_pointer(path[: depth + 1])
        if container.kind == "tuple":
            index = parse_index(token, len(container.elements), allow_append=creating and depth == len(path) - 1, where=where)
            if index > len(container.elements) or (index == len(container.elements) and not creating):
                raise NotFoundError(f"{where}: index out of range (the list has {len(container.elements)} elements)")
            element = container.elements[index] if index < len(container.elements) else None
        else:
            if depth == 0 and not is_identifier(token):
                raise UsageError(f"{where}: {token!r} is not a valid top-level attribute name")
            index, element = _find_key(src, container, token)
        steps.append(_Step(container, token, element, index))
        if element is None:
            if not creating:
                raise NotFoundError(f"{where}: not found")
            return steps
        if depth + 1 < len(path):
            child = container_of(element.value)
            if child is None:
                found = decode(src, element.value)
                what = "a Terraform expression" if isinstance(found, Expression) else f"a {type(found).__name__}"
                raise (UnsupportedError if isinstance(found, Expression) else ConflictError)(
                    f"{where}: holds {what}, not an object or list"
                )
            container = child
    return steps


def _find_key(src: bytes, container: Container, token: str) -> tuple[int, Element | None]:
    keys = [_key(src, container, e) for e in container.elements]
    matches = [i for i, key in enumerate(keys) if key == token]
    if len(matches) > 1:
        rows = ", ".join(str(container.elements[i].node.start_point[0] + 1) for i in matches)
        raise ConflictError(f"{token!r} is defined more than once (lines {rows}); refusing to edit an ambiguous map")
    if matches:
        return matches[0], container.elements[matches[0]]
    return _insertion_index(keys, token), None


def _key(src: bytes, container: Container, element: Element) -> Any:
    assert element.key_node is not None
    if container.kind == "body":
        return text_of(src, element.key_node)
    return decode_key(src, element.key_node)


def _insertion_index(keys: list[Any], token: str) -> int:
    """The sorted position in a map whose keys are sorted (so parallel requests touch different lines)."""
    if keys and all(isinstance(k, str) for k in keys):
        for order in (lambda k: k, str.lower):
            if all(order(a) <= order(b) for a, b in zip(keys, keys[1:])):
                return next((i for i, k in enumerate(keys) if order(k) > order(token)), len(keys))
    return len(keys)


@dataclass(frozen=True)
class _Look:
    """How the entries of one container are written."""

    indent: str  # of an entry line
    quote_keys: bool
    separator: str  # between key and value, e.g. " = " or ": "
    commas: str  # "all", "between" (all but the last) or "none"
    style: Style


def _look(src: bytes, container: Container, value: Any) -> _Look:
    unit = layout.indent_unit(src)
    owner_indent = layout.indentation(src, container.node.start_byte) if container.kind != "body" else ""
    elements = container.elements
    line_elements = [e for e in elements if layout.first_on_line(src, e.node.start_byte)]
    if container.kind == "body":
        indent = ""
    elif line_elements:
        indent = layout.indentation(src, line_elements[0].node.start_byte)
    else:
        comments = [c for c in container.node.children if c.type == "comment" and layout.first_on_line(src, c.start_byte)]
        indent = layout.indentation(src, comments[0].start_byte) if comments else owner_indent + unit
    if indent.startswith(owner_indent) and len(indent) > len(owner_indent):
        unit = indent[len(owner_indent) :]

    quote_keys, separator, commas = _entry_habits(src, container)
    if not any(e.key_node is not None for e in elements):
        quote_keys = isinstance(value, dict)  # a map of objects keyed by name, as in `"payments-api" = {`
    depths = [d for d in (_one_line_depth(e.value) for e in elements) if d is not None]
    one_line_from = max(set(depths), key=depths.count) if depths else None
    nested = next((c for c in (container_of(e.value) for e in elements) if c and c.kind == "object" and c.elements), None)
    style = Style(unit=unit, newline=layout.newline_of(src), one_line=one_line_from == 0, one_line_from=one_line_from)
    if nested is not None:
        nested_quotes, nested_separator, nested_commas = _entry_habits(src, nested)
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


def _entry_habits(src: bytes, container: Container) -> tuple[bool, str, str]:
    """Whether keys are quoted, the key/value separator, and where commas go."""
    elements = container.elements
    keyed = [e for e in elements if e.key_node is not None]
    quoted = sum(1 for e in keyed if text_of(src, e.key_node).startswith('"'))  # type: ignore[arg-type]
    separator = " = "
    if keyed and all(e.node.children[1].type == ":" for e in keyed):
        separator = src[keyed[0].key_node.end_byte : keyed[0].value.start_byte].decode()  # type: ignore[union-attr]
    with_comma = sum(1 for e in elements if e.comma is not None)
    if elements and with_comma == len(elements):
        commas = "all"
    elif len(elements) > 1 and with_comma == len(elements) - 1 and elements[-1].comma is None:
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


def _entry_text(container: Container, key: str, value: Any, look: _Look, indent: str) -> str:
    rendered = render(value, indent, look.style)
    if container.kind == "tuple":
        return rendered
    return key_text(key, quoted=look.quote_keys) + look.separator + rendered


def _insert(src: bytes, step: _Step, value: Any) -> list[Splice]:
    container, look = step.container, _look(src, step.container, value)
    elements, nl = container.elements, look.style.newline
    if container.kind == "body":
        entry = _entry_text(container, step.token, value, look, "")
        if not src or src.endswith(b"\n"):
            return [(len(src), len(src), entry + nl)]
        return [(len(src), len(src), nl + entry)]

    inline = b"\n" not in src[container.open_end : container.close_start]
    if inline and elements:
        one_line = _Look(look.indent, look.quote_keys, look.separator, look.commas, Style(one_line=True))
        entry = _entry_text(container, step.token, value, one_line, "")
        if step.index < len(elements):
            return [(elements[step.index].node.start_byte, elements[step.index].node.start_byte, entry + ", ")]
        last = elements[-1]
        if last.comma is not None:
            return [(last.comma.end_byte, last.comma.end_byte, " " + entry + ",")]
        return [(last.node.end_byte, last.node.end_byte, ", " + entry)]

    entry = _entry_text(container, step.token, value, look, look.indent)
    owner_indent = layout.indentation(src, container.node.start_byte)
    if inline:  # `{}` or `[]`: a tuple of plain values stays on one line, anything else opens up
        if container.kind == "tuple" and "\n" not in entry:
            return [(container.open_end, container.close_start, entry)]
        comma = "," if container.kind == "tuple" else ""
        return [(container.open_end, container.close_start, nl + look.indent + entry + comma + nl + owner_indent)]

    comma = "," if look.commas == "all" or (container.kind == "tuple" and not elements) else ""
    if step.index < len(elements):
        before = elements[step.index]
        if not layout.first_on_line(src, before.node.start_byte):
            return [(before.node.start_byte, before.node.start_byte, entry + ", ")]
        point = _above_attached_comments(src, layout.line_start(src, before.node.start_byte), container)
        comma = "," if container.kind == "tuple" or look.commas in ("all", "between") else ""
        return [(point, point, look.indent + entry + comma + nl)]
    if not elements:
        close_line = layout.line_start(src, container.close_start)
        if layout.first_on_line(src, container.close_start):
            return [(close_line, close_line, look.indent + entry + comma + nl)]
        return [(container.close_start, container.close_start, nl + look.indent + entry + comma + nl + owner_indent)]

    last = elements[-1]
    end = last.comma.end_byte if last.comma is not None else last.node.end_byte
    splices: list[Splice] = []
    if last.comma is None and (container.kind == "tuple" or look.commas == "between"):
        splices.append((last.node.end_byte, last.node.end_byte, ","))
    point = layout.line_end(src, end) if layout.rest_is_blank_or_comment(src, end) else end
    splices.append((point, point, nl + look.indent + entry + comma))
    return splices


def _above_attached_comments(src: bytes, start: int, container: Container) -> int:
    """Move an insertion point above the comment lines directly describing the next entry."""
    while start > container.open_end:
        previous = layout.line_start(src, start - 1)
        if previous <= container.open_end or not layout.is_comment_line(src, previous):
            break
        start = previous
    return start


def _replace(src: bytes, step: _Step, value: Any) -> list[Splice]:
    element = step.element
    assert element is not None
    look = _look(src, step.container, value)
    old_container = container_of(element.value)
    if old_container is not None and old_container.elements:
        one_line = element.value.start_point[0] == element.value.end_point[0]
    else:
        one_line = look.style.one_line or b"\n" not in src[step.container.open_end : step.container.close_start]
    style = replace(look.style, one_line=one_line and step.container.kind != "body", one_line_from=None)
    indent = layout.indentation(src, element.node.start_byte)
    return [(element.value.start_byte, element.value.end_byte, render(value, indent, style))]


def _delete(src: bytes, step: _Step) -> list[Splice]:
    container, element = step.container, step.element
    assert element is not None
    elements = container.elements
    index = step.index
    start, end = element.node.start_byte, (element.comma or element.node).end_byte
    alone = layout.first_on_line(src, start) and layout.rest_is_blank_or_comment(src, end)
    if container.kind != "body" and len(elements) == 1 and not container.has_comments:
        return [(container.open_end, container.close_start, "")]
    splices: list[Splice] = []
    previous = elements[index - 1] if index > 0 else None
    if index == len(elements) - 1 and element.comma is None and previous is not None and previous.comma is not None:
        if alone or container.kind == "body":
            splices.append((previous.comma.start_byte, previous.comma.end_byte, ""))
        else:
            return [(previous.node.end_byte, end, "")]
    if alone:
        first = layout.line_start(src, start)
        last = layout.after_line(src, end)
        if last == len(src) and not src.endswith(b"\n") and first > 0:
            first -= 2 if src[first - 2 : first] == b"\r\n" else 1
        splices.append((first, last, ""))
    else:
        following = elements[index + 1].node.start_byte if index + 1 < len(elements) else end
        splices.append((start, following if element.comma is not None else end, ""))
    return splices


def _apply(src: bytes, splices: list[Splice]) -> bytes:
    # Back to front; of two insertions at one point, the one listed first ends up first.
    for _, (start, end, text) in sorted(enumerate(splices), key=lambda s: (s[1][0], s[1][1], s[0]), reverse=True):
        src = src[:start] + text.encode("utf-8") + src[end:]
    return src


_ABSENT = object()


def _applied(src: bytes, tree: Tree, path: Sequence[str], edit: Any) -> Any:
    """The top-level attribute's value as the edit should leave it, computed on decoded data."""
    body = body_container(tree, src)
    _, attribute = _find_key(src, body, path[0])
    root: dict[str, Any] = {path[0]: decode(src, attribute.value)} if attribute is not None else {}
    parent: Any = root
    for token in path[:-1]:
        parent = parent[int(token)] if isinstance(parent, list) else parent.setdefault(token, {})
    edit(parent, path[-1])
    return root.get(path[0], _ABSENT)


def _put(parent: Any, key: str, value: Any) -> None:
    if isinstance(parent, list):
        index = len(parent) if key == APPEND else int(key)
        if index == len(parent):
            parent.append(copy.deepcopy(value))
        else:
            parent[index] = copy.deepcopy(value)
    else:
        parent[key] = copy.deepcopy(value)


def _drop(parent: Any, key: str) -> None:
    if isinstance(parent, list):
        del parent[int(key)]
    else:
        del parent[key]


def _finish(src: bytes, tree: Tree, path: Sequence[str], splices: list[Splice], expected: Any) -> str:
    new = _apply(src, splices)
    try:
        new_tree = parse(new)
    except Exception as exc:
        raise VerificationError(f"{format_pointer(path)}: the edit would not parse ({exc}); nothing was written") from None
    padding = _alignment(src, tree, new, new_tree, path, splices)
    if padding:
        new = _apply(new, padding)
        new_tree = parse(new)
    _verify(src, tree, new, new_tree, path, expected)
    return new.decode("utf-8")


def _container_at(src: bytes, tree: Tree, path: Sequence[str]) -> Container | None:
    """The container holding the last element of `path`, as far as the path exists."""
    container = body_container(tree, src)
    for depth, token in enumerate(path[:-1]):
        if container.kind == "tuple":
            index = len(container.elements) if token == APPEND else int(token)
            element = container.elements[index] if index < len(container.elements) else None
        else:
            element = _find_key(src, container, token)[1]
        child = container_of(element.value) if element is not None else None
        if child is None:
            return container if depth == 0 or element is None else None
        container = child
    return container


def _alignment(src: bytes, tree: Tree, new: bytes, new_tree: Tree, path: Sequence[str], splices: list[Splice]) -> list[Splice]:
    """Re-pad `=` in the runs the edit joined, split or changed, where terraform fmt had aligned them.

    Both the edited container and its parent count: opening `{}` or collapsing to it changes
    whether the owning line is a one-line assignment.
    """
    first_row, last_row = _edited_rows(src, new, splices)
    row_delta = new.count(b"\n") - src.count(b"\n")
    padding: list[Splice] = []
    for prefix in {tuple(path), tuple(path[:-1])}:
        old_container = _container_at(src, tree, prefix) if prefix else None
        new_container = _container_at(new, new_tree, prefix) if prefix else None
        if old_container is None or new_container is None:
            continue
        old_lines = layout.assign_lines(src, old_container)
        new_lines = layout.assign_lines(new, new_container)
        for run in layout.runs_touching(new_lines, range(first_row - 1, last_row + 2)):
            if all(_was_aligned(src, old_lines, line.row, first_row, last_row, row_delta) for line in run):
                padding.extend(s for s in layout.realign(run) if new[s[0] : s[1]] != s[2].encode())
    return padding


def _edited_rows(src: bytes, new: bytes, splices: list[Splice]) -> tuple[int, int]:
    """The rows of `new` whose text the splices wrote (first > last: none, the edit sits before `first`)."""
    rows: list[int] = []
    anchor = None
    shift = 0
    for start, end, text in sorted(splices, key=lambda s: (s[0], s[1])):
        position = start + shift
        shift += len(text.encode()) - (end - start)
        data = text.encode()
        if anchor is None:
            anchor = new.count(b"\n", 0, position)
        if data.strip(b",") == b"":  # a separator comma after a value moves no column
            if not data and position and new[position - 1 : position] != b"\n":
                rows.append(new.count(b"\n", 0, position))  # a deletion inside a line
            continue
        low, high = position, position + len(data)
        if src[start : start + 1] in (b"\n", b"\r", b"") and data.startswith((b"\n", b"\r\n")):
            low += 2 if data.startswith(b"\r\n") else 1  # appended after the end of a line
            anchor = new.count(b"\n", 0, low)
        rows.extend((new.count(b"\n", 0, low), new.count(b"\n", 0, high - 1)))
    if not rows:
        return (anchor or 0), (anchor or 0) - 1
    return min(rows), max(rows)


def _was_aligned(src: bytes, old_lines: dict[int, layout.AssignLine], row: int, first_row: int, last_row: int, row_delta: int) -> bool:
    if first_row <= row <= last_row:
        return True  # written by this edit
    run = layout.run_of(old_lines, row if row < first_row else row - row_delta)
    return bool(run) and layout.is_aligned(src, run)


def _verify(src: bytes, tree: Tree, new: bytes, new_tree: Tree, path: Sequence[str], expected: Any) -> None:
    where = format_pointer(path)
    old_body, new_body = body_container(tree, src), body_container(new_tree, new)
    old_attrs = {text_of(src, e.key_node): e for e in old_body.elements}  # type: ignore[arg-type]
    new_attrs = {text_of(new, e.key_node): e for e in new_body.elements}  # type: ignore[arg-type]
    if len(new_attrs) != len(new_body.elements):
        raise VerificationError(f"{where}: the edit would duplicate a top-level attribute; nothing was written")
    names = set(old_attrs) | ({path[0]} if expected is not _ABSENT else set())
    if expected is _ABSENT:
        names.discard(path[0])
    if set(new_attrs) != names:
        raise VerificationError(f"{where}: the edit would change other top-level attributes; nothing was written")
    for name, element in new_attrs.items():
        if name == path[0]:
            got = decode(new, element.value)
            if not same_value(got, expected):
                raise VerificationError(f"{where}: the edited file does not read back as intended; nothing was written")
        elif text_of(new, element.node) != text_of(src, old_attrs[name].node) and not same_value(
            decode(new, element.value), decode(src, old_attrs[name].value)
        ):
            raise VerificationError(f"{where}: the edit would change {name}; nothing was written")
