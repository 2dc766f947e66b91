"""The composite action's entry: read its inputs from GW_* variables and run `gitops-writer request KIND`.

Inputs `kind` (default ecr) and `fields` (a JSON object, e.g. `${{ toJSON(inputs) }}`; its keys are
field names or the kind's workflow-input aliases, empty strings count as not given). The ECR inputs
(registry-name, owner, ...) keep working: alone they run `ecr request` as before; with `fields`,
they are fields the JSON can override.

action.yml hands every input over as an environment variable, never as text inside a shell script,
and this module turns them into an argument list, so no input is ever parsed by a shell. Each value
travels as one `--option=value` argument, so a value that starts with `-` cannot become an option.
The token travels in the child's environment (GITHUB_TOKEN), never in its argument list.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from gitops_writer.actions import workflow as actions
from gitops_writer.annotations import error_annotation
from gitops_writer.errors import GitopsWriterError, InputError, ValidationError
from gitops_writer.markdown import block
from gitops_writer.publish.flags import PublishFlags
from gitops_writer.repo.reading import loads_json
from gitops_writer.values import JSONValue

# input name (as in action.yml) -> environment variable action.yml sets from it
VARIABLES = {
    "kind": "GW_KIND",
    "fields": "GW_FIELDS",
    "registry-name": "GW_REGISTRY_NAME",
    "environment": "GW_ENVIRONMENT",
    "owner": "GW_OWNER",
    "requester": "GW_REQUESTER",
    "domain": "GW_DOMAIN",
    "risk": "GW_RISK",
    "base-branch": "GW_BASE_BRANCH",
    "token": "GW_TOKEN",
    "dry-run": "GW_DRY_RUN",
    "extra-body-file": "GW_EXTRA_BODY_FILE",
    "labels": "GW_LABELS",
    "draft": "GW_DRAFT",
    "config": "GW_CONFIG",
    "working-directory": "GW_WORKING_DIRECTORY",
    "draft-on-update": "GW_DRAFT_ON_UPDATE",
    "reviewers": "GW_REVIEWERS",
    "team-reviewers": "GW_TEAM_REVIEWERS",
    "assignees": "GW_ASSIGNEES",
    "sign-commits": "GW_SIGN_COMMITS",
    "author": "GW_AUTHOR",
    "committer": "GW_COMMITTER",
    "delete-branch": "GW_DELETE_BRANCH",
    "backstage-url": "GW_BACKSTAGE_URL",
    "backstage-token": "GW_BACKSTAGE_TOKEN",
}
REQUIRED = ("registry-name", "environment", "owner", "requester", "domain", "risk")  # without fields
# the ECR inputs as fields of any kind (an empty one is not given)
AS_FIELDS = {
    "registry-name": "name",
    "environment": "environment",
    "owner": "owner",
    "requester": "requester",
    "domain": "domain",
    "risk": "risk",
}
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*", re.ASCII)
# request fields -> the CLI option each becomes
FIELDS = {
    "registry-name": "--name",
    "environment": "--environment",
    "owner": "--owner",
    "requester": "--requester",
    "domain": "--domain",
    "risk": "--risk",
}
# Inputs Actions takes as booleans are YAML 1.2 core-schema booleans.
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE", ""})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_UNSAFE = re.compile("[\x00\ud800-\udfff]")  # no process argument or file can carry these
TITLE = "gitops-writer action"
# set in the child only from the inputs, never inherited from the runner's environment
_CHILD_SECRETS = ("GITHUB_TOKEN", "GH_TOKEN", "BACKSTAGE_TOKEN", "BACKSTAGE_URL")


@dataclass(frozen=True)
class Inputs:
    values: dict[str, str]
    token: str
    dry_run: bool
    draft: bool
    kind: str = "ecr"
    fields: dict[str, JSONValue] | None = None  # None: the ECR inputs alone, run as `ecr request`; JSON values
    backstage_token: str = field(default="", repr=False)

    @property
    def name(self) -> str:
        return str(self.fields.get("name", "")) if self.fields is not None else self.values["registry-name"]

    @property
    def environment(self) -> str:
        return str(self.fields.get("environment", "")) if self.fields is not None else self.values["environment"]


def read_inputs(environ: Mapping[str, str]) -> Inputs:
    values = {name: environ.get(variable, "") for name, variable in VARIABLES.items()}
    token = values.pop("token")
    backstage_token = values.pop("backstage-token")
    raw_fields = values.pop("fields")
    for name, value in values.items():
        if _CONTROL.search(value):
            raise InputError(f"input {name} holds a control character (a line break?); pass one line of text")
    kind = values["kind"].strip() or "ecr"
    if not _FIELD_NAME.fullmatch(kind):
        raise InputError(f"input kind must be a request kind's name, not {kind!r}")
    dry_run, draft = _boolean(values, "dry-run"), _boolean(values, "draft")
    for name in ("draft-on-update", "sign-commits", "delete-branch"):
        _boolean(values, name)  # refused here, with the input's name, not later
    if kind == "ecr" and not raw_fields.strip():
        for name in REQUIRED:
            if not values[name].strip():
                raise InputError(f"input {name} is required and was empty")
        return Inputs(values, token, dry_run, draft, backstage_token=backstage_token)
    fields = _ecr_fields(values)
    fields.update(_fields(raw_fields))
    return Inputs(values, token, dry_run, draft, kind=kind, fields=fields, backstage_token=backstage_token)


def _ecr_fields(values: Mapping[str, str]) -> dict[str, JSONValue]:
    """The ECR inputs given, as the fields they stand for."""
    return {AS_FIELDS[name]: values[name] for name in AS_FIELDS if values[name]}


def _fields(raw: str) -> dict[str, JSONValue]:
    """The `fields` input: a JSON object of scalars and lists of them, each kept as JSON gave it."""
    if not raw.strip():
        return {}
    try:
        loaded = loads_json(raw)
    except ValueError as exc:
        raise InputError(f"input fields must be a JSON object, e.g. ${{{{ toJSON(inputs) }}}} ({exc})") from None
    if not isinstance(loaded, dict):
        raise InputError("input fields must be a JSON object, e.g. ${{ toJSON(inputs) }}")
    fields: dict[str, JSONValue] = {}
    for key, value in loaded.items():
        if not _FIELD_NAME.fullmatch(key):
            raise InputError(f"input fields: {key!r} is not a field name")
        if value is None or value == "":
            continue  # an optional workflow input left empty
        if isinstance(value, dict) or (
            isinstance(value, list) and not all(isinstance(item, str | int | float | bool) for item in value)
        ):
            raise InputError(f"input fields: {key} must be a string, number, boolean or a list of them")
        if isinstance(value, str) and _UNSAFE.search(value):
            raise InputError(f"input fields: {key} holds a NUL character or a lone surrogate")
        fields[key] = value
    return fields


def check_field_types(inputs: Inputs) -> None:
    """A JSON true or number for a text field is refused here, where its JSON type is still known: the
    command reads every field as text, and would take it as the text "true"."""
    if inputs.fields is None or all(isinstance(value, str) for value in inputs.fields.values()):
        return
    from gitops_writer.kinds import load_config
    from gitops_writer.requests.model import typed_fields

    repo = Path(inputs.values["working-directory"].strip() or ".")
    config = load_config(repo, Path(inputs.values["config"]) if inputs.values["config"] else None)
    kind = config.requests.get(inputs.kind)
    if kind is None:
        return  # the command names the unknown kind
    try:
        typed_fields(kind, {key: value for key, value in inputs.fields.items() if not isinstance(value, str)})
    except ValidationError as exc:
        raise InputError(f"input fields: {'; '.join(exc.lines)}") from None


def _text(value: JSONValue) -> str:
    """A field as the command's -f reads it: a text as it is, anything else (a list too) as its JSON text."""
    return value if isinstance(value, str) else json.dumps(value)


