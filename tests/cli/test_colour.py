"""cli/colour.py: diffs coloured on a terminal, or when asked; plain text otherwise."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from gitops_writer.cli import colour

DIFF = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n same\n"


@click.command()
@click.option(
    "--color",
    type=click.Choice(colour.MODES),
    default="auto",
    expose_value=False,
    is_eager=True,
    callback=colour.remember,
)
def show() -> None:
    colour.echo_diff(DIFF)


def test_always_colours_each_line_by_what_it_is() -> None:
    out = CliRunner().invoke(show, ["--color=always"], color=True).output
    assert click.unstyle(out) == DIFF
    assert click.style("+new", fg="green") + "\n" in out and click.style("@@ -1 +1 @@", fg="cyan") in out
    assert "\n same\n" in out  # context lines as they are


@pytest.mark.parametrize("args", [["--color=never"], []], ids=["never", "auto-off-a-terminal"])
def test_never_or_not_a_terminal_is_the_diff_as_it_is(args: list[str]) -> None:
    assert CliRunner().invoke(show, args, color=True).output == DIFF
