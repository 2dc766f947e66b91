"""The Backstage scaffolder template of a kind: a form from the kind's fields, one github:actions:dispatch step."""

from __future__ import annotations

import json
import posixpath
import re
from typing import Any
from urllib.parse import quote

from gitops_writer.errors import UsageError
from gitops_writer.generate.fields import (
    OWNER,
    PAYLOAD_INPUT,
    SIGNED_IN_USER,
    inputs,
    name_limit,
    one_pattern,
    properties,
    required,
)

_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SCHEMA_KEYS = ("type", "description", "enum", "minLength", "maxLength", "minimum", "maximum", "default")


def check_repository(repository: str) -> tuple[str, str]:
    if not _REPOSITORY.fullmatch(repository) or repository.endswith((".", ".git")):
        raise UsageError(f"--repository: {repository!r} is not OWNER/NAME")
    owner, name = repository.split("/")
    return owner, name


def workflow_file(kind: Any) -> str:
    return posixpath.basename(kind.workflow) if getattr(kind, "workflow", None) else f"{kind.name}-request.yml"


def parameter(kind: Any, field: str, schema: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"title": schema.get("title", field)}
    for key in _SCHEMA_KEYS:
        if key in schema:
            out[key] = schema[key]
    pattern = one_pattern(schema)
    if pattern is not None:
        out["pattern"] = pattern
    if field == "name":
        limit = name_limit(kind)
        if limit is not None:
            out["maxLength"] = min(limit, out.get("maxLength", limit))
    if picks_owner(field, schema):  # the picker gives an entity reference: the dispatch step sends its name
        for key in ("pattern", "maxLength", "minLength"):
            out.pop(key, None)
        out["ui:field"] = "OwnerPicker"
        out["ui:options"] = {"catalogFilter": {"kind": "Group"}}
    return out


def picks_owner(field: str, schema: Any) -> bool:
    """An owner the kind leaves open is picked from the catalog's groups; one with an enum is a plain select."""
    return field == OWNER and "enum" not in schema


def sent(kind: Any, name: str, field: str | None, base_branch: str) -> str:
    """What the dispatch step sends for an input: the signed-in user's name (the entity-less included),
    the picked owner's name rather than its entity reference, the field's value; or every field as
    one JSON object, the kind's fields only, whatever else the form's values hold."""
    if field is not None:
        value = value_of(kind, field)
        if field not in required(kind) and field != SIGNED_IN_USER:  # a value the form left out: its default
            value += f" | default({json.dumps(properties(kind)[field].get('default', ''))})"
        if kind.field_type(field) in ("integer", "number", "boolean"):  # workflowInputs must be strings
            value += " | string"
        return f"${{{{ {value} }}}}"
    if name != PAYLOAD_INPUT:
        return base_branch
    members = ", ".join(f"{field}: ({value_of(kind, field)})" for field in properties(kind))
    return f"${{{{ {{{members}}} | dump }}}}"


def value_of(kind: Any, field: str) -> str:
    """The scaffolder expression (inside `${{ }}`) of a field's value as the workflow expects it."""
    if field == SIGNED_IN_USER:
        return "user.ref | parseEntityRef | pick('name')"
    if picks_owner(field, properties(kind)[field]):
        return f"parameters.{field} | parseEntityRef | pick('name')"
    return f"parameters.{field}"


def branch_filter(kind: Any, fields: set[str]) -> str | None:
    """The PR list's `head:` filter for the request's branch, when the branch is made of form fields only."""
    branch = getattr(kind, "branch", "")
    parts = re.split(r"(\{[^{}]*\})", branch)
    out = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            if part[1:-1] not in fields:
                return None
            out.append(f"${{{{ parameters.{part[1:-1]} }}}}")
        else:
            out.append(quote(part, safe=""))
    return "".join(out)


def template_data(kind: Any, repository: str, base_branch: str, owner: str = "group:platform-team") -> dict[str, Any]:
    org, repo = check_repository(repository)
    fields = properties(kind)
    form_fields = [name for name in fields if name != SIGNED_IN_USER]
    props: dict[str, Any] = {}
    for index, name in enumerate(form_fields):
        props[name] = parameter(kind, name, fields[name])
        if index == 0:
            props[name]["ui:autofocus"] = True
    workflow = workflow_file(kind)
    page = {"title": kind.title, "required": [n for n in required(kind) if n in form_fields], "properties": props}
    dispatch = {
        "id": "dispatch",
        "name": "Start the request workflow",
        "action": "github:actions:dispatch",
        "input": {
            "repoUrl": f"github.com?owner={org}&repo={repo}",
            "workflowId": workflow,
            "branchOrTagName": "main",
            "workflowInputs": {item.name: sent(kind, item.name, item.field, base_branch) for item in inputs(kind)},
        },
    }
    links = [
        {
            "title": "Workflow runs",
            "icon": "github",
            "url": f"https://github.com/{org}/{repo}/actions/workflows/{workflow}",
        }
    ]
    head = branch_filter(kind, set(form_fields))
    pulls = f"https://github.com/{org}/{repo}/pulls"
    links.append(
        {
            "title": f"Pull request for this {kind.title}" if head else "Pull requests",
            "icon": "github",
            "url": f"{pulls}?q=is%3Apr+head%3A{head}" if head else pulls,
        }
    )
    return {
        "apiVersion": "scaffolder.backstage.io/v1beta3",
        "kind": "Template",
        "metadata": {
            "name": f"{kind.name}-request",
            "title": f"Request {_article(kind.title)} {kind.title}",
            "description": (
                f"Ask for {_article(kind.title)} {kind.title}. A pull request against the GitOps repository's "
                f"{base_branch} branch records it; reviewers merge it."
            ),
            "tags": ["gitops", kind.name],
        },
        "spec": {
            "owner": owner,
            "type": "resource",
            "parameters": [page],
            "steps": [dispatch],
            "output": {"links": links},
        },
    }


def _article(title: str) -> str:
    return "an" if title[:1].upper() in "AEIOU" else "a"


HEADER = """\
# Backstage scaffolder template for the {kind} request kind, written by
# `gitops-writer generate template {kind} --repository {repository}`. It only dispatches
# {workflow}, which edits the files and opens the pull request; Backstage cannot know the PR's
# URL when the dispatch returns, so the output links the workflow runs and the PR list for the
# request branch.
"""


def render_template(kind: Any, repository: str, base_branch: str = "development") -> str:
    from gitops_writer.yaml.render import Style, block_lines, join

    data = template_data(kind, repository, base_branch)
    header = HEADER.format(kind=kind.name, repository=repository, workflow=workflow_file(kind))
    return header + join(block_lines(data, 0, Style(2, 2, "\n")), Style())
