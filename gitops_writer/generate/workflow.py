"""The workflow_dispatch workflow of a kind: typed inputs, least privilege, one run per request, the pinned action."""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING

from gitops_writer.errors import UsageError
from gitops_writer.generate.fields import BASE_BRANCH_INPUT, PAYLOAD_INPUT, Input, input_name, inputs, payload_mode
from gitops_writer.placeholders import sequence_width
from gitops_writer.values import JSONObject

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind

CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1"  # v7.0.1
CHECKOUT_VERSION = "v7.0.1"
_VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")  # written into a comment beside the SHA
_PINNED = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+(?:/[A-Za-z0-9._/-]+)?@[0-9a-f]{40}")
_GITHUB_URL = re.compile(
    r"(?:git\+)?(?:https://|ssh://git@)github\.com[/:]([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?"
)


def check_action(action: str, version: str | None = None) -> str:
    if not _PINNED.fullmatch(action):
        raise UsageError(f"--action: {action!r} must be OWNER/NAME@ a full 40-character commit SHA")
    if version is not None and not _VERSION.fullmatch(version):
        raise UsageError(f"--action-version: {version!r} must be a release name such as v1.2.0")
    return action


def action_from_direct_url(text: str, version: str) -> tuple[str, str] | None:
    """(OWNER/NAME@commit, the release for the comment) from an installation's direct_url.json (PEP 610),
    when it was installed from a commit of a GitHub repository (pip install git+https://github.com/...@vX.Y.Z)."""
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None
    vcs = data.get("vcs_info") if isinstance(data, dict) else None
    if not isinstance(vcs, dict):
        return None
    url = _GITHUB_URL.fullmatch(str(data.get("url", "")))
    commit = str(vcs.get("commit_id", ""))
    if url is None or not re.fullmatch(r"[0-9a-f]{40}", commit):
        return None
    revision = str(vcs.get("requested_revision") or "")
    return f"{url[1]}/{url[2]}@{commit}", revision if re.fullmatch(r"v\d+\.\d+\.\d+", revision) else f"v{version}"


def installed_action() -> tuple[str, str] | None:
    """The action this installation is a release of, if the installation records the commit."""
    from importlib import metadata

    from gitops_writer import __version__

    try:
        text = metadata.distribution("gitops-writer").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None
    return action_from_direct_url(text, __version__) if text else None


def workflow_input(item: Input, base_branch: str) -> JSONObject:
    schema = item.schema
    json_type = schema.get("type", "string")
    description = str(schema.get("description") or schema.get("title") or item.name)
    if json_type == "array":  # dispatch inputs are texts: the form sends the list as JSON
        description += ' (a JSON list, e.g. ["a", "b"])'
    out: JSONObject = {"description": description, "required": item.required}
    if item.field is None:
        out["default"] = base_branch
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        out["type"] = "choice"
        out["options"] = [str(option) for option in enum]
    elif json_type in ("boolean", "integer", "number") and (item.required or "default" in schema):
        out["type"] = "boolean" if json_type == "boolean" else "number"  # optional with no default: text, left empty
    else:
        out["type"] = "string"
    if "default" in schema and item.field is not None:
        out["default"] = json.dumps(schema["default"]) if json_type == "array" else schema["default"]
    return out


# Where the requester hears back (the config's `notifications:`): a repository variable and a secret.
BACKSTAGE_INPUTS = {
    "backstage-url": "${{ vars.BACKSTAGE_URL }}",
    "backstage-token": "${{ secrets.BACKSTAGE_NOTIFICATIONS_TOKEN }}",
}


def _checkout_with(kind: RequestKind) -> JSONObject:
    """A numbered kind counts over every file its history ever added, so it needs the whole history;
    the default depth of 1 would let a removed request's number be given again."""
    if sequence_width(kind.id) is None:
        return {"persist-credentials": False}
    return {"fetch-depth": 0, "persist-credentials": False}


