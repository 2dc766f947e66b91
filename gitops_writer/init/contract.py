"""What the workflow and the Backstage template a kind replaces enforce, proposed as the kind's own settings.

Each workflow input and template parameter is matched to a field of the kind (the kind's `inputs`, then
the parameter the template's dispatch step sends as the input, then the same name). A field's choices
come from the workflow's `options` (else the template's `enum`), its patterns from the workflow's shell
and the template's `pattern:`, `required` from either; the branch, commit message and labels from the
workflow's pull request step. Every value is checked as the kind language checks its own, and a value
that fails is reported with its reason, never copied. Each proposal carries the file and line it came from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gitops_writer.check.patterns import partial_fill, placeholders
from gitops_writer.errors import ConfigError
from gitops_writer.generate.fields import SIGNED_IN_USER, one_pattern, patterns, refused_user
from gitops_writer.init.model import Inference
from gitops_writer.init.regex import PatternRefused, checked, from_posix
from gitops_writer.init.shell import INPUT
from gitops_writer.init.workflow import PULL_REQUEST_ACTION, Template, Text, Workflow
from gitops_writer.kinds.model import BUILT_INS
from gitops_writer.kinds.setting import generated_text
from gitops_writer.placeholders import escape
from gitops_writer.proposal import label_problem
from gitops_writer.refs import branch_problem
from gitops_writer.values import JSONObject, JSONValue

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind

_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)
_SHELL_VARIABLE = re.compile(r"\$\{?[A-Za-z_][A-Za-z0-9_]*")
MAX_CHOICE = 200  # characters of one choice
MAX_TEXT = 1000  # characters of a branch, commit message or label as the workflow writes it


@dataclass
class Evidence:
    """What the workflow and template say about one field, each with where it is said."""

    choices: list[tuple[list[str], str]] = field(default_factory=list)  # (values, origin), workflow first
    patterns: list[tuple[str, str]] = field(default_factory=list)  # (ECMAScript pattern, origin)
    required: list[str] = field(default_factory=list)  # origins


@dataclass
class Contract:
    """The proposal: settings under the kind, and the comment lines above each (by path of keys)."""

    settings: JSONObject = field(default_factory=dict)
    comments: dict[tuple[str, ...], list[str]] = field(default_factory=dict)

    def propose(self, path: tuple[str, ...], value: JSONValue, *origins: str) -> None:
        *parents, last = path
        place = self.settings
        for key in parents:
            inner = place.setdefault(key, {})
            assert isinstance(inner, dict)
            place = inner
        place[last] = value
        self.comments.setdefault(path, []).extend(origins)


class Reader:
    """Reads one kind's workflow and template into a Contract, noting in `result` what it did and did not."""

    def __init__(self, kind: RequestKind, raw_fields: JSONObject, environments: Sequence[str]) -> None:
        self.kind = kind
        self.properties: Mapping[str, JSONObject] = kind.fields.get("properties", {})
        raw = raw_fields.get("properties")  # the kind's own field schemas, without the loader's additions
        self.raw = {k: v for k, v in raw.items() if isinstance(v, dict)} if isinstance(raw, dict) else {}
        self.environments = list(environments)
        self.contract = Contract()
        self.evidence: dict[str, Evidence] = {name: Evidence() for name in self.properties}

    def field_of_input(self, name: str, template: Template | None) -> str | None:
        if name in self.kind.inputs:
            return self.kind.inputs[name] or None
        sent = template.sends.get(name) if template is not None else None
        if sent is not None and sent[0] in self.properties:
            return sent[0]
        return name if name in self.properties else None

    def read(self, workflow: Workflow | None, template: Template | None, result: Inference) -> Contract:
        if workflow is not None:
            self._workflow_inputs(workflow, template, result)
            self._workflow_tests(workflow, template, result)
        if template is not None:
            self._template(template, workflow, result)
        for name, evidence in self.evidence.items():
            self._field(name, evidence, result)
        self._required(result)
        if workflow is not None:
            self._words(workflow, template, result)
        return self.contract

    # -- gathering

    def _workflow_inputs(self, workflow: Workflow, template: Template | None, result: Inference) -> None:
        for name, declared in workflow.inputs.items():
            target = self.field_of_input(name, template)
            origin = f"{workflow.path}:{declared.line}"
            if target is None:
                if name not in self.kind.inputs:
                    result.cannot(f"workflow: input {name} ({origin}) is no field of the kind; not learned")
                continue
            if target != name and name not in self.kind.inputs:
                self.contract.propose(("inputs", name), target, f"the template sends {target} as input {name}")
            if declared.type == "choice" and declared.options:
                self.evidence[target].choices.append((declared.options, f"the options of input {name}, {origin}"))
            if declared.required and declared.default is None:
                self.evidence[target].required.append(f"input {name} is required, {origin}")

    def _workflow_tests(self, workflow: Workflow, template: Template | None, result: Inference) -> None:
        for line in workflow.unread:
            result.cannot(f"workflow: {workflow.path}:{line} tests an input in a way init cannot read")
        for test in workflow.tests:
            target = self.field_of_input(test.input, template)
            origin = f"{workflow.path}:{test.line}"
            if target is None:
                continue
            if not test.requires or test.flags:
                how = f"with grep -{test.flags}" if test.flags else "without failing the run when it does not match"
                result.cannot(f"{target}: {origin} tests input {test.input} against {test.pattern} {how}; not copied")
                continue
            try:
                pattern = (
                    test.pattern if test.dialect == "perl" else from_posix(test.pattern, basic=test.dialect == "basic")
                )
            except PatternRefused as exc:
                result.cannot(f"{target}: the pattern {test.pattern} ({origin}) {exc}; not copied")
                continue
            self.evidence[target].patterns.append((pattern, f"the workflow's validation, {origin}"))

    def _template(self, template: Template, workflow: Workflow | None, result: Inference) -> None:
        by_parameter = {sent[0]: name for name, sent in template.sends.items()}
        for name, parameter in template.parameters.items():
            target = name if name in self.properties else None
            if target is None and name in by_parameter:
                target = self.field_of_input(by_parameter[name], template)
            if target is None:
                continue
            origin = f"{template.path}:{parameter.line}"
            if parameter.enum:
                self.evidence[target].choices.append(([v for v, _ in parameter.enum], f"the enum of {name}, {origin}"))
            if parameter.pattern:
                self.evidence[target].patterns.append((parameter.pattern, f"the template's pattern, {origin}"))
            if parameter.required:
                self.evidence[target].required.append(f"parameter {name} is required, {origin}")
        if workflow is not None and template.workflow not in (None, workflow.path):
            result.cannot(f"template: {template.path} dispatches {template.workflow}, not {workflow.path}")

    # -- proposing

    def _field(self, name: str, evidence: Evidence, result: Inference) -> None:
        schema = copy.deepcopy(dict(self.raw.get(name) or self.properties[name]))
        origins: list[str] = []
        choices = self._choices(name, evidence, result)
        if choices is not None:
            schema["enum"] = list(choices[0])
            origins.append(f"enum: {choices[1]}")
        offered = schema.get("enum")
        enum = offered if isinstance(offered, list) else None
        written = one_pattern(self.properties[name])  # as `generate` writes the kind's patterns into a template
        have = {*patterns(self.properties[name]), *patterns(schema), *([written] if written else [])}
        for pattern, origin in evidence.patterns:
            said = f"{name}: the pattern {pattern} ({origin})"
            reason = _unusable(pattern)
            implied = None if reason else _implied(pattern, enum, have)
            if implied is not None:
                result.note(f"{said} {implied}")
                continue
            reason = reason or self._pattern_refused(name, pattern, enum)
            if reason is not None:
                result.cannot(f"{said} {reason}; not copied")
                continue
            _add_pattern(schema, pattern)
            have.add(pattern)
            origins.append(f"pattern {pattern}: {origin}")
        if origins:
            self.contract.propose(("fields", "properties", name), schema, *origins)

    def _choices(self, name: str, evidence: Evidence, result: Inference) -> tuple[list[str], str] | None:
        """The choices to propose and where from; None when there are none, or nothing new."""
        if not evidence.choices:
            return None
        (values, origin), *others = evidence.choices
        kept = [v for v in values if _choice_problem(v) is None]
        for value in values:
            if _choice_problem(value) is not None:
                result.cannot(f"{name}: the choice {value[:60]!r} ({origin}) {_choice_problem(value)}; left out")
        for other, where in others:
            extra = [v for v in other if v not in kept]
            if extra:
                result.cannot(f"{name}: {where} also offers {', '.join(extra)}, which the workflow does not; left out")
        if name == "environment":
            if kept != self.environments:
                result.cannot(
                    f"environment: {origin} lists {', '.join(kept)}; the repository's `environments:` setting "
                    f"({', '.join(self.environments)}) decides them, not the kind"
                )
            return None
        if kept == self.properties[name].get("enum"):
            result.note(f"{name}: {origin} matches the kind's choices")
            return None
        return (kept, origin) if kept else None

    def _pattern_refused(self, name: str, pattern: str, enum: list[JSONValue] | None) -> str | None:
        """Why a valid pattern the kind does not hold yet is not copied; None when it is."""
        if enum is not None:
            refused = [str(v) for v in enum if not _matches(pattern, str(v))]
            return f"refuses the choice {refused[0]}" if refused else None
        if name == SIGNED_IN_USER:
            user = refused_user({"pattern": pattern})
            if user is not None:
                return (
                    f"refuses the Backstage user {user!r}, whom Backstage signs in as the requester: "
                    "every request from such a user would be refused"
                )
        return None

    def _required(self, result: Inference) -> None:
        required = list(self.kind.fields.get("required", ()))
        added = {name: evidence.required for name, evidence in self.evidence.items() if evidence.required}
        new = [name for name in added if name not in required]
        if not new:
            return
        self.contract.propose(("fields", "required"), [*required, *new], *(f"{name}: {added[name][0]}" for name in new))
        result.note(f"required: {', '.join(new)}, as the workflow or template requires them")

    def _words(self, workflow: Workflow, template: Template | None, result: Inference) -> None:
        if not workflow.pull_request_line:
            result.cannot(f"workflow: {workflow.path} has no {PULL_REQUEST_ACTION} step; branch and labels stay")
            return
        for key, text in (("branch", workflow.branch), ("commit", workflow.commit)):
            if text is None:
                continue
            made = self._template_text(text.value, template)
            problem = made[1] or (_branch_problem(made[0]) if key == "branch" else None)
            origin = f"{workflow.path}:{text.line}"
            if problem is not None:
                result.cannot(f"{key}: {text.value!r} ({origin}) {problem}; not copied")
            elif made[0] == getattr(self.kind, key):
                result.note(f"{key}: {origin} writes the kind's own {made[0]}")
            else:
                self.contract.propose((key,), made[0], f"{workflow.path}:{text.line}")
        labels = [label for text in workflow.labels if (label := self._label(text, workflow, template, result))]
        if labels and labels != list(self.kind.labels):
            lines = ", ".join(str(text.line) for text in workflow.labels)
            self.contract.propose(("labels",), list(labels), f"the pull request step's labels, {workflow.path}:{lines}")
        elif labels:
            result.note(f"labels: {workflow.path} labels its pull requests as the kind does")

    def _label(self, text: Text, workflow: Workflow, template: Template | None, result: Inference) -> str | None:
        label, problem = self._template_text(text.value, template)
        filled = partial_fill(label, {name: "x" for name in placeholders(label)})
        problem = problem or _text_problem(label) or label_problem(filled)
        if problem is not None:
            result.cannot(f"labels: {text.value[:60]!r} ({workflow.path}:{text.line}) {problem}; left out")
            return None
        return label

    def _template_text(self, text: str, template: Template | None) -> tuple[str, str | None]:
        """(the kind's template for a workflow's text, why it cannot be one)."""
        if len(text) > MAX_TEXT:
            return text, f"is longer than the {MAX_TEXT} characters init reads"
        parts: list[str] = []
        position = 0
        for expression in _EXPRESSION.finditer(text):
            written = text[position : expression.start()]
            match = INPUT.fullmatch(expression.group())
            target = self.field_of_input(match.group(1), template) if match else None
            if target is None:
                return text, f"uses {expression.group()}, which is no field of the kind"
            if _SHELL_VARIABLE.search(written):
                return text, "holds a shell variable, which Actions does not expand in a step's `with:`"
            parts.extend((escape(written), "{" + target + "}"))
            position = expression.end()
        rest = text[position:]
        if _SHELL_VARIABLE.search(rest):
            return text, "holds a shell variable, which Actions does not expand in a step's `with:`"
        made = "".join(parts) + escape(rest)
        known = (*self.properties, *self.kind.derived, *BUILT_INS)
        unknown = [p for p in placeholders(made) if p not in known]
        return made, (f"uses {{{unknown[0]}}}, which the kind does not know" if unknown else _text_problem(made))