def _boolean(values: Mapping[str, str], name: str) -> bool:
    value = values[name].strip()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InputError(f"input {name} must be true or false, not {value!r}")


def check_working_directory(inputs: Inputs) -> None:
    """Named as the workflow names it, not as the --repo option it becomes."""
    directory = inputs.values["working-directory"].strip() or "."
    if not Path(directory).is_dir():
        raise InputError(
            f"input working-directory: {directory!r} is no directory of the workspace "
            "(a path relative to it, where the GitOps repository is checked out, e.g. . or infra)"
        )


def build_argv(inputs: Inputs) -> list[str]:
    """The `gitops-writer` arguments for these inputs (without the program itself)."""
    values = inputs.values
    repo = f"--repo={values['working-directory'].strip() or '.'}"
    if inputs.fields is None:
        argv = ["ecr", "request", repo, *(f"{option}={values[name]}" for name, option in FIELDS.items())]
    else:
        argv = [
            "request",
            inputs.kind,
            repo,
            *(f"--field={key}={_text(value)}" for key, value in inputs.fields.items()),
        ]
    if values["config"]:
        argv.append(f"--config={values['config']}")
    if inputs.dry_run:
        return [*argv, "--dry-run", "--json"]
    argv += ["--publish", *flag_arguments(publish_flags(inputs))]
    if values["backstage-url"].strip():
        argv.append(f"--backstage-url={values['backstage-url'].strip()}")
    return argv


def publish_flags(inputs: Inputs) -> PublishFlags:
    """The publishing inputs, an empty one not given."""
    values = inputs.values

    def given(name: str) -> str | None:
        return values[name].strip() or None

    def switch(name: str) -> bool | None:
        return _boolean(values, name) if values[name].strip() else None

    return PublishFlags(
        base_branch=given("base-branch"),
        extra_body_file=Path(values["extra-body-file"]) if values["extra-body-file"] else None,
        labels=given("labels"),
        draft=inputs.draft,
        reviewers=given("reviewers"),
        team_reviewers=given("team-reviewers"),
        assignees=given("assignees"),
        author=given("author"),
        committer=given("committer"),
        draft_on_update=switch("draft-on-update"),
        commit="api" if switch("sign-commits") else None,
        delete_branch=True if switch("delete-branch") else None,
    )


