"""The Backstage scaffolder template of a kind: a form from the kind's fields, one github:actions:dispatch step."""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING
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
from gitops_writer.kinds.form import Form, Page
from gitops_writer.placeholders import parse
from gitops_writer.values import JSONObject, JSONValue

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gitops_writer.kinds.model import RequestKind

_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_SCHEMA_KEYS = (
    *("type", "description", "enum", "minLength", "maxLength", "minimum", "maximum", "default"),
    *("items", "minItems", "maxItems", "uniqueItems"),
)


def check_repository(repository: str) -> tuple[str, str]:
    if not _REPOSITORY.fullmatch(repository) or repository.endswith((".", ".git")):
        raise UsageError(f"--repository: {repository!r} is not OWNER/NAME")
    owner, name = repository.split("/")
    return owner, name


def workflow_file(kind: RequestKind) -> str:
    return posixpath.basename(kind.workflow) if kind.workflow else f"{kind.name}-request.yml"


def parameter(kind: RequestKind, field: str, schema: Mapping[str, JSONValue]) -> JSONObject:
    out: JSONObject = {"title": schema.get("title", field)}
    for key in _SCHEMA_KEYS:
        if key in schema:
            out[key] = schema[key]
    pattern = one_pattern(schema)
    if pattern is not None:
        out["pattern"] = pattern
    if field == "name":
        limit = name_limit(kind)
        if limit is not None:
            given = out.get("maxLength")
            out["maxLength"] = min(limit, given) if isinstance(given, int) else limit
    if picks_owner(field, schema):  # the picker gives an entity reference: the dispatch step sends its name
        for key in ("pattern", "maxLength", "minLength"):
            out.pop(key, None)
        out["ui:field"] = "OwnerPicker"
        out["ui:options"] = {"catalogFilter": {"kind": "Group"}}
    return out


def picks_owner(field: str, schema: Mapping[str, JSONValue]) -> bool:
    """An owner the kind leaves open is picked from the catalog's groups; one with an enum is a plain select."""
    return field == OWNER and "enum" not in schema


def sent(kind: RequestKind, name: str, field: str | None, base_branch: str) -> str:
    """What the dispatch step sends for an input: the signed-in user's name (the entity-less included),
    the picked owner's name rather than its entity reference (empty when an optional picker is left empty),
    the field's value; or every field as one JSON object, the kind's fields only, whatever else the form's
    values hold."""
    if field is not None:
        value = value_of(kind, field)
        listed = kind.field_type(field) == "array"
        schema = properties(kind)[field]
        optional = field not in required(kind) and field != SIGNED_IN_USER and not picks_owner(field, schema)
        if optional and (not listed or "default" in schema):
            value += f" | default({json.dumps(schema.get('default', ''))})"  # a value the form left out
        if kind.field_type(field) in ("integer", "number", "boolean"):  # workflowInputs must be strings
            value += " | string"
        elif listed:  # a list goes as its JSON text, which a list field reads; none as nothing, not given
            value += " | dump"
        return f"${{{{ {value} }}}}"
    if name != PAYLOAD_INPUT:
        return base_branch
    members = ", ".join(f"{field}: ({value_of(kind, field)})" for field in properties(kind))
    return f"${{{{ {{{members}}} | dump }}}}"


def value_of(kind: RequestKind, field: str) -> str:
    """The scaffolder expression (inside `${{ }}`) of a field's value as the workflow expects it."""
    if field == SIGNED_IN_USER:
        return "user.ref | parseEntityRef | pick('name')"
    if picks_owner(field, properties(kind)[field]):
        name = f"parameters.{field} | parseEntityRef | pick('name')"
        # an optional picker left empty gives no ref to parse: Backstage would send the expression's text
        return name if field in required(kind) else f"{name} if parameters.{field} else ''"
    return f"parameters.{field}"


def branch_filter(kind: RequestKind, fields: set[str]) -> str | None:
    """The PR list's `head:` filter for the request's branch, when the branch is made of form fields only."""
    branch = kind.branch
    out = []
    for piece in parse(branch):
        if isinstance(piece, str):
            out.append(quote(piece, safe=""))
        elif piece.name not in fields:
            return None
        else:
            out.append(f"${{{{ parameters.{piece.name} }}}}")
    return "".join(out)


def template_data(
    kind: RequestKind, repository: str, base_branch: str, owner: str = "group:platform-team"
) -> JSONObject:
    org, repo = check_repository(repository)
    fields = properties(kind)
    form_fields = [name for name in fields if name != SIGNED_IN_USER]
    form = kind.form
    workflow = workflow_file(kind)
    dispatch: JSONObject = {
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
    links: list[JSONValue] = [
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
    for extra in form.links:
        links.append({"title": extra.title, **({"icon": extra.icon} if extra.icon else {}), "url": extra.url})
    return {
        "apiVersion": "scaffolder.backstage.io/v1beta3",
        "kind": "Template",
        "metadata": {
            "name": f"{kind.name}-request",
            "title": form.title or f"Request {_article(kind.title)} {kind.title}",
            "description": form.description
            or (
                f"Ask for {_article(kind.title)} {kind.title}. A pull request against the GitOps repository's "
                f"{base_branch} branch records it; reviewers merge it."
            ),
            "tags": list(form.tags) or ["gitops", kind.name],
        },
        "spec": {
            "owner": owner,
            "type": "resource",
            "parameters": pages(kind, form, form_fields),
            "steps": [dispatch],
            "output": {"links": links},
        },
    }


def pages(kind: RequestKind, form: Form, form_fields: list[str]) -> list[JSONValue]:
    """The form's pages: the kind's own, or every field on one page titled by the kind; each field with its
    ui:* keywords, the first field focused unless the kind focuses another."""
    fields = properties(kind)
    laid_out = form.pages or (Page(kind.title, tuple(form_fields)),)
    focused = any("ui:autofocus" in keywords for keywords in form.ui.values())
    out: list[JSONValue] = []
    for page in laid_out:
        props: JSONObject = {}
        for name in page.fields:
            prop = {**parameter(kind, name, fields[name]), **form.ui.get(name, {})}
            if not focused:
                prop["ui:autofocus"] = True
                focused = True
            props[name] = prop
        wanted: list[JSONValue] = [name for name in required(kind) if name in page.fields]
        out.append(
            {
                "title": page.title,
                **({"description": page.description} if page.description else {}),
                "required": wanted,
                "properties": props,
            }
        )
    return out


def _article(title: str) -> str:
    return "an" if title[:1].upper() in "AEIOU" else "a"


HEADER = """\
# Backstage scaffolder template for the {kind} request kind, written by
# `gitops-writer generate template {kind} --repository {repository}`. It only dispatches the
# workflow named by workflowId, which edits the files and opens the pull request; Backstage cannot
# know the PR's URL when the dispatch returns, so the output links the workflow runs and the PR
# list for the request branch.
"""


def render_template(kind: RequestKind, repository: str, base_branch: str = "development") -> str:
    from gitops_writer.yaml.render import Style, block_lines, join

    data = template_data(kind, repository, base_branch)
    header = HEADER.format(kind=kind.name, repository=repository)  # the repository is checked OWNER/NAME
    return header + join(block_lines(data, 0, Style(2, 2, "\n")), Style())
