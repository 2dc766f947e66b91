"""kinds/schema.py: `satisfies` says what jsonschema says, for every keyword a kind's schema may use,
and the built-in kinds' schemas (not checked at run time) are valid JSON Schema."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gitops_writer.kinds import builtin_kinds, load_config
from gitops_writer.kinds.validate import _validator_class, satisfies

NAMES = ("a", "b", "c")
scalars = st.one_of(
    st.sampled_from(["", "app", "app\n", "Ab-1", "dev", "é", "1", "true"]),
    st.integers(-3, 3),
    st.sampled_from([0.0, 1.0, 2.5, -1.5, 1e300]),
    st.booleans(),
    st.none(),
)
types = st.sampled_from(["string", "integer", "number", "boolean", "null", "array"])
values = st.one_of(scalars, st.lists(scalars, max_size=3))  # a list field's value too


@cache
def _property(depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    keywords: dict[str, st.SearchStrategy[Any]] = {
        "type": st.one_of(types, st.lists(types, min_size=1, max_size=3, unique=True)),
        "enum": st.lists(scalars, min_size=1, max_size=4),
        "const": scalars,
        "pattern": st.sampled_from(["^[a-z]+$", "^a", "p$", "[0-9]", "^$", "^(?:dev|prod)$"]),
        "minLength": st.integers(0, 4),
        "maxLength": st.integers(0, 4),
        "minimum": st.sampled_from([0, 1, 1.5, -2]),
        "maximum": st.sampled_from([0, 1, 2.5, 3]),
        "exclusiveMinimum": st.sampled_from([0, 1.0, -1]),
        "exclusiveMaximum": st.sampled_from([1, 2.5, 3]),
        "title": st.just("T"),
        "errorMessage": st.just({"pattern": "words"}),
        "minItems": st.integers(0, 3),
        "maxItems": st.integers(0, 3),
        "uniqueItems": st.booleans(),
    }
    if depth < 2:
        nested = st.lists(st.deferred(lambda: _property(depth + 1)), min_size=1, max_size=3)
        keywords |= {
            "items": st.deferred(lambda: _property(depth + 1)),
            "allOf": nested,
            "anyOf": nested,
            "oneOf": nested,
            "not": st.deferred(lambda: _property(depth + 1)),
        }
    return _some(keywords)


def _some(keywords: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A schema of up to three of the keywords."""
    chosen = st.lists(st.sampled_from(sorted(keywords)), max_size=3, unique=True)
    return chosen.flatmap(lambda names: st.fixed_dictionaries({name: keywords[name] for name in names}))


@cache
def _rule(depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    keywords: dict[str, st.SearchStrategy[Any]] = {
        "properties": st.dictionaries(st.sampled_from(NAMES), _property(1), max_size=2),
        "required": st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
        "dependentRequired": st.dictionaries(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=2)),
    }
    if depth < 2:
        nested = st.lists(st.deferred(lambda: _rule(depth + 1)), min_size=1, max_size=2)
        keywords |= {
            "if": st.deferred(lambda: _rule(depth + 1)),
            "then": st.deferred(lambda: _rule(depth + 1)),
            "else": st.deferred(lambda: _rule(depth + 1)),
            "allOf": nested,
            "anyOf": nested,
            "oneOf": nested,
            "not": st.deferred(lambda: _rule(depth + 1)),
        }
    return _some(keywords)


@st.composite
def _kind_schema(draw: st.DrawFn) -> dict[str, Any]:
    schema = draw(_rule())
    schema["type"] = "object"
    schema["properties"] = draw(st.fixed_dictionaries({}, optional={name: _property() for name in NAMES}))
    schema["additionalProperties"] = draw(st.sampled_from([False, True]))
    return schema


@settings(max_examples=1000, deadline=None)
@given(schema=_kind_schema(), fields=st.dictionaries(st.sampled_from((*NAMES, "d")), values, max_size=4))
def test_satisfies_says_what_jsonschema_says(schema: dict[str, Any], fields: dict[str, Any]) -> None:
    assert satisfies(schema, fields) == _validator_class()(schema).is_valid(fields)


def test_what_it_cannot_tell_it_leaves_to_jsonschema() -> None:
    assert satisfies({"multipleOf": 0.1}, 0.3) is None
    assert satisfies({"enum": [[1]]}, [1]) is None
    assert satisfies({"enum": [[1]]}, 1) is False  # a list is no scalar
    assert satisfies({"anyOf": [{"multipleOf": 2}, {"type": "string"}]}, 4) is None
    assert satisfies({"anyOf": [{"multipleOf": 2}, {"type": "integer"}]}, 4) is True


@pytest.mark.parametrize("name", sorted(builtin_kinds()))
def test_every_built_in_kind_is_valid_json_schema(tmp_path: Any, name: str) -> None:
    Draft202012Validator.check_schema(load_config(tmp_path).requests[name].fields)


@pytest.mark.parametrize(
    ("schema", "instance", "met"),
    [
        ({"const": 1}, True, False),
        ({"enum": [True, "x"]}, 1, False),
        ({"const": False}, 0, False),
        ({"const": 1}, 1.0, True),
        ({"type": "integer"}, 2.0, True),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
    ],
)
def test_json_equality_and_types_keep_booleans_apart_from_numbers(
    schema: dict[str, Any], instance: Any, met: bool
) -> None:
    assert satisfies(schema, instance) is met is _validator_class()(schema).is_valid(instance)
