"""A request as typed by a person, and the checks that make it safe to act on.

A `Request` is raw: the kind's name, the action and the fields as given (from the command line, the
action, a fields file or a pull request's record). `validate` checks it against the kind's JSON
Schema and returns a `ValidRequest`: typed, immutable, with defaults applied and every placeholder
value computed. Every broken rule is reported, one line each, naming the field and the rule.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeAlias

from gitops_writer.errors import ValidationError
from gitops_writer.kinds import Config, RequestKind, fill, fill_text
from gitops_writer.kinds.schema import BACKSTAGE_NAME_MAX
from gitops_writer.kinds.template import computed, exact, placeholders
from gitops_writer.kinds.validate import violations
from gitops_writer.refs import branch_problem
from gitops_writer.repo.reading import MAX_NESTING, TooDeep, loads_json
from gitops_writer.values import JSONValue

if TYPE_CHECKING:
    from gitops_writer.kinds.validate import SchemaViolation


ACTIONS = ("create", "remove")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_BACKSTAGE_NAME = re.compile(r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?", re.ASCII)
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)", re.ASCII)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?", re.ASCII)
# a field as given: a JSON value, or the texts of a -f given several times (a list field's items, else the last wins)
Given: TypeAlias = JSONValue | tuple[str, ...]


@dataclass(frozen=True)
class Request:
    kind: str  # a key of config.requests, e.g. "ecr"
    action: str  # "create" or "remove"
    fields: Mapping[str, Given] = field(default_factory=dict)
    date: str = ""  # YYYY-MM-DD; today in UTC when empty

    @property
    def creating(self) -> bool:
        return self.action == "create"


@dataclass(frozen=True)
class ValidRequest:
    """A request that passed every rule of its kind; what the planner and the describer work from."""

    kind: RequestKind
    action: str
    fields: Mapping[str, JSONValue]  # the fields as given and typed, with the schema's defaults filled in
    values: Mapping[
        str, JSONValue
    ]  # every placeholder: fields (None when not given), derived, id, name_id, date, action
    date: str

    @property
    def creating(self) -> bool:
        return self.action == "create"

    @property
    def name(self) -> str:
        return str(self.fields["name"])

    @property
    def environment(self) -> str:
        return str(self.fields["environment"])

    def record(self) -> dict[str, JSONValue]:
        """The request as recorded with its pull request: enough to make it again."""
        return {"kind": self.kind.name, "action": self.action, "fields": dict(self.fields), "date": self.date}


def coerce(kind: RequestKind, name: str, value: JSONValue) -> JSONValue:
    """A value given as text (`-f capacity=25`, a workflow input) as the JSON type its field has.

    An array field takes a list (JSON, or `-f subs=a -f subs=b`), a JSON list written as text
    (`-f 'subs=["a","b"]'`, a workflow input), or one text as a list of one; its items are typed as
    the items' schema says. Any other field takes one value.
    """
    if kind.field_type(name) == "array":
        if isinstance(value, str) and value.lstrip().startswith("["):
            try:
                value = loads_json(value)
            except TooDeep:
                raise ValidationError(name, f"must be a JSON list nested at most {MAX_NESTING} deep") from None
            except ValueError:
                raise ValidationError(name, f"must be a JSON list, not {value!r}") from None
        items = value if isinstance(value, list) else [value]
        problems: list[tuple[str, str]] = []
        typed = []
        for index, item in enumerate(items, 1):
            try:
                typed.append(_coerce(kind.item_type(name), name, item))
            except ValidationError as exc:
                problems.extend((field, f"item {index}: {rule}") for field, rule in exc.problems)
        if problems:
            raise ValidationError.many(problems)
        return typed
    if isinstance(value, list):
        raise ValidationError(name, f"takes one value, not a list of {len(value)}")
    return _coerce(kind.field_type(name), name, value)


def _coerce(kind_of: str, name: str, value: JSONValue) -> JSONValue:
    if not isinstance(value, str):
        if kind_of == "string":  # a JSON true or 25 for a text field is a mistake, not the text "true"
            raise ValidationError(name, f"must be a string, not {json.dumps(value)}")
        return value
    text = value.strip()
    if kind_of == "integer":
        if not _INTEGER.fullmatch(text):
            raise ValidationError(name, f"must be an integer, not {value!r}")
        return int(text)
    if kind_of == "number":
        if not _NUMBER.fullmatch(text):
            raise ValidationError(name, f"must be a number, not {value!r}")
        number = float(text)
        if not math.isfinite(number):
            raise ValidationError(name, f"must be a finite number, not {value!r}")
        return int(text) if _INTEGER.fullmatch(text) else number
    if kind_of == "boolean":
        if text in ("true", "True", "TRUE"):
            return True
        if text in ("false", "False", "FALSE"):
            return False
        raise ValidationError(name, f"must be true or false, not {value!r}")
    return value


def typed_fields(kind: RequestKind, given: Mapping[str, Given]) -> dict[str, JSONValue]:
    """Fields keyed by field name (workflow input aliases resolved), typed by the schema.

    An empty text or a JSON null is a field not given, whichever way it came (`-f size=`, `"size": ""`
    in a fields file, an optional workflow input left blank): the field's default applies, a required
    one is missing, and `-f size=` takes back a fields file's value.
    """
    fields: dict[str, JSONValue] = {}
    problems: list[tuple[str, str]] = []
    for key, as_given in given.items():
        name = kind.field_name(str(key))
        if isinstance(as_given, tuple):  # -f given several times: a list field's items, else the last one wins
            texts: list[JSONValue] = [text for text in as_given if text != ""]
            value: JSONValue = (texts or "") if name is not None and kind.field_type(name) == "array" else as_given[-1]
        else:
            value = as_given
        if name is None or value is None or value == "":
            continue
        if name in fields and fields[name] != value:
            alias = key if key != name else next(k for k in given if k != key and kind.field_name(str(k)) == name)
            problems.append((name, f"is given twice ({alias!r} is another name for {name})"))
            continue
        try:
            fields[name] = coerce(kind, name, value) if name in kind.properties else value
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError.many(problems)
    return fields


def validate(request: Request, config: Config) -> ValidRequest:
    """The valid request; every broken rule is one (field, rule) line of one ValidationError."""
    kind = config.requests.get(request.kind)
    if kind is None:
        raise ValidationError("kind", f"unknown request kind {request.kind!r} (known: {', '.join(config.requests)})")
    if request.action not in ACTIONS:
        raise ValidationError("action", f"must be create or remove, not {request.action!r}")
    fields = typed_fields(kind, request.fields)
    date = _check_date(request.date or dt.datetime.now(dt.UTC).date().isoformat())
    if request.creating:
        fields = with_defaults(kind, fields, date)
        _check_schema(kind, kind.fields, fields)
    else:  # a removal names the resource (and what its paths need); the rest is in the repository already
        schema: dict[str, object] = {
            "type": "object",
            "properties": kind.properties,
            "required": ["name", "environment"],
            "additionalProperties": False,
        }
        _check_schema(kind, schema, fields)
    values = template_values(kind, request.action, fields, date)
    _check_entity_names(kind, values)
    return ValidRequest(
        kind=kind, action=request.action, fields=MappingProxyType(fields), values=MappingProxyType(values), date=date
    )


def with_defaults(kind: RequestKind, given: Mapping[str, JSONValue], date: str) -> dict[str, JSONValue]:
    """The fields with the defaults of those not given: literal ones, then computed ones in field order,
    each filled from the fields and derived values so far (`"Secret for {service} service"`; an exact
    placeholder keeps its type, so `"{window}"` of a lookup gives its number). A computed default whose
    placeholders are not given is no default."""
    fields = dict(given)
    for name, schema in kind.properties.items():
        if name not in fields and "default" in schema and not computed(schema["default"]):
            fields[name] = schema["default"]
    for name, schema in kind.properties.items():
        template = schema.get("default")
        if name not in fields and computed(template) and {"name", "environment"} <= fields.keys():
            values = template_values(kind, "create", fields, date)
            whole = exact(template)
            if all(values.get(used) is not None for used in placeholders(template)):
                fields[name] = values[whole] if whole is not None else coerce(kind, name, fill_text(template, values))
    return fields


def name_id(name: str) -> str:
    return re.sub(r"[-./]", "_", name.upper())


def template_values(kind: RequestKind, action: str, fields: Mapping[str, JSONValue], date: str) -> dict[str, JSONValue]:
    """Every placeholder's value: fields (None when not given), built-ins, derived values, id."""
    values: dict[str, JSONValue] = {name: None for name in kind.properties}
    values.update(fields)
    values.update(name_id=name_id(str(fields["name"])), date=date, action=action, environments=[fields["environment"]])
    for name, derived in kind.derived.items():
        try:
            values[name] = derived.compute(values)
        except KeyError:  # a removal lacks the fields a derived value is made of
            values[name] = None
    try:
        values["id"] = fill_text(kind.id, values) if kind.id else ""
    except KeyError:
        values["id"] = ""
    return values


