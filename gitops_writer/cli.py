"""The command line: Click and nothing else; every command calls into the package."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import click

from gitops_writer import __version__
from gitops_writer.errors import ExitCode, GitopsWriterError

dry_run_option = click.option("--dry-run", is_flag=True, help="Print the unified diff of the edit and write nothing.")
check_option = click.option("--check", is_flag=True, help="Write nothing; exit 1 if the edit would change the file.")
document_option = click.option(
    "--document",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="YAML only: which document of a multi-document file (0-based).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitops-writer")
def cli() -> None:
    """Edit Terraform tfvars and Backstage catalog YAML without touching their formatting."""


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@document_option
def get(file: Path, pointer: str, document: int) -> None:
    """Print the value at POINTER (an RFC 6901 JSON Pointer) as JSON."""
    from gitops_writer import commands

    click.echo(commands.get_value(file, pointer, document=document))


@cli.command("set")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@click.argument("value")
@click.option("--no-overwrite", is_flag=True, help="Fail if POINTER already holds a value.")
@dry_run_option
@check_option
@document_option
def set_(file: Path, pointer: str, value: str, no_overwrite: bool, dry_run: bool, check: bool, document: int) -> None:
    """Set POINTER to VALUE (JSON), creating missing parent objects."""
    from gitops_writer import commands

    _finish_edit(
        commands.set_value(
            file, pointer, value, overwrite=not no_overwrite, document=document, write=not (dry_run or check)
        ),
        dry_run=dry_run,
        check=check,
    )


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@dry_run_option
@check_option
@document_option
def remove(file: Path, pointer: str, dry_run: bool, check: bool, document: int) -> None:
    """Remove the map key or list element at POINTER."""
    from gitops_writer import commands

    _finish_edit(
        commands.remove_value(file, pointer, document=document, write=not (dry_run or check)),
        dry_run=dry_run,
        check=check,
    )


def _finish_edit(diff: str, *, dry_run: bool, check: bool) -> None:
    if dry_run:
        click.echo(diff, nl=False)
    if check and diff:
        raise SystemExit(ExitCode.DOMAIN)


repo_option = click.option(
    "--repo",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The GitOps repository's working tree.",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Layout file (default: REPO/.gitops-writer.yaml).",
)


def publish_options(command):
    """The options shared by every command that can open a pull request."""
    for option in reversed(
        [
            click.option(
                "--publish", is_flag=True, help="Commit on the request branch, push, and open or update the PR."
            ),
            click.option(
                "--base-branch",
                help="Branch the PR targets and the request is built on (default: config, else development).",
            ),
            click.option("--token", envvar=None, help="GitHub token (default: $GITHUB_TOKEN, then $GH_TOKEN)."),
            click.option("--repository", help="OWNER/NAME on GitHub (default: $GITHUB_REPOSITORY)."),
            click.option("--api-url", help="GitHub API URL (default: $GITHUB_API_URL, else api.github.com)."),
            click.option("--remote", default="origin", show_default=True, help="Git remote to fetch from and push to."),
            click.option(
                "--on-closed",
                type=click.Choice(["recreate", "skip"]),
                default="recreate",
                show_default=True,
                help="What to do when the request's PR was closed without merging.",
            ),
            click.option(
                "--extra-body-file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Text appended to the PR body, e.g. a plan.",
            ),
            click.option("--draft", is_flag=True, help="Open the PR as a draft."),
            click.option("--labels", help="Comma-separated PR labels instead of the configured ones."),
            click.option("--force", is_flag=True, help="Replace commits on the request branch made by someone else."),
            click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
        ]
    ):
        command = option(command)
    return command


@cli.group()
def ecr() -> None:
    """Request or remove an AWS ECR repository: edit the tfvars and catalogs, optionally open the PR."""


@ecr.command("request")
@repo_option
@click.option("--name", required=True, help="Registry name, e.g. payments-api.")
@click.option("--environment", required=True, help="Target environment, e.g. dev.")
@click.option("--owner", required=True, help="Owning team (Backstage group name).")
@click.option("--requester", required=True, help="Who asked for it (Backstage user name).")
@click.option("--domain", required=True, help="Business domain.")
@click.option("--risk", required=True, help="Risk level: low, medium or high (or as configured).")
@click.option("--date", help="Date recorded in the catalog, YYYY-MM-DD (default: today, UTC).")
@config_option
@click.option("--update", is_flag=True, help="Rewrite the values of an existing registry that differ.")
@dry_run_option
@publish_options
def ecr_request(repo: Path, config_file: Path | None, update: bool, dry_run: bool, **options: object) -> None:
    """Add a registry to the tfvars, the governance catalog and the Backstage catalog."""
    from gitops_writer.requests import commands

    fields = {k: options.pop(k) for k in ("name", "environment", "owner", "requester", "domain", "risk", "date")}
    commands.run("ecr", "create", repo, fields, config_file, update=update, dry_run=dry_run, **options)  # type: ignore[arg-type]


@ecr.command("remove")
@repo_option
@click.option("--name", required=True, help="Registry name.")
@click.option("--environment", required=True, help="Environment it was requested in.")
@click.option("--date", help="Date recorded as the catalog's last update, YYYY-MM-DD (default: today, UTC).")
@config_option
@dry_run_option
@publish_options
def ecr_remove(repo: Path, config_file: Path | None, dry_run: bool, **options: object) -> None:
    """Remove a registry from every file the request wrote."""
    from gitops_writer.requests import commands

    fields = {k: options.pop(k) for k in ("name", "environment", "date")}
    commands.run("ecr", "remove", repo, fields, config_file, update=False, dry_run=dry_run, **options)  # type: ignore[arg-type]


def main(argv: Sequence[str] | None = None) -> NoReturn:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="gitops-writer", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.Abort:
        _fail("aborted", ExitCode.DOMAIN)
    except click.UsageError as exc:
        _fail(exc.format_message().replace("\n", " "), ExitCode.USAGE)
    except click.ClickException as exc:
        _fail(exc.format_message().replace("\n", " "), ExitCode.USAGE)
    except GitopsWriterError as exc:
        _fail(str(exc), exc.exit_code, title=type(exc).__name__)
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.DOMAIN)
    except (BrokenPipeError, SystemExit) as exc:
        if isinstance(exc, SystemExit):
            raise
        raise SystemExit(ExitCode.DOMAIN) from None
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("GITOPS_WRITER_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (set GITOPS_WRITER_DEBUG=1 for a traceback)",
            ExitCode.INTERNAL,
        )
    raise SystemExit(ExitCode.OK)


def _fail(message: str, code: int, title: str = "gitops-writer") -> NoReturn:
    line = " ".join(str(message).split("\n"))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from gitops_writer.actions import error_annotation

        error_annotation(title, line)
    click.echo(f"gitops-writer: error: {line}", err=True)
    raise SystemExit(code)


def run() -> NoReturn:
    """The console script: `main`, then leave without tearing down the parsed trees.

    Freeing a few hundred thousand syntax-tree objects one by one costs a large request a fifth of
    its run; every file is written and closed by now, so only the standard streams need flushing.
    """
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)
