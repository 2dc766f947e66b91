"""`gitops-writer generate template|workflow KIND`: write what Backstage and GitHub Actions need for a kind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitops_writer.cli.options import complete_kind, config_option, repo_option

if TYPE_CHECKING:
    from gitops_writer.kinds import Config, RequestKind

output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the file here instead of printing it.",
)


@click.group("generate")
def generate() -> None:
    """Write a kind's Backstage scaffolder template or its workflow_dispatch workflow, or the config's JSON Schema."""


def _kind(repo: Path, config_file: Path | None, name: str) -> tuple[Config, RequestKind]:
    from gitops_writer.errors import UsageError
    from gitops_writer.kinds import load_config

    config = load_config(repo, config_file)
    if name not in config.requests:
        raise UsageError(f"KIND: unknown request kind {name!r} (known: {', '.join(config.requests)})")
    return config, config.requests[name]


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from gitops_writer.repo import RepositoryFiles

    files, relative = RepositoryFiles.around(output)
    with files.lock():
        files.write(relative, text)
        files.write_changes()
    click.echo(f"wrote {output}", err=True)


@generate.command("template")
@click.argument("kind_name", metavar="KIND", shell_complete=complete_kind)
@click.option("--repository", required=True, help="OWNER/NAME of the GitOps repository the template dispatches.")
@repo_option
@config_option
@output_option
def template(kind_name: str, repository: str, repo: Path, config_file: Path | None, output: Path | None) -> None:
    """The scaffolder template: a form from the kind's fields, the dispatch step, links to the runs and the PR."""
    from gitops_writer.generate import render_template

    config, kind = _kind(repo, config_file, kind_name)
    _emit(render_template(kind, repository, config.base_branch), output)


@generate.command("workflow")
@click.argument("kind_name", metavar="KIND", shell_complete=complete_kind)
@click.option(
    "--action",
    help="The gitops-writer release to pin, OWNER/NAME@<full commit SHA> (default: the commit this installation "
    "was installed from, when it records one).",
)
@click.option("--action-version", help="The release the SHA is, for the comment (default: vVERSION of this one).")
@repo_option
@config_option
@output_option
def workflow(
    kind_name: str,
    action: str | None,
    action_version: str | None,
    repo: Path,
    config_file: Path | None,
    output: Path | None,
) -> None:
    """The workflow_dispatch workflow: typed inputs, least privilege, one run per request, the pinned action."""
    from gitops_writer import __version__
    from gitops_writer.errors import UsageError
    from gitops_writer.generate import render_workflow
    from gitops_writer.generate.workflow import installed_action

    config, kind = _kind(repo, config_file, kind_name)
    if action is None:
        recorded = installed_action()
        if recorded is None:
            raise UsageError(
                "--action is required: the gitops-writer release to pin, OWNER/NAME@<full commit SHA> "
                "(its release notes give the SHA; this installation records no commit)"
            )
        action, action_version = recorded[0], action_version or recorded[1]
    action_version = action_version or f"v{__version__}"
    notify = "notifications" in config.publishing
    if notify:
        from gitops_writer.notify import notify_settings

        notify_settings(config.publishing, f"config {config.source}")  # a malformed section fails here, loudly
    _emit(render_workflow(kind, config.base_branch, action, action_version, notify), output)


@generate.command("config-schema")
@output_option
def config_schema(output: Path | None) -> None:
    """The JSON Schema of .gitops-writer.yaml, for editors (`# yaml-language-server: $schema=...`) and CI."""
    import json

    from gitops_writer.kinds.config_schema import config_schema as schema

    _emit(json.dumps(schema(), indent=2) + "\n", output)
