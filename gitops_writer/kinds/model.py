"""A request kind as data: the frozen objects `.gitops-writer.yaml` and the built-in kind files load into."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gitops_writer.kinds.form import Form
from gitops_writer.kinds.sections import Section
from gitops_writer.kinds.template import ENVIRONMENTS, depends_on, placeholders
from gitops_writer.values import JSONValue

EDIT_TYPES = ("entry", "item", "file")
# Placeholders every kind has, beside its fields and derived values.
BUILT_INS = ("id", "name_id", "date", "action", ENVIRONMENTS)


@dataclass(frozen=True)
class Derived:
    """A value computed from fields: a template string, or a lookup of one field's value in a table."""

    template: str | None = None
    lookup: str | None = None  # the field looked up
    table: Mapping[str, JSONValue] = field(default_factory=dict)  # field value -> derived value (itself a template)

    def compute(self, values: Mapping[str, JSONValue]) -> JSONValue:
        from gitops_writer.kinds.template import fill

        if self.template is not None:
            return fill(self.template, values)
        assert self.lookup is not None
        key = values.get(self.lookup)
        text = key if isinstance(key, str) else None if key is None else table_key(key)
        if text is None or text not in self.table:
            return None
        return fill(self.table[text], values)

    @property
    def uses(self) -> list[str]:
        from gitops_writer.kinds.template import placeholders_in

        if self.template is not None:
            return placeholders(self.template)
        return [self.lookup or "", *placeholders_in(list(self.table.values()))]


