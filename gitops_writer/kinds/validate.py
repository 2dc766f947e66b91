"""The one JSON Schema validator: Draft 2020-12 (jsonschema), with ECMA-262 patterns as Backstage's forms use.

Every check of a value against a kind's schema goes through here: a request's fields, a control's
`when:` condition, a field's default, and whether a repository's field schema is valid JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from gitops_writer.values import JSONValue

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError as SchemaViolation
    from jsonschema.protocols import Validator


def ecma_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern for Python's re: `$` ends the text, as in ECMA-262.

    Python's `$` also matches before a final line break, so `^[a-z]+$` would accept "app\\n".
    """
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "[" and not in_class:
            in_class = True
            out.append(char)
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        elif char == "$" and not in_class:
            out.append(r"\Z")
        else:
            out.append(char)
    return "".join(out)


def violations(schema: Mapping[str, object], instance: object) -> Iterator[SchemaViolation]:
    """Each way `instance` breaks `schema`, as jsonschema words it."""
    return _validator_class()(schema).iter_errors(instance)  # type: ignore[no-any-return]


def holds(condition: Mapping[str, object], fields: Mapping[str, object]) -> bool:
    """Whether a request's fields meet a condition (a control's `when:`), as a JSON object."""
    return bool(_validator_class()(condition).is_valid(dict(fields)))


def schema_problem(schema: Mapping[str, object]) -> tuple[str, str] | None:
    """(where in the schema, what is wrong) when `schema` is not valid JSON Schema; None when it is."""
    from jsonschema.exceptions import SchemaError

    try:
        _validator_class().check_schema(schema)
    except SchemaError as exc:
        return "/".join(str(p) for p in exc.path), exc.message
    return None


def _pattern(
    validator: Validator, pattern: str, instance: JSONValue, schema: Mapping[str, object]
) -> Iterator[SchemaViolation]:
    from jsonschema.exceptions import ValidationError as SchemaViolation

    if isinstance(instance, str) and not re.search(ecma_pattern(pattern), instance):
        yield SchemaViolation(f"{instance!r} does not match {pattern!r}")


