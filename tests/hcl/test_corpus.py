"""The shared corpus of real tfvars files (beside the repository, never copied into it).

For every map target: insert the manifest's example entry, and check that the result is the
original plus one contiguous insertion (or an fmt re-alignment), that Terraform reads it back as
intended, that fmt-clean files stay fmt-clean, and that removing the entry restores every byte.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.hcl import HclEditor
from tests import terraform

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
MANIFEST = CORPUS / "MANIFEST.json"
pytestmark = pytest.mark.skipif(not MANIFEST.exists(), reason=f"no shared corpus at {CORPUS}")


def _targets() -> list[Any]:
    if not MANIFEST.exists():
        return []
    entries = [e for e in json.loads(MANIFEST.read_text()) if e["format"] == "hcl"]
    return [
        pytest.param(e, t, id=f"{e['file'].split('/')[-1][:2]}{t['pointer']}") for e in entries for t in e["targets"]
    ]


def _insert(entry: dict[str, Any], target: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    before = (CORPUS / entry["file"]).read_bytes().decode("utf-8")
    path = (target["pointer"][1:], target["key_example"])
    return before, HclEditor().set(before, path, target["entry_example"]), path


def _is_insertion_or_realignment(before: str, after: str) -> bool:
    prefix = 0
    while prefix < min(len(before), len(after)) and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(before), len(after)) - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    if before[prefix : len(before) - suffix] == "":
        return True
    # terraform fmt re-alignment: outside the inserted lines only spaces before `=` may differ
    return before.replace(" ", "") in after.replace(" ", "") or _same_but_padding(before, after)


def _same_but_padding(before: str, after: str) -> bool:
    old_lines = [" ".join(line.split()) for line in before.splitlines()]
    new_lines = [" ".join(line.split()) for line in after.splitlines()]
    for line in old_lines:
        if line in new_lines:
            new_lines.remove(line)
        else:
            return False
    return True


@pytest.mark.parametrize(("entry", "target"), _targets())
def test_insert_then_remove(entry: dict[str, Any], target: dict[str, Any]) -> None:
    before, after, path = _insert(entry, target)
    assert after != before
    assert _is_insertion_or_realignment(before, after)
    assert HclEditor().get(after, path) == target["entry_example"]
    assert HclEditor().remove(after, path) == before


@pytest.mark.slow
def test_terraform_agrees_on_the_whole_corpus() -> None:
    cases = [(e, t) for e, t in (p.values for p in _targets())]
    befores, afters = [], []
    for entry, target in cases:
        before, after, _ = _insert(entry, target)
        befores.append(before)
        afters.append(after)
    read_before, read_after = terraform.read_back(befores), terraform.read_back(afters)
    for (entry, target), old, new in zip(cases, read_before, read_after, strict=True):
        old[target["pointer"][1:]][target["key_example"]] = target["entry_example"]
        assert new == old, entry["file"]
    clean = terraform.fmt_clean(befores)
    still_clean = terraform.fmt_clean([a for a, ok in zip(afters, clean, strict=False) if ok])
    clean_cases = [c for c, k in zip(cases, clean, strict=True) if k]
    assert all(still_clean), [e["file"] for (e, _), ok in zip(clean_cases, still_clean, strict=True) if not ok]


@pytest.mark.slow
def test_control_files_read_the_same() -> None:
    """Files without a map target still parse, and `get` agrees with Terraform on every attribute."""
    entries = [e for e in json.loads(MANIFEST.read_text()) if e["format"] == "hcl"]
    texts = [(CORPUS / e["file"]).read_bytes().decode() for e in entries]
    for text, read in zip(texts, terraform.read_back(texts), strict=False):
        for name, value in read.items():
            mine = HclEditor().get(text, (name,))
            if "${" not in json.dumps(mine):
                assert json.loads(json.dumps(mine, default=float)) == value, name
