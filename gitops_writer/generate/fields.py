"""What the template and the workflow both derive from a kind: its form fields and dispatch inputs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gitops_writer.errors import UsageError
from gitops_writer.values import JSONValue

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind

BACKSTAGE_NAME_MAX = 63
GITHUB_INPUTS_MAX = 25  # workflow_dispatch inputs GitHub accepts (it was 10 until late 2025)
BASE_BRANCH_INPUT = "base_branch"
PAYLOAD_INPUT = "payload"  # every field as one JSON object, for a kind of more fields than GitHub takes inputs
_INPUT_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# Fields Backstage fills itself rather than asking for.
SIGNED_IN_USER = "requester"
OWNER = "owner"


@dataclass(frozen=True)
class Input:
    """One workflow_dispatch input, and the field (if any) it carries."""

    name: str
    field: str | None  # None: not a request field (base_branch, payload)
    schema: Mapping[str, JSONValue]
    required: bool


def properties(kind: RequestKind) -> Mapping[str, Mapping[str, JSONValue]]:
    """The kind's fields as a form asks for them: a computed default is left to the request, not shown."""
    from gitops_writer.kinds.template import computed

    fields = kind.fields.get("properties", {})
    return {
        name: {k: v for k, v in schema.items() if k != "default"} if computed(schema.get("default")) else schema
        for name, schema in fields.items()
    }


def required(kind: RequestKind) -> tuple[str, ...]:
    return tuple(kind.fields.get("required", ()))


def input_name(kind: RequestKind, field: str) -> str:
    """The dispatch input that carries a field: its first alias with a workflow-input name, else the field's name."""
    for alias, target in kind.inputs.items():
        if target == field and "_" in alias and _INPUT_NAME.fullmatch(alias):
            return str(alias)
    for alias, target in kind.inputs.items():
        if target == field and _INPUT_NAME.fullmatch(alias) and "-" not in alias:
            return str(alias)
    return field


def payload_mode(kind: RequestKind) -> bool:
    """Whether the fields travel as one JSON input: when one input each would be more than GitHub accepts."""
    return len(properties(kind)) + 1 > GITHUB_INPUTS_MAX


def inputs(kind: RequestKind) -> list[Input]:
    """The workflow's inputs: base_branch, then one per field, or the payload when they would be too many."""
    problem = requester_rule_problem(kind)
    if problem is not None:
        raise UsageError(problem)
    fields = properties(kind)
    needed = set(required(kind))
    found = [Input(BASE_BRANCH_INPUT, None, {"type": "string", "description": "Branch the pull request targets"}, True)]
    if payload_mode(kind):
        description = f"The request's fields as one JSON object ({len(fields)} fields, more than {GITHUB_INPUTS_MAX})"
        return [*found, Input(PAYLOAD_INPUT, None, {"type": "string", "description": description}, True)]
    return found + [Input(input_name(kind, name), name, schema, name in needed) for name, schema in fields.items()]


def patterns(schema: Mapping[str, JSONValue]) -> list[str]:
    """Every pattern a string must match: its own and those of its allOf rules."""
    own, rules = schema.get("pattern"), schema.get("allOf")
    found = [own] if isinstance(own, str) else []
    for rule in rules if isinstance(rules, list) else ():
        pattern = rule.get("pattern") if isinstance(rule, Mapping) else None
        if isinstance(rule, Mapping) and isinstance(pattern, str) and not rule.keys() - {"pattern", "errorMessage"}:
            found.append(pattern)
    return found


def one_pattern(schema: Mapping[str, JSONValue]) -> str | None:
    """The patterns as one ECMAScript regex (lookaheads when there are several)."""
    found = patterns(schema)
    if not found:
        return None
    if len(found) == 1:
        return found[0]
    return "".join(f"(?={p if p.startswith('^') else '^.*' + p})" for p in found) + ".*$"


def name_limit(kind: RequestKind) -> int | None:
    """The longest name whose Backstage entity names stay within Backstage's 63 characters."""
    limits = []
    for edit in kind.edits:
        if edit.edit_type != "file" or not isinstance(edit.value, Mapping):
            continue
        metadata = edit.value.get("metadata")
        template = metadata.get("name") if isinstance(metadata, Mapping) else None
        if isinstance(template, str) and template.count("{name}") == 1 and "{" not in template.replace("{name}", ""):
            limits.append(BACKSTAGE_NAME_MAX - (len(template) - len("{name}")))
    return min(limits) if limits else None


# Real Backstage user names (Backstage's entity-name rule: letters and digits, single '-', '_' or '.'
# between them, at most 63 characters); a requester rule must accept every one of them.
BACKSTAGE_USERS = ("amelia.park", "daniel-deans", "j_smith", "JaneDoe", "a", "x" * BACKSTAGE_NAME_MAX)


def refused_user(schema: Mapping[str, JSONValue]) -> str | None:
    """A real Backstage user name the requester field's rule refuses, or None when it takes them all."""
    for user in BACKSTAGE_USERS:
        enum = schema.get("enum")
        if isinstance(enum, list) and user not in enum:
            return user
        longest, shortest = schema.get("maxLength", len(user)), schema.get("minLength", 0)
        if (isinstance(longest, int) and len(user) > longest) or (isinstance(shortest, int) and len(user) < shortest):
            return user
        if any(not _matches(pattern, user) for pattern in patterns(schema)):
            return user
    return None


def _matches(pattern: str, text: str) -> bool:
    try:
        return re.search(pattern, text) is not None
    except re.error:  # an ECMAScript construct Python does not read: the kind's own validation judges it
        return True


def requester_rule_problem(kind: RequestKind) -> str | None:
    """Why the kind's requester field would refuse the users Backstage signs in, if it would."""
    schema = properties(kind).get(SIGNED_IN_USER)
    user = refused_user(schema) if schema is not None else None
    if user is None:
        return None
    return (
        f"kind {kind.name}: the {SIGNED_IN_USER} field refuses the Backstage user {user!r}; Backstage user names "
        "are letters and digits with single '-', '_' or '.' between them, up to 63 characters"
    )
