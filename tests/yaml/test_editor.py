from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gitops_writer import verbs as commands
from gitops_writer.errors import (
    ConflictError,
    DuplicateKeyError,
    NotFoundError,
    ParseError,
    UnsupportedError,
    UsageError,
)
from gitops_writer.pointer import parse_pointer
from gitops_writer.yaml import YamlEditor

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "yaml"


def read(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def visible(text: str) -> str:
    return text.replace("\r", "\\r")


def set_(text: str, pointer: str, value: Any, document: int = 0, **kw: Any) -> str:
    return YamlEditor(document).set(text, parse_pointer(pointer), value, **kw)


def remove(text: str, pointer: str, document: int = 0) -> str:
    return YamlEditor(document).remove(text, parse_pointer(pointer))


# (id, before, pointer, value, after)
SET_CASES = [
    ("append-to-end", "a: 1\n", "/b", "x", "a: 1\nb: x\n"),
    ("sorted-insert", "a: 1\nc: 3\n", "/b", 2, "a: 1\nb: 2\nc: 3\n"),
    ("unsorted-appends", "c: 3\na: 1\n", "/b", 2, "c: 3\na: 1\nb: 2\n"),
    ("replace-keeps-single-quotes", "a: 'x'\n", "/a", "z", "a: 'z'\n"),
    ("replace-keeps-double-quotes", 'a: "x"\n', "/a", "y", 'a: "y"\n'),
    ("replace-plain-to-quoted", "a: x\n", "/a", "yes", 'a: "yes"\n'),
    ("replace-keeps-comment", "a: x  # why\nb: 1\n", "/a", "z", "a: z  # why\nb: 1\n"),
    ("quote-date", "a: 1\n", "/b", "2026-01-05", 'a: 1\nb: "2026-01-05"\n'),
    ("quote-octal", "a: 1\n", "/b", "0o17", 'a: 1\nb: "0o17"\n'),
    ("quote-float-text", "a: 1\n", "/b", "1.0", 'a: 1\nb: "1.0"\n'),
    ("quote-indicator", "a: 1\n", "/b", "*x", 'a: 1\nb: "*x"\n'),
    ("quote-colon-space", "a: 1\n", "/b", "k: v", 'a: 1\nb: "k: v"\n'),
    ("quote-empty", "a: 1\n", "/b", "", 'a: 1\nb: ""\n'),
    ("decimal-number", "a: 1\n", "/b", 1.5, "a: 1\nb: 1.5\n"),
    ("null-and-bool", "a: 1\n", "/b", [None, True], "a: 1\nb:\n  - null\n  - true\n"),
    ("create-intermediates", "a: 1\n", "/x/w/z", "v", "a: 1\nx:\n  w:\n    z: v\n"),
    ("fill-empty-value", "a:\nb: 1\n", "/a/k", "v", "a:\n  k: v\nb: 1\n"),
    ("append-block-seq", "s:\n  - a\n", "/s/-", "b", "s:\n  - a\n  - b\n"),
    ("append-unindented-seq", "s:\n- a\nt: 1\n", "/s/-", "b", "s:\n- a\n- b\nt: 1\n"),
    (
        "append-mapping-item",
        "s:\n  - id: a\n    v: 1\n",
        "/s/-",
        {"id": "b", "v": 2},
        "s:\n  - id: a\n    v: 1\n  - id: b\n    v: 2\n",
    ),
    ("flow-seq-append", "s: [a, b]\n", "/s/-", "c d", "s: [a, b, c d]\n"),
    ("flow-seq-quotes-comma", "s: [a]\n", "/s/-", "x,y", 's: [a, "x,y"]\n'),
    ("flow-map-sorted", "m: {a: 1, c: 3}\n", "/m/b", 2, "m: {a: 1, b: 2, c: 3}\n"),
    ("empty-map-becomes-block", "m: {}\nn: 1\n", "/m/k", "v", "m:\n  k: v\nn: 1\n"),
    ("empty-seq-becomes-block", "s: []\n", "/s/-", "a", "s:\n  - a\n"),
    ("seq-item-empty-map", "- {}\n", "/0/k", "v", "- k: v\n"),
    ("root-empty-map", "{}\n", "/k", "v", "k: v\n"),
    ("after-block-scalar", "a: |\n  text\n\nb: 1\n", "/c", 2, "a: |\n  text\n\nb: 1\n\nc: 2\n"),
    ("after-literal-before-next", "a: |\n  t\n\n# next\nz: 1\n", "/b", 2, "a: |\n  t\n\nb: 2\n\n# next\nz: 1\n"),
    ("multiline-string-literal", "a: 1\n", "/b", "x\ny\n", "a: 1\nb: |\n  x\n  y\n"),
    ("multiline-string-no-final-newline", "a: 1\n", "/b", "x\ny", "a: 1\nb: |-\n  x\n  y\n"),
    ("multiline-trailing-spaces-escaped", "a: 1\n", "/b", "x \ny", 'a: 1\nb: "x \\ny"\n'),
    ("crlf", "a: 1\r\nc: 3\r\n", "/b", {"k": "v"}, "a: 1\r\nb:\r\n  k: v\r\nc: 3\r\n"),
    ("no-final-newline", "a: 1", "/b", 2, "a: 1\nb: 2"),
    ("blank-line-grouping", "a:\n  x: 1\n\nb:\n  x: 2\n", "/c", {"x": 3}, "a:\n  x: 1\n\nb:\n  x: 2\n\nc:\n  x: 3\n"),
    ("comment-above-next-key-stays", "a: 1\n# about c\nc: 3\n", "/b", 2, "a: 1\nb: 2\n# about c\nc: 3\n"),
    (
        "trailing-marker-comment-stays-last",
        "m:\n  a: 1\n  # add new entries above this line\n",
        "/m/b",
        2,
        "m:\n  a: 1\n  b: 2\n  # add new entries above this line\n",
    ),
    ("sibling-quote-style", 'm:\n  a:\n    k: "x"\n', "/m/b", {"k": "y"}, 'm:\n  a:\n    k: "x"\n  b:\n    k: "y"\n'),
    (
        "sibling-flow-list",
        "m:\n  a:\n    l: [x]\n",
        "/m/b",
        {"l": ["p", "q"]},
        "m:\n  a:\n    l: [x]\n  b:\n    l: [p, q]\n",
    ),
    ("compact-item-sorted-first", "- b: 1\n  c: 2\n", "/0/a", 0, "- a: 0\n  b: 1\n  c: 2\n"),
    ("replace-block-with-scalar", "a:\n  x: 1\nb: 2\n", "/a", "s", "a: s\nb: 2\n"),
    ("replace-scalar-with-map", "a: s\nb: 2\n", "/a", {"x": 1}, "a:\n  x: 1\nb: 2\n"),
    ("document-end-marker", "a: 1\n...\n", "/b", 2, "a: 1\nb: 2\n...\n"),
    ("unchanged-is-identity", "a: 'x'  # c\n", "/a", "x", "a: 'x'  # c\n"),
    # the same to YAML 1.2 readers but not to 1.1 readers (True, 8): rewritten so that both agree
    ("same-only-to-1.2-readers", "a: yes\nb: on\n", "/a", "yes", 'a: "yes"\nb: on\n'),
    ("octal-only-to-1.1-readers", "a: 010\n", "/a", 10, "a: 10\n"),
    ("key-needing-quotes", "a: 1\n", "/yes", 1, 'a: 1\n"yes": 1\n'),
    # a stream holding no document yet: the new mapping starts one (a sibling of break 6)
    ("empty-stream", "", "/a/b", 1, "a:\n  b: 1\n"),
    ("blank-stream", "\n", "/a", [1], "\na:\n  - 1\n"),
    ("comment-only-stream", "# c\r\n", "/a", "x", "# c\r\na: x\r\n"),
    ("comment-without-final-newline", "# c", "/a", "yes", '# c\na: "yes"\n'),
    ("merge-key-override", "d: &d {o: 1}\nm:\n  <<: *d\n", "/m/o", 2, "d: &d {o: 1}\nm:\n  <<: *d\n  o: 2\n"),
    # '-' (append) below a key that does not exist yet starts the list it appends to
    (
        "append-creates-the-list",
        "metadata:\n  name: x\n",
        "/metadata/tags/-",
        "x",
        "metadata:\n  name: x\n  tags:\n    - x\n",
    ),
    ("append-creates-nested", "a: 1\n", "/spec/deps/-/name", "d", "a: 1\nspec:\n  deps:\n    - name: d\n"),
    ("append-into-null", "metadata:\n  tags:\n", "/metadata/tags/-", "x", "metadata:\n  tags:\n    - x\n"),
    ("append-in-empty-stream", "", "/tags/-", "x", "tags:\n  - x\n"),
]


@pytest.mark.parametrize("before,pointer,value,after", [c[1:] for c in SET_CASES], ids=[c[0] for c in SET_CASES])
def test_set(before: str, pointer: str, value: Any, after: str) -> None:
    assert set_(before, pointer, value) == after


# (id, before, pointer, after)
REMOVE_CASES = [
    ("key", "a: 1\nb: 2\nc: 3\n", "/b", "a: 1\nc: 3\n"),
    ("last-key-restores-empty-map", "a:\n  k: v\nb: 1\n", "/a/k", "a: {}\nb: 1\n"),
    ("last-item-restores-empty-seq", "s:\n  - a\n", "/s/0", "s: []\n"),
    ("flow-item", "s: [a, b, c]\n", "/s/1", "s: [a, c]\n"),
    ("flow-last-item", "s: [a, b]\n", "/s/1", "s: [a]\n"),
    ("flow-only-item", "s: [a]\n", "/s/0", "s: []\n"),
    ("trailing-comment-goes", "a: 1  # gone\nb: 2\n", "/a", "b: 2\n"),
    ("leading-comment-stays", "a: 1\n# header\nb: 2\nc: 3\n", "/b", "a: 1\n# header\nc: 3\n"),
    ("grouped-middle", "a: 1\n\nb: 2\n\nc: 3\n", "/b", "a: 1\n\nc: 3\n"),
    ("grouped-last", "a: 1\n\nb: 2\n", "/b", "a: 1\n"),
    ("no-final-newline", "a: 1\nb: 2", "/b", "a: 1"),
    ("compact-first-key", "- a: 1\n  b: 2\n", "/0/a", "- b: 2\n"),
    ("root-seq-last", "- a\n", "/0", "[]\n"),
    ("block-scalar-entry", "a: |\n  x\n  y\nb: 1\n", "/a", "b: 1\n"),
    ("crlf", "a: 1\r\nb: 2\r\n", "/a", "b: 2\r\n"),
]


@pytest.mark.parametrize("before,pointer,after", [c[1:] for c in REMOVE_CASES], ids=[c[0] for c in REMOVE_CASES])
def test_remove(before: str, pointer: str, after: str) -> None:
    assert remove(before, pointer) == after


# (id, text, operation, pointer, value, error)
ERROR_CASES = [
    ("remove-absent", "a: 1\n", "remove", "/b", None, NotFoundError),
    ("no-overwrite", "a: 1\n", "set-no-overwrite", "/a", 2, ConflictError),
    ("into-scalar", "a: 1\n", "set", "/a/b", 2, ConflictError),
    ("absent-document", "a: 1\n", "set-doc-1", "/a", 2, NotFoundError),
    ("index-out-of-range", "s: [a]\n", "set", "/s/5", 2, NotFoundError),
    ("remove-append-token", "s: [a]\n", "remove", "/s/-", None, UsageError),
    ("duplicate-keys", "a: 1\na: 2\n", "set", "/b", 2, DuplicateKeyError),
    ("invalid-yaml", "a: [1\n", "set", "/b", 2, ParseError),
    ("through-alias", "d: &d {o: 1}\nm: *d\n", "set", "/m/o", 2, UnsupportedError),
    ("aliased-anchor", "d: &d {o: 1}\nm: *d\n", "set", "/d/o", 2, UnsupportedError),
    ("remove-aliased-anchor", "d: &d 1\nm: *d\n", "remove", "/d", None, UnsupportedError),
    ("inside-custom-tag", "a: !!python/object {b: 1}\n", "set", "/a/c", 2, UnsupportedError),
    ("root-pointer", "a: 1\n", "set", "", 2, UsageError),
    ("get-absent", "a: 1\n", "get", "/b", None, NotFoundError),
    ("get-custom-tag", "a: !!python/object:os.system x\n", "get", "/a", None, UnsupportedError),
    ("nan-value", "a: 1\n", "set", "/b", float("nan"), UsageError),
    # YAML and JSON readers read 1.0e+999 as infinity: refused like NaN (break 7)
    ("inf-value", "a: 1\n", "set", "/b", float("inf"), UsageError),
    ("minus-inf-value", "a: 1\n", "set", "/b", float("-inf"), UsageError),
    ("overflowing-decimal", "a: 1\n", "set", "/b", Decimal("1E+999"), UsageError),
    ("overflowing-in-a-list", "a: 1\n", "set", "/b", [1, {"c": Decimal("-1E+999")}], UsageError),
    ("nan-decimal", "a: 1\n", "set", "/b", Decimal("NaN"), UsageError),
    ("insert-inf", "s: [1]\n", "insert", "/s/0", Decimal("Infinity"), UsageError),
    ("get-overflowing", "a: 1.0e+999\n", "get", "/a", None, UnsupportedError),
    ("get-inf", "a: -.inf\n", "get", "/a", None, UnsupportedError),
    ("key-into-one-pair-flow-mapping", "l:\n- [a: 1]\n", "set", "/l/0/0/b", 2, UnsupportedError),
    ("key-out-of-one-pair-flow-mapping", "l:\n- [a: 1]\n", "remove", "/l/0/0/a", None, UnsupportedError),
]


@pytest.mark.parametrize("text,op,pointer,value,error", [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_errors(text: str, op: str, pointer: str, value: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        if op == "remove":
            remove(text, pointer)
        elif op == "get":
            YamlEditor().get(text, parse_pointer(pointer))
        elif op == "set-no-overwrite":
            set_(text, pointer, value, overwrite=False)
        elif op == "set-doc-1":
            set_(text, pointer, value, document=1)
        elif op == "insert":
            YamlEditor().insert(text, parse_pointer(pointer), value)
        else:
            set_(text, pointer, value)


def test_get_reads_values_like_yaml_readers() -> None:
    text = 'a: 2026-01-05\nb: "1.0"\nc: 1.0\nd: [yes, ~]\ne: &x {k: v}\nf:\n  <<: *x\n  j: 1\n'
    assert YamlEditor().get(text, ()) == {
        "a": "2026-01-05",
        "b": "1.0",
        "c": pytest.approx(1.0),
        "d": ["yes", None],
        "e": {"k": "v"},
        "f": {"k": "v", "j": 1},
    }


@pytest.mark.parametrize("key", ['"<<"', "'<<'", "!!str <<"])
def test_a_quoted_or_tagged_merge_sign_is_an_ordinary_key(key: str) -> None:
    """Only a plain `<<` merges (ruamel, PyYAML and npm yaml agree); a quoted one is a key of its own."""
    text = f"d: &d {{o: 1}}\nm:\n  {key}: *d\n  k: 2\n"
    assert YamlEditor().get(text, ("m",)) == {"<<": {"o": 1}, "k": 2}


@pytest.mark.parametrize(
    ("text", "value"), [("yes", True), ("y", True), ("Y", True), ("on", True), ("n", False), ("Off", False)]
)
def test_yaml_1_1_directive_reads_booleans(text: str, value: bool) -> None:
    assert YamlEditor().get(f"%YAML 1.1\n---\na: {text}\n", ("a",)) is value
    assert YamlEditor().get(f"a: {text}\n", ("a",)) == text  # YAML 1.2: a string


# (fixture, document, operation, pointer, value) — each snapshotted as edited text and dry-run diff
FIXTURE_EDITS = [
    (
        "governance-catalog.yaml",
        0,
        "set",
        "/repositories/orders-api",
        {
            "metadata": {
                "id": "REGISTRY_ORDERS_API",
                "owner": "team-orders",
                "risk": "low",
                "created_date": "2026-11-29",
                "status": "pending",
            }
        },
    ),
    ("location.yaml", 0, "set", "/spec/targets/-", "./resources/ecr/orders-api.yaml"),
    ("catalog-info.yaml", 0, "set", "/metadata/tags/-", "on"),
    ("catalog-info.yaml", 1, "set", "/metadata/annotations", {"backstage.io/techdocs-ref": "dir:."}),
    (
        "four-space.yaml",
        0,
        "set",
        "/teams/storage",
        {"description": "Storage", "members": ["dave"], "privacy": "closed"},
    ),
    ("flow-style.yaml", 0, "set", "/rules/container-registries/required_reviewers/-", "security-team"),
    (
        "flow-style.yaml",
        0,
        "set",
        "/rules/databases",
        {"tier": "platform-and-security", "required_reviewers": ["dba-team"]},
    ),
    ("comments.yaml", 0, "set", "/rules/storage", {"tier": "platform-approval"}),
    ("block-scalars.yaml", 0, "set", "/spec/lifecycle", "production"),
    ("anchors-merge.yaml", 0, "set", "/repositories/orders-api", {"owner": "team-orders"}),
    ("crlf.yaml", 0, "set", "/spec/targets/-", "./c.yaml"),
    ("empty-collections.yaml", 0, "set", "/databases/orders-db", {"engine": "postgres", "engine_version": "15.4"}),
    ("empty-collections.yaml", 0, "set", "/children/-", "group:team-b"),
    ("no-final-newline.yaml", 0, "set", "/spec/children/-", "team-c"),
    ("governance-catalog.yaml", 0, "remove", "/repositories/search-indexer", None),
    ("location.yaml", 0, "remove", "/spec/targets/0", None),
]


@pytest.mark.parametrize(
    "name,document,op,pointer,value",
    FIXTURE_EDITS,
    ids=[f"{e[0]}-{e[2]}{e[3].replace('/', '.')}" for e in FIXTURE_EDITS],
)
def test_fixture_edits(
    name: str, document: int, op: str, pointer: str, value: Any, snapshot: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    original = read(name)
    monkeypatch.chdir(tmp_path)
    path = Path(name)
    path.write_bytes(original.encode())
    if op == "set":
        edited = set_(original, pointer, value, document)
        diff = commands.set_value(path, pointer, _json(value), overwrite=True, document=document, write=False)
        # the key or item just added comes out again byte for byte
        added = (
            pointer
            if not pointer.endswith("/-")
            else pointer[:-1] + str(len(YamlEditor(document).get(original, parse_pointer(pointer[:-2]))))
        )
        if _absent(original, added, document):
            assert remove(edited, added, document) == original
    else:
        edited = remove(original, pointer, document)
        diff = commands.remove_value(path, pointer, document=document, write=False)
    assert path.read_bytes().decode() == original  # a dry run writes nothing
    assert visible(edited) == snapshot(name="edited")
    assert visible(diff) == snapshot(name="diff")


def _absent(text: str, pointer: str, document: int) -> bool:
    try:
        YamlEditor(document).get(text, parse_pointer(pointer))
    except NotFoundError:
        return True
    return False


def _json(value: Any) -> str:
    import json

    return json.dumps(value)


@pytest.mark.parametrize(
    ("before", "pointer", "value", "after"),
    [
        pytest.param("t:\n  - a\n  - c\n", "/t/1", "b", "t:\n  - a\n  - b\n  - c\n", id="indented"),
        pytest.param(
            "t:\n- a\n# about c\n- c\n", "/t/1", "b", "t:\n- a\n- b\n# about c\n- c\n", id="above-the-comment"
        ),
        pytest.param("t: [a, c]\n", "/t/0", "0", "t: [0, a, c]\n".replace("0, ", '"0", '), id="flow"),
        pytest.param("t: []\n", "/t/0", "x", "t:\n  - x\n", id="empty-opens-up"),
        pytest.param("t:\n  - a\n", "/t/-", "yes", 't:\n  - a\n  - "yes"\n', id="append-quoted"),
    ],
)
def test_insert(before: str, pointer: str, value: object, after: str) -> None:
    from gitops_writer.yaml import YamlEditor

    assert YamlEditor().insert(before, tuple(pointer[1:].split("/")), value) == after


def test_insert_needs_a_list() -> None:
    from gitops_writer.errors import ConflictError
    from gitops_writer.yaml import YamlEditor

    with pytest.raises(ConflictError, match="not a list"):
        YamlEditor().insert("m: {a: 1}\n", ("m", "0"), 1)
