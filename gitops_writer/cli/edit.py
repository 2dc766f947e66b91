"""The generic verbs: get, set and remove a value at a JSON Pointer in one tfvars or YAML file."""

from __future__ import annotations

from pathlib import Path

import click

from gitops_writer.cli.colour import echo_diff
from gitops_writer.cli.options import check_option, document_option, dry_run_option
from gitops_writer.errors import ExitCode


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@document_option
def get(file: Path, pointer: str, document: int) -> None:
    """Print the value at POINTER (an RFC 6901 JSON Pointer) as JSON."""
    from gitops_writer import verbs as commands

    click.echo(commands.get_value(file, pointer, document=document))


@click.command("set")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@click.argument("value")
@click.option("--no-overwrite", is_flag=True, help="Fail if POINTER already holds a value.")
@dry_run_option
@check_option
@document_option
def set_(file: Path, pointer: str, value: str, no_overwrite: bool, dry_run: bool, check: bool, document: int) -> None:
    """Set POINTER to VALUE (JSON), creating missing parent objects."""
    from gitops_writer import verbs as commands

    _finish_edit(
        commands.set_value(
            file, pointer, value, overwrite=not no_overwrite, document=document, write=not (dry_run or check)
        ),
        dry_run=dry_run,
        check=check,
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("pointer")
@dry_run_option
@check_option
@document_option
def remove(file: Path, pointer: str, dry_run: bool, check: bool, document: int) -> None:
    """Remove the map key or list element at POINTER."""
    from gitops_writer import verbs as commands

    _finish_edit(
        commands.remove_value(file, pointer, document=document, write=not (dry_run or check)),
        dry_run=dry_run,
        check=check,
    )


def _finish_edit(diff: str, *, dry_run: bool, check: bool) -> None:
    if dry_run:
        echo_diff(diff)
    if check and diff:
        raise SystemExit(ExitCode.DOMAIN)
