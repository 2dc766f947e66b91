"""The windowed verification: it proves common edits, leaves odd ones to the whole-document check,
and never lets a wrong splice through."""

from __future__ import annotations

import pytest

import gitops_writer.yaml.editor as editor_module
from gitops_writer.errors import VerificationError
from gitops_writer.yaml import YamlEditor, window
from tests.yaml.catalog_gen import governance_catalog

CATALOG = governance_catalog(40)
LOCATION = "spec:\n  targets:\n" + "".join(f"    - ./r/{i}.yaml\n" for i in range(20)) + "# add new entries above\n"
COMMENTED = "spec:\n  targets:\n  # the registries\n\n    # first\n    - ./r/0.yaml\n    - ./r/1.yaml\n"
ANCHORED = "spec:\n  targets: &t\n    - ./r/0.yaml\n    - ./r/1.yaml\n"
ENTRY = {"metadata": {"id": "REGISTRY_NEW", "owner": "team-1", "risk": "low"}}


@pytest.fixture
def outcomes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    seen: list[bool] = []

    def recording(*args: object) -> bool:
        seen.append(window.window_verified(*args))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(editor_module, "window_verified", recording)
    return seen


@pytest.mark.parametrize(
    ("text", "verb", "path", "value", "proved"),
    [
        (CATALOG, "set", ["repositories", "app-00020x"], ENTRY, True),
        (CATALOG, "set", ["repositories", "zzz"], ENTRY, True),
        (CATALOG, "set", ["last_updated"], "2026-11-29", True),
        (CATALOG, "set", ["repositories", "app-00003", "metadata", "risk"], "high", True),
        (CATALOG, "remove", ["repositories", "app-00007"], None, True),
        (CATALOG, "set", ["version"], "2.0", True),  # the first entry of the document
        (CATALOG, "set", ["repositories", "aaa"], ENTRY, True),  # sorts first: nothing untouched above it
        (CATALOG, "remove", ["repositories", "app-00000"], None, True),
        (LOCATION, "insert", ["spec", "targets", "0"], "./r/first.yaml", True),
        (LOCATION, "set", ["spec", "targets", "0"], "./r/zero.yaml", True),
        (LOCATION, "remove", ["spec", "targets", "0"], None, True),
        (COMMENTED, "insert", ["spec", "targets", "0"], "./r/first.yaml", True),  # comments above the first item
        (ANCHORED, "insert", ["spec", "targets", "0"], "./r/first.yaml", False),  # the anchor opens the list
        ("a:\n  b: 1\nc: 2\n", "set", ["a", "a"], 0, True),
        (LOCATION, "set", ["spec", "targets", "-"], "./r/new.yaml", True),
        (LOCATION, "set", ["spec", "targets", "5"], "./r/five.yaml", True),
        (LOCATION, "remove", ["spec", "targets", "19"], None, True),
        ("%YAML 1.1\n---\na: 1\nb: 2\nc: 3\n", "set", ["c"], "yes", False),  # directives
        ("a: {x: 1, y: 2}\n", "set", ["a", "z"], 3, False),  # flow
    ],
)
def test_window_proves_common_edits_and_agrees_with_the_whole_document(
    outcomes: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    verb: str,
    path: list[str],
    value: object,
    proved: bool,
) -> None:
    editor = YamlEditor()
    result = getattr(editor, verb)(text, path, *([] if value is None else [value]))
    assert outcomes == [proved]
    monkeypatch.setattr(editor_module, "window_verified", lambda *args: False)
    assert getattr(editor, verb)(text, path, *([] if value is None else [value])) == result


def _corrupting(monkeypatch: pytest.MonkeyPatch, method: str, damage: object) -> None:
    original = getattr(editor_module.Splicer, method)

    def wrong(self: object, *args: object) -> list[tuple[int, int, str]]:
        return [damage(change) for change in original(self, *args)]  # type: ignore[operator]

    monkeypatch.setattr(editor_module.Splicer, method, wrong)


def _rewrite_before(text: str, change: tuple[int, int, str]) -> tuple[int, int, str]:
    start, end, new = change
    assert text[start - len("active\n") : start] == "active\n", text[start - 20 : start]
    return start - len("active\n"), end, "retird\n" + new