def workflow_data(kind: RequestKind, base_branch: str, action: str, version: str, notify: bool = False) -> JSONObject:
    check_action(action, version)
    declared = inputs(kind)
    # with the payload, the fields reach the action as the JSON text Backstage sent, which it validates
    payload = payload_mode(kind)
    name = f"fromJSON(inputs.{PAYLOAD_INPUT}).name" if payload else f"inputs.{input_name(kind, 'name')}"
    fields = f"${{{{ inputs.{PAYLOAD_INPUT} }}}}" if payload else "${{ toJSON(inputs) }}"
    stem = posixpath.splitext(posixpath.basename(kind.workflow))[0] if kind.workflow else f"{kind.name}-request"
    return {
        "name": f"Request {kind.title}",
        "on": {"workflow_dispatch": {"inputs": {item.name: workflow_input(item, base_branch) for item in declared}}},
        "permissions": {},
        "concurrency": {"group": f"{stem}-${{{{ {name} }}}}", "cancel-in-progress": False},
        "jobs": {
            "request": {
                "name": f"Request {kind.title}",
                "runs-on": "ubuntu-latest",
                "timeout-minutes": 15,
                "permissions": {"contents": "write", "pull-requests": "write"},
                # for jobs that follow the request, e.g. a plan of exactly the commit it pushed
                "outputs": {
                    name: f"${{{{ steps.gitops-writer.outputs.{name} }}}}"
                    for name in ("pull-request-number", "branch", "head-sha")
                },
                "steps": [
                    {
                        "name": "Check out the GitOps repository",
                        "uses": CHECKOUT,
                        "with": _checkout_with(kind),
                    },
                    {
                        "name": f"Open the pull request for the {kind.title}",
                        "id": "gitops-writer",
                        "uses": action,
                        "with": {
                            "kind": kind.name,
                            "fields": fields,
                            "base-branch": f"${{{{ inputs.{BASE_BRANCH_INPUT} }}}}",
                            **(BACKSTAGE_INPUTS if notify else {}),
                        },
                    },
                    {
                        "name": "Report the pull request",
                        "env": {
                            "PR_OPERATION": "${{ steps.gitops-writer.outputs.pull-request-operation }}",
                            "PR_URL": "${{ steps.gitops-writer.outputs.pull-request-url }}",
                            "PR_BRANCH": "${{ steps.gitops-writer.outputs.branch }}",
                            "PR_HEAD_SHA": "${{ steps.gitops-writer.outputs.head-sha }}",
                        },
                        "run": REPORT,
                    },
                ],
            }
        },
    }


REPORT = """\
{
  echo "| output | value |"
  echo "| --- | --- |"
  printf '| pull-request-operation | %s |\\n' "$PR_OPERATION"
  printf '| pull-request-url | %s |\\n' "$PR_URL"
  printf '| branch | `%s` |\\n' "$PR_BRANCH"
  printf '| head-sha | `%s` |\\n' "$PR_HEAD_SHA"
} >> "$GITHUB_STEP_SUMMARY"
"""

HEADER = """\
# The single PR-creation path for requests of the kind {kind}, written by
# `gitops-writer generate workflow {kind}`. Backstage's template dispatches it on main with
# github:actions:dispatch; gitops-writer edits the files, commits on the request branch built on
# the tip of base_branch, and opens or updates one pull request against it.
#
# permissions: nothing at the workflow level; the job asks for exactly its two: contents: write
# to push the request branch, pull-requests: write to open, update and label its pull request.
# concurrency: one run at a time per request; a second dispatch for the same name waits, then
# finds the branch and pull request the first one made and updates them.
#
# Pull requests opened with the default GITHUB_TOKEN do not trigger other workflows (no plan, no
# required checks). To have CI run on the request's PR, mint a GitHub App token in a step before
# the action (actions/create-github-app-token pinned by SHA) and pass it as `token:`.
# Replace {action_name} with the gitops-writer release you adopt, pinned to its full commit SHA.
"""


def render_workflow(
    kind: RequestKind,
    base_branch: str,
    action: str,
    version: str,
    notify: bool = False,
) -> str:
    """The workflow; `notify`: the config asks for notifications, so the action gets Backstage's URL and token."""
    from gitops_writer.yaml.render import Style, block_lines, join

    data = workflow_data(kind, base_branch, action, version, notify)
    text = join(block_lines(data, 0, Style(2, 2, "\n")), Style())
    text = text.replace(f"uses: {CHECKOUT}\n", f"uses: {CHECKOUT} # {CHECKOUT_VERSION}\n")
    text = text.replace(f"uses: {action}\n", f"uses: {action} # {version}\n")
    text = text.replace(
        "      contents: write\n      pull-requests: write\n",
        "      contents: write # push the request branch\n"
        "      pull-requests: write # open or update its pull request, and label it\n",
    )
    # Only the kind's name (an identifier) and the checked action go into comments; every other text
    # of the kind is written above as a YAML scalar.
    header = HEADER.format(kind=kind.name, action_name=action.split("@")[0])
    return header + text
