"""cli/recover.py: settle an interrupted write, and say so; on a settled tree, say there is nothing to do."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gitops_writer.cli.main import cli


def test_a_tree_without_an_interrupted_write_has_nothing_to_recover(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["recover", f"--repo={tmp_path}"])
    assert (done.exit_code, done.stdout, done.stderr) == (0, "", "gitops-writer: nothing to recover\n")
