"""A repository built to hurt: devices, FIFOs, links out of the tree, alias bombs, 100,000-deep nesting.

Every command finishes in under 10 s within 1 GiB of address space, says each problem in one finding
or one error line, exits 0, 1 or 2 (never 3) and prints no traceback, and no text from outside the tree
reaches its output.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "gitops-repo"
SECRET = "OUTSIDE-SECRET-7f3a"  # written only outside the tree: no output may ever show it
TIMEOUT = 10
MEMORY = 1 << 30
ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: {name}\nspec:\n  type: x\n"
BOMB = "".join(
    [ENTITY.format(name="ecr-bomb").replace("spec:\n  type: x\n", "spec:\n  type: container-repository\n")]
    + ["  owner: team-billing\n", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"]
    + [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 11)]
)
REQUEST = [
    "ecr", "request", "--name", "payments-api", "--environment", "dev", "--owner", "team-payments",
    "--requester", "jdoe", "--domain", "payments", "--risk", "medium", "--date", "2026-11-29",
]  # fmt: skip


def _device(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to("/dev/zero")


def _fifo(path: Path) -> None:
    path.unlink(missing_ok=True)
    os.mkfifo(path)


def _link(path: Path, to: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(to)


# Each file once in one repository, on the paths a request kind's files and its siblings have.
FILES: dict[str, Callable[[Path, Path], None]] = {
    "catalog/resources/ecr/zero.yaml": lambda path, _: _device(path),
    "envs/staging/terraform.tfvars": lambda path, _: _device(path),
    "catalog/resources/ecr/pipe.yaml": lambda path, _: _fifo(path),
    "envs/prod/terraform.tfvars": lambda path, _: _fifo(path),
    "catalog/resources/ecr/out.yaml": lambda path, out: _link(path, out / "entity.yaml"),
    "envs/test/terraform.tfvars": lambda path, out: _link(path, out / "terraform.tfvars"),
    "catalog/resources/ecr/bomb.yaml": lambda path, _: path.write_text(BOMB),
    "catalog/resources/ecr/deep.yaml": lambda path, _: path.write_text(
        ENTITY.format(name="ecr-deep") + "  owner: " + "[" * 100_000 + "\n"
    ),
    "catalog/resources/ecr/block.yaml": lambda path, _: path.write_text(
        ENTITY.format(name="ecr-block") + "  owner:\n    " + "- " * 100_000 + "x\n"
    ),
    "envs/qa/terraform.tfvars": lambda path, _: path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n"),
}
COMMANDS = {
    "check": ["check"],
    "init": ["init"],
    "kinds": ["kinds"],
    "get": ["get", "envs/dev/terraform.tfvars", "/ecr_repositories"],
    "get-device": ["get", "catalog/resources/ecr/zero.yaml", "/metadata"],
    "get-fifo": ["get", "envs/prod/terraform.tfvars", "/x"],
    "get-deep-tfvars": ["get", "envs/qa/terraform.tfvars", "/x/0"],
    "get-deep": ["get", "catalog/resources/ecr/deep.yaml", "/metadata"],
    "request": [*REQUEST, "--dry-run"],
    "recover": ["recover"],
    "generate": ["generate", "template", "ecr", "--repository", "acme/infra"],
}
# Files a command reads before any other: each refused in one line, every command that reads it exiting 1 or 2.
CONFIGS: dict[str, Callable[[Path, Path], None]] = {
    "link-out": lambda path, out: _link(path, out / "config.yaml"),
    "device": lambda path, _: _device(path),
    "fifo": lambda path, _: _fifo(path),
    "deep": lambda path, _: path.write_text("kinds: " + "[" * 100_000 + "\n"),
}
GIT_FILES: dict[str, tuple[str, Callable[[Path, Path], None]]] = {
    "journal-device": ("gitops-writer.journal", lambda path, _: _device(path)),
    "journal-fifo": ("gitops-writer.journal", lambda path, _: _fifo(path)),
    "journal-deep": ("gitops-writer.journal", lambda path, _: path.write_text("[" * 100_000)),
    "entity-cache-fifo": ("gitops-writer-entities.json", lambda path, _: _fifo(path)),
    "entity-cache-deep": ("gitops-writer-entities.json", lambda path, _: path.write_text("[" * 100_000)),
}


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("outside")
    (out / "entity.yaml").write_text(ENTITY.format(name=SECRET.lower()) + f"  owner: {SECRET}\n")
    (out / "terraform.tfvars").write_text(f'secret = "{SECRET}"\n')
    (out / "config.yaml").write_text(f"{SECRET}: 1\n")
    return out


def _repository(at: Path) -> Path:
    shutil.copytree(EXAMPLE, at)
    subprocess.run(["git", "init", "-q", str(at)], check=True)
    return at


def _run(root: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gitops_writer", *args],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            preexec_fn=_limits,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(args)} did not finish in {TIMEOUT} s")
    said = done.stdout + done.stderr
    assert done.returncode in (0, 1, 2), said[-3000:]
    assert "Traceback" not in said and "MemoryError" not in said, said[-3000:]
    assert SECRET.lower() not in said.lower(), "nothing from outside the tree is shown"
    return done


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, outside: Path) -> Path:
    root = _repository(tmp_path_factory.mktemp("hostile") / "repo")
    for name, make in FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        make(root / name, outside)
    return root


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_on_a_hostile_repository(hostile: Path, command: str) -> None:
    done = _run(hostile, COMMANDS[command])
    if command.startswith("get-"):
        assert done.returncode in (1, 2) and done.stderr.count("\n") == 1, done.stderr
    elif command == "check":
        for name in FILES:  # one finding each, but for a file of no environment and an entity that parses
            findings = [line for line in done.stdout.splitlines() if line.startswith(f"{name}:")]
            if name == "catalog/resources/ecr/bomb.yaml":
                assert findings and not [line for line in findings if "alias" in line or "read:" in line]
            elif name != "envs/qa/terraform.tfvars":
                assert len(findings) == 1, (name, done.stdout)
    elif command == "request":  # it reads every environment's tfvars, and stops at the first it must refuse
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
    else:
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", ["kinds", "check", "request"])
@pytest.mark.parametrize("config", CONFIGS)
def test_a_hostile_config_is_one_error_line(tmp_path: Path, outside: Path, config: str, command: str) -> None:
    root = _repository(tmp_path / "repo")
    CONFIGS[config](root / ".gitops-writer.yaml", outside)
    done = _run(root, COMMANDS[command])
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert ".gitops-writer.yaml" in done.stderr


def test_an_explicit_config_that_is_a_device_is_one_error_line(tmp_path: Path) -> None:
    root = _repository(tmp_path / "repo")
    done = _run(root, ["kinds", "--config", "/dev/zero"])
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "/dev/zero" in done.stderr, done.stderr


@pytest.mark.parametrize("name", GIT_FILES)
def test_a_hostile_file_in_the_git_directory_is_never_read(tmp_path: Path, outside: Path, name: str) -> None:
    root = _repository(tmp_path / "repo")
    file, make = GIT_FILES[name]
    make(root / ".git" / file, outside)
    done = _run(root, COMMANDS["request"])
    if file.endswith("journal"):
        assert done.returncode == 1 and "settle it by hand" in done.stderr and done.stderr.count("\n") == 1
    else:  # a cache: a hostile one is only not used
        assert done.returncode == 0, done.stderr
