"""cli/edit.py: get, set and remove a value at a JSON Pointer, with --dry-run and --check."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from gitops_writer.cli.main import cli


def _run(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(cli, list(args))
    return done.exit_code, done.stdout


def test_set_writes_get_reads_and_remove_takes_away(tmp_path: Path) -> None:
    path = tmp_path / "x.tfvars"
    path.write_text("a = 1 # kept\n")

    assert _run("set", str(path), "/b", '{"c": "d"}') == (0, "")
    assert _run("get", str(path), "/b/c") == (0, '"d"\n')
    assert _run("remove", str(path), "/b") == (0, "")
    assert path.read_text() == "a = 1 # kept\n"


def test_a_dry_run_prints_the_diff_and_check_says_whether_anything_would_change(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n")

    code, out = _run("set", str(path), "/a", "2", "--dry-run")
    assert code == 0 and "-a: 1\n+a: 2\n" in out
    assert _run("set", str(path), "/a", "2", "--check") == (1, "")
    assert _run("set", str(path), "/a", "1", "--check") == (0, "")
    assert path.read_text() == "a: 1\n"  # neither wrote
