"""RepositoryFiles: paths confined to the tree, symlinks, BOM, the one lock, and how write errors name files."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.check import entity_index
from gitops_writer.errors import ConfigError, GitopsWriterError, ValidationError
from gitops_writer.kinds import load_config
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import apply

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The example repository as a git working tree, as it is met in real use."""
    target = tmp_path / "gitops-repo"
    shutil.copytree(EXAMPLE, target)
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return target


def request(action: str = "create", **fields: str) -> Request:
    values = {"name": "payments-api", "environment": "dev"}
    if action == "create":
        values |= {"owner": "team-payments", "requester": "jdoe", "domain": "payments", "risk": "medium"}
    return Request(kind="ecr", action=action, fields=values | fields, date="2026-11-29")


@pytest.mark.parametrize(
    "relative",
    [".git/config", ".git/hooks/pre-commit.yaml", "sub/.git/config", ".GIT/config", "/etc/passwd", "../x", "a\\b", ""],
)
def test_paths_outside_the_tree_or_inside_git_are_refused(repo: Path, relative: str) -> None:
    files = RepositoryFiles(repo)
    with pytest.raises(ValidationError, match="path: "):
        files.read(relative)


def test_a_symlink_into_git_is_refused(repo: Path) -> None:
    (repo / "catalog/config.yaml").symlink_to(repo / ".git/config")
    with pytest.raises(GitopsWriterError, match="leads into .git/"):
        RepositoryFiles(repo).read("catalog/config.yaml")


def test_a_layout_path_under_git_is_refused_and_nothing_is_written(repo: Path) -> None:
    (repo / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    edits:\n"
        "      - {id: sneaky, kind: entry, path: .git/config.yaml, pointer: '/x/{name}', value: 1}\n"
    )
    before = (repo / ".git/config").read_bytes()
    with pytest.raises(ConfigError, match=r"'\.git/config\.yaml' names \.git"):  # refused as the config loads
        apply(repo, request(), load_config(repo))
    assert (repo / ".git/config").read_bytes() == before and not (repo / ".git/config.yaml").exists()


def test_removing_an_entity_that_is_a_symlink_removes_the_link_not_its_target(repo: Path) -> None:
    apply(repo, request(), load_config(repo))
    entity = repo / "catalog/resources/ecr/payments-api.yaml"
    kept = repo / "catalog/resources/payments-api.yaml"
    entity.rename(kept)
    entity.symlink_to(os.path.relpath(kept, entity.parent))
    apply(repo, request("remove"), load_config(repo))
    assert not entity.is_symlink() and not entity.exists(), "the link is gone"
    assert kept.is_file() and "payments-api" in kept.read_text(), "the file it pointed at is untouched"


def test_the_byte_order_mark_is_kept_aside_and_put_back(repo: Path) -> None:
    path = repo / "catalog/all-resources.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    files = RepositoryFiles(repo)
    assert not files.content("catalog/all-resources.yaml").startswith("\ufeff")  # type: ignore[union-attr]
    files.edit("catalog/all-resources.yaml", lambda text: text + "# edited\n")
    with files.lock():
        files.write_changes()
    assert path.read_bytes().startswith(b"\xef\xbb\xbfapiVersion") and path.read_bytes().endswith(b"# edited\n")


def test_the_verbs_and_requests_take_the_same_lock(repo: Path) -> None:
    """While a request holds the tree, `set` on one of its files waits, then edits what the request wrote."""
    tfvars = repo / "envs/dev/terraform.tfvars"
    files = RepositoryFiles(repo)
    assert RepositoryFiles.around(tfvars)[0].tree == files.tree == RepositoryFiles(repo / "envs").tree
    with files.lock():
        waiting = subprocess.Popen(
            [sys.executable, "-m", "gitops_writer", "set", "envs/dev/terraform.tfvars", "/default_tags/Race", '"x"'],
            cwd=repo,
            stderr=subprocess.PIPE,
        )
        time.sleep(1.5)
        assert waiting.poll() is None, "set did not wait for the lock"
        files.edit("envs/dev/terraform.tfvars", lambda text: text + "# written while set waited\n")
        files.write_changes()
    assert waiting.wait(timeout=60) == 0
    text = tfvars.read_text()
    assert re.search(r'Race += "x"', text) and text.endswith("# written while set waited\n"), "no update is lost"


def test_set_and_a_request_run_together_lose_nothing(repo: Path) -> None:
    code = "import sys; from gitops_writer.cli import main; main(sys.argv[1:])"
    for round_ in range(3):
        name = f"svc-{round_}"
        request_args = ["ecr", "request", "--repo", str(repo), "--name", name, "--environment", "dev"]
        request_args += ["--owner", "team-a", "--requester", "jdoe", "--domain", "payments", "--risk", "low"]
        set_args = ["set", str(repo / "envs/dev/terraform.tfvars"), f"/default_tags/Race{round_}", '"x"']
        both = [subprocess.Popen([sys.executable, "-c", code, *args]) for args in (request_args, set_args)]
        assert [p.wait(timeout=120) for p in both] == [0, 0]
        tfvars = (repo / "envs/dev/terraform.tfvars").read_text()
        assert f'"{name}" = {{' in tfvars and re.search(rf'Race{round_} += "x"', tfvars)


def test_no_lock_file_is_left_anywhere(repo: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"  # the temporary directory of the runs below, and of nothing else
    temp.mkdir()
    tree_before = {p for p in repo.rglob("*") if ".git" not in p.parts}
    env = {**os.environ, "TMPDIR": str(temp)}
    args = ["ecr", "request", "--repo", ".", "--name", "payments-api", "--environment", "dev", "--owner", "team-a"]
    args += ["--requester", "jdoe", "--domain", "payments", "--risk", "low"]
    for command in (args, ["get", "envs/dev/terraform.tfvars", "/environment"], ["recover"]):
        result = subprocess.run(
            [sys.executable, "-m", "gitops_writer", *command], cwd=repo, env=env, capture_output=True
        )
        assert result.returncode == 0, result.stderr
    assert list(temp.iterdir()) == []
    added = {p for p in repo.rglob("*") if ".git" not in p.parts} - tree_before
    assert {p.relative_to(repo).as_posix() for p in added} == {"catalog/resources/ecr/payments-api.yaml"}
    left = [p.name for p in (repo / ".git").iterdir() if "gitops-writer" in p.name]
    assert left in ([], [entity_index.STORE])  # the entity index is a cache, kept on purpose


def test_a_write_error_names_the_file_relative_to_the_repository(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = os.replace

    def disk_full(src: Any, dst: Any) -> None:
        if str(dst).endswith("terraform.tfvars"):
            raise OSError(28, "No space left on device", str(src), None, str(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", disk_full)
    with pytest.raises(GitopsWriterError) as info:
        apply(repo, request(), load_config(repo))
    message = str(info.value)
    assert message.startswith("envs/dev/terraform.tfvars: cannot write (No space left on device)"), message
    assert str(repo) not in message and "gitops-writer.tmp" not in message
