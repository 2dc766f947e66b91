"""The checks a kind's `fields` schema must pass, and the defaults every kind gets."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import TypeAlias, cast

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.template import computed
from gitops_writer.kinds.validate import schema_problem, violations
from gitops_writer.values import JSONObject, JSONValue

FIELD_TYPES = ("string", "integer", "number", "boolean", "array")
ITEM_TYPES = ("string", "integer", "number", "boolean")  # an array field's items: scalars, no nesting
# Keywords a field's schema may use. Anything else is most likely a typo (`patern`), which JSON
# Schema would silently ignore, so it is refused.
PROPERTY_KEYWORDS = frozenset(
    {
        "type",
        "enum",
        "const",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "default",
        "title",
        "description",
        "examples",
        "errorMessage",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "$comment",
    }
)
OBJECT_KEYWORDS = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "if",
        "then",
        "else",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "dependentRequired",
        "title",
        "description",
        "errorMessage",
        "$comment",
        "$schema",
    }
)
# Backstage's rule for entity names (catalog-model's KubernetesValidatorFunctions.isValidObjectName):
# at most 63 characters of [a-zA-Z0-9], separated by single '-', '_' or '.'.
BACKSTAGE_NAME_PATTERN = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$"
BACKSTAGE_NAME_MAX = 63
BACKSTAGE_RULE = "must be a Backstage entity name: letters, digits and '-', '_' or '.' between them"
# A name keys the branch, the edits and the paths; a kind that says nothing gets this.
DEFAULT_NAME_PATTERN = "^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$"
DEFAULT_NAME_RULE = "must hold only a-z, 0-9, '.', '_' and '-', starting and ending with a letter or digit"
PEOPLE_FIELDS = ("owner", "requester")
# A kind's fields by name, each with its JSON Schema.
Properties: TypeAlias = Mapping[str, Mapping[str, object]]


def checked_fields(raw: object, where: str, environments: tuple[str, ...], *, built_in: bool = False) -> JSONObject:
    """The kind's field schema, checked, with the defaults every kind gets filled in.

    A built-in kind's schema is not checked against JSON Schema's own schema on every run: the
    package's tests do that once (tests/kinds), and no setting can make it invalid.
    """
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must be a JSON Schema object schema (type: object, properties: ...)")
    schema: JSONObject = copy.deepcopy(dict(raw))
    _known_keys(schema, OBJECT_KEYWORDS, where)
    if schema.setdefault("type", "object") != "object":
        raise ConfigError(f"{where}.type: must be object")
    if schema.get("additionalProperties", False) is not False:
        raise ConfigError(f"{where}.additionalProperties: must be false: a field not in the schema is refused")
    schema["additionalProperties"] = False
    if not isinstance(schema.setdefault("properties", {}), dict) or not all(
        isinstance(v, dict) for v in properties_of(schema).values()
    ):
        raise ConfigError(f"{where}.properties: must map each field name to its schema")
    properties = properties_of(schema)
    for name in list(properties):
        if not isinstance(name, str) or not name.isidentifier():
            raise ConfigError(f"{where}.properties: {name!r} is not a field name (letters, digits and '_')")
    _default_fields(properties, environments)
    required = schema.setdefault("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        raise ConfigError(f"{where}.required: must be a list of field names")
    required = list(dict.fromkeys(["name", "environment", *required]))
    schema["required"] = list(required)
    for field_name in required:
        if field_name not in properties:
            raise ConfigError(f"{where}.required: {field_name} is not one of the properties")
    for field_name, field in properties.items():
        _check_property(field, f"{where}.properties.{field_name}")
    _check_rules(schema, where, properties)
    problem = None if built_in else schema_problem(schema)
    if problem is not None:
        at, message = problem
        raise ConfigError(f"{where}{'.' + at if at else ''}: not a valid JSON Schema ({message})")
    _check_defaults(properties, where)
    return schema


def properties_of(schema: JSONObject) -> dict[str, JSONObject]:
    """A checked field schema's `properties`: each field's schema by its name."""
    return cast(dict[str, JSONObject], schema["properties"])  # checked_fields makes every one a mapping


def _default_fields(properties: dict[str, JSONObject], environments: tuple[str, ...]) -> None:
    """The fields every kind has (name, environment) and the rules of the people fields, where not given."""
    name = properties.setdefault("name", {"title": "Name", "type": "string"})
    if "pattern" not in name and "enum" not in name and "allOf" not in name:
        name["pattern"] = DEFAULT_NAME_PATTERN
        _pattern_message(name, DEFAULT_NAME_RULE)
    name.setdefault("maxLength", BACKSTAGE_NAME_MAX)
    environment = properties.setdefault("environment", {"title": "Environment", "type": "string"})
    if "enum" not in environment:
        environment["enum"] = list(environments)
    for person in PEOPLE_FIELDS:
        field = properties.get(person)
        if field is not None and "pattern" not in field and "enum" not in field:
            field.update(pattern=BACKSTAGE_NAME_PATTERN, maxLength=field.get("maxLength", BACKSTAGE_NAME_MAX))
            _pattern_message(field, BACKSTAGE_RULE)


def _pattern_message(field: JSONObject, rule: str) -> None:
    """The message of a pattern given to a field, unless its errorMessage is a text (one for every rule)."""
    message = field.get("errorMessage", {})
    if isinstance(message, dict):
        field["errorMessage"] = {"pattern": rule, **message}


def _check_rules(schema: Mapping[str, JSONValue], where: str, properties: Mapping[str, object]) -> None:
    """The schema's cross-field rules (if/then/else, not, allOf, anyOf, oneOf)."""
    for key in ("if", "then", "else", "not"):
        if key in schema:
            check_rule(schema[key], f"{where}.{key}", properties)
    for key in ("allOf", "anyOf", "oneOf"):
        if key in schema:
            rules = schema[key]
            if not isinstance(rules, list):
                raise ConfigError(f"{where}.{key}: must be a list of schemas")
            for index, rule in enumerate(rules):
                check_rule(rule, f"{where}.{key}[{index}]", properties)


