"""The generic verbs end to end through the console entry point: exit codes, one-line errors, writes."""

from __future__ import annotations

import gc
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

TFVARS = 'ecr_repositories = {\n  "alpha" = { id = "A" }\n}\n'


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def tfvars(tmp_path: Path) -> Path:
    path = tmp_path / "terraform.tfvars"
    path.write_text(TFVARS)
    path.chmod(0o640)
    return path


def test_get_prints_json(tfvars: Path) -> None:
    result = run("get", tfvars.name, "/ecr_repositories/alpha", cwd=tfvars.parent)
    assert result.returncode == 0
    assert json.loads(result.stdout) == {"id": "A"}


def test_set_writes_atomically_and_keeps_the_mode(tfvars: Path) -> None:
    result = run("set", tfvars.name, "/ecr_repositories/beta", '{"id": "B"}', cwd=tfvars.parent)
    assert result.returncode == 0, result.stderr
    assert tfvars.read_text() == 'ecr_repositories = {\n  "alpha" = { id = "A" }\n  "beta"  = { id = "B" }\n}\n'
    assert oct(tfvars.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tfvars.parent.iterdir()) == ["terraform.tfvars"]


def test_dry_run_prints_a_diff_and_writes_nothing(tfvars: Path) -> None:
    result = run("set", "--dry-run", tfvars.name, "/ecr_repositories/beta", '{"id": "B"}', cwd=tfvars.parent)
    assert result.returncode == 0
    assert result.stdout.startswith("--- a/terraform.tfvars\n+++ b/terraform.tfvars\n@@")
    assert '+  "beta"  = { id = "B" }' in result.stdout
    assert tfvars.read_text() == TFVARS


def test_check(tfvars: Path) -> None:
    assert run("set", "--check", tfvars.name, "/ecr_repositories/alpha/id", '"A"', cwd=tfvars.parent).returncode == 0
    assert run("set", "--check", tfvars.name, "/ecr_repositories/alpha/id", '"B"', cwd=tfvars.parent).returncode == 1
    assert tfvars.read_text() == TFVARS


