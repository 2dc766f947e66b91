"""Helpers for refresh tests: the example GitOps repository on a bare remote, requests, real merges."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gitops_writer.kinds import load_config
from gitops_writer.proposal import BaseTree, PublishPlan
from gitops_writer.publish import PublishOptions, PublishResult, publish
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import prepare_on
from tests.publish.support import Remote, Sleeps, git, seed_remote

EXAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "gitops-repo"
CATALOG = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
LOCATION = "catalog/all-resources.yaml"


def unsort(seed: Path) -> None:
    """The example repository with its governance catalog and Location unsorted, as the seed repository's are."""
    shutil.copytree(EXAMPLE, seed, dirs_exist_ok=True)
    catalog = (seed / CATALOG).read_text()
    head, _, entries = catalog.partition("  billing-api:\n")
    billing, _, identity = entries.partition("  identity-web:\n")
    (seed / CATALOG).write_text(f"{head}  identity-web:\n{identity}  billing-api:\n{billing}")
    location = (seed / LOCATION).read_text()
    billing_target = "    - ./resources/ecr/billing-api.yaml\n"
    (seed / LOCATION).write_text(location.replace(billing_target, "") + billing_target)


def gitops_remote(tmp_path: Path) -> Remote:
    """development holds the GitOps files (catalog and Location unsorted); main has diverged without them."""

    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def workflow(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=unsort, main=workflow)


def full_clone(tmp_path: Path, remote: Remote, name: str = "work") -> Path:
    """What the refresh workflow checks out: the whole history (fetch-depth: 0), no identity."""
    work = tmp_path / name
    git(tmp_path, "clone", "-q", f"file://{remote.bare}", str(work))
    return work


@pytest.fixture(name="remote")
def gitops_remote_fixture(tmp_path: Path) -> Remote:
    """`remote` in a module that imports it: the GitOps remote, which the GitHub stand-in (`api`) then serves."""
    return gitops_remote(tmp_path)


@pytest.fixture(name="work")
def full_clone_fixture(tmp_path: Path, remote: Remote) -> Path:
    """`work` in a module that imports it: the refresh workflow's full clone of `remote`."""
    return full_clone(tmp_path, remote)


def ecr(
    name: str, environment: str = "dev", date: str = "2026-11-20", action: str = "create", **fields: str
) -> Request:
    if action == "remove":
        return Request("ecr", "remove", {"name": name, "environment": environment, **fields}, date)
    given = {"owner": "team-a", "requester": "jdoe", "domain": "payments", "risk": "low", **fields}
    return Request("ecr", "create", {"name": name, "environment": environment, **given}, date)


def publish_request(clone: Path, request: Request, options: PublishOptions, sleeps: Sleeps) -> PublishResult:
    """What `ecr request --publish` does, in process."""

    def build(tree: BaseTree) -> PublishPlan:
        return prepare_on(tree, request, load_config(tree.root, None, tree)).publish

    return publish(clone, build, options, sleep=sleeps)


def merge(remote: Remote, branch: str) -> bool:
    """Merge a request branch into development as a person would: a real git merge, no conflict resolution."""
    git(remote.seed, "fetch", "-q", "--prune", "origin")
    git(remote.seed, "checkout", "-q", "-B", "development", "origin/development")
    merged = subprocess.run(
        ["git", "merge", "--no-ff", "-q", "-m", f"Merge {branch}", f"origin/{branch}"],
        cwd=remote.seed,
        capture_output=True,
        text=True,
    )
    if merged.returncode != 0:
        git(remote.seed, "merge", "--abort")
        return False
    git(remote.seed, "push", "-q", "origin", "development")
    return True
