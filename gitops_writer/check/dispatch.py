"""A Backstage template and the workflow_dispatch workflow it starts: what one sends, the other accepts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from gitops_writer.check.findings import ERROR, WARNING, Finding
from gitops_writer.check.scan import Entity, Snapshot, child, scalar, scalars
from gitops_writer.errors import GitopsWriterError
from gitops_writer.yaml.syntax import MAPPING, SEQUENCE, Node

CHECK = "drift"
DISPATCH = "github:actions:dispatch"
_TEXT = r"(?:\"[^\"]*\"|'[^']*')"  # a quoted Nunjucks string
_FILTER = r"[A-Za-z_][A-Za-z0-9_]*(?:\((?:[^()\"']|" + _TEXT + r")*\))?"  # e.g. pick('name')
_SENT = re.compile(
    r"\$\{\{\s*parameters\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?P<filters>(?:\s*\|\s*" + _FILTER + r")*)"
    r"(?:\s+if\s+parameters\.(?P=name)\s+else\s+(?P<otherwise>" + _TEXT + r"))?\s*\}\}"
)


@dataclass(frozen=True)
class Sent:
    """A dispatch input's value of the form `${{ parameters.NAME | FILTER... [if parameters.NAME else 'TEXT'] }}`."""

    parameter: str
    filters: tuple[str, ...]  # e.g. ("parseEntityRef", "pick('name')")
    otherwise: str | None  # the text (quoted) sent instead when the parameter is empty; None: no such guard

    @property
    def alone(self) -> bool:
        """Whether it sends the parameter's value exactly as the form gives it."""
        return not self.filters and self.otherwise is None

    @property
    def parsed(self) -> bool:
        """Whether it sends the value through parseEntityRef (a picker's entity ref turned into a name)."""
        return any(item.split("(")[0].strip() == "parseEntityRef" for item in self.filters)


def read_sent(value: str) -> Sent | None:
    """The parameter a dispatch input sends and how; None when the value is anything else."""
    found = _SENT.fullmatch(value.strip())
    if found is None:
        return None
    filters = tuple(re.findall(r"\|\s*(" + _FILTER + ")", found["filters"]))
    return Sent(found["name"], filters, found["otherwise"])


def sent_parameter(value: str) -> str | None:
    """The parameter a dispatch input sends when its value is exactly `${{ parameters.NAME }}`."""
    sent = read_sent(value)
    return sent.parameter if sent is not None and sent.alone else None


@dataclass
class Parameter:
    name: str
    line: int
    enum: list[tuple[str, int]] = field(default_factory=list)
    pattern: str | None = None
    required: bool = False
    picker: str | None = None  # its ui:field, e.g. OwnerPicker: a picker sends an entity ref


@dataclass
class WorkflowInput:
    name: str
    line: int
    type: str = "string"
    required: bool = False
    default: str | None = None
    options: list[str] = field(default_factory=list)


@dataclass
class Dispatch:
    """One github:actions:dispatch step of a template."""

    template: Entity
    workflow: str  # the workflow's repository path
    line: int
    inputs: dict[str, tuple[str, int]]  # workflow input -> (value sent, line)


def template_parameters(template: Entity) -> dict[str, Parameter]:
    """The form's fields, over every page (`parameters` is one object or a list of them)."""
    found: dict[str, Parameter] = {}
    parameters = child(child(template.node, "spec"), "parameters")
    pages = parameters.items if parameters is not None and parameters.node_type == SEQUENCE else [parameters]
    for page in pages:
        if page is None or page.node_type != MAPPING:
            continue
        required = {text for text, _ in scalars(child(page, "required"))}
        properties = child(page, "properties")
        for key, value in properties.items if properties is not None and properties.node_type == MAPPING else []:
            found[key.value] = Parameter(
                key.value,
                key.line + 1,
                scalars(child(value, "enum")),
                scalar(child(value, "pattern")),
                key.value in required,
                scalar(child(value, "ui:field")),
            )
    return found


def workflow_inputs(snapshot: Snapshot, path: str) -> dict[str, WorkflowInput] | None:
    """The workflow's workflow_dispatch inputs; None when it cannot be read or has no such trigger."""
    try:
        documents = snapshot.yaml(path)
    except GitopsWriterError:
        return None
    if not documents:
        return None
    trigger = child(child(documents[0].root, "on"), "workflow_dispatch")
    if trigger is None:
        return None
    found: dict[str, WorkflowInput] = {}
    inputs = child(trigger, "inputs")
    for key, value in inputs.items if inputs is not None and inputs.node_type == MAPPING else []:
        found[key.value] = WorkflowInput(
            key.value,
            key.line + 1,
            scalar(child(value, "type")) or "string",
            scalar(child(value, "required")) in ("true", "True", "TRUE"),
            scalar(child(value, "default")),
            [text for text, _ in scalars(child(value, "options"))],
        )
    return found


