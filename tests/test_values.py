"""gitops_writer.values: the one JSON value check and the one comparison of decoded values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.hcl import HclEditor
from gitops_writer.values import check_value, parse_json_value, same_value
from gitops_writer.yaml import YamlEditor


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (1, 1.0, True),
        (Decimal("1.50"), 1.5, True),
        (True, 1, False),  # what a file reads as true is not the number 1
        (1, True, False),
        (False, 0, False),
        ([True], [1], False),
        ({"a": 0}, {"a": False}, False),
        ({"a": 1, "b": 2}, {"b": 2, "a": 1}, True),
        (None, 0, False),
        ("1", 1, False),
        ([1, 2], [1, 2, 3], False),
    ],
)
def test_same_value(a: object, b: object, same: bool) -> None:
    assert same_value(a, b) is same
    assert same_value(b, a) is same


@pytest.mark.parametrize(("text", "before"), [("x = 1\n", "1"), ("x: 1\n", "1"), ("x = 0\n", "0")])
def test_a_boolean_over_a_number_is_an_edit_not_a_no_op(text: str, before: str) -> None:
    editor = HclEditor() if " = " in text else YamlEditor()
    value = before == "1"
    assert editor.set(text, ("x",), value) == text.replace(before, "true" if value else "false")


def test_parse_json_value_keeps_numbers_exact() -> None:
    assert parse_json_value("0.1") == Decimal("0.1")
    assert parse_json_value('{"a": [1, 2.50]}') == {"a": [1, Decimal("2.50")]}
    with pytest.raises(UsageError, match="holds infinity"):
        parse_json_value("1e400")


def test_check_value_refuses_non_string_keys() -> None:
    with pytest.raises(UsageError, match="non-string object key"):
        check_value({1: "a"})
