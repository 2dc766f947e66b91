"""`gitops-writer init`: learn the repository's house style into a `.gitops-writer.yaml`."""

from __future__ import annotations

from pathlib import Path

import click

from gitops_writer.cli.options import complete_kind, repo_option


@click.command("init")
@repo_option
@click.option(
    "--kind",
    "kind_name",
    default="ecr",
    show_default=True,
    shell_complete=complete_kind,
    help="The request kind to fit.",
)
@click.option("--write", is_flag=True, help="Write REPO/.gitops-writer.yaml instead of printing it.")
def init(repo: Path, kind_name: str, write: bool) -> None:
    """Inspect the repository and print (or write) the layout that makes requests look like what is there.

    What was inferred, and from which files, goes to stderr; what cannot be inferred is left to the built-in
    layout."""
    from gitops_writer.errors import ConflictError
    from gitops_writer.init import built_in_kind, infer, render_config

    kind, environments = built_in_kind(kind_name)
    inference = infer(repo, kind_name, kind, environments)
    text = render_config([inference])
    for note in inference.notes:
        click.echo(f"inferred: {note}", err=True)
    for item in inference.unknown:
        click.echo(f"not inferred: {item}", err=True)
    if not write:
        click.echo(text, nl=False)
        return
    from gitops_writer.kinds import CONFIG_FILE
    from gitops_writer.repo import RepositoryFiles

    files = RepositoryFiles(repo)
    with files.lock():
        if files.read(CONFIG_FILE) is not None:
            raise ConflictError(f"{CONFIG_FILE} already exists; run init without --write to see what it would hold")
        files.write(CONFIG_FILE, text)
        files.write_changes()
    overrides = ", ".join(learned.edit_id for learned in inference.overrides) or "none"
    click.echo(f"wrote {CONFIG_FILE} (edits overridden: {overrides})", err=True)
