"""A scalar rewritten in place is not re-parsed: the remembered tree must equal a fresh parse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_writer.yaml import YamlEditor
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Node, parse
from gitops_writer.yaml.trees import parse_documents

ROOT = Path(__file__).resolve().parents[2]
CATALOG = (ROOT / "fixtures/gitops-repo/docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text()


def same_tree(a: Node, b: Node) -> None:
    for field in ("kind", "start", "end", "body", "line", "column", "tag", "anchor", "style", "value", "flow"):
        assert getattr(a, field) == getattr(b, field), (field, a, b)
    if a.kind == MAPPING:
        assert len(a.items) == len(b.items)
        for (ka, va), (kb, vb) in zip(a.items, b.items, strict=False):
            same_tree(ka, kb)
            same_tree(va, vb)
    elif a.kind == SEQUENCE:
        assert len(a.items) == len(b.items)
        for x, y in zip(a.items, b.items, strict=False):
            same_tree(x, y)


def check(text: str, path: tuple[str, ...], value: Any) -> str:
    parse_documents(text)
    edited = YamlEditor().set(text, path, value)
    remembered, fresh = parse_documents(edited), parse(edited, pure=False)
    assert len(remembered) == len(fresh)
    for a, b in zip(remembered, fresh, strict=False):
        same_tree(a.root, b.root)
    return edited


def test_a_date_stamp_is_remembered() -> None:
    edited = check(CATALOG, ("last_updated",), "2026-12-31")
    assert 'last_updated: "2026-12-31"' in edited


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("a: plain\nb: 1\n", ("a",), "other"),
        ("a: 'single'\n", ("a",), "quoted"),
        ("a: 'it''s'\n", ("a",), "it''s"[:5]),
        ('a: "double"\n', ("a",), "triple"),
        ("m:\n  - one\n  - two\n", ("m", "1"), "six"),
        ("x: &anchor val\ny: *anchor\n", ("y",), "other"),
        ("a: ab  # note\n", ("a",), "cd"),
    ],
)
def test_scalars_rewritten_in_place(text: str, path: tuple[str, ...], value: str) -> None:
    check(text, path, value)


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet="abcxyz0129-'\" #:\\", min_size=1, max_size=12))
def test_any_same_length_replacement(value: str) -> None:
    check("top:\n  key: abcdefghij\n  other: [1, 2]\n", ("top", "key"), value)
