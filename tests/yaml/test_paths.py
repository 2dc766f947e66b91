"""`get` walks plain nodes to the pointer instead of converting the whole document: same answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import DuplicateKeyError, GitopsWriterError, NotFoundError, UnsupportedError
from gitops_writer.yaml import YamlEditor
from gitops_writer.yaml.decode import to_value
from gitops_writer.yaml.paths import existing, follow, parent
from gitops_writer.yaml.trees import parse_documents

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "fixtures" / "yaml").glob("*.y*ml")) + sorted(
    (ROOT / "fixtures" / "gitops-repo").rglob("*.yaml")
)


def pointers(data: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += pointers(value, (*prefix, str(key)))
        found.append((*prefix, "no-such-key"))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += pointers(value, (*prefix, str(index)))
        found.append((*prefix, str(len(data))))
    return found


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_walk_agrees_with_whole_document_conversion(path: Path) -> None:
    text = path.read_bytes().decode()
    documents = parse_documents(text)
    for index, document in enumerate(documents):
        try:
            whole = to_value(document.root, document)
        except GitopsWriterError:
            continue
        for pointer in pointers(whole):
            expected: Any = whole
            try:
                for token in pointer:
                    expected = expected[token] if isinstance(expected, dict) else expected[int(token)]
            except (KeyError, IndexError, ValueError, TypeError):
                with pytest.raises(GitopsWriterError):
                    YamlEditor(document=index).get(text, pointer)
                continue
            assert YamlEditor(document=index).get(text, pointer) == _json(expected), (path.name, pointer)


def _json(value: Any) -> Any:
    import json

    from gitops_writer.yaml.editor import json_safe

    return json.loads(json.dumps(json_safe(value, ""), default=str))


def test_undefined_alias_is_a_parse_error() -> None:
    with pytest.raises(GitopsWriterError, match=r"alias \*nope has no anchor"):
        YamlEditor().set("a: *nope\n", ("b",), 1)


@pytest.mark.parametrize(
    ("text", "pointer", "plain", "reached", "rest"),
    [
        ("a:\n  b: [x, y]\n", ["a", "b", "1"], False, "y", []),
        ("a:\n  b: [x, y]\n", ["a", "b", "2"], False, "[x, y]", ["2"]),  # past the end: stops at the list
        ("a:\n  b: [x, y]\n", ["a", "b", "01"], False, "[x, y]", ["01"]),  # not an index as a pointer writes it
        ("a: !!map {b: 1}\n", ["a", "b"], False, "1", []),
        ("a: !!map {b: 1}\n", ["a", "b"], True, "!!map {b: 1}", ["b"]),  # plain: not into a tagged mapping
        ("d: &d {o: 1}\nm: *d\n", ["m", "o"], True, "d: &d {o: 1}\nm: *d", ["m", "o"]),  # nor onto an alias
        ("m:\n  <<: {o: 1}\n  p: 2\n", ["m", "p"], True, "<<: {o: 1}\n  p: 2", ["p"]),  # nor past a merge key
    ],
)
def test_follow_stops_where_the_path_leaves_what_it_may_walk(
    text: str, pointer: list[str], plain: bool, reached: str, rest: list[str]
) -> None:
    document = parse_documents(text)[0]
    found = follow(document, pointer, plain=plain)
    assert text[found.node.start : found.node.end].strip() == reached
    assert list(found.rest) == rest
    assert len(found.chain) == len(pointer) - len(rest)


def test_a_key_written_twice_is_refused_wherever_a_walk_meets_it() -> None:
    document = parse_documents("m:\n  a: 1\n  a: 2\n")[0]
    with pytest.raises(DuplicateKeyError, match=r"^/m: 'a' is defined more than once \(lines 2, 3\)"):
        follow(document, ["m", "b"])
    with pytest.raises(DuplicateKeyError):
        existing(document, document.root.items[0][1], ["m", "a"], 1)


def test_an_edit_steps_only_through_entries_that_exist() -> None:
    document = parse_documents("s: [a]\nd: &d {o: 1}\nm: *d\n")[0]
    with pytest.raises(NotFoundError, match=r"^/s/3: index 3 is out of range"):
        parent(document, ["s", "3", "x"])
    with pytest.raises(NotFoundError, match=r"^/t: no such key"):
        parent(document, ["t", "x"])
    with pytest.raises(UnsupportedError, match="is an alias"):
        parent(document, ["m", "o", "x"])