def _check_schema(kind: RequestKind, schema: Mapping[str, object], fields: Mapping[str, JSONValue]) -> None:
    order = {name: index for index, name in enumerate(kind.properties)}
    problems: list[tuple[str, str]] = []
    for error in sorted(violations(schema, dict(fields)), key=lambda e: [str(p) for p in e.absolute_path]):
        for problem in _problems(kind, error):
            if problem not in problems:
                problems.append(problem)
    if problems:
        problems.sort(key=lambda p: order.get(p[0], len(order)))
        raise ValidationError.many(problems)


def _problems(kind: RequestKind, error: SchemaViolation) -> list[tuple[str, str]]:
    """(field, rule) lines for one jsonschema error; a failed allOf/anyOf part names its own rule."""
    if error.validator == "required":
        missing = re.match(r"'(.+)' is a required property", error.message)
        name = missing.group(1) if missing else "?"
        return [(name, "is required" + _when(error))]
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        known = ", ".join(kind.properties)
        return [(name, f"is not a field of the {kind.name} kind (fields: {known})") for name in extra]
    if error.validator in ("anyOf", "oneOf") and error.context:
        return [_problem(kind, sub) for sub in error.context[:1]]
    field_name = str(error.absolute_path[0]) if error.absolute_path else "fields"
    custom = isinstance(error.schema, Mapping) and "errorMessage" in error.schema
    item = f"item {error.absolute_path[1] + 1}: " if len(error.absolute_path) > 1 else ""
    return [(field_name, item + _rule(error) + ("" if custom else _when(error)))]


