"""`request`/`remove KIND` on the command line, next to the generic `remove FILE POINTER` verb."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest.mock import ANY

import pytest
import yaml

from tests.requests.conftest import snapshot_of

ECR = ["-f", "name=payments-api", "-f", "environment=dev", "-f", "owner=team-payments"]
ECR += ["-f", "requester=amelia.park", "-f", "domain=payments", "-f", "risk=medium", "--date", "2026-11-29"]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gitops_writer", *args], capture_output=True, text=True, timeout=60)


def test_request_ecr_is_the_ecr_shorthand(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    subprocess.run(["cp", "-r", str(repo), str(other)], check=True)
    generic = cli("request", "ecr", "--repo", str(repo), *ECR)
    shorthand = cli(
        "ecr", "request", "--repo", str(other), "--name", "payments-api", "--environment", "dev",
        "--owner", "team-payments", "--requester", "amelia.park", "--domain", "payments", "--risk", "medium",
        "--date", "2026-11-29",
    )  # fmt: skip
    assert generic.returncode == shorthand.returncode == 0, generic.stderr + shorthand.stderr
    assert snapshot_of(repo) == snapshot_of(other)


def test_remove_kind_and_remove_file_pointer(repo: Path) -> None:
    before = snapshot_of(repo)
    assert cli("request", "ecr", "--repo", str(repo), *ECR).returncode == 0
    removed = cli("remove", "ecr", "--repo", str(repo), "-f", "name=payments-api", "-f", "environment=dev")
    assert removed.returncode == 0, removed.stderr
    assert removed.stderr == "payments-api in dev is removed (4 files)\n"
    catalog = snapshot_of(repo).pop("docs/20-contracts/resource-catalogs/ecr-catalog.yaml")
    assert b"payments-api" not in catalog
    assert {k: v for k, v in snapshot_of(repo).items() if "ecr-catalog" not in k} == {
        k: v for k, v in before.items() if "ecr-catalog" not in k
    }
    verb = cli("remove", str(repo / "envs/dev/terraform.tfvars"), "/default_tags/Team", "--dry-run")
    assert verb.returncode == 0 and '-  Team      = "platform"' in verb.stdout


def test_remove_where_it_is_not_exits_1_naming_where_it_is(repo: Path) -> None:
    before = snapshot_of(repo)
    done = cli("ecr", "remove", "--repo", str(repo), "--name", "billing-api", "--environment", "prod")
    assert done.returncode == 1
    assert done.stderr.startswith("gitops-writer: error: billing-api is not in prod") and "dev, staging" in done.stderr
    assert snapshot_of(repo) == before


def test_bad_field_syntax_and_unknown_kind(repo: Path) -> None:
    assert cli("request", "ecr", "--repo", str(repo), "-f", "name").stderr == (
        "gitops-writer: error: -f 'name': write FIELD=VALUE\n"
    )
    unknown = cli("request", "rds", "--repo", str(repo), *ECR)
    assert unknown.returncode == 2 and "kind: unknown request kind 'rds' (known: ecr)" in unknown.stderr


TEAM_KINDS = """\
requests:
  member:
    title: Team member
    fields: {properties: {team: {type: string}}}
    branch: "member/{name}"
    commit: "member: {name}"
    edits:
      - {id: map, kind: entry, path: teams.yaml, pointer: "/teams/{team}/{name}", value: {joined: "{date}"}}
  page:
    title: Team page
    fields: {properties: {team: {type: string}}}
    branch: "page/{name}"
    commit: "page: {name}"
    edits:
      - {id: page, kind: file, path: "./pages/{team}/{name}.yaml", value: {team: "{team}"}}
"""


@pytest.mark.parametrize("team", ["a/b", "~1", "a~", "/", "x/./y"])
def test_a_field_value_fills_one_pointer_token(repo: Path, team: str) -> None:
    (repo / ".gitops-writer.yaml").write_text(TEAM_KINDS)
    done = cli(
        "request", "member", "--repo", str(repo), "-f", f"team={team}", "-f", "name=ann", "-f", "environment=dev"
    )
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((repo / "teams.yaml").read_text())["teams"] == {team: {"ann": {"joined": ANY}}}


@pytest.mark.parametrize("team", [".github/workflows", ".", "..", "x/./y", " ", "~", ".git ", ".git.", ".GitHub "])
def test_a_field_value_cannot_add_a_path_segment_or_reach_git_or_github(repo: Path, team: str) -> None:
    (repo / ".gitops-writer.yaml").write_text(TEAM_KINDS)
    before = snapshot_of(repo)
    done = cli("request", "page", "--repo", str(repo), "-f", f"team={team}", "-f", "name=ann", "-f", "environment=dev")
    assert done.returncode == 2 and done.stderr.startswith("gitops-writer: error: team: "), done.stderr
    assert len(done.stderr.splitlines()) == 1 and snapshot_of(repo) == before


def test_a_fine_path_value_and_dot_slash_are_normalised(repo: Path) -> None:
    (repo / ".gitops-writer.yaml").write_text(TEAM_KINDS)
    done = cli("request", "page", "--repo", str(repo), "-f", "team=core", "-f", "name=ann", "-f", "environment=dev")
    assert done.returncode == 0, done.stderr
    assert yaml.safe_load((repo / "pages/core/ann.yaml").read_text()) == {"team": "core"}
