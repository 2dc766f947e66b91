"""cli/colour.py: diffs coloured on a terminal, or when asked; plain text otherwise."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gitops_writer.cli.main import cli

DIFF_LINES = ("-a: 1\n", "+a: 2\n", "@@ -1,2 +1,2 @@\n", " b: 3\n")


def _dry_run(tmp_path: Path, *color: str) -> str:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: 3\n")
    done = CliRunner().invoke(cli, [*color, "set", str(path), "/a", "2", "--dry-run"], color=True)
    assert done.exit_code == 0, done.output
    return done.stdout


def test_always_colours_each_line_by_what_it_is(tmp_path: Path) -> None:
    out = _dry_run(tmp_path, "--color=always")
    assert click.style("+a: 2", fg="green") + "\n" in out and click.style("-a: 1", fg="red") + "\n" in out
    assert click.style("@@ -1,2 +1,2 @@", fg="cyan") in out and "\n b: 3\n" in out  # context lines as they are
    assert all(line in click.unstyle(out) for line in DIFF_LINES)


@pytest.mark.parametrize("color", [["--color=never"], []], ids=["never", "auto-off-a-terminal"])
def test_never_or_not_a_terminal_is_the_diff_as_it_is(tmp_path: Path, color: list[str]) -> None:
    out = _dry_run(tmp_path, *color)
    assert out == click.unstyle(out) and "-a: 1\n+a: 2\n" in out