@cache
def _validator_class() -> type[Validator]:
    """Draft 2020-12 with ECMA-262 patterns."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern})  # type: ignore[no-any-return]


def satisfies(schema: Any, instance: Any) -> bool | None:
    """Whether `instance` meets `schema`, as jsonschema's Draft 2020-12 validator would say (with
    ECMA-262 patterns), for the keywords a kind's schema may use; None for anything else.

    It answers the common question, is this request valid, without importing jsonschema (whose import
    is a tenth of a large request's run); jsonschema still words every refusal, and checks every
    schema a repository's config defines.
    """
    if isinstance(schema, bool):
        return schema
    if not isinstance(schema, Mapping) or any(k not in _CHECKS and k not in _ANNOTATIONS for k in schema):
        return None
    return _all(_CHECKS[keyword](value, instance, schema) for keyword, value in schema.items() if keyword in _CHECKS)


def _all(verdicts: Iterable[bool | None]) -> bool | None:
    """False if any is False, else None if any is None, else True."""
    verdict: bool | None = True
    for met in verdicts:
        if met is False:
            return False
        if met is None:
            verdict = None
    return verdict


def _some(verdicts: Iterable[bool | None]) -> bool | None:
    """True if any is True, else None if any is None, else False."""
    verdicts = list(verdicts)
    return True if True in verdicts else None if None in verdicts else False


def _is_type(instance: Any, name: Any) -> bool | None:
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    number = isinstance(instance, int | float) and not isinstance(instance, bool)
    if name == "number":
        return number
    if name == "integer":
        return number and (isinstance(instance, int) or float(instance).is_integer())
    return None


def _type(value: Any, instance: Any, schema: Any) -> bool | None:
    return _some(_is_type(instance, name) for name in (value if isinstance(value, list) else [value]))


def _same(one: Any, two: Any) -> bool | None:
    """JSON equality of scalars: true is not 1, 1 is 1.0."""
    containers = isinstance(one, list | dict), isinstance(two, list | dict)
    if any(containers):
        return None if all(containers) else False
    if isinstance(one, bool) or isinstance(two, bool):
        return one is two
    return bool(one == two)


def _enum(value: Any, instance: Any, schema: Any) -> bool | None:
    return _some(_same(instance, choice) for choice in value) if isinstance(value, list) else None


def _number(compare: Any) -> Any:
    def check(value: Any, instance: Any, schema: Any) -> bool | None:
        if _is_type(instance, "number") is not True:
            return True
        return bool(compare(instance, value)) if isinstance(value, int | float) else None

    return check


def _length(compare: Any) -> Any:
    def check(value: Any, instance: Any, schema: Any) -> bool | None:
        return bool(compare(len(instance), value)) if isinstance(instance, str) else True

    return check


def _items(value: Any, instance: Any, schema: Any) -> bool | None:
    return _all(satisfies(value, item) for item in instance) if isinstance(instance, list) else True


def _count(compare: Any) -> Any:
    def check(value: Any, instance: Any, schema: Any) -> bool | None:
        return bool(compare(len(instance), value)) if isinstance(instance, list) else True

    return check


def _unique(value: Any, instance: Any, schema: Any) -> bool | None:
    """No two items JSON-equal (1 and 1.0 are one item, true and 1 two)."""
    if value is not True or not isinstance(instance, list):
        return True
    repeated = _some(_same(one, two) for index, one in enumerate(instance) for two in instance[index + 1 :])
    return None if repeated is None else not repeated


def _pattern_met(value: Any, instance: Any, schema: Any) -> bool | None:
    return re.search(ecma_pattern(value), instance) is not None if isinstance(instance, str) else True


def _properties(value: Any, instance: Any, schema: Any) -> bool | None:
    if not isinstance(instance, dict):
        return True
    return _all(satisfies(part, instance[name]) for name, part in value.items() if name in instance)


def _required(value: Any, instance: Any, schema: Any) -> bool | None:
    return all(name in instance for name in value) if isinstance(instance, dict) else True


def _additional(value: Any, instance: Any, schema: Any) -> bool | None:
    if not isinstance(instance, dict) or value is True:
        return True
    if value is False:
        return set(instance) <= set(schema.get("properties", {}))
    return None


def _dependent(value: Any, instance: Any, schema: Any) -> bool | None:
    if not isinstance(instance, dict):
        return True
    return all(need in instance for name, needs in value.items() if name in instance for need in needs)


def _if(value: Any, instance: Any, schema: Any) -> bool | None:
    condition = satisfies(value, instance)
    if condition is None:
        return None
    branch = "then" if condition else "else"
    return satisfies(schema[branch], instance) if branch in schema else True


def _one(value: Any, instance: Any, schema: Any) -> bool | None:
    verdicts = [satisfies(part, instance) for part in value]
    return None if None in verdicts else verdicts.count(True) == 1


def _not(value: Any, instance: Any, schema: Any) -> bool | None:
    verdict = satisfies(value, instance)
    return None if verdict is None else not verdict


_CHECKS: dict[str, Any] = {
    "type": _type,
    "enum": _enum,
    "const": lambda value, instance, schema: _same(instance, value),
    "pattern": _pattern_met,
    "minLength": _length(lambda length, limit: length >= limit),
    "maxLength": _length(lambda length, limit: length <= limit),
    "minimum": _number(lambda number, limit: number >= limit),
    "maximum": _number(lambda number, limit: number <= limit),
    "exclusiveMinimum": _number(lambda number, limit: number > limit),
    "exclusiveMaximum": _number(lambda number, limit: number < limit),
    "items": _items,
    "minItems": _count(lambda length, limit: length >= limit),
    "maxItems": _count(lambda length, limit: length <= limit),
    "uniqueItems": _unique,
    "properties": _properties,
    "required": _required,
    "additionalProperties": _additional,
    "dependentRequired": _dependent,
    "if": _if,
    "allOf": lambda value, instance, schema: _all(satisfies(part, instance) for part in value),
    "anyOf": lambda value, instance, schema: _some(satisfies(part, instance) for part in value),
    "oneOf": _one,
    "not": _not,
}
# Read by other keywords (then/else by if) or by no validator at all; multipleOf is left to jsonschema.
_ANNOTATIONS = frozenset(
    {"then", "else", "title", "description", "default", "examples", "errorMessage", "$comment", "$schema"}
)
