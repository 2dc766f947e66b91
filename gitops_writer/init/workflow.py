"""The request workflow and its Backstage template, read as data: YAML nodes, never run.

From the workflow: its workflow_dispatch inputs (choices, required), the patterns its shell steps test
inputs against (init/shell.py), and the branch, commit message and labels of its pull request step
(peter-evans/create-pull-request). From the template: its parameters (enum, pattern, required) and
which parameter its dispatch step sends as which input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from gitops_writer.check.dispatch import (
    Parameter,
    WorkflowInput,
    dispatches,
    sent_parameter,
    template_parameters,
    workflow_inputs,
)
from gitops_writer.check.scan import Entity, Snapshot, child, scalar
from gitops_writer.errors import GitopsWriterError
from gitops_writer.init.shell import INPUT, ShellTest, script_tests
from gitops_writer.yaml.syntax import MAPPING, SCALAR, SEQUENCE, Node

PULL_REQUEST_ACTION = "peter-evans/create-pull-request"


@dataclass(frozen=True)
class Text:
    value: str
    line: int


@dataclass
class Workflow:
    path: str
    inputs: dict[str, WorkflowInput]
    tests: list[ShellTest] = field(default_factory=list)
    unread: list[int] = field(default_factory=list)  # lines testing an input in a way init cannot read
    branch: Text | None = None
    commit: Text | None = None
    labels: list[Text] = field(default_factory=list)
    pull_request_line: int = 0  # of the pull request step; 0: none


@dataclass
class Template:
    path: str
    name: str
    parameters: dict[str, Parameter]
    sends: dict[str, tuple[str, int]]  # workflow input -> (the parameter sent alone as it, the line)
    workflow: str | None  # the workflow its dispatch step starts


def read_workflow(snapshot: Snapshot, path: str) -> Workflow | None:
    inputs = workflow_inputs(snapshot, path)
    if inputs is None:
        return None
    found = Workflow(path, inputs)
    root = snapshot.yaml(path)[0].root
    jobs = child(root, "jobs")
    for _, job in jobs.items if jobs is not None and jobs.node_type == MAPPING else []:
        steps = child(job, "steps")
        for step in steps.items if steps is not None and steps.node_type == SEQUENCE else []:
            env = {**_env(child(root, "env")), **_env(child(job, "env")), **_env(child(step, "env"))}
            _read_step(found, step, env)
    return found


def _env(node: Node | None) -> dict[str, str]:
    """Environment variables set from exactly one input."""
    found = {}
    for key, value in node.items if node is not None and node.node_type == MAPPING else []:
        match = INPUT.fullmatch((scalar(value) or "").strip())
        if match:
            found[key.value] = match.group(1)
    return found


def _read_step(found: Workflow, step: Node, env: Mapping[str, str]) -> None:
    run = child(step, "run")
    if run is not None and run.node_type == SCALAR:
        first = run.line + (2 if run.style in ("|", ">") else 1)  # a block scalar's text starts a line below
        tests, unread = script_tests(run.value, first, env)
        found.tests.extend(tests)
        found.unread.extend(unread)
    uses = scalar(child(step, "uses")) or ""
    if uses.split("@", 1)[0] != PULL_REQUEST_ACTION:
        return
    given = child(step, "with")
    found.pull_request_line = step.line + 1
    found.branch = _text(child(given, "branch"))
    found.commit = _text(child(given, "commit-message"))
    labels = child(given, "labels")
    if labels is not None and labels.node_type == SEQUENCE:
        found.labels = [Text(item.value, item.line + 1) for item in labels.items if item.node_type == SCALAR]
    elif labels is not None and labels.node_type == SCALAR:
        first = labels.line + (2 if labels.style in ("|", ">") else 1)
        for offset, line in enumerate(labels.value.split("\n")):  # the action splits on lines and commas
            found.labels.extend(Text(part.strip(), first + offset) for part in line.split(",") if part.strip())


def _text(node: Node | None) -> Text | None:
    return Text(node.value, node.line + 1) if node is not None and node.node_type == SCALAR else None


def read_template(snapshot: Snapshot, template: Entity) -> Template:
    sends: dict[str, tuple[str, int]] = {}
    workflow = None
    for dispatch in dispatches(snapshot, template):
        workflow = workflow or dispatch.workflow
        for name, (value, line) in dispatch.inputs.items():
            parameter = sent_parameter(value)
            if parameter:
                sends[name] = (parameter, line)
    return Template(template.path, template.name, template_parameters(template), sends, workflow)


def find_template(snapshot: Snapshot, path: str | None, workflow: str | None) -> Entity | None:
    """The kind's template; else the one template that dispatches the kind's workflow."""
    templates = [e for e in _entities(snapshot) if e.entity_kind == "Template"]
    named = [e for e in templates if e.path == path]
    if named:
        return named[0]
    starting = [e for e in templates if workflow and any(d.workflow == workflow for d in dispatches(snapshot, e))]
    return starting[0] if len(starting) == 1 else None


def _entities(snapshot: Snapshot) -> list[Entity]:
    try:
        return snapshot.entities
    except GitopsWriterError:
        return []
