"""Table-driven before/after cases for the HCL editor: each edit is exact to the byte."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_writer.errors import (
    ConflictError,
    NotFoundError,
    ParseError,
    UnsupportedError,
    UsageError,
    VerificationError,
)
from gitops_writer.hcl import HclEditor

editor = HclEditor()

ENTRY = {"metadata": {"id": "REGISTRY_B", "owner": "team-b", "risk": "low"}}

SET_CASES = [
    pytest.param(
        'm = {\n  "a" = 1\n  "c" = 3\n}\n',
        "/m/b",
        2,
        'm = {\n  "a" = 1\n  "b" = 2\n  "c" = 3\n}\n',
        id="sorted-position",
    ),
    pytest.param(
        'm = {\n  "c" = 3\n  "a" = 1\n}\n',
        "/m/b",
        2,
        'm = {\n  "c" = 3\n  "a" = 1\n  "b" = 2\n}\n',
        id="unsorted-appends-last",
    ),
    pytest.param(
        "m = {}\n",
        "/m/b",
        ENTRY,
        'm = {\n  "b" = {\n    metadata = {\n      id    = "REGISTRY_B"\n'
        '      owner = "team-b"\n      risk  = "low"\n    }\n  }\n}\n',
        id="inline-empty-map-opens-up",
    ),
    pytest.param(
        "m = { a = 1, c = 3 }\n",
        "/m/b",
        2,
        "m = { a = 1, b = 2, c = 3 }\n",
        id="one-line-map-stays-one-line",
    ),
    pytest.param(
        "m = { a = 1 }\n",
        "/m/z",
        {"x": [1, 2]},
        "m = { a = 1, z = { x = [1, 2] } }\n",
        id="one-line-map-nested-value",
    ),
    pytest.param(
        "a = 1\nbbb = 2\n",
        "/cc",
        3,
        "a = 1\nbbb = 2\ncc = 3\n",
        id="unaligned-neighbours-left-alone",
    ),
    pytest.param(
        "a   = 1\nbbb = 2\n",
        "/ccccc",
        3,
        "a     = 1\nbbb   = 2\nccccc = 3\n",
        id="aligned-run-repadded-as-fmt",
    ),
    pytest.param(
        "a   = 1\nbbb = 2\n\n",
        "/x",
        {"k": "v"},
        'a   = 1\nbbb = 2\n\nx = {\n  k = "v"\n}\n',
        id="new-attribute-appended",
    ),
    pytest.param(
        'env = "dev"\n',
        "/m/web",
        {"metadata": {"id": "X"}},
        'env = "dev"\nm = {\n  "web" = {\n    metadata = {\n      id = "X"\n    }\n  }\n}\n',
        id="new-map-of-objects-quotes-its-names",
    ),
    pytest.param(
        'm = {\n  "a" = 1\n\n  "c" = 3\n}\n',
        "/m/d",
        4,
        'm = {\n  "a" = 1\n\n  "c" = 3\n\n  "d" = 4\n}\n',
        id="spaced-entries-append-spaced",
    ),
    pytest.param(
        'm = {\n  "a" = 1\n\n  # about c\n  "c" = 3\n}\n',
        "/m/b",
        2,
        'm = {\n  "a" = 1\n\n  "b" = 2\n\n  # about c\n  "c" = 3\n}\n',
        id="spaced-entries-insert-spaced",
    ),
    pytest.param(
        "a = 1\n\nb = 2\n",
        "/c",
        3,
        "a = 1\n\nb = 2\n\nc = 3\n",
        id="spaced-attributes",
    ),
    pytest.param(
        "a = 1",
        "/b",
        True,
        "a = 1\nb = true",
        id="no-final-newline-kept",
    ),
    pytest.param(
        'm = {\n  "a" = 1 # one\n}\n',
        "/m/a",
        5,
        'm = {\n  "a" = 5 # one\n}\n',
        id="replace-touches-only-the-value",
    ),
    pytest.param(
        "m = {\n  a = { x = 1 }\n}\n",
        "/m/a/y",
        2,
        "m = {\n  a = { x = 1, y = 2 }\n}\n",
        id="into-one-line-nested-object",
    ),
    pytest.param(
        "m = {\n  a = 1\n}\n",
        "/m/b/c/d",
        "e",
        'm = {\n  a = 1\n  b = {\n    c = {\n      d = "e"\n    }\n  }\n}\n',
        id="creates-intermediate-objects",
    ),
    pytest.param(
        "l = [1, 2]\n",
        "/l/-",
        3,
        "l = [1, 2, 3]\n",
        id="append-one-line-list",
    ),
    pytest.param(
        'l = [\n  "a",\n  "b",\n]\n',
        "/l/-",
        "c",
        'l = [\n  "a",\n  "b",\n  "c",\n]\n',
        id="append-multi-line-list-trailing-commas",
    ),
    pytest.param(
        'l = [\n  "a",\n  "b"\n]\n',
        "/l/-",
        "c",
        'l = [\n  "a",\n  "b",\n  "c"\n]\n',
        id="append-multi-line-list-separator-commas",
    ),
    pytest.param(
        "l = []\n",
        "/l/-",
        "x",
        'l = ["x"]\n',
        id="append-empty-list",
    ),
    pytest.param(
        "l = [1, 2]\n",
        "/l/0",
        7,
        "l = [7, 2]\n",
        id="replace-list-element",
    ),
    pytest.param(
        "m = {\r\n  a = 1\r\n}\r\n",
        "/m/b",
        {"c": 1},
        "m = {\r\n  a = 1\r\n  b = {\r\n    c = 1\r\n  }\r\n}\r\n",
        id="crlf",
    ),
    pytest.param(
        "m = {\n\ta = 1\n}\n",
        "/m/b",
        {"c": 1},
        "m = {\n\ta = 1\n\tb = {\n\t\tc = 1\n\t}\n}\n",
        id="tabs",
    ),
    pytest.param(
        'm = {\n  "a" = 1\n  # describes c\n  "c" = 3\n}\n',
        "/m/b",
        2,
        'm = {\n  "a" = 1\n  "b" = 2\n  # describes c\n  "c" = 3\n}\n',
        id="comment-stays-with-the-entry-it-describes",
    ),
    pytest.param(
        "m = {\n  a = 1\n  # add new entries above this line\n}\n",
        "/m/b",
        2,
        "m = {\n  a = 1\n  b = 2\n  # add new entries above this line\n}\n",
        id="trailing-comment-stays-last",
    ),
    pytest.param(
        "m = {\n  a = 1,\n  b = 2\n}\n",
        "/m/c",
        3,
        "m = {\n  a = 1,\n  b = 2,\n  c = 3\n}\n",
        id="separator-commas",
    ),
    pytest.param(
        "m = {\n  a = 1\n}\n",
        "/m/with.dot",
        1,
        'm = {\n  a          = 1\n  "with.dot" = 1\n}\n',
        id="key-quoted-when-not-an-identifier",
    ),
    pytest.param(
        "m = {\n  a = 1\n}\n",
        "/m/true",
        1,
        'm = {\n  a      = 1\n  "true" = 1\n}\n',
        id="keyword-key-quoted",
    ),
    pytest.param("m = {}\n", "/m/for", {"if": 1}, 'm = {\n  "for" = {\n    "if" = 1\n  }\n}\n', id="for-key-quoted"),
    pytest.param(
        's = "x"\n',
        "/s",
        'a"b\\c\n${x}%{y}\x01é',
        's = "a\\"b\\\\c\\n$${x}%%{y}\\u0001é"\n',
        id="string-escaping",
    ),
    pytest.param(
        "m = {\n  a = 1\n}\n",
        "/m/a",
        1,
        "m = {\n  a = 1\n}\n",
        id="same-value-is-a-no-op",
    ),
    # A first top-level attribute is a plain identifier, whatever value it holds (break 6)
    pytest.param("", "/a/b", 1, "a = {\n  b = 1\n}\n", id="empty-file"),
    pytest.param("\n", "/a/b", 1, "\na = {\n  b = 1\n}\n", id="file-of-one-newline"),
    pytest.param("# only a comment\n", "/a", {"b": 1}, "# only a comment\na = {\n  b = 1\n}\n", id="comment-only"),
    pytest.param("", "/m/x", {"y": 1}, 'm = {\n  "x" = {\n    y = 1\n  }\n}\n', id="empty-file-map-of-names"),
    # tree-sitter-hcl reads an exponent only after a fraction: 1e2 is written 1.0e+2 (Terraform reads both)
    pytest.param("x = 1\n", "/x", Decimal("1E2"), "x = 1.0e+2\n", id="exponent-without-fraction"),
    pytest.param("x = 1\n", "/x", Decimal("-1E-400"), "x = -1.0e-400\n", id="negative-tiny-exponent"),
    pytest.param("x = 1\n", "/x", Decimal("1.5E+3"), "x = 1.5e+3\n", id="exponent-with-fraction"),
    pytest.param("x = 1\n", "/x", 1e22, "x = 1.0e+22\n", id="float-exponent"),
    # '-' (append) below a key that does not exist yet starts the list it appends to
    pytest.param("m = { a = 1 }\n", "/m/tags/-", "x", 'm = { a = 1, tags = ["x"] }\n', id="append-creates-the-list"),
]


@pytest.mark.parametrize(("before", "pointer", "value", "after"), SET_CASES)
def test_set(before: str, pointer: str, value: object, after: str) -> None:
    tokens = tuple(t.replace("~1", "/") for t in pointer[1:].split("/"))
    assert editor.set(before, tokens, value) == after


REMOVE_CASES = [
    pytest.param('m = {\n  "a" = 1\n  "b" = 2\n}\n', "/m/b", 'm = {\n  "a" = 1\n}\n', id="multi-line-entry"),
    pytest.param("m = {\n  a = 1\n}\n", "/m/a", "m = {}\n", id="last-entry-leaves-inline-empty"),
    pytest.param("m = {\n  a = 1\n  # note\n}\n", "/m/a", "m = {\n  # note\n}\n", id="comments-kept"),
    pytest.param("m = { a = 1, b = 2 }\n", "/m/a", "m = { b = 2 }\n", id="one-line-first"),
    pytest.param("m = { a = 1, b = 2 }\n", "/m/b", "m = { a = 1 }\n", id="one-line-last"),
    pytest.param("l = [1, 2, 3]\n", "/l/1", "l = [1, 3]\n", id="list-middle"),
    pytest.param(
        'l = [\n  "a",\n  "b",\n  "c"\n]\n', "/l/2", 'l = [\n  "a",\n  "b"\n]\n', id="list-last-drops-separator"
    ),
    pytest.param("a = 1\nb = 2", "/b", "a = 1", id="no-final-newline"),
    pytest.param(
        "m = {\n  a = 1\n\n  b = 2\n\n  c = 3\n}\n", "/m/a", "m = {\n  b = 2\n\n  c = 3\n}\n", id="spaced-first"
    ),
    pytest.param(
        "m = {\n  a = 1\n\n  b = 2\n\n  c = 3\n}\n", "/m/b", "m = {\n  a = 1\n\n  c = 3\n}\n", id="spaced-middle"
    ),
    pytest.param(
        "m = {\n  a = 1\n\n  b = 2\n\n  c = 3\n}\n", "/m/c", "m = {\n  a = 1\n\n  b = 2\n}\n", id="spaced-last"
    ),
    pytest.param(
        "m = {\n  a   = 1\n  bbb = 2 # wide\n  cc  = 3\n}\n",
        "/m/bbb",
        "m = {\n  a  = 1\n  cc = 3\n}\n",
        id="aligned-run-shrinks-as-fmt",
    ),
    pytest.param(
        "m = {\n  a = 1\n  b = {\n    x = 1\n  }\n  ccc = 3\n}\n",
        "/m/b",
        "m = {\n  a   = 1\n  ccc = 3\n}\n",
        id="runs-join-as-fmt",
    ),
]


@pytest.mark.parametrize(("before", "pointer", "after"), REMOVE_CASES)
def test_remove(before: str, pointer: str, after: str) -> None:
    assert editor.remove(before, tuple(pointer[1:].split("/"))) == after


@pytest.mark.parametrize(
    ("text", "pointer", "value"),
    [
        pytest.param('x = "a$${b}"\n', "/x", "a${b}", id="dollar-escape"),
        pytest.param('x = "\\u00e9\\t"\n', "/x", "é\t", id="unicode-escape"),
        pytest.param("x = -3\n", "/x", -3, id="negative"),
        pytest.param("x = var.y\n", "/x", "${var.y}", id="expression-as-template"),
        pytest.param("x = <<-EOT\n    a\n      b\n    EOT\n", "/x", "a\n  b\n", id="indented-heredoc"),
        pytest.param("x = [{ a = null }, true]\n", "/x/0/a", None, id="nested"),
    ],
)
def test_get(text: str, pointer: str, value: object) -> None:
    assert editor.get(text, tuple(pointer[1:].split("/"))) == value


@pytest.mark.parametrize(
    ("text", "call", "error", "message"),
    [
        pytest.param("m = {\n", lambda t: editor.get(t, ("m",)), ParseError, "invalid HCL syntax", id="unparsable"),
        pytest.param("m = {}\n", lambda t: editor.get(t, ("m", "x")), NotFoundError, "/m/x: not found", id="absent"),
        pytest.param(
            "m = {}\n", lambda t: editor.remove(t, ("m", "x")), NotFoundError, "/m/x: not found", id="remove-absent"
        ),
        pytest.param(
            "m = { a = 1 }\n",
            lambda t: editor.set(t, ("m", "a"), 2, overwrite=False),
            ConflictError,
            "already set",
            id="no-overwrite",
        ),
        pytest.param(
            "m = { a = 1 }\n",
            lambda t: editor.set(t, ("m", "a", "b"), 2),
            ConflictError,
            "not an object",
            id="through-scalar",
        ),
        pytest.param(
            "m = var.x\n",
            lambda t: editor.set(t, ("m", "a"), 2),
            UnsupportedError,
            "Terraform expression",
            id="through-expression",
        ),
        pytest.param(
            "m = { a = 1, a = 2 }\n",
            lambda t: editor.set(t, ("m", "a"), 3),
            ConflictError,
            "more than once",
            id="duplicate-key",
        ),
        pytest.param(
            "m = { a = 1, a = 2 }\n",
            lambda t: editor.set(t, ("m", "b"), 3),
            ConflictError,
            "more than once",
            id="duplicate-elsewhere-in-map",
        ),
        pytest.param(
            "m = 1\n",
            lambda t: editor.set(t, ("bad-name!",), 3),
            UsageError,
            "not a valid top-level",
            id="bad-attribute-name",
        ),
        pytest.param(
            "l = [1]\n", lambda t: editor.set(t, ("l", "5"), 3), NotFoundError, "out of range", id="index-out-of-range"
        ),
        pytest.param(
            "l = [1]\n",
            lambda t: editor.set(t, ("l", "01"), 3),
            UsageError,
            "invalid list index",
            id="leading-zero-index",
        ),
    ],
)
def test_errors(text: str, call, error: type[Exception], message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(error, match=message):
        call(text)


@pytest.mark.parametrize(
    "value",
    [float("inf"), float("-inf"), float("nan"), Decimal("1E+999"), Decimal("-Infinity"), {"a": [Decimal("1E+400")]}],
    ids=["inf", "minus-inf", "nan", "overflowing-decimal", "decimal-infinity", "nested"],
)
def test_values_no_reader_reads_back_are_refused(value: object) -> None:
    with pytest.raises(UsageError, match="which no file format here can hold"):
        editor.set("x = 1\n", ("y",), value)
    with pytest.raises(UsageError, match="which no file format here can hold"):
        editor.insert("l = [1]\n", ("l", "0"), value)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("x",), "e\u0301"),  # Terraform reads é (one code point)
        (("m", "e\u0301"), 1),  # a key that would collide with an existing "é"
        (("x",), {"k": ["\u212b"]}),  # ANGSTROM SIGN reads as Å
        (("x",), {"a\u030a": 1}),  # a + combining ring reads as å
    ],
    ids=["value", "pointer-key", "nested-value", "nested-key"],
)
def test_text_terraform_would_normalize_is_refused(path: tuple[str, ...], value: object) -> None:
    with pytest.raises(UsageError, match="not in Unicode NFC"):
        editor.set('m = { "\u00e9" = 0 }\n', path, value)
    assert editor.set("x = 1\n", ("x",), "\u00e9 \ufb01") == 'x = "\u00e9 \ufb01"\n'  # NFC already: kept


def test_parse_error_has_position() -> None:
    with pytest.raises(ParseError) as info:
        editor.get('a = 1\nb = "unterminated\n', ("a",))
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("before", "pointer", "value", "after"),
    [
        pytest.param('l = [\n  "a",\n  "c",\n]\n', "/l/1", "b", 'l = [\n  "a",\n  "b",\n  "c",\n]\n', id="multi-line"),
        pytest.param('l = ["a", "c"]\n', "/l/0", "0", 'l = ["0", "a", "c"]\n', id="one-line-first"),
        pytest.param('l = ["a", "c"]\n', "/l/-", "d", 'l = ["a", "c", "d"]\n', id="append"),
        pytest.param("l = []\n", "/l/0", 1, "l = [1]\n", id="empty"),
    ],
)
def test_insert(before: str, pointer: str, value: object, after: str) -> None:
    assert editor.insert(before, tuple(pointer[1:].split("/")), value) == after


def test_insert_needs_a_list() -> None:
    with pytest.raises(ConflictError, match="not a list"):
        editor.insert("m = { a = 1 }\n", ("m", "0"), 1)
    with pytest.raises(NotFoundError, match="out of range"):
        editor.insert("l = [1]\n", ("l", "3"), 1)


def test_a_bug_during_verification_is_not_passed_off_as_a_refused_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a parse failure of the edited text is a VerificationError (exit 1); a bug stays itself (exit 3)."""
    import gitops_writer.hcl.editor as module

    def broken(*args: object) -> None:
        raise IndexError("a bug in the incremental re-parse")

    monkeypatch.setattr(module, "reparse", broken)
    with pytest.raises(IndexError, match="a bug"):
        editor.set("m = {}\n", ("m", "a"), 1)