def dispatches(snapshot: Snapshot, template: Entity) -> Iterator[Dispatch]:
    steps = child(child(template.node, "spec"), "steps")
    for step in steps.items if steps is not None and steps.node_type == SEQUENCE else []:
        if scalar(child(step, "action")) != DISPATCH:
            continue
        given = child(step, "input")
        workflow_id = scalar(child(given, "workflowId"))
        if not workflow_id:
            continue
        path = workflow_id if "/" in workflow_id else f".github/workflows/{workflow_id}"
        if not snapshot.exists(path):
            continue  # a workflow of another repository
        sent: dict[str, tuple[str, int]] = {}
        values = child(given, "workflowInputs")
        for key, value in values.items if values is not None and values.node_type == MAPPING else []:
            sent[key.value] = (value.value if value.node_type == "scalar" else "", value.line + 1)
        yield Dispatch(template, path, step.line + 1, sent)


def dispatch_drift(snapshot: Snapshot) -> Iterator[Finding]:
    for template in snapshot.entities:
        if template.entity_kind != "Template":
            continue
        for dispatch in dispatches(snapshot, template):
            inputs = workflow_inputs(snapshot, dispatch.workflow)
            if inputs is None:
                continue
            parameters = template_parameters(template)
            yield from compare(template, dispatch, parameters, inputs)
            yield from contract(template, dispatch, parameters, inputs)


def compare(
    template: Entity, dispatch: Dispatch, parameters: dict[str, Parameter], inputs: dict[str, WorkflowInput]
) -> Iterator[Finding]:
    """What the template sends against what the workflow declares: the names, then the choices."""
    yield from _names(template, dispatch, inputs)
    yield from _choices(template, dispatch, parameters, inputs)


def _names(template: Entity, dispatch: Dispatch, inputs: dict[str, WorkflowInput]) -> Iterator[Finding]:
    here = f"template {template.name}"
    for name, (_value, line) in dispatch.inputs.items():
        if name not in inputs:
            yield Finding(
                template.path,
                line,
                ERROR,
                CHECK,
                f"{here} sends input {name}, which {dispatch.workflow} does not declare (GitHub refuses the dispatch)",
            )
    for name, wanted in inputs.items():
        if wanted.required and wanted.default is None and name not in dispatch.inputs:
            yield Finding(
                template.path,
                dispatch.line,
                ERROR,
                CHECK,
                f"{here} does not send input {name}, which {dispatch.workflow} requires",
            )


def _choices(
    template: Entity, dispatch: Dispatch, parameters: dict[str, Parameter], inputs: dict[str, WorkflowInput]
) -> Iterator[Finding]:
    here = f"template {template.name}"
    for name, value, line, declared in _sent(dispatch, inputs):
        if declared is None or declared.type != "choice" or not declared.options:
            continue
        options = ", ".join(declared.options)
        sent = sent_parameter(value)
        if sent is None:
            if "${{" not in value and value not in declared.options:
                yield Finding(
                    template.path,
                    line,
                    ERROR,
                    CHECK,
                    f"{here} sends {name}={value}, which the choice input {name} of {dispatch.workflow} "
                    f"does not accept (options: {options})",
                )
            continue
        parameter = parameters.get(sent)
        if parameter is None:
            continue
        if not parameter.enum:
            yield Finding(
                template.path,
                parameter.line,
                WARNING,
                CHECK,
                f"{here} lets {parameter.name} be typed freely, but the choice input {name} of "
                f"{dispatch.workflow} accepts only {options}",
                parameter.name,
            )
        for option, option_line in parameter.enum:
            if option not in declared.options:
                yield Finding(
                    template.path,
                    option_line,
                    ERROR,
                    CHECK,
                    f"{here} offers {parameter.name} {option}, which the choice input {name} of "
                    f"{dispatch.workflow} does not accept (options: {options})",
                    option,
                )


def _sent(dispatch: Dispatch, inputs: dict[str, WorkflowInput]) -> Iterator[tuple[str, str, int, WorkflowInput | None]]:
    """(input, value sent, line, the workflow's declaration or None) of each input the dispatch sends."""
    for name, (value, line) in dispatch.inputs.items():
        yield name, value, line, inputs.get(name)


def first_line(node: Node | None) -> int:
    return node.line + 1 if node is not None else 1


_USER_ENTITY = re.compile(r"\$\{\{[^}]*\buser\.entity\b")
REQUESTER_PARAMETERS = ("requester", "user")