def _check_defaults(properties: Mapping[str, Mapping[str, object]], where: str) -> None:
    """Each literal default meets its own field's schema."""
    for field_name, field in properties.items():
        if "default" in field and not computed(field["default"]):
            error = next(violations(field, field["default"]), None)
            if error is not None:
                raise ConfigError(f"{where}.properties.{field_name}.default: {error.message}")


def _known_keys(schema: Iterable[object], known: frozenset[str], where: str) -> None:
    unknown = sorted(set(schema) - known, key=str)
    if unknown:
        raise ConfigError(f"{where}: unknown keyword {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _check_property(field: Mapping[str, object], where: str) -> None:
    _known_keys(field, PROPERTY_KEYWORDS, where)
    json_type = field.get("type", "string")
    types = json_type if isinstance(json_type, list) else [json_type]
    if not types or not all(t in (*FIELD_TYPES, "null") for t in types) or types == ["null"]:
        raise ConfigError(f"{where}.type: must be one of {', '.join(FIELD_TYPES)}")
    if "array" in types:
        items = field.get("items", {"type": "string"})
        if not isinstance(items, Mapping) or items.get("type", "string") not in ITEM_TYPES:
            raise ConfigError(f"{where}.items: must be the schema of one item, of type {', '.join(ITEM_TYPES)}")
        _check_property(items, f"{where}.items")
    elif any(key in field for key in ("items", "minItems", "maxItems", "uniqueItems")):
        raise ConfigError(f"{where}: items, minItems, maxItems and uniqueItems are for a field of type array")
    message = field.get("errorMessage", {})
    if not isinstance(message, str | Mapping):
        raise ConfigError(f"{where}.errorMessage: must be a text, or map a keyword (pattern, enum, ...) to a text")
    for key in ("allOf", "anyOf", "oneOf"):
        parts = field.get(key, [])
        if not isinstance(parts, list):
            raise ConfigError(f"{where}.{key}: must be a list of schemas")
        for index, part in enumerate(parts):
            if not isinstance(part, Mapping):
                raise ConfigError(f"{where}.{key}[{index}]: must be a schema")
            _check_property({"type": json_type, **part}, f"{where}.{key}[{index}]")


def check_rule(rule: object, where: str, properties: Mapping[str, object]) -> None:
    """A cross-field rule (if/then, allOf, a control's `when`): an object schema about fields the kind has."""
    if not isinstance(rule, Mapping):
        raise ConfigError(f"{where}: must be a schema")
    _known_keys(rule, OBJECT_KEYWORDS, where)
    for name, part in rule.get("properties", {}).items():
        if name not in properties:
            raise ConfigError(f"{where}.properties: {name} is not a field of the kind")
        if not isinstance(part, Mapping):
            raise ConfigError(f"{where}.properties.{name}: must be a schema")
        _known_keys(part, PROPERTY_KEYWORDS, f"{where}.properties.{name}")
    for name in rule.get("required", []):
        if name not in properties:
            raise ConfigError(f"{where}.required: {name} is not a field of the kind")
    for key in ("if", "then", "else", "not"):
        if key in rule:
            check_rule(rule[key], f"{where}.{key}", properties)
    for key in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(rule.get(key, [])):
            check_rule(part, f"{where}.{key}[{index}]", properties)