def test_an_edit_that_would_not_parse_is_a_verification_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import gitops_writer.hcl.render as render

    monkeypatch.setattr(render, "quote", lambda text: '"' + text)  # an unterminated string
    with pytest.raises(VerificationError, match="would not parse"):
        editor.set("m = {}\n", ("m",), "x")


def _wrong(splices: list[tuple[int, int, str]], old: str, new: str) -> list[tuple[int, int, str]]:
    return [(start, end, text.replace(old, new)) for start, end, text in splices]


@pytest.mark.parametrize(
    ("function", "old", "new"),
    [
        pytest.param("insert", "b = 2", "c = 2", id="inserted-under-another-key"),
        pytest.param("insert", "b = 2", "b = 3", id="inserted-another-value"),
        pytest.param("insert", "b = 2", "a = 2", id="inserted-a-duplicate-key"),
        pytest.param("insert", "b = 2", "b = 2 # x", id="inserted-a-comment"),
        pytest.param("replace_value", "9", "8", id="replaced-with-another-value"),
    ],
)
def test_verification_refuses_a_splice_that_is_not_the_intended_edit(
    monkeypatch: pytest.MonkeyPatch, function: str, old: str, new: str
) -> None:
    """The editor's splices are right, so only an injected fault shows that verification can say no."""
    import gitops_writer.hcl.editor as module

    real = getattr(module.splice, function)
    monkeypatch.setattr(module.splice, function, lambda *args: _wrong(real(*args), old, new))
    with pytest.raises(VerificationError, match="does not read back as intended"):
        if function == "insert":
            editor.set("m = {\n  a = 1\n}\n", ("m", "b"), 2)
        else:
            editor.set("m = {\n  a = 1\n}\n", ("m", "a"), 9)


