"""The one JSON Schema validator: Draft 2020-12 (jsonschema), with ECMA-262 patterns as Backstage's forms use.

Every check of a value against a kind's schema goes through here: a request's fields, a control's
`when:` condition, a field's default, a template's choice values (check's drift), and whether a
repository's field schema is valid JSON Schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import TYPE_CHECKING, TypeAlias

from gitops_writer.values import JSONValue

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

    SchemaViolation: TypeAlias = ValidationError  # one way a value breaks a schema


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


def accepts(schema: Mapping[str, object], instance: object) -> bool:
    """Whether `instance` meets `schema`."""
    return bool(_validator_class()(schema).is_valid(instance))


def holds(condition: Mapping[str, object], fields: Mapping[str, object]) -> bool:
    """Whether a request's fields meet a condition (a control's `when:`), as a JSON object."""
    return accepts(condition, dict(fields))


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
