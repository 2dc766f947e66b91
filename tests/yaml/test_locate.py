"""locate_item: where a value stands in a list, read without converting the list."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import NotFoundError
from gitops_writer.values import locate
from gitops_writer.yaml import YamlEditor
from gitops_writer.yaml import decode as decode_module

SORTED = "spec:\n  targets:\n    - ./a.yaml\n    - './c.yaml'\n    - \"./e.yaml\"\n"


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        (SORTED, "./a.yaml", (0, 1)),
        (SORTED, "./c.yaml", (1, 2)),  # quoted items read as their text
        (SORTED, "./b.yaml", (None, 1)),
        (SORTED, "./0.yaml", (None, 0)),  # sorts first
        (SORTED, "./z.yaml", (None, 3)),  # sorts last
        ("spec:\n  targets:\n    - ./e.yaml\n    - ./a.yaml\n", "./b.yaml", (None, 2)),  # unsorted: the end
        ("spec:\n  targets:\n    - 1\n    - '2'\n", "1", (None, 2)),  # a plain 1 is a number, not "1"
        ("spec:\n  targets:\n    - 1\n    - '2'\n", 1, (0, 2)),
        ("spec:\n  targets:\n    - true\n    - yes\n", "yes", (1, 2)),  # YAML 1.2: yes is a string
        ("%YAML 1.1\n---\nspec:\n  targets:\n    - a\n    - yes\n", "yes", (None, 2)),  # 1.1: a boolean
        ("spec:\n  targets:\n    - !!str 1\n    - b\n", "1", (0, 1)),
        ("x: &x ./b.yaml\nspec:\n  targets:\n    - ./a.yaml\n    - *x\n", "./b.yaml", (1, 2)),  # an alias
        ("spec:\n  targets:\n    - {a: 1}\n    - [1]\n", {"a": 1}, (0, 2)),
        ("spec:\n  targets: !!seq\n    - b\n    - a\n", "a", (1, 2)),  # a tagged list: read whole
        ("spec:\n  targets: []\n", "a", (None, 0)),
        ("spec:\n  targets: [b, d]\n", "c", (None, 1)),
    ],
)
def test_locate_item_agrees_with_the_rule_on_the_converted_list(text: str, value: Any, expected: tuple) -> None:
    editor = YamlEditor()
    assert editor.locate_item(text, ["spec", "targets"], value) == expected
    assert locate(editor.get(text, ["spec", "targets"]), value) == expected


@pytest.mark.parametrize("text", ["spec:\n  targets: x\n", "spec: {}\n", "spec:\n  targets:\n    a: 1\n"])
def test_no_list_is_not_found(text: str) -> None:
    with pytest.raises(NotFoundError):
        YamlEditor().locate_item(text, ["spec", "targets"], "a")


def test_a_list_of_strings_is_not_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "spec:\n  targets:\n" + "".join(f"    - ./resources/ecr/app-{i:05d}.yaml\n" for i in range(2000))
    converted: list[object] = []
    original = decode_module._Converter.value

    def counting(self: object, node: object, depth: int) -> Any:
        converted.append(node)
        return original(self, node, depth)  # type: ignore[arg-type]

    monkeypatch.setattr(decode_module._Converter, "value", counting)
    assert YamlEditor().locate_item(text, ["spec", "targets"], "./resources/ecr/app-00999x.yaml") == (None, 1000)
    assert YamlEditor().locate_item(text, ["spec", "targets"], "./resources/ecr/app-01999.yaml") == (1999, 2000)
    assert converted == []