def contract(
    template: Entity, dispatch: Dispatch, parameters: dict[str, Parameter], inputs: dict[str, WorkflowInput]
) -> Iterator[Finding]:
    """What Backstage's scaffolder backend does with the form's values on their way to the workflow."""
    yield from _input_counts(template, dispatch, inputs)
    yield from _pickers(template, parameters)
    yield from _sent_values(template, dispatch, parameters, inputs)


def _input_counts(template: Entity, dispatch: Dispatch, inputs: dict[str, WorkflowInput]) -> Iterator[Finding]:
    """GitHub refuses a dispatch of more inputs than it accepts, and every dispatch of a workflow declaring more."""
    from gitops_writer.generate.fields import GITHUB_INPUTS_MAX

    here = f"template {template.name}"
    if len(dispatch.inputs) > GITHUB_INPUTS_MAX:
        yield Finding(
            template.path,
            dispatch.line,
            ERROR,
            CHECK,
            f"{here} sends {len(dispatch.inputs)} inputs to {dispatch.workflow}, more than the {GITHUB_INPUTS_MAX} "
            "GitHub accepts: send the fields as one JSON input (gitops-writer generate does past 25)",
        )
    if len(inputs) > GITHUB_INPUTS_MAX:
        yield Finding(
            dispatch.workflow,
            min(item.line for item in inputs.values()) - 1,
            ERROR,
            CHECK,
            f"{dispatch.workflow} declares {len(inputs)} workflow_dispatch inputs, more than the "
            f"{GITHUB_INPUTS_MAX} GitHub accepts: it refuses every dispatch",
        )


def _pickers(template: Entity, parameters: dict[str, Parameter]) -> Iterator[Finding]:
    """Form fields Backstage fills in a way the rest of the template cannot take."""
    from gitops_writer.generate.fields import refused_user

    here = f"template {template.name}"
    for parameter in parameters.values():
        if parameter.enum and parameter.picker and parameter.picker.endswith("Picker"):
            yield Finding(
                template.path,
                parameter.line,
                ERROR,
                CHECK,
                f"{here}: {parameter.name} is an {parameter.picker} with an enum; the picker sends an entity ref "
                "(group:default/NAME), which Backstage refuses as not one of the enum values: make it a plain "
                "select (no ui:field)",
                parameter.name,
            )
        if parameter.name in REQUESTER_PARAMETERS and not parameter.enum:
            user = refused_user({"pattern": parameter.pattern} if parameter.pattern else {})
            if user is not None:
                yield Finding(
                    template.path,
                    parameter.line,
                    ERROR,
                    CHECK,
                    f"{here}: {parameter.name} refuses the Backstage user {user!r} (pattern {parameter.pattern}); "
                    "send the signed-in user's name instead: ${{ user.ref | parseEntityRef | pick('name') }}",
                    parameter.name,
                )


def _sent_values(
    template: Entity, dispatch: Dispatch, parameters: dict[str, Parameter], inputs: dict[str, WorkflowInput]
) -> Iterator[Finding]:
    """Expressions that render empty, or as literal text, or as an entity ref where a name is wanted."""
    here = f"template {template.name}"
    for name, value, line, declared in _sent(dispatch, inputs):
        if _USER_ENTITY.search(value):
            yield Finding(
                template.path,
                line,
                ERROR if declared is not None and declared.required and declared.default is None else WARNING,
                CHECK,
                f"{here} sends {name} from user.entity, which is empty for a signed-in user with no User entity "
                "in the catalog: the input is left out of the dispatch. Send "
                "${{ user.ref | parseEntityRef | pick('name') }}",
            )
        reference = read_sent(value)
        source = parameters.get(reference.parameter) if reference else None
        if reference is None or source is None:
            continue
        parsed = reference.parsed
        if parsed and not source.picker:
            yield Finding(
                template.path,
                line,
                ERROR,
                CHECK,
                f"{here} sends {name} through parseEntityRef, but {source.name} is a plain name, not an "
                "entity ref: the expression cannot render and is sent to GitHub as literal text",
            )
        elif parsed and not source.required and reference.otherwise is None:
            yield Finding(
                template.path,
                line,
                ERROR,
                CHECK,
                f"{here} sends {name} through parseEntityRef, but {source.name} is optional: left empty, the "
                "expression cannot render and is sent to GitHub as literal text: send ${{ parameters."
                f"{source.name} | parseEntityRef | pick('name') if parameters.{source.name} else '' }}}}",
            )
        elif not parsed and source.picker in ("OwnerPicker", "EntityPicker"):
            yield Finding(
                template.path,
                line,
                ERROR,
                CHECK,
                f"{here} sends {name} as the entity ref {source.picker} gives (kind:namespace/name), not a name: "
                f"send ${{{{ parameters.{source.name} | parseEntityRef | pick('name') }}}}",
            )
