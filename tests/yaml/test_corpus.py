"""The shared corpus of real catalogs: insert each target's example entry, then take it out again."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML

from gitops_writer.pointer import parse_pointer
from gitops_writer.values import same_value
from gitops_writer.yaml import YamlEditor
from tests.backstage_node import yaml_js_load_all

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.json"


def _targets() -> list[Any]:
    if not MANIFEST.is_file():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no shared corpus at {CORPUS.resolve()}"))]
    cases = []
    for entry in json.loads(MANIFEST.read_text()):
        if entry["format"] != "yaml":
            continue
        for target in entry["targets"]:
            cases.append(pytest.param((entry, target), id=f"{entry['file'][5:7]}{target['pointer'] or '/'}"))
    return cases


def _plan(entry: dict[str, Any], target: dict[str, Any]) -> tuple[str, int, tuple[str, ...], tuple[str, ...]]:
    text = (CORPUS / entry["file"]).read_bytes().decode("utf-8")
    tokens = parse_pointer(target["pointer"])
    document = 0
    if entry.get("documents", 1) > 1:
        document, tokens = int(tokens[0]), tokens[1:]
    if target["kind"] == "mapping":
        return text, document, tokens, (*tokens, target["key_example"])
    length = len(YamlEditor(document).get(text, tokens))
    return text, document, tokens, (*tokens, str(length))


@pytest.mark.parametrize("case", _targets())
def test_corpus_target(case: Any) -> None:
    entry, target = case
    text, document, container, added = _plan(entry, target)
    editor = YamlEditor(document)
    before = editor.get(text, container)
    edited = editor.set(text, (*container, "-") if target["kind"] == "sequence" else added, target["entry_example"])

    # only the new lines differ: everything before and after the insertion is the old text
    prefix = len(_common_prefix(text, edited))
    suffix = len(_common_prefix(text[prefix:][::-1], edited[prefix:][::-1]))
    # (or, for an inline empty collection that became a block one, that `{}`/`[]` is all that went)
    assert text[prefix : len(text) - suffix].strip() in ("", "{}", "[]")
    assert editor.get(edited, added) == target["entry_example"] or same_value(
        editor.get(edited, added), target["entry_example"]
    )
    after = editor.get(edited, container)
    assert len(after) == len(before) + 1
    assert editor.remove(edited, added) == text

    # and other readers agree: ruamel (YAML 1.2) and PyYAML (YAML 1.1)
    ruamel_docs = list(YAML(typ="safe", pure=True).load_all(edited))
    assert same_value(_pointer(ruamel_docs[document], added), target["entry_example"])
    py_docs = list(pyyaml.safe_load_all(edited))
    assert same_value(_pointer(py_docs[document], added), target["entry_example"])


def test_corpus_with_npm_yaml() -> None:
    """One node call for the whole corpus: the npm `yaml` parser Backstage uses reads every new entry as meant."""
    if not MANIFEST.is_file():
        pytest.skip(f"no shared corpus at {CORPUS.resolve()}")
    plans, texts = [], []
    for param in _targets():
        entry, target = param.values[0]
        text, document, container, added = _plan(entry, target)
        pointer = (*container, "-") if target["kind"] == "sequence" else added
        texts.append(YamlEditor(document).set(text, pointer, target["entry_example"]))
        plans.append((document, added, target["entry_example"]))
    for documents, (document, added, expected) in zip(yaml_js_load_all(texts), plans, strict=False):
        assert same_value(_pointer(documents[document], added), expected)


def _pointer(data: Any, tokens: tuple[str, ...]) -> Any:
    for token in tokens:
        data = data[int(token)] if isinstance(data, list) else data[token]
    return data


def _common_prefix(a: str, b: str) -> str:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return a[:size]
