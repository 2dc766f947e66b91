"""A kind's settings, merged, checked into a RequestKind: its fields, derived values, words, edits and controls."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.edits import checked_edit
from gitops_writer.kinds.form import checked_form
from gitops_writer.kinds.model import BUILT_INS, Derived, EditTemplate, RequestKind, Rule, Words, table_key
from gitops_writer.kinds.schema import Properties, check_rule, checked_fields, properties_of
from gitops_writer.kinds.sections import checked_sections
from gitops_writer.kinds.setting import (
    branch,
    check_placeholders,
    generated_text,
    generated_texts,
    mapping,
    string,
    strings,
)
from gitops_writer.kinds.template import computed, fill_text, placeholders
from gitops_writer.placeholders import SEQUENCE

_WORKFLOW_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml")
REMOVE_KEYS = frozenset({"branch", "commit", "labels", "pr_title", "pr_body"})


def build_kind(
    name: str, data: Mapping[str, object], where: str, environments: tuple[str, ...], source: str = "built-in"
) -> RequestKind:
    fields = checked_fields(data.get("fields"), f"{where}.fields", environments, built_in=source == "built-in")
    properties = properties_of(fields)
    derived = _derived(data.get("derived", {}), f"{where}.derived", properties)
    _check_derived(derived, properties, where)
    texts = _Templates((*properties, *derived, *BUILT_INS))
    inputs = _inputs(data.get("inputs", {}), f"{where}.inputs", properties)
    remove = mapping(
        data.get("remove", {}), f"{where}.remove", REMOVE_KEYS, must="map branch, commit and labels to templates"
    )
    create_branch = texts.branch(data.get("branch"), f"{where}.branch")
    commit = texts.text(data.get("commit"), f"{where}.commit")
    labels = texts.labels(data.get("labels", []), f"{where}.labels")
    remove_words = _remove_words(name, remove, f"{where}.remove", texts)
    if remove_words.branch == create_branch and "action" not in placeholders(create_branch):
        raise ConfigError(f"{where}.remove.branch: must differ from the create branch, or use {{action}}")
    edits = _edits(data.get("edits"), f"{where}.edits", texts.known)
    controls_field, controls, rules = _controls(data, where, properties)
    generated_texts(fields, f"{where}.fields")
    return RequestKind(
        name=name,
        title=generated_text(string(data.get("title", name), f"{where}.title"), f"{where}.title"),
        fields=fields,
        derived=derived,
        inputs=inputs,
        shown=_shown(data.get("shown"), f"{where}.shown", properties, texts.known, bool(data.get("id"))),
        id=_id_template(data.get("id", "{name_id}"), f"{where}.id", texts.known),
        branch=create_branch,
        commit=commit,
        labels=labels,
        remove=remove_words,
        controls={str(k): strings(v, f"{where}.controls.{k}") for k, v in controls.items()},
        controls_field=controls_field,
        rules=rules,
        template=_optional_path(data.get("template"), f"{where}.template"),
        workflow=_workflow_path(data.get("workflow"), f"{where}.workflow"),
        edits=edits,
        source=source,
        pr_title=texts.optional(data.get("pr_title"), f"{where}.pr_title"),
        pr_body=texts.optional(data.get("pr_body"), f"{where}.pr_body"),
        form=checked_form(generated_texts(data.get("form"), f"{where}.form"), f"{where}.form", properties),
        sections=checked_sections(data.get("sections"), f"{where}.sections", properties, texts.known),
    )


@dataclass(frozen=True)
class _Templates:
    """The checks of a kind's text templates: a non-empty string naming only `known` placeholders."""

    known: tuple[str, ...]

    def text(self, value: object, at: str) -> str:
        text = string(value, at)
        check_placeholders(text, at, self.known)
        return text

    def optional(self, value: object, at: str) -> str:
        return "" if value is None else self.text(value, at)

    def branch(self, value: object, at: str) -> str:
        text = self.text(value, at)
        branch(fill_text(text, dict.fromkeys(self.known, "x")), at)  # its literal parts, as a branch name
        return text

    def labels(self, value: object, at: str) -> tuple[str, ...]:
        return tuple(generated_text(self.text(text, at), at) for text in strings(value, at))


def _check_derived(derived: Mapping[str, Derived], properties: Properties, where: str) -> None:
    """The placeholders of derived values and computed defaults, each using only what it may."""
    earlier: tuple[str, ...] = (*properties, "name_id", "date", "action")
    for key, item in derived.items():  # a derived value may use fields and the derived values before it
        for text in [item.template] if item.template is not None else [str(v) for v in item.table.values()]:
            check_placeholders(text or "", f"{where}.derived.{key}", earlier)
        earlier = (*earlier, key)
    for key, schema in properties.items():  # a computed default may use other fields and derived values
        default = schema.get("default")
        if computed(default):
            at = f"{where}.fields.properties.{key}.default"
            check_placeholders(default, at, tuple(k for k in (*properties, *derived) if k != key))


def _remove_words(name: str, remove: Mapping[str, object], where: str, texts: _Templates) -> Words:
    return Words(
        branch=texts.branch(remove.get("branch", f"{name}/remove-{{name}}-{{environment}}"), f"{where}.branch"),
        commit=texts.text(remove.get("commit", f"{name}: remove {{name}} from {{environment}}"), f"{where}.commit"),
        labels=texts.labels(remove.get("labels", [f"{name}-removal", "{environment}"]), f"{where}.labels"),
        title=texts.optional(remove.get("pr_title"), f"{where}.pr_title"),
        body=texts.optional(remove.get("pr_body"), f"{where}.pr_body"),
    )