@pytest.mark.parametrize(
    ("text", "method", "path", "value", "damage"),
    [
        # the new entry lands one column too deep: it nests under the entry before it
        (
            CATALOG,
            "insert_entry",
            ["repositories", "app-00020x"],
            ENTRY,
            lambda c: (c[0], c[1], c[2].replace("\n  ", "\n   ").replace("  app", "   app", 1)),
        ),
        # a wrong value
        (CATALOG, "replace_value", ["last_updated"], "2026-11-29", lambda c: (c[0], c[1], '"2026-11-28"')),
        # an unclosed quote swallows the rest of the file
        (
            CATALOG,
            "replace_value",
            ["repositories", "app-00003", "metadata", "risk"],
            "high",
            lambda c: (c[0], c[1], '"high'),
        ),
        # the splice also eats the next entry's first line
        (LOCATION, "replace_value", ["spec", "targets", "5"], "./r/five.yaml", lambda c: (c[0], c[1] + 16, c[2])),
        # the insertion also rewrites the last line of the entry before it, keeping every position:
        # only the window's comparison of the old entries' text can see it
        (CATALOG, "insert_entry", ["repositories", "app-00020x"], ENTRY, lambda c: _rewrite_before(CATALOG, c)),
        # the appended item is one line too low: below the trailing comment, at column 0
        (LOCATION, "append_item", ["spec", "targets", "-"], "./r/new.yaml", lambda c: (c[0], c[1], c[2].lstrip(" "))),
        # a new first entry one column too deep, too shallow, or without its line break
        (
            CATALOG,
            "insert_entry",
            ["repositories", "aaa"],
            ENTRY,
            lambda c: (c[0], c[1], " " + c[2][:-1].replace("\n", "\n ") + "\n"),
        ),
        (CATALOG, "insert_entry", ["repositories", "aaa"], ENTRY, lambda c: (c[0], c[1], c[2][1:])),
        (CATALOG, "insert_entry", ["repositories", "aaa"], ENTRY, lambda c: (c[0], c[1], c[2].rstrip("\n"))),
        (LOCATION, "insert_item", ["spec", "targets", "0"], "./r/first.yaml", lambda c: (c[0], c[1], "  " + c[2])),
        # a new entry without its line break: the next entry joins its last line
        (
            CATALOG,
            "insert_entry",
            ["repositories", "app-00020x"],
            ENTRY,
            lambda c: (c[0], c[1], c[2].rstrip("\n")),
        ),
        # a new first item that swallows the line of the parent key
        (
            LOCATION,
            "insert_item",
            ["spec", "targets", "0"],
            "./r/first.yaml",
            lambda c: (c[0] - len("  targets:\n"), c[1], c[2]),
        ),
        # a removal that takes the next item with it
        (
            LOCATION,
            "remove_entry",
            ["spec", "targets", "10"],
            None,
            lambda c: (c[0], c[1] + len("    - ./r/11.yaml\n"), ""),
        ),
    ],
)
def test_a_wrong_splice_is_caught(
    outcomes: list[bool],
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    method: str,
    path: list[str],
    value: object,
    damage: object,
) -> None:
    _corrupting(monkeypatch, method, damage)
    editor = YamlEditor()
    with pytest.raises(VerificationError):
        if method == "remove_entry":
            editor.remove(text, path)
        elif method == "insert_item":
            editor.insert(text, path, value)
        else:
            editor.set(text, path, value)
    assert outcomes == [False]  # the window refused to prove it; the whole-document check then failed it


def test_an_insert_into_a_large_catalog_is_proved_by_the_window(outcomes: list[bool]) -> None:
    text = governance_catalog(2000)
    new = YamlEditor().set(text, ["repositories", "app-01000x"], ENTRY)
    assert outcomes == [True]
    assert new.count("\n") == text.count("\n") + 5


@pytest.mark.parametrize("name", ["aaa", "app-01000x", "zzz"])
def test_an_insert_anywhere_in_a_large_catalog_is_proved_by_the_window(outcomes: list[bool], name: str) -> None:
    text = governance_catalog(2000)
    YamlEditor().set(text, ["repositories", name], ENTRY)
    assert outcomes == [True]
