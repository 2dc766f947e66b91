"""gitops_writer/__main__.py: `python -m gitops_writer` is the same command line as `gitops-writer`."""

from __future__ import annotations

import subprocess
import sys


def _module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gitops_writer", *args], capture_output=True, text=True, check=False)


def test_help_lists_the_commands_and_exits_zero() -> None:
    run = _module("--help")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Usage: gitops-writer [OPTIONS] COMMAND [ARGS]...")
    assert "request" in run.stdout and run.stderr == ""


def test_a_bad_option_is_one_line_and_exit_two() -> None:
    run = _module("--bogus")
    assert run.returncode == 2
    assert run.stderr == "gitops-writer: error: No such option '--bogus'.\n" and run.stdout == ""