def test_verification_refuses_a_splice_that_also_changes_a_neighbour(monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries whose text the edit left alone are taken as they were; any other must read as before."""
    import gitops_writer.hcl.editor as module

    real = module.splice.insert

    def also_rewriting_a(src: bytes, target: object, value: object) -> list[tuple[int, int, str]]:
        at = src.index(b"a = 1") + len(b"a = ")
        return [(at, at + 1, "5"), *real(src, target, value)]

    monkeypatch.setattr(module.splice, "insert", also_rewriting_a)
    with pytest.raises(VerificationError, match="does not read back as intended"):
        editor.set("m = {\n  a = 1\n}\n", ("m", "b"), 2)


def test_one_editor_reads_and_edits_in_turn_as_fresh_ones_would() -> None:
    """The editor keeps the containers it read for the next call on the same text, never on another."""
    editor = HclEditor()
    text = "m = {\n  b = 1\n  d = 2\n}\n"
    assert editor.get(text, ["m", "b"]) == 1
    added = editor.set(text, ["m", "c"], 3)
    assert added == HclEditor().set(text, ["m", "c"], 3)
    assert editor.get(added, ["m", "c"]) == 3
    removed = editor.remove(added, ["m", "b"])
    assert removed == HclEditor().remove(added, ["m", "b"])
    assert editor.get(removed, ["m"]) == {"c": 3, "d": 2}
    assert editor.set(text, ["m", "a"], 0) == HclEditor().set(text, ["m", "a"], 0)