def _unusable(pattern: str) -> str | None:
    try:
        checked(pattern)
    except PatternRefused as exc:
        return str(exc)
    return None


def _implied(pattern: str, enum: list[JSONValue] | None, have: set[str]) -> str | None:
    """Why a valid pattern adds nothing to the field, if it does not."""
    if pattern in have:
        return "is the kind's own already"
    if enum is not None and all(_matches(pattern, str(v)) for v in enum):
        return "holds for every choice"
    return None


def _add_pattern(schema: JSONObject, pattern: str) -> None:
    if "pattern" not in schema and "allOf" not in schema:
        schema["pattern"] = pattern
        return
    rules = schema.setdefault("allOf", [])
    assert isinstance(rules, list)
    rules.append({"pattern": pattern})


def _matches(pattern: str, text: str) -> bool:
    from gitops_writer.kinds.validate import ecma_pattern

    return re.search(ecma_pattern(pattern), text) is not None


def _choice_problem(value: str) -> str | None:
    if len(value) > MAX_CHOICE:
        return f"is longer than {MAX_CHOICE} characters"
    return _text_problem(value)


def _text_problem(text: str) -> str | None:
    try:
        generated_text(text, "")
    except ConfigError:
        return "holds a line break or another control character, or '${{' or '}}'"
    return None


def _branch_problem(template: str) -> str | None:
    return branch_problem(partial_fill(template, {name: "x" for name in placeholders(template)}))
