"""`get` walks plain nodes to the pointer instead of converting the whole document: same answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import GitopsWriterError
from gitops_writer.yaml import YamlEditor
from gitops_writer.yaml.decode import to_value
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
