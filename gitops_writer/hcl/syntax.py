"""The HCL native syntax tree (tree-sitter-hcl): parsing, error positions and container views."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tree_sitter import Language, Node, Parser, Tree

from gitops_writer.errors import ParseError
from gitops_writer.hcl.focus import Gap, gaps_of, hidden, included
from gitops_writer.repo.reading import TooDeep, refuse_deep_hcl


@cache
def _parser() -> Parser:
    import tree_sitter_hcl

    return Parser(Language(tree_sitter_hcl.language()))


# The trees of the texts parsed last, by text and whether whole or in outline: every request of a
# refresh starts from the same base text, and a one-shot command never frees its tree (the console
# script exits without teardown; freeing 300,000 nodes costs a large request a twentieth of its run).
# Trees are never edited in place: `reparse` and `reveal` edit a copy.
_PARSED: OrderedDict[tuple[bytes, bool], Tree] = OrderedDict()
_KEPT = 8


def _kept(src: bytes, outline: bool) -> Tree | None:
    known = _PARSED.get((src, outline))
    if known is not None:
        _PARSED.move_to_end((src, outline))
    return known


def _keep(src: bytes, outline: bool, tree: Tree) -> Tree:
    _PARSED[(src, outline)] = tree
    if len(_PARSED) > _KEPT:
        _PARSED.popitem(last=False)
    return tree


def _parsed(src: bytes, old_tree: Tree | None, gaps: list[Gap] | None = None) -> Tree:
    """Tree-sitter's tree of `src`, leaving out the gaps."""
    parser = _parser()
    if not gaps:
        return parser.parse(src, old_tree) if old_tree is not None else parser.parse(src)
    parser.included_ranges = included(src, gaps)
    try:
        return parser.parse(src, old_tree) if old_tree is not None else parser.parse(src)
    finally:
        parser.included_ranges = []


def parse(src: bytes, old_tree: Tree | None = None, gaps: list[Gap] | None = None) -> Tree:
    """Parse, refusing text with syntax errors (tree-sitter recovers from them; Terraform does not).

    A text parsed whole before in this process gets the same tree back.
    """
    if old_tree is None:
        known = _kept(src, False)
        if known is not None:
            return known
        try:
            refuse_deep_hcl(src)
        except TooDeep as exc:
            raise ParseError(f"invalid HCL: {exc}", exc.line) from None
    tree = _parsed(src, old_tree, gaps)
    if tree.root_node.has_error:
        node = _first_error(tree.root_node)
        # a missing closing token is reported where the construct it should close begins
        row, column = (node.parent if node.is_missing and node.parent else node).start_point
        line = src.split(b"\n")[row] if row < src.count(b"\n") + 1 else b""
        what = "missing " + node.type if node.is_missing else "unexpected " + _snippet(src, node)
        raise ParseError(f"invalid HCL syntax: {what}", row + 1, len(line[:column].decode("utf-8", "replace")) + 1)
    return _keep(src, False, tree) if old_tree is None else tree


def outline(src: bytes) -> Tree | None:
    """The tree of `src` with the collections inside its top-level values left out (see focus.py);
    None when the text is to be parsed whole (nothing to leave out, or anything the scan is unsure of)."""
    known = _kept(src, True)
    if known is not None:
        return known
    gaps = hidden(src)
    if not gaps:
        return None
    try:
        refuse_deep_hcl(src)
    except TooDeep:
        return None  # the whole parse words the refusal
    tree = _parsed(src, None, gaps)
    return None if tree.root_node.has_error else _keep(src, True, tree)


def hides(tree: Tree, start: int, end: int) -> bool:
    """Whether the tree leaves out any of the bytes from `start` to `end`."""
    return any(a < end and start < b for a, b in gaps_of(tree.included_ranges))


