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

dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Print the unified diff of the edit and write nothing."
)
check_option = click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 if the edit would change the file."
)
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


