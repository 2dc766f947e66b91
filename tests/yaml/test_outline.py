"""The outline reader builds, node for node, the tree the parser's events give, or declines.

The property behind every test: for any text, `outline.read` returns None, or documents equal in every
field to what the C parser reads; and when the C parser refuses a text, the outline reader declines it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitops_writer.errors import ParseError
from gitops_writer.yaml import outline
from gitops_writer.yaml.render import detect_style
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Document, Node, parse
from tests.yaml.catalog_gen import governance_catalog

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
FIELDS = ("node_type", "start", "end", "body", "line", "column", "tag", "anchor", "style", "flow", "value")
DOCUMENT_FIELDS = ("index", "start", "end", "version", "anchors", "aliased", "directives")


def _nodes(node: Node) -> list[tuple[object, ...]]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(tuple(getattr(current, name) for name in FIELDS))
        if current.node_type == MAPPING:
            for key, value in reversed(current.items):
                stack += [value, key]
        elif current.node_type == SEQUENCE:
            stack.extend(reversed(current.items))
    return out


def _shape(text: str, doc: Document) -> tuple[object, ...]:
    return (*(getattr(doc, name) for name in DOCUMENT_FIELDS), _nodes(doc.root), detect_style(text, doc))


def assert_read_as_the_parser_reads(text: str) -> bool:
    """True when the outline reader took the text (and agreed with the parser), False when it declined."""
    read = outline.read(text)
    try:
        parsed = parse(text, outline=False)
    except ParseError:
        assert read is None, "the outline reader took a text the parser refuses"
        return False
    if read is None:
        return False
    assert len(read) == len(parsed) == 1
    assert _shape(text, read[0]) == _shape(text, parsed[0])
    return True


EXAMPLES = {
    "every shape": (
        '# lead\n\na: 1\nb:\n  c: x   # note\n  d:\n\n  e: "q"\nf:\n- 1\n- two  \n\ng:\n    - 3\nh: {}\ni: []\n'
        "j:\n# trailing\n"
    ),
    "quotes": "a: 'it''s'\n'b c': \"d: e # f\"\n\"g#h\":   # opens nothing\n  - 'x'\n",
    "plain scalars with colons and hashes": "url: https://example.com/a#b\nt: 12:30\nn: a#b c\n",
    "null at the end": "a:\n  b:\n",
    "nested levels closing at once": "a:\n  b:\n    c:\n      d: 1\ne: 2\n",
    "an indentless list then more keys": "a:\n- 1\n- 2\nb: 3\n",
    "comments and blank lines at any indent": "a:\n\n      # deep\n  b: 1\n# root\n  c: 2\n\n",
    "trailing spaces after an opener": "a:   \n  b: 1\n",
    "a catalog": governance_catalog(50),
    "a document start": "---\na: 1\n",
    "a document start after comments, with its own": "# c\n\n--- # x\n\na: 1\nb:\n  - x\n",
}


@pytest.mark.parametrize("text", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_texts_in_plain_block_style_are_read_as_the_parser_reads_them(text: str) -> None:
    assert assert_read_as_the_parser_reads(text)


DECLINED = {
    "flow collection": "a: [1, 2]\n",
    "flow mapping": "a: {b: 1}\n",
    "anchor and alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "block scalar": "a: |\n  text\n",
    "folded scalar": "a: >\n  text\n",
    "multi-line plain scalar": "a: one\n  two\n",
    "multi-line quoted scalar": 'a: "one\n  two"\n',
    "list of mappings": "a:\n- b: 1\n",
    "nested list": "a:\n- - 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "two document starts": "---\n---\na: 1\n",
    "a document start with content": "--- a: 1\n",
    "a document end": "---\na: 1\n...\n",
    "directive": "%YAML 1.2\n---\na: 1\n",
    "root list": "- a\n",
    "root scalar": "a\n",
    "indented root": "  a: 1\n",
    "empty": "",
    "comments only": "# nothing\n",
    "no final line break": "a: 1",
    "CRLF": "a: 1\r\n",
    "tab": "a:\t1\n",
    "non-ASCII": "a: é\n",
    "escape in double quotes": 'a: "\\t"\n',
    "complex key": "? a\n: 1\n",
    "key without a space after the colon": "a:b\n",
    "deeper after a value": "a: 1\n  b: 2\n",
    "back out to no level": "a:\n    b: 1\n  c: 2\n",
    "list item among keys": "a: 1\n- b\n",
    "key among list items": "a:\n  - 1\n  b: 2\n",
    "key of 1,001 characters": "k" * 1002 + ": 1\n",
    "value ending in a colon": "a: b:\n",
    "dash with two spaces": "a:\n-  1\n",
}


@pytest.mark.parametrize("text", DECLINED.values(), ids=DECLINED.keys())
def test_other_texts_are_declined_and_left_to_the_parser(text: str) -> None:
    assert outline.read(text) is None
    assert_read_as_the_parser_reads(text)


_PLAIN = st.from_regex(r"[a-z0-9_./~+(][a-z0-9_./~+(#:@ -]{0,8}", fullmatch=True).filter(
    lambda text: not text.endswith((":", " ")) and ": " not in text and " #" not in text
)
_KEY = st.one_of(
    st.from_regex(r"[a-z0-9_][a-z0-9_./-]{0,8}", fullmatch=True),
    st.from_regex(r"\"[a-z #:'-]{0,6}\"", fullmatch=True),
    st.from_regex(r"'[a-z #:-]{0,4}(?:''[a-z]{0,2})?'", fullmatch=True),
)
_SCALAR = st.one_of(
    _PLAIN,
    st.from_regex(r"\"[a-z0-9 #:'{}-]{0,8}\"", fullmatch=True),
    st.from_regex(r"'[a-z0-9 #:\"-]{0,6}(?:''[a-z]{0,2})?'", fullmatch=True),
    st.sampled_from(["{}", "[]", "~", "null", "true", "1.5", "0x1F", "2026-01-05"]),
)
_AFTER = st.sampled_from(["", "", "", "  ", " # note", "   #"])


@st.composite
def _mapping(draw: st.DrawFn, indent: int, depth: int) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        lines += draw(_noise(indent))
        key = " " * indent + draw(_KEY) + ":"
        shape = draw(st.sampled_from(["scalar", "scalar", "null", "mapping", "list"] if depth < 3 else ["scalar"]))
        if shape == "scalar":
            lines.append(key + " " * draw(st.integers(1, 2)) + draw(_SCALAR) + draw(_AFTER))
        elif shape == "null":
            lines.append(key + draw(_AFTER))
        elif shape == "mapping":
            lines.append(key + draw(_AFTER))
            lines += draw(_mapping(indent + draw(st.integers(1, 4)), depth + 1))
        else:
            lines.append(key + draw(_AFTER))
            dash = " " * (indent + draw(st.integers(0, 3)))
            for _ in range(draw(st.integers(1, 3))):
                lines += draw(_noise(indent))
                lines.append(dash + "- " + draw(_SCALAR) + draw(_AFTER))
    return lines


@st.composite
def _noise(draw: st.DrawFn, indent: int) -> list[str]:
    return draw(st.lists(st.sampled_from(["", " " * indent + "# c", "   ", "#"]), max_size=2))


@st.composite
def _document(draw: st.DrawFn) -> str:
    start = draw(st.sampled_from([[], [], ["---"], ["--- # a document"]]))
    lines = draw(_noise(0)) + start + draw(_mapping(0, 0)) + draw(_noise(0))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(_document())
def test_generated_block_documents_are_read_as_the_parser_reads_them(text: str) -> None:
    assert assert_read_as_the_parser_reads(text), text


@st.composite
def _mangled(draw: st.DrawFn) -> str:
    lines = draw(_document()).split("\n")[:-1]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        change = draw(st.sampled_from(["indent", "outdent", "drop", "repeat", "swap"]))
        if change == "indent":
            lines[at] = " " * draw(st.integers(1, 3)) + lines[at]
        elif change == "outdent":
            lines[at] = lines[at][draw(st.integers(1, 3)) :]
        elif change == "drop" and len(lines) > 1:
            del lines[at]
        elif change == "repeat":
            lines.insert(at, lines[at])
        else:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
    return "\n".join(lines) + "\n"


@settings(max_examples=400, deadline=None)
@given(_mangled())
def test_mangled_documents_are_read_as_the_parser_reads_them_or_declined(text: str) -> None:
    assert_read_as_the_parser_reads(text)


def _shared_yaml() -> list[Path]:
    roots = [SHARED / "corpus", SHARED / "seed-repo", ROOT / "fixtures", ROOT / "examples"]
    return sorted(p for root in roots if root.is_dir() for p in root.rglob("*") if p.suffix in (".yaml", ".yml"))


def test_every_yaml_file_around_is_read_as_the_parser_reads_it_or_declined() -> None:
    taken = 0
    for path in _shared_yaml():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        taken += assert_read_as_the_parser_reads(text)
    assert taken >= 5  # the bundled fixtures at least


def test_a_collection_reads_its_items_only_when_asked() -> None:
    text = governance_catalog(1_000)
    [doc] = outline.read(text) or []
    repositories = dict((key.value, value) for key, value in doc.root.items)["repositories"]
    entries = repositories.items
    assert len(entries) == 1_000
    read = sum(1 for _, value in entries if "items" in dir(value) and _read_yet(value))
    assert read == 0
    assert entries[500][1].items[0][1].items[0][1].value == "REGISTRY_APP_00500"
    assert sum(1 for _, value in entries if _read_yet(value)) == 1


def _read_yet(node: Node) -> bool:
    try:
        outline._ITEMS.__get__(node, Node)
    except AttributeError:
        return False
    return True