def _problem(kind: RequestKind, error: SchemaViolation) -> tuple[str, str]:
    return _problems(kind, error)[0]


def _when(error: SchemaViolation) -> str:
    """Where a rule comes from a cross-field condition, say so: 'when environment is dev'."""
    path = list(error.absolute_schema_path)
    if "then" in path or "else" in path:
        return " (a rule of the kind: an if/then condition on the other fields holds)"
    return ""


def _rule(error: SchemaViolation) -> str:
    custom = error.schema.get("errorMessage") if isinstance(error.schema, Mapping) else None
    if isinstance(custom, str):
        return custom
    if isinstance(custom, Mapping) and isinstance(custom.get(error.validator), str):
        return str(custom[error.validator])
    value = error.validator_value
    rules: dict[str, Callable[[], str]] = {
        "type": lambda: f"must be {'an' if value in ('integer', 'array') else 'a'} {value}",
        "enum": lambda: f"must be one of {', '.join(_show(v) for v in value)}",
        "const": lambda: f"must be {_show(value)}",
        "pattern": lambda: f"must match {value}",
        "minLength": lambda: f"must be at least {value} characters long",
        "maxLength": lambda: f"must be at most {value} characters long",
        "minimum": lambda: f"must be at least {value}",
        "maximum": lambda: f"must be at most {value}",
        "exclusiveMinimum": lambda: f"must be more than {value}",
        "exclusiveMaximum": lambda: f"must be less than {value}",
        "multipleOf": lambda: f"must be a multiple of {value}",
        "minItems": lambda: f"must have at least {value} item{'' if value == 1 else 's'}",
        "maxItems": lambda: f"must have at most {value} item{'' if value == 1 else 's'}",
        "uniqueItems": lambda: "must not list an item twice",
        "not": lambda: "breaks a rule of the kind",
    }
    return rules.get(error.validator, lambda: str(error.message))()


def _show(value: JSONValue) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _check_date(date: str) -> str:
    if not _DATE.fullmatch(date):
        raise ValidationError("date", "must be a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise ValidationError("date", f"{date} is not a calendar date") from None
    return date


def _check_entity_names(kind: RequestKind, values: Mapping[str, JSONValue]) -> None:
    """The Backstage entities the request writes must have names Backstage accepts."""
    for edit in kind.edits:
        if edit.edit_type != "file" or not isinstance(edit.value, dict):
            continue
        metadata = edit.value.get("metadata")
        template = metadata.get("name", "") if isinstance(metadata, dict) else ""
        if not isinstance(template, str):
            continue
        try:
            name = fill(template, values)
        except KeyError:
            continue
        if not isinstance(name, str):
            continue
        if len(name) > BACKSTAGE_NAME_MAX:
            limit = BACKSTAGE_NAME_MAX - (len(name) - len(str(values["name"])))
            raise ValidationError(
                "name",
                f"must be at most {limit} characters long, so that the Backstage entity {name[:20]}..."
                f" stays within {BACKSTAGE_NAME_MAX}",
            )
        if name and not _BACKSTAGE_NAME.fullmatch(name):
            raise ValidationError("name", f"gives the Backstage entity name {name!r}, which Backstage rejects")


def check_branch(branch: str) -> str:
    """A branch name git accepts (git check-ref-format rules), built from the configured template."""
    problem = branch_problem(branch)
    if problem is not None:
        raise ValidationError("branch", f"{problem} (check the branch template)")
    return branch