def table_key(value: object) -> str:
    """A lookup table's key as the config's YAML spells it: a field's value true is the key `true`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass(frozen=True)
class EditTemplate:
    """One file edit of a request, before its placeholders are filled."""

    id: str  # names the edit, so that a repository's config can replace it (tfvars, catalog, entity, location)
    edit_type: str  # entry: a map entry; item: a list item; file: a whole YAML file
    path: str
    value: JSONValue
    pointer: str = ""
    keep: tuple[str, ...] = ()  # entry fields whose existing values win (set by people after the request)
    stamp: str = ""  # a top-level date field set to the request date when the file changes, if present
    document: int = 0
    header: str = ""  # a new file's first lines, kept verbatim (comments, `---`)
    skeleton: str = ""  # a file edit's template file in the repository (requests/house_template.py)

    @property
    def per_environment(self) -> bool:
        """Whether each environment has its own copy (the env's tfvars), or one record serves them all."""
        return "environment" in placeholders(self.path) + placeholders(self.pointer)

    @property
    def lists_environments(self) -> bool:
        return depends_on(self.value, ENVIRONMENTS)


@dataclass(frozen=True)
class Words:
    """Branch, commit subject, labels and pull request words of one action (create or remove), as templates."""

    branch: str
    commit: str
    labels: tuple[str, ...]
    title: str = ""  # the PR title; empty: "Create <kind title>: <name> (<environment>)"
    body: str = ""  # the PR body's opening paragraph; empty: "This pull request creates ..."


@dataclass(frozen=True)
class Rule:
    """PR-body controls that apply when the request's fields meet a JSON Schema condition."""

    when: Mapping[str, Any]  # an object schema over the fields, e.g. {properties: {environment: {not: {const: dev}}}}
    items: tuple[str, ...]


@dataclass(frozen=True)
class RequestKind:
    name: str  # the key under requests:, e.g. "ecr"
    title: str  # e.g. "ECR Registry"
    fields: Mapping[str, Any]  # a JSON Schema (draft 2020-12) object schema; additionalProperties is false
    derived: Mapping[str, Derived]
    inputs: Mapping[str, str]  # workflow_dispatch input name -> field name ("" for an input that is not a field)
    shown: tuple[tuple[str, str], ...]  # (placeholder, label) rows of the PR body and commit body
    id: str  # template of {id}
    branch: str
    commit: str
    labels: tuple[str, ...]
    remove: Words
    controls: Mapping[str, tuple[str, ...]]  # PR-body checklist keyed by the value of controls_field
    controls_field: str
    template: str | None  # repository path of the kind's Backstage template
    workflow: str | None  # repository path of the kind's workflow_dispatch workflow
    edits: tuple[EditTemplate, ...]
    source: str = "built-in"
    rules: tuple[Rule, ...] = ()  # `controls` written as a list of {when, items}: every rule that holds adds its items
    pr_title: str = ""
    pr_body: str = ""
    form: Form = field(default_factory=Form)  # how its Backstage form looks (kinds/form.py)
    sections: tuple[Section, ...] = ()  # the PR body's own sections, each chosen by a condition (kinds/sections.py)

    @property
    def create(self) -> Words:
        return Words(self.branch, self.commit, self.labels, self.pr_title, self.pr_body)

    def words(self, action: str) -> Words:
        return self.create if action == "create" else self.remove

    @property
    def properties(self) -> Mapping[str, Mapping[str, JSONValue]]:
        properties: Mapping[str, Mapping[str, JSONValue]] = self.fields.get("properties", {})
        return properties

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(self.fields.get("required", ()))

    def field_type(self, name: str) -> str:
        """The JSON type of a field (string when the schema does not say)."""
        json_type = self.properties.get(name, {}).get("type", "string")
        if isinstance(json_type, list):
            json_type = next((t for t in json_type if t != "null"), "string")
        return str(json_type)

    def item_type(self, name: str) -> str:
        """The JSON type of an array field's items (string when the schema does not say)."""
        items = self.properties.get(name, {}).get("items", {})
        return str(items.get("type", "string")) if isinstance(items, Mapping) else "string"

    def field_name(self, key: str) -> str | None:
        """A field name for a field or input name; None for an input that is not a field."""
        if key in self.properties:
            return key
        if key in self.inputs:
            return self.inputs[key] or None
        return key

    @property
    def lists_environments(self) -> bool:
        return any(edit.lists_environments for edit in self.edits)

    def describe(self) -> dict[str, Any]:
        """The kind's fields as plain data, for `gitops-writer kinds`."""
        fields = []
        for name, schema in self.properties.items():
            row: dict[str, Any] = {"name": name, "type": self.field_type(name), "required": name in self.required}
            for key in ("title", "description", "enum", "default", "pattern", "minimum", "maximum", "items"):
                if key in schema:
                    row[key] = schema[key]
            for key in ("minLength", "maxLength", "minItems", "maxItems", "uniqueItems"):
                if key in schema:
                    row[key] = schema[key]
            fields.append(row)
        return {
            "name": self.name,
            "title": self.title,
            "source": self.source,
            "fields": fields,
            "derived": sorted(self.derived),
            "inputs": dict(self.inputs),
            "edits": [edit.id for edit in self.edits],
            "workflow": self.workflow,
            "template": self.template,
        }


@dataclass(frozen=True)
class CheckIgnore:
    """Findings of one `check` rule the repository accepts, and why (`check: ignore:` in the config)."""

    rule: str
    reason: str
    paths: tuple[str, ...] = ()  # fnmatch patterns of repository paths ('*' crosses '/'); empty: everywhere

    def covers(self, rule: str, path: str) -> bool:
        from fnmatch import fnmatchcase

        return rule == self.rule and (not self.paths or any(fnmatchcase(path, p) for p in self.paths))


@dataclass(frozen=True)
class Config:
    source: str  # the file the settings came from, or "built-in defaults"
    base_branch: str
    environments: tuple[str, ...]
    requests: Mapping[str, RequestKind]
    references: str = "warn"  # "strict": a request whose new entity names an undefined entity is refused
    publishing: Mapping[str, Any] = field(default_factory=dict)  # reviewers, required_labels, ... as written
    check_ignores: tuple[CheckIgnore, ...] = ()
