"""Fuzzing both editors: mangled real files and random edits end in a verified edit or a clean refusal.

Whatever the input, the only exceptions allowed out of an editor are gitops-writer's own errors
(which the CLI turns into one line and an exit code); a successful edit must read back as asked.
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_writer.errors import GitopsWriterError, NotFoundError, VerificationError
from gitops_writer.hcl import HclEditor
from gitops_writer.pointer import changed
from gitops_writer.values import same_value
from gitops_writer.yaml import YamlEditor

ROOT = Path(__file__).resolve().parents[1]
HCL_FILES = sorted((ROOT / "fixtures" / "tfvars").glob("*.tfvars")) + sorted(
    (ROOT / "fixtures" / "gitops-repo" / "envs").rglob("*.tfvars")
)
YAML_FILES = sorted((ROOT / "fixtures" / "yaml").glob("*.y*ml")) + sorted(
    (ROOT / "fixtures" / "gitops-repo").rglob("*.yaml")
)
EXAMPLES = int(os.environ.get("GITOPS_WRITER_EXAMPLES", "200"))
SNIPPETS = [
    "{",
    "}",
    "[",
    "]",
    '"',
    "'",
    "\n",
    "\r\n",
    "#",
    "=",
    ":",
    ",",
    " ",
    "\t",
    "${",
    "<<EOT\n",
    "- ",
    "&a ",
    "*a",
    "!!str ",
    "|\n",
    ">-\n",
    "---\n",
    "...\n",
    "\x00",
    "\ufeff",
    "é",
    "\\",
    "/*",
    "*/",
    "//",
    "? ",
    "%YAML 1.2\n",
]

tokens = st.lists(
    st.sampled_from(
        ["ecr_repositories", "repositories", "spec", "targets", "metadata", "risk", "alpha", "0", "1", "-", "x"]
    ),
    min_size=1,
    max_size=4,
)
values = st.recursive(
    st.one_of(st.text(max_size=8), st.integers(-5, 5), st.booleans(), st.none()),
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.text(max_size=5), inner, max_size=2)),
    max_leaves=4,
)


@st.composite
def mangled(draw: st.DrawFn, files: list[Path]) -> str:
    text = draw(st.sampled_from(files)).read_bytes().decode("utf-8")
    for _ in range(draw(st.integers(0, 3))):
        position = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:position] + draw(st.sampled_from(SNIPPETS)) + text[position:]
        else:
            text = text[:position] + text[position + draw(st.integers(1, 4)) :]
    return text


def appended_to(editor: Any, text: str, path: list[str]) -> list[str]:
    """The pointer to what `set` wrote: each '-' (append), wherever it stands, names the last item of its list."""
    target: list[str] = []
    for token in path:
        if token == "-" and isinstance(container := editor.get(text, target), list):
            token = str(len(container) - 1)
        target.append(token)
    return target


def whole(editor: Any, text: str) -> Any:
    """The whole YAML document as data (an HCL file has no whole-file read), or None when it cannot be read."""
    if not isinstance(editor, YamlEditor):
        return None
    try:
        return editor.get(text, [])
    except GitopsWriterError:
        return None


def exercise(editor: Any, text: str, path: list[str], value: Any) -> None:
    try:
        editor.get(text, path)
    except GitopsWriterError as exc:
        refused(exc)
    before = whole(editor, text)
    try:
        edited = editor.set(text, path, value)
    except GitopsWriterError as exc:
        refused(exc)
    else:
        target = appended_to(editor, edited, path)
        assert json.loads(json.dumps(editor.get(edited, target))) == json.loads(json.dumps(value))
        after = whole(editor, edited)
        if isinstance(before, dict) and isinstance(after, dict):  # nothing else of the document changed
            assert same_value(
                {k: v for k, v in after.items() if k != path[0]}, {k: v for k, v in before.items() if k != path[0]}
            )
    try:
        removed = editor.remove(text, path)
    except GitopsWriterError as exc:
        refused(exc)
    else:
        assert removed != text
        if before is not None:  # the document as it was, but for the entry removed
            assert same_value(whole(editor, removed), changed(copy.deepcopy(before), path, None, "remove"))
        parent = editor.get(text, path[:-1]) if len(path) > 1 else None
        if isinstance(parent, list):  # the items after it move up
            assert len(editor.get(removed, path[:-1])) == len(parent) - 1
        else:
            with pytest.raises(NotFoundError):
                editor.get(removed, path)


def refused(error: GitopsWriterError) -> None:
    """A clean refusal, never an editor that wrote a wrong text and caught it only on reading it back."""
    assert not isinstance(error, VerificationError), error


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mangled(HCL_FILES), path=tokens, value=values)
def test_hcl_editor_never_crashes(text: str, path: list[str], value: Any) -> None:
    exercise(HclEditor(), text, path, value)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mangled(YAML_FILES), path=tokens, value=values, document=st.integers(0, 2))
def test_yaml_editor_never_crashes(text: str, path: list[str], value: Any, document: int) -> None:
    exercise(YamlEditor(document=document), text, path, value)
