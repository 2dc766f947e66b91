"""The verbs on YAML files end to end: exit codes, one-line errors, nothing written on dry runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gitops_writer.cli import main

CATALOG = "repositories:\n  a:\n    owner: x\n  # add new entries above this line\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(CATALOG)
    return path


def test_set_writes_and_get_reads(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "set", str(catalog), "/repositories/b", '{"owner": "z"}')[0] == 0
    assert (
        catalog.read_text()
        == "repositories:\n  a:\n    owner: x\n  b:\n    owner: z\n  # add new entries above this line\n"
    )
    code, out, _ = run(capsys, "get", str(catalog), "/repositories/b")
    assert (code, json.loads(out)) == (0, {"owner": "z"})


def test_dry_run_and_check_write_nothing(catalog: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "set", "--dry-run", str(catalog), "/repositories/b", '"v"')
    assert code == 0 and "+  b: v\n" in out
    assert run(capsys, "set", "--check", str(catalog), "/repositories/b", '"v"')[0] == 1
    assert run(capsys, "set", "--check", str(catalog), "/repositories/a/owner", '"x"')[0] == 0
    assert catalog.read_text() == CATALOG


@pytest.mark.parametrize(
    "args,code,message",
    [
        (["remove", "{f}", "/repositories/zz"], 1, "/repositories/zz: no such key"),
        (["set", "--no-overwrite", "{f}", "/repositories/a", "1"], 1, "already exists"),
        (["set", "--document", "3", "{f}", "/x", "1"], 1, "document 3 does not exist"),
        (["set", "{f}", "/x", "not json"], 2, "VALUE is not valid JSON"),
        (["set", "{f}", "x", "1"], 2, "invalid JSON pointer"),
        (["get", "{bad}", "/a"], 1, "bad.yaml:2:1: invalid YAML"),
    ],
    ids=["absent-key", "no-overwrite", "absent-document", "bad-json", "bad-pointer", "parse-error-has-path"],
)
def test_failures_are_one_line(
    catalog: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int, message: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1\n")
    argv = [a.format(f=catalog, bad=bad) for a in args]
    got, out, err = run(capsys, *argv)
    assert got == code
    assert err.count("\n") == 1 and err.startswith("gitops-writer: error: ") and message in err
    assert "Traceback" not in err and catalog.read_text() == CATALOG


def test_console_entry_point_in_a_subprocess(catalog: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "gitops_writer", "set", "--dry-run", str(catalog), "/repositories/a/risk", '"low"'],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "+    risk: low\n" in result.stdout
