"""A scalar rewritten in place is not re-parsed: the tree the editor keeps must equal a fresh parse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_writer.yaml import YamlEditor
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Document, Node
from gitops_writer.yaml.trees import parse_documents

ROOT = Path(__file__).resolve().parents[2]
CATALOG = (ROOT / "fixtures/gitops-repo/docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text()


def same_tree(a: Node, b: Node) -> None:
    for field in ("node_type", "start", "end", "body", "line", "column", "tag", "anchor", "style", "value", "flow"):
        assert getattr(a, field) == getattr(b, field), (field, a, b)
    if a.node_type == MAPPING:
        assert len(a.items) == len(b.items)
        for (ka, va), (kb, vb) in zip(a.items, b.items, strict=False):
            same_tree(ka, kb)
            same_tree(va, vb)
    elif a.node_type == SEQUENCE:
        assert len(a.items) == len(b.items)
        for x, y in zip(a.items, b.items, strict=False):
            same_tree(x, y)


def fresh(text: str) -> list[Document]:
    return parse_documents(text)


def shares_nodes(a: Node, b: Node) -> bool:
    """Whether two trees share a node: only a remembered edit shares, a parse builds every node anew."""
    pending = [(a, b)]
    while pending:
        x, y = pending.pop()
        if x is y:
            return True
        if x.node_type in (MAPPING, SEQUENCE) and y.node_type == x.node_type and len(x.items) == len(y.items):
            for i, j in zip(x.items, y.items, strict=True):
                pending.extend(zip(i, j, strict=True) if isinstance(i, tuple) else [(i, j)])
    return False


def check(text: str, path: tuple[str, ...], value: Any, *, remembered: bool = True) -> str:
    editor = YamlEditor()
    original = editor.documents(text)
    edited = editor.set(text, path, value)
    kept = editor.documents(edited)
    new = fresh(edited)
    assert len(kept) == len(new)
    for a, b in zip(kept, new, strict=False):
        same_tree(a.root, b.root)
        assert a.anchors.keys() == b.anchors.keys() and a.aliased == b.aliased
        for name in a.anchors:  # an anchor names the node now in the tree, not the one before the edit
            same_tree(a.anchors[name], b.anchors[name])
    assert shares_nodes(kept[0].root, original[0].root) is remembered, "the edit was not remembered"
    return edited


def test_a_date_stamp_is_remembered() -> None:
    edited = check(CATALOG, ("last_updated",), "2026-12-31")
    assert 'last_updated: "2026-12-31"' in edited


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        ("a: plain\nb: 1\n", ("a",), "other"),
        ("a: 'single'\n", ("a",), "quoted"),
        ("a: 'it''s'\nb: 1\n", ("a",), "ab'c"),
        ('a: "double"\nb: 1\n', ("a",), "triple"),
        ("m:\n  - one\n  - two\n", ("m", "1"), "six"),
        ("a: ab  # note\nb: 1\n", ("a",), "cd"),
        ("a: 'xy'\nb: 1\n", ("a",), "'"),
    ],
)
def test_scalars_rewritten_in_place(text: str, path: tuple[str, ...], value: str) -> None:
    check(text, path, value)


@pytest.mark.parametrize(
    ("text", "path", "value"),
    [
        pytest.param("x: &anchor val\ny: *anchor\n", ("y",), "other", id="alias-replaced"),
        pytest.param("a: ab\nb: 1\n", ("a",), "abc", id="longer"),
        pytest.param("base: &b\n  k: abc\nother: 1\n", ("base", "k"), "xyz", id="under-an-anchor"),
        pytest.param("a: &s abc\nb: 1\n", ("a",), "xyz", id="anchored-scalar"),
        pytest.param("a: ab\nb: 1\n", ("a",), "a#", id="comment-sign"),
        pytest.param('a: "ab"\nb: 1\n', ("a",), "a\\", id="escape"),
        pytest.param("a: on\nb: 1\n", ("a",), [], id="an-empty-list-of-the-same-length"),
        pytest.param("a: on\nb: 1\n", ("a",), {}, id="an-empty-mapping-of-the-same-length"),
    ],
)
def test_other_edits_are_parsed_afresh(text: str, path: tuple[str, ...], value: str) -> None:
    check(text, path, value, remembered=False)


@settings(max_examples=100, deadline=None)
@given(value=st.text(alphabet="abcxyz0129-'\" #:\\[]{},&*!|>%@`?", min_size=1, max_size=12))
def test_any_same_length_replacement(value: str) -> None:
    text = "top:\n  key: abcdefghij\n  other: [1, 2]\n"
    editor = YamlEditor()
    edited = editor.set(text, ("top", "key"), value)
    kept = editor.documents(edited)
    same_tree(kept[0].root, fresh(edited)[0].root)


def test_the_kept_tree_feeds_the_next_edit() -> None:
    """A catalog of about 30 KB, stamped and then edited again by the same editor, as a request does."""
    entry = "\n".join(f"  app-{i:04d}:\n    metadata:\n      owner: team-{i}\n      status: active" for i in range(400))
    text = f'version: "1.0"\nlast_updated: "2026-01-01"\nrepositories:\n{entry}\n'
    editor = YamlEditor()
    stamped = editor.set(text, ("last_updated",), "2026-12-31")
    assert editor.get(stamped, ("last_updated",)) == "2026-12-31"
    again = editor.set(stamped, ("repositories", "app-0007", "metadata", "status"), "retired")
    block = "  app-0007:\n    metadata:\n      owner: team-7\n      status: "
    assert again == stamped.replace(block + "active", block + "retired")
    assert stamped == text.replace('"2026-01-01"', '"2026-12-31"')


def test_a_text_read_again_in_the_process_shares_its_nodes_but_not_its_list() -> None:
    text = "a:\n  b: 1\n"
    first, again = parse_documents(text), parse_documents(text)
    assert first is not again and first[0] is again[0]
    first.clear()  # a caller's list is its own
    assert parse_documents(text)[0] is again[0]


def test_an_edit_leaves_the_shared_tree_of_the_text_it_started_from() -> None:
    text = 'stamp: "2026-11-02"\nkeep: 1\n'
    before = parse_documents(text)[0]
    YamlEditor().set(text, ["stamp"], "2026-11-29")
    YamlEditor().set(text, ["added"], 2)
    after = parse_documents(text)[0]
    assert after is before and [key.value for key, _ in after.root.items] == ["stamp", "keep"]
    assert after.root.items[0][1].value == "2026-11-02"