def reveal(src: bytes, tree: Tree, start: int, end: int) -> Tree:
    """The outline `tree` of `src` with the collections between bytes `start` and `end` parsed in."""
    gaps = [(a, b) for a, b in gaps_of(tree.included_ranges) if not (start <= a and b <= end)]
    revealed = _parsed(src, tree, gaps)
    return parse(src) if revealed.root_node.has_error else revealed  # the whole parse words the error


def _first_error(node: Node) -> Node:
    while True:
        for child in node.children:
            if child.is_missing or child.type == "ERROR":
                return child
            if child.has_error:
                node = child
                break
        else:
            return node


def _snippet(src: bytes, node: Node) -> str:
    text = src[node.start_byte : node.end_byte].decode("utf-8", "replace").split("\n")[0].strip()
    return repr(text[:40]) if text else "end of input"


def text_of(src: bytes, node: Node) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8")


def inner(node: Node) -> Node:
    """The meaningful node under `expression` / `collection_value` wrappers, when it stands alone."""
    while node.type in ("expression", "collection_value") and node.named_child_count == 1 and node.child_count == 1:
        node = node.children[0]
    return node


@dataclass
class Element:
    """One member of a container: a top-level attribute, an object element or a tuple item."""

    node: Node
    key_node: Node | None  # None for tuple items
    value: Node
    comma: Node | None  # the ',' written right after it, if any


@dataclass
class Container:
    node: Node  # body, object or tuple
    container_type: str  # "body", "object" or "tuple"
    elements: list[Element]
    open_end: int  # byte just after '{' / '[' (0 for a body)
    close_start: int  # byte of '}' / ']' (end of text for a body)
    keys: list[Any] | None = field(default=None, repr=False)  # decoded once, by editor.keys_of

    @property
    def has_comments(self) -> bool:
        return any(child.type == "comment" for child in self.node.children)


def body_container(tree: Tree, src: bytes) -> Container:
    root = tree.root_node
    body = next((child for child in root.children if child.type == "body"), None)
    elements = []
    if body is not None:
        for child in body.children:
            if child.type == "attribute":
                elements.append(Element(child, child.children[0], child.children[-1], None))
    return Container(body or root, "body", elements, 0, len(src))


def container_of(node: Node) -> Container | None:
    node = inner(node)
    if node.type == "object":
        return _object(node)
    if node.type == "tuple":
        return _tuple(node)
    return None


def _object(node: Node) -> Container:
    elements: list[Element] = []
    for child in node.children:
        if child.type == "object_elem":
            elements.append(Element(child, child.children[0], child.children[-1], None))
        elif child.type == "," and elements:
            elements[-1].comma = child
    return Container(node, "object", elements, node.children[0].end_byte, node.children[-1].start_byte)


def _tuple(node: Node) -> Container:
    elements: list[Element] = []
    for child in node.children:
        if child.type == "expression":
            elements.append(Element(child, None, child, None))
        elif child.type == "," and elements:
            elements[-1].comma = child
    return Container(node, "tuple", elements, node.children[0].end_byte, node.children[-1].start_byte)


def reparse(old: bytes, tree: Tree, new: bytes, start: int, old_end: int) -> Tree:
    """Parse `new` reusing the tree of `old`, where bytes [start, old_end) were replaced; what the old
    tree left out stays out."""
    new_end = old_end + len(new) - len(old)
    shift = new_end - old_end
    gaps = []
    for a, b in gaps_of(tree.included_ranges):
        if b <= start:
            gaps.append((a, b))
        elif a >= old_end:
            gaps.append((a + shift, b + shift))
        else:
            return parse(new)  # the edit reaches into what the tree left out: read it whole
    edited = tree.copy()
    edited.edit(
        start_byte=start,
        old_end_byte=old_end,
        new_end_byte=new_end,
        start_point=_point(old, start),
        old_end_point=_point(old, old_end),
        new_end_point=_point(new, new_end),
    )
    return parse(new, edited, gaps)


def _point(src: bytes, pos: int) -> tuple[int, int]:
    return src.count(b"\n", 0, pos), pos - (src.rfind(b"\n", 0, pos) + 1)
