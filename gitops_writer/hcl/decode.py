"""Decoding literal HCL values from the syntax tree, as Terraform reads them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeAlias

from tree_sitter import Node

from gitops_writer.errors import DuplicateKeyError, ParseError
from gitops_writer.hcl.syntax import container_of, inner, text_of


@dataclass(frozen=True)
class Expression:
    """A value Terraform computes (a reference, a call, a template): kept as its source text."""

    text: str

    def to_json(self) -> str:
        return "${" + self.text + "}"


# A value as Terraform reads it from the text: JSON's values, and what it would compute kept as an Expression.
# An object's keys are strings, or an Expression where a key is computed.
HclValue: TypeAlias = (
    None | bool | int | Decimal | str | Expression | list["HclValue"] | dict["str | Expression", "HclValue"]
)

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def unescape(raw: str, *, line: int = 0) -> str:
    """The value of a quoted template's literal text (escapes, `$${`, `%%{`)."""

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "$${":
            return "${"
        if text == "%%{":
            return "%{"
        short, long, simple = match.groups()
        if short or long:
            return chr(int(short or long, 16))
        if simple in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[simple]
        raise ParseError(f"invalid escape sequence \\{simple} in a string", line or None)

    return _ESCAPE.sub(replace, raw)


def decode(src: bytes, node: Node) -> HclValue:
    """The JSON-shaped value of an expression; anything Terraform would compute is an Expression."""
    node = inner(node)
    node_type = node.type
    if node_type == "literal_value":
        return _literal(src, node.children[0])
    if node_type in ("object", "tuple"):
        container = container_of(node)
        assert container is not None
        if node_type == "tuple":
            return [decode(src, element.value) for element in container.elements]
        result: dict[str | Expression, HclValue] = {}
        rows: dict[str | Expression, int] = {}
        for element in container.elements:
            assert element.key_node is not None
            key, row = decode_key(src, element.key_node), element.node.start_point[0] + 1
            if key in result:
                name = key if isinstance(key, str) else key.text
                raise DuplicateKeyError(f"the object at line {node.start_point[0] + 1}", name, [rows[key], row])
            result[key], rows[key] = decode(src, element.value), row
        return result
    if node_type == "template_expr":
        template = node.children[0]
        if template.type == "quoted_template" and all(
            child.type in ("quoted_template_start", "template_literal", "quoted_template_end")
            for child in template.children
        ):
            raw = src[template.children[0].end_byte : template.children[-1].start_byte].decode("utf-8")
            return unescape(raw, line=node.start_point[0] + 1)
        if template.type == "heredoc_template" and not any(
            child.type in ("template_interpolation", "template_directive") for child in template.children
        ):
            return _heredoc(src, template)
    if node_type == "operation" and node.children[0].type == "unary_operation":
        operation = node.children[0]
        operand = inner(operation.children[1])
        if operation.children[0].type == "-" and operand.type == "literal_value":
            number = _literal(src, operand.children[0])
            if isinstance(number, (int, Decimal)) and not isinstance(number, bool):
                return -number
    return Expression(text_of(src, node))


_PLAIN_KEY = re.compile(rb'"[^"\\$%{}\n]*"|[A-Za-z_][A-Za-z0-9_-]*')


def decode_key(src: bytes, node: Node) -> str | Expression:
    """An object key: a bare identifier names itself; anything else is decoded as a value."""
    text = src[node.start_byte : node.end_byte]
    if _PLAIN_KEY.fullmatch(text):  # the common case, without walking the node
        return text.strip(b'"').decode() if text.startswith(b'"') else text.decode()
    node = inner(node)
    if node.type == "variable_expr" and node.child_count == 1:
        return text_of(src, node)
    key = decode(src, node)
    return key if isinstance(key, (str, Expression)) else Expression(text_of(src, node))


def _literal(src: bytes, node: Node) -> HclValue:
    node_type = node.type
    if node_type == "numeric_lit":
        text = text_of(src, node)
        return int(text) if text.isdigit() else Decimal(text)
    if node_type == "bool_lit":
        return text_of(src, node) == "true"
    if node_type == "null_lit":
        return None
    if node_type == "string_lit":
        raw = src[node.children[0].end_byte : node.children[-1].start_byte].decode("utf-8")
        return unescape(raw, line=node.start_point[0] + 1)
    return Expression(text_of(src, node))


def _heredoc(src: bytes, template: Node) -> str:
    start = src.index(b"\n", template.start_byte) + 1
    closing = template.children[-1]
    end = src.rindex(b"\n", 0, closing.start_byte) + 1
    lines = src[start:end].decode("utf-8").splitlines(keepends=True)
    if text_of(src, template.children[0]) == "<<-":
        widths = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
        strip = min(widths, default=0)
        lines = [line[strip:] if line.strip() else line.lstrip(" ") for line in lines]
    return "".join(lines).replace("$${", "${").replace("%%{", "%{").replace("\r\n", "\n")
