"""`gitops-writer recover`: settle a multi-file write that was interrupted (killed, power cut)."""

from __future__ import annotations

from pathlib import Path

import click

from gitops_writer.cli.options import repo_option


@click.command()
@repo_option
def recover(repo: Path) -> None:
    """Finish (or undo) an interrupted write in REPO's working tree, and remove its leftovers.

    Every other command does this first on its own; running it twice does nothing the second time.
    """
    from gitops_writer.repo import recover as settle

    done = settle(repo)
    click.echo(f"gitops-writer: {done}" if done else "gitops-writer: nothing to recover", err=True)