def _edits(raw: object, where: str, known: tuple[str, ...]) -> tuple[EditTemplate, ...]:
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: must be a non-empty list")
    edits = tuple(checked_edit(edit, f"{where}[{i}]", i, known) for i, edit in enumerate(raw))
    ids = [edit.id for edit in edits]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise ConfigError(f"{where}: two edits have the id {duplicate!r}")
    return edits


def _controls(
    data: Mapping[str, object], where: str, properties: Properties
) -> tuple[str, Mapping[object, object], tuple[Rule, ...]]:
    """The controls field, the controls keyed by its values (unchecked) and the rules (controls as a list)."""
    controls_field = string(data.get("controls_field", "risk"), f"{where}.controls_field")
    controls = data.get("controls", {})
    rules = _rules(controls, f"{where}.controls", properties) if isinstance(controls, list) else ()
    if rules:
        controls = {}
    if not isinstance(controls, Mapping):
        raise ConfigError(
            f"{where}.controls: must map each value of {controls_field} to a list of strings, "
            "or be a list of {when: CONDITION, items: [...]}"
        )
    if controls and controls_field not in properties:
        raise ConfigError(f"{where}.controls_field: {controls_field} is not a field of the kind")
    return controls_field, controls, rules


def _derived(raw: object, where: str, properties: Properties) -> dict[str, Derived]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must map each derived name to a template or {{from: FIELD, map: {{...}}}}")
    derived: dict[str, Derived] = {}
    for key, spec in raw.items():
        at = f"{where}.{key}"
        if not isinstance(key, str) or not key.isidentifier():
            raise ConfigError(f"{at}: not a placeholder name (letters, digits and '_')")
        if key in properties or key in BUILT_INS:
            raise ConfigError(f"{at}: {key} is already a field or a built-in placeholder")
        if isinstance(spec, str):
            derived[key] = Derived(template=spec)
        elif isinstance(spec, Mapping) and set(spec) == {"from", "map"}:
            source, table = spec["from"], spec["map"]
            if not isinstance(source, str) or source not in properties:
                raise ConfigError(f"{at}.from: {source!r} is not a field of the kind")
            if not isinstance(table, Mapping) or not table:
                raise ConfigError(f"{at}.map: must map the field's values to the derived values")
            derived[key] = Derived(lookup=source, table={table_key(k): v for k, v in table.items()})
        else:
            raise ConfigError(f"{at}: must be a template string or {{from: FIELD, map: {{VALUE: RESULT, ...}}}}")
    return derived


def _inputs(raw: object, where: str, properties: Properties) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must map workflow input names to field names")
    inputs: dict[str, str] = {}
    for key, target in raw.items():
        if target is not None and (not isinstance(target, str) or target not in properties):
            raise ConfigError(f"{where}.{key}: {target!r} is not a field of the kind (null: not a field)")
        inputs[str(key)] = target or ""
    if "base_branch" not in properties:  # every generated workflow's input for the PR's base, never a field
        inputs.setdefault("base_branch", "")
    return inputs


def _shown(
    raw: object, where: str, properties: Properties, known: tuple[str, ...], has_id: bool
) -> tuple[tuple[str, str], ...]:
    if raw is None:
        rows = [(name, str(schema.get("title") or name)) for name, schema in properties.items()]
        if has_id:
            rows.append(("id", "ID"))
        return (*rows, ("date", "Date"))
    pairs = list(raw.items()) if isinstance(raw, Mapping) else raw
    if not isinstance(pairs, list):
        raise ConfigError(f"{where}: must be a list of [placeholder, label] pairs")
    rows = []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
            raise ConfigError(f"{where}[{index}]: must be a [placeholder, label] pair")
        if pair[0] not in known:
            raise ConfigError(f"{where}[{index}]: unknown placeholder {pair[0]!r} (known: {', '.join(known)})")
        rows.append((pair[0], pair[1]))
    return tuple(rows)


def _rules(raw: list[object], where: str, properties: Properties) -> tuple[Rule, ...]:
    rules = []
    for index, rule in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(rule, Mapping) or set(rule) != {"when", "items"}:
            raise ConfigError(f"{at}: must be {{when: CONDITION, items: [TEXT, ...]}}")
        check_rule(rule["when"], f"{at}.when", properties)
        rules.append(Rule(when=dict(rule["when"]), items=strings(rule["items"], f"{at}.items")))
    return tuple(rules)


def _id_template(value: object, where: str, known: tuple[str, ...]) -> str:
    """The id's template: any placeholder, and one `{seq:N}` (N from 1 to 9), the request's number."""
    if not value:
        return ""
    text = string(value, where)
    numbers = [name for name in placeholders(text) if SEQUENCE.fullmatch(name)]
    if len(numbers) > 1:
        raise ConfigError(f"{where}: one {{seq:N}} at most")
    check_placeholders(text, where, (*known, *numbers))
    return text


def _optional_path(value: object, where: str) -> str | None:
    return None if value is None else generated_text(string(value, where), where)


def _workflow_path(value: object, where: str) -> str | None:
    """A workflow's path; its file name is also the workflow's id and its concurrency group's prefix."""
    path = _optional_path(value, where)
    if path is not None and not _WORKFLOW_FILE.fullmatch(posixpath.basename(path)):
        raise ConfigError(f"{where}: the file name must be letters, digits, '.', '_' and '-', ending .yml or .yaml")
    return path
