"""kinds/validate.py: the one JSON Schema validator, Draft 2020-12 with ECMA-262 patterns."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.kinds.validate import accepts, ecma_pattern, holds, schema_problem, violations


@pytest.mark.parametrize(
    ("schema", "fields", "met"),
    [
        ({"properties": {"a": {"const": 1}}}, {"a": True}, False),
        ({"properties": {"a": {"enum": [True, "x"]}}}, {"a": 1}, False),
        ({"properties": {"a": {"const": False}}}, {"a": 0}, False),
        ({"properties": {"a": {"const": 1}}}, {"a": 1.0}, True),
        ({"properties": {"a": {"type": "integer"}}}, {"a": 2.0}, True),
        ({"properties": {"a": {"type": "integer"}}}, {"a": True}, False),
        ({"properties": {"a": {"type": "number"}}}, {"a": False}, False),
        ({"properties": {"a": {"multipleOf": 0.5}}}, {"a": 1.5}, True),
        ({"type": "object", "required": ["a"]}, {"a": "x"}, True),
        ({"properties": {"environment": {"not": {"const": "dev"}}}}, {"environment": "prod"}, True),
        ({"properties": {"environment": {"not": {"const": "dev"}}}}, {"environment": "dev"}, False),
    ],
)
def test_json_equality_and_types_keep_booleans_apart_from_numbers(
    schema: dict[str, Any], fields: dict[str, Any], met: bool
) -> None:
    assert holds(schema, fields) is met


def test_a_condition_reads_read_only_fields_as_an_object() -> None:
    from types import MappingProxyType

    assert not holds({"properties": {"a": {"const": 1}}}, MappingProxyType({"a": 2}))
    assert holds({"type": "object"}, MappingProxyType({}))


@pytest.mark.parametrize(("text", "met"), [("app", True), ("app\n", False), ("App", False)])
def test_dollar_ends_the_text_as_in_ecma_262(text: str, met: bool) -> None:
    assert holds({"properties": {"name": {"pattern": "^[a-z]+$"}}}, {"name": text}) is met
    assert ecma_pattern("^[$a]+$") == r"^[$a]+\Z"
    assert accepts({"pattern": "^[a-z]+$"}, text) is met


def test_any_value_is_checked_not_only_objects() -> None:
    assert accepts({"type": "integer", "maximum": 3}, 3)
    assert not accepts({"type": "integer", "maximum": 3}, 4)
    assert not accepts({"enum": ["a", "b"]}, "c")


def test_violations_word_each_broken_rule() -> None:
    schema = {"properties": {"size": {"type": "integer", "maximum": 3}, "name": {"pattern": "^a$"}}, "required": ["x"]}
    messages = sorted(error.message for error in violations(schema, {"size": 4, "name": "b"}))
    assert messages == ["'b' does not match '^a$'", "'x' is a required property", "4 is greater than the maximum of 3"]


def test_a_schema_that_is_no_json_schema_is_named() -> None:
    assert schema_problem({"properties": {"a": {"minLength": -1}}}) == (
        "properties/a/minLength",
        "-1 is less than the minimum of 0",
    )
    assert schema_problem({"properties": {"a": {"type": "string"}}}) is None