def test_remove(tfvars: Path) -> None:
    assert run("remove", tfvars.name, "/ecr_repositories/alpha", cwd=tfvars.parent).returncode == 0
    assert tfvars.read_text() == "ecr_repositories = {}\n"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["get", "F", "/ecr_repositories/zulu"],
            1,
            "terraform.tfvars: /ecr_repositories/zulu: not found",
            id="absent",
        ),
        pytest.param(["remove", "F", "/nope"], 1, "not found", id="remove-absent"),
        pytest.param(
            ["set", "F", "/ecr_repositories/alpha", "{", "--no-overwrite"], 2, "VALUE is not valid JSON", id="bad-json"
        ),
        pytest.param(["set", "F", "ecr_repositories", "1"], 2, "invalid JSON pointer", id="bad-pointer"),
        pytest.param(
            ["set", "F", "/ecr_repositories/alpha", "1", "--no-overwrite"], 1, "already set", id="no-overwrite"
        ),
        pytest.param(["set", "F", "/x", "NaN"], 2, "not a JSON number", id="nan"),
        pytest.param(["set", "F", "/x", "1e999"], 2, "holds infinity", id="overflows-to-infinity"),
        pytest.param(["set", "F", "/x", "[-1E400]"], 2, "holds infinity", id="overflows-to-minus-infinity"),
        pytest.param(["set", "F", "/x", "[" * 50000 + "]" * 50000], 2, "nested deeper", id="deep-json"),
        pytest.param(["get", "missing.tfvars", "/x"], 1, "missing.tfvars: no such file", id="missing-file"),
        pytest.param(["get", "file.json", "/x"], 2, "unknown file type", id="unknown-type"),
        pytest.param(["frobnicate"], 2, "No such command", id="unknown-command"),
        pytest.param(["set", "F", "/x"], 2, "Missing argument", id="missing-argument"),
    ],
)
def test_errors_are_one_line(tfvars: Path, args: list[str], code: int, message: str) -> None:
    result = run(*[tfvars.name if a == "F" else a for a in args], cwd=tfvars.parent)
    assert result.returncode == code
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert tfvars.read_text() == TFVARS


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("g.yaml", "a:\n  b: 1e999\n"),
        ("g.yaml", "a:\n  b: 1.0e+999\n"),
        ("g.yaml", "a:\n  b: -.inf\n"),
        ("g.tfvars", "a = { b = -1.0e999 }\n"),  # Terraform's numbers hold it; JSON readers do not
    ],
)
def test_get_never_prints_infinity(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text)
    result = run("get", name, "/a", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "Infinity" not in result.stdout and "JSON cannot represent" in result.stderr


def test_empty_files_take_a_first_entry(tmp_path: Path) -> None:
    for name, text in (("e.tfvars", ""), ("c.tfvars", "# c\n"), ("e.yaml", ""), ("c.yaml", "# c\n")):
        (tmp_path / name).write_text(text)
        result = run("set", name, "/a/b", "1E2", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert json.loads(run("get", name, "/a/b", cwd=tmp_path).stdout) == 100


def test_unparsable_file_names_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "bad.tfvars").write_text('a = 1\nb = "open\n')
    result = run("set", "bad.tfvars", "/a", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("gitops-writer: error: bad.tfvars:2:5: invalid HCL syntax")


@pytest.mark.parametrize("data", [b'a = "\xff"\n', b"a = 1\x00\n"], ids=["not-utf8", "nul-byte"])
def test_undecodable_files_are_refused(tmp_path: Path, data: bytes) -> None:
    (tmp_path / "x.tfvars").write_bytes(data)
    result = run("set", "x.tfvars", "/a", "2", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert (tmp_path / "x.tfvars").read_bytes() == data


def test_bom_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.tfvars"
    path.write_bytes(b"\xef\xbb\xbfa = 1\n")
    assert run("set", "x.tfvars", "/b", "2", cwd=tmp_path).returncode == 0
    assert path.read_bytes() == b"\xef\xbb\xbfa = 1\nb = 2\n"


@pytest.mark.parametrize("option", ["--help", "--version"])
def test_help_imports_nothing_heavy(option: str) -> None:
    heavy = ("git", "githubkit", "httpx", "hcl2", "tree_sitter", "ruamel", "lark")
    code = (
        f"import sys; from gitops_writer.cli import main\ntry: main([{option!r}])\nexcept SystemExit: pass\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}, timeout=60
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


# the publish options as given: a dataclass without imports, and the package that loads the rest on first use
LIGHT = ("gitops_writer.publish", "gitops_writer.publish.flags")


@pytest.mark.parametrize("mode", [["--dry-run"], [], ["--dry-run", "--json"]], ids=["dry-run", "write", "json"])
def test_a_valid_request_that_does_not_publish_imports_no_github_client_no_git_no_whole_check(
    tmp_path: Path, mode: list[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "fixtures" / "gitops-repo", repo)
    clients = ("git", "githubkit", "httpx", "hishel")
    code = (
        "import sys; from gitops_writer.cli import main\n"
        f"try: main(['ecr', 'request', '--repo', {str(repo)!r}, *{mode!r}, '--name', 'payments-api',"
        " '--environment', 'dev', '--owner', 'team-payments', '--requester', 'jdoe', '--domain', 'payments',"
        " '--risk', 'low'])\n"
        "except SystemExit as done: assert not done.code, done.code\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {clients!r}"
        f" or m.startswith('gitops_writer.publish') and m not in {LIGHT!r}"
        " or m == 'gitops_writer.check.run'), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_the_console_script_runs_a_command_without_the_cycle_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("gitops_writer.cli.main")
    collecting: list[bool] = []

    class Left(Exception):
        pass

    def command() -> None:
        collecting.append(gc.isenabled())
        raise SystemExit(3)

    def leave(code: int) -> None:
        raise Left(code)

    monkeypatch.setattr(module, "main", command)
    monkeypatch.setattr(module.os, "_exit", leave)
    try:
        with pytest.raises(Left) as left:
            module.run()
    finally:
        gc.enable()
    assert collecting == [False] and left.value.args == (3,)


ESC = "\x1b["
EXAMPLE = ROOT / "fixtures" / "gitops-repo"
ECR_DRY_RUN = (
    "ecr", "request", f"--repo={EXAMPLE}", "--name=payments-api", "--environment=dev", "--owner=team-a",
    "--requester=ana", "--domain=payments", "--risk=low", "--dry-run",
)  # fmt: skip


def _on_terminal(*args: str, env: dict[str, str] | None = None) -> str:
    """stdout as a terminal shows it: the command's stdout is a pseudo-terminal."""
    import pty

    leader, follower = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")} | {"TERM": "xterm"} | (env or {})
    subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args], stdout=follower, stderr=subprocess.DEVNULL, env=environ,
        timeout=60, check=False,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO once the terminal's other side is closed and drained
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.fixture
def broken_example(tmp_path: Path) -> Path:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "gitops-repo"))
    (repo / "catalog/resources/ecr/billing-api.yaml").unlink()
    return repo


def test_findings_are_coloured_on_a_terminal_unless_no_color_or_never(broken_example: Path) -> None:
    check = ("check", f"--repo={broken_example}")
    assert f"{ESC}31m{ESC}1merror:" in _on_terminal(*check)
    assert ESC not in _on_terminal(*check, env={"NO_COLOR": "1"})
    assert ESC not in _on_terminal("--color=never", *check)
    assert ESC in _on_terminal("--color=always", *check, env={"NO_COLOR": "1"})  # the command line wins


def test_piped_output_has_no_colour_unless_always(broken_example: Path) -> None:
    assert ESC not in run("check", f"--repo={broken_example}", cwd=ROOT).stdout
    assert ESC in run("--color=always", "check", f"--repo={broken_example}", cwd=ROOT).stdout
    assert ESC not in run("--color=always", "check", f"--repo={broken_example}", "--format=json", cwd=ROOT).stdout


def test_a_dry_run_diff_is_coloured_by_line() -> None:
    plain = run(*ECR_DRY_RUN, cwd=ROOT).stdout
    coloured = run("--color=always", *ECR_DRY_RUN, cwd=ROOT).stdout
    assert ESC not in plain
    assert f'{ESC}32m+  "payments-api" = {{{ESC}0m\n' in coloured
    assert f"{ESC}1m+++ b/envs/dev/terraform.tfvars{ESC}0m\n" in coloured
    assert (
        coloured.replace(f"{ESC}0m", "")
        .replace(f"{ESC}1m", "")
        .replace(f"{ESC}32m", "")
        .replace(f"{ESC}36m", "")
        .replace(f"{ESC}31m", "")
        == plain
    )


def test_shell_completion_offers_the_repositorys_kinds(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples/kinds/rds.yaml", tmp_path / ".gitops-writer.yaml")

    def complete(words: str) -> list[str]:
        env = {**os.environ, "_GITOPS_WRITER_COMPLETE": "bash_complete", "COMP_WORDS": words}
        env["COMP_CWORD"] = str(len(words.split()) - (0 if words.endswith(" ") else 1))
        done = subprocess.run(
            [sys.executable, "-m", "gitops_writer"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("gitops-writer request ") == ["ecr", "rds"]
    assert complete("gitops-writer generate workflow r") == ["rds"]
    assert complete("gitops-writer check --kind ") == ["ecr", "rds"]


@pytest.mark.parametrize("group", [[], ["ecr"], ["generate"], ["pr"]], ids=["top", "ecr", "generate", "pr"])
def test_a_group_without_its_subcommand_prints_its_help_as_help(group: list[str]) -> None:
    done = run(*group, cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"Usage: gitops-writer {' '.join(group)}".rstrip() + " [OPTIONS] COMMAND")
    assert "Commands:\n" in done.stdout


def test_a_bare_word_value_is_refused_with_the_quoted_json_to_write(tfvars: Path) -> None:
    done = run("set", tfvars.name, "/ecr_repositories/alpha/id", "high", cwd=tfvars.parent)
    assert done.returncode == 2
    assert done.stderr.endswith("""a string is written in JSON quotes: '"high"'\n""")
    assert done.stderr.count("\n") == 1


def test_a_dry_run_refuses_what_publishing_would_refuse(tmp_path: Path) -> None:
    repo = Path(shutil.copytree(EXAMPLE, tmp_path / "gitops-repo"))
    args = [a.replace(str(EXAMPLE), str(repo)) for a in ECR_DRY_RUN]
    done = run(*args, "--reviewers=bad!name", cwd=ROOT)
    assert (done.returncode, done.stdout) == (2, "")
    assert "--reviewers: 'bad!name' is not a GitHub user name" in done.stderr
    (repo / ".gitops-writer.yaml").write_text("reviewers:\n  default:\n    user: [alice]\n")
    done = run(*args, cwd=ROOT)
    assert done.returncode == 2 and "reviewers.default must be a mapping with users and/or teams" in done.stderr
    check = run("check", f"--repo={repo}", cwd=ROOT)
    assert check.returncode == 2 and "reviewers.default must be a mapping" in check.stderr