_NEGATIVE = {"draft_on_update": "--ready-on-update", "delete_branch": "--keep-branch"}


def flag_arguments(flags: PublishFlags) -> list[str]:
    """The command's options saying what `flags` say, one `--option=value` argument each, in the order of
    PublishFlags; never the token, which travels in the child's environment."""
    unset = PublishFlags()
    arguments = []
    for item in dataclasses.fields(flags):
        value = getattr(flags, item.name)
        if item.name == "token" or value == getattr(unset, item.name):
            continue
        option = "--" + item.name.replace("_", "-")
        arguments.append(option if value is True else _NEGATIVE[item.name] if value is False else f"{option}={value}")
    return arguments


def child_environment(inputs: Inputs, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment without the GW_* inputs; the token as GITHUB_TOKEN, the one place it goes,
    and only when publishing: a dry run never talks to GitHub, so it never holds the token. The same
    for the Backstage token (BACKSTAGE_TOKEN): a dry run notifies no one."""
    env = {k: v for k, v in environ.items() if k not in VARIABLES.values() and k not in _CHILD_SECRETS}
    if inputs.token and not inputs.dry_run:
        env["GITHUB_TOKEN"] = inputs.token
    if inputs.backstage_token and not inputs.dry_run:
        env["BACKSTAGE_TOKEN"] = inputs.backstage_token
    if inputs.dry_run:
        # The dry run's outputs and summary are written here, from the command's JSON.
        env.pop("GITHUB_OUTPUT", None)
        env.pop("GITHUB_STEP_SUMMARY", None)
    return env


def dry_run_summary(inputs: Inputs, report: Mapping[str, object]) -> str:
    name, environment = inputs.name, inputs.environment
    diff = str(report.get("diff") or "")
    head = f"### gitops-writer: dry run of `{name}` in `{environment}`\n\n"
    if not diff:
        return head + "Nothing would change: the repository already holds this request.\n"
    raw_files = report.get("files")
    files = raw_files if isinstance(raw_files, list) else []
    listed = "".join(f"- `{path}`\n" for path in files)
    count = f"{len(files)} file" + ("" if len(files) == 1 else "s")
    return (
        f"{head}Would change {count} on branch "
        f"`{report.get('branch', '')}` (nothing was written, committed or pushed):\n\n{listed}\n{block(diff, 'diff')}"
    )


def _dry_run(command: Sequence[str], inputs: Inputs, env: Mapping[str, str], environ: Mapping[str, str]) -> int:
    done = subprocess.run(command, env=dict(env), stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.stdout.write(done.stdout)
        return done.returncode
    report = json.loads(done.stdout)
    sys.stdout.write(str(report.get("diff") or ""))
    sys.stdout.flush()
    actions.append_summary(dry_run_summary(inputs, report), environ)
    actions.write_outputs(
        {
            "pull-request-number": "",
            "pull-request-url": "",
            "pull-request-operation": "none",
            "branch": str(report.get("branch") or ""),
            "head-sha": "",
            "commit-verified": "false",
        },
        environ,
    )
    return 0


def run(environ: Mapping[str, str] = os.environ) -> int:
    try:
        inputs = read_inputs(environ)
        check_working_directory(inputs)
        check_field_types(inputs)
        command = [sys.executable, "-m", "gitops_writer", *build_argv(inputs)]
        env = child_environment(inputs, environ)
        if inputs.dry_run:
            return _dry_run(command, inputs, env, environ)
    except GitopsWriterError as exc:
        error_annotation(TITLE, str(exc))
        print(f"gitops-writer: error: {exc}", file=sys.stderr)
        tell_refusal(exc, environ)
        return exc.exit_code
    sys.stdout.flush()
    return subprocess.run(command, env=env, check=False).returncode


def tell_refusal(error: GitopsWriterError, environ: Mapping[str, str]) -> None:
    """Inputs refused before the request runs still reach its requester in Backstage (never on a dry run)."""
    values = {name: environ.get(variable, "") for name, variable in VARIABLES.items()}
    if not values["backstage-url"].strip() or values["dry-run"].strip() not in _FALSE:
        return
    from gitops_writer.kinds import load_config
    from gitops_writer.notify import notifier
    from gitops_writer.requests.model import Request

    fields = _ecr_fields(values)
    try:
        fields.update(_fields(values["fields"]))
    except InputError:
        pass  # what was refused, perhaps: the ECR inputs still name the requester
    try:
        repo = Path(values["working-directory"].strip() or ".")
        config = load_config(repo, Path(values["config"]) if values["config"] else None)
    except GitopsWriterError:
        config = None  # the defaults name the requester field
    tell = notifier(values["backstage-url"].strip(), values["backstage-token"], config, environ=environ)
    if tell is not None:
        tell.refused(Request(values["kind"].strip() or "ecr", "create", fields), config, error)


def main() -> NoReturn:
    raise SystemExit(run())


if __name__ == "__main__":
    main()
