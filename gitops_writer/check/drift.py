"""A kind against its committed Backstage template and dispatch workflow: what generate would write, in substance.

Compared: the fields each offers and requires, the values their choice lists offer (each checked against
the kind's own field schema), patterns, and the inputs the dispatch sends. Titles, descriptions, comments
and order are the adopter's to word.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.check.dispatch import dispatches, template_parameters, workflow_inputs
from gitops_writer.check.findings import ERROR, WARNING, Finding
from gitops_writer.check.scan import Snapshot
from gitops_writer.kinds.validate import accepts
from gitops_writer.values import JSONObject, JSONValue

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind

CHECK = "drift"


def _accepts(schema: JSONObject, value: str) -> bool:
    typed: JSONValue = value
    kind = schema.get("type")
    if kind in ("integer", "number"):
        try:
            typed = int(value) if kind == "integer" else float(value)
        except ValueError:
            return False
    elif kind == "boolean":
        typed = {"true": True, "false": False}.get(value, value)
    clean = {k: v for k, v in schema.items() if k not in ("errorMessage", "title", "description", "default")}
    return accepts(clean, typed)


def kind_drift(snapshot: Snapshot, kind: RequestKind) -> Iterator[Finding]:
    from gitops_writer.generate.fields import requester_rule_problem

    problem = requester_rule_problem(kind)
    if problem is not None:
        yield Finding(*_requester_place(snapshot, kind), ERROR, CHECK, problem + ": every request would be refused")
    properties = _schemas(kind.fields.get("properties"))
    required = list(kind.fields.get("required", ()))
    template_path, workflow_path = kind.template, kind.workflow
    if workflow_path and snapshot.exists(workflow_path):
        yield from _workflow(snapshot, kind, workflow_path, properties, required)
    if template_path and snapshot.exists(template_path):
        yield from _template(snapshot, kind, template_path, properties)


def _schemas(properties: JSONValue) -> dict[str, JSONObject]:
    """The kind's field schemas by field name (each an object: the config loader checked them)."""
    listed = properties.items() if isinstance(properties, dict) else ()
    return {name: schema for name, schema in listed if isinstance(schema, dict)}


def _requester_place(snapshot: Snapshot, kind: RequestKind) -> tuple[str, int]:
    """The config file defining the kind, relative to the repository where it is inside it, and the line
    of its first requester field."""
    source = Path(kind.source.rsplit("overridden by ", 1)[-1])
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return str(source), 1
    try:
        shown = source.resolve().relative_to(snapshot.root.resolve()).as_posix()
    except ValueError:
        shown = str(source)
    line = next((n for n, row in enumerate(text.splitlines(), 1) if row.strip().startswith("requester:")), 1)
    return shown, line


def _field_of(kind: RequestKind, name: str) -> str | None:
    if name in kind.fields.get("properties", {}):
        return name
    target = kind.inputs.get(name)
    return target or None


def _workflow(
    snapshot: Snapshot, kind: RequestKind, path: str, properties: Mapping[str, JSONObject], required: list[str]
) -> Iterator[Finding]:
    declared = workflow_inputs(snapshot, path)
    if declared is None:
        return
    carried = {_field_of(kind, name): item for name, item in declared.items()}
    for wanted in required:
        if wanted not in carried:
            yield Finding(
                path, 1, ERROR, CHECK, f"kind {kind.name}: the workflow has no input for its required field {wanted}"
            )
    for name, item in declared.items():
        field = _field_of(kind, name)
        schema = properties.get(field or "")
        if not schema or item.type != "choice":
            continue
        for option in item.options:
            if not _accepts(schema, option):
                yield Finding(
                    path,
                    item.line,
                    ERROR,
                    CHECK,
                    f"kind {kind.name}: the workflow's input {name} offers {option}, which the kind's field "
                    f"{field} refuses",
                    option,
                )
        enum = schema.get("enum")
        for value in enum if isinstance(enum, list) else ():
            if str(value) not in item.options:
                yield Finding(
                    path,
                    item.line,
                    ERROR,
                    CHECK,
                    f"kind {kind.name}: the workflow's input {name} does not offer {value}, which the kind's "
                    f"field {field} accepts",
                    str(value),
                )


def _template(
    snapshot: Snapshot, kind: RequestKind, path: str, properties: Mapping[str, JSONObject]
) -> Iterator[Finding]:
    template = next((e for e in snapshot.entities if e.path == path and e.entity_kind == "Template"), None)
    if template is None:
        return
    from gitops_writer.generate.fields import one_pattern

    for name, parameter in template_parameters(template).items():
        schema = properties.get(name)
        if schema is None:
            continue  # a form-only field (a picker, a choice the dispatch step turns into an input)
        for option, line in parameter.enum:
            if not _accepts(schema, option):
                yield Finding(
                    path,
                    line,
                    ERROR,
                    CHECK,
                    f"kind {kind.name}: template {template.name} offers {name} {option}, which the kind refuses",
                    option,
                )
        wanted = one_pattern(schema)
        if parameter.pattern and wanted and parameter.pattern != wanted and not parameter.enum:
            yield Finding(
                path,
                parameter.line,
                WARNING,
                CHECK,
                f"kind {kind.name}: template {template.name}'s pattern for {name} is {parameter.pattern}, the kind's "
                f"is {wanted}: the form and the request may disagree",
                name,
            )
    for dispatch in dispatches(snapshot, template):
        if kind.workflow and dispatch.workflow != kind.workflow:
            yield Finding(
                path,
                dispatch.line,
                ERROR,
                CHECK,
                f"kind {kind.name}: template {template.name} dispatches {dispatch.workflow}, not the kind's "
                f"workflow {kind.workflow}",
            )
