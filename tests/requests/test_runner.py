"""gitops_writer.requests.runner, with the ECR request end to end on the example repository: diffs, idempotency,
conflicts, removal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import ConflictError, GitopsWriterError, NotFoundError, ValidationError
from gitops_writer.kinds import load_config
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import apply, prepare
from tests.backstage_node import backstage_validate_all
from tests.requests.conftest import ECR_REQUEST, flat_request, snapshot_of


def request(action: str = "create", **changes: str) -> Request:
    fields = {**ECR_REQUEST, **changes}
    if action == "remove":
        fields = {k: fields[k] for k in ("name", "environment", "date")}
    return flat_request("ecr", action, **fields)


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({}, id="dev-sorted-map"),
        pytest.param({"environment": "test", "name": "zeta-worker"}, id="test-inline-empty-map"),
        pytest.param({"environment": "staging", "name": "audit-log", "risk": "high"}, id="staging-crlf"),
        pytest.param({"environment": "prod", "name": "web", "risk": "low"}, id="prod-commented-out-entries"),
    ],
)
def test_dry_run_diff(repo: Path, changes: dict[str, str], snapshot: Any) -> None:
    before = snapshot_of(repo)
    planned = prepare(repo, request(**changes), load_config(repo))
    assert planned.diff == snapshot(name="diff")
    assert planned.publish.pr_body == snapshot(name="pr-body")
    assert (planned.publish.branch, planned.publish.pr_title, planned.publish.commit_subject) == snapshot(name="words")
    assert snapshot_of(repo) == before


def test_request_writes_four_files_and_backstage_accepts_them(repo: Path) -> None:
    planned = apply(repo, request(), load_config(repo))
    assert planned.changes.status == "created"
    assert sorted(c.path for c in planned.changes.changes if c.changed) == [
        "catalog/all-resources.yaml",
        "catalog/resources/ecr/payments-api.yaml",
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml",
        "envs/dev/terraform.tfvars",
    ]
    entities = [p.read_text() for p in sorted((repo / "catalog").rglob("*.yaml"))]
    backstage_validate_all(entities)


def test_same_request_again_is_unchanged(repo: Path) -> None:
    apply(repo, request(), load_config(repo))
    after_first = snapshot_of(repo)
    again = apply(repo, request(date="2026-12-24"), load_config(repo))  # another day, same request
    assert again.changes.status == "unchanged" and not again.changes.changed
    assert snapshot_of(repo) == after_first


def test_different_values_are_refused_unless_update(repo: Path) -> None:
    apply(repo, request(), load_config(repo))
    after_first = snapshot_of(repo)
    with pytest.raises(ConflictError, match=r'/metadata/owner is "team-payments", requested "team-x".*--update'):
        apply(repo, request(owner="team-x"), load_config(repo))
    assert snapshot_of(repo) == after_first
    updated = apply(repo, request(owner="team-x", date="2026-12-01"), load_config(repo), update=True)
    assert updated.changes.status == "updated"
    catalog = (repo / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text()
    assert (
        "owner: team-x" in catalog
        and 'created_date: "2026-11-29"' in catalog
        and 'last_updated: "2026-12-01"' in catalog
    )
    assert 'owner = "team-x"' in (repo / "envs/dev/terraform.tfvars").read_text()


def test_people_may_change_status_without_breaking_reruns(repo: Path) -> None:
    apply(repo, request(), load_config(repo))
    catalog = repo / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
    catalog.write_text(catalog.read_text().replace("status: pending", "status: active"))
    assert apply(repo, request(), load_config(repo)).changes.status == "unchanged"


@pytest.mark.parametrize("environment", ["dev", "test", "staging", "prod"])
def test_request_then_remove_restores_every_byte(repo: Path, environment: str) -> None:
    before = snapshot_of(repo)
    config = load_config(repo)
    apply(repo, request(environment=environment, date="2026-11-02"), config)
    assert snapshot_of(repo) != before
    removed = apply(repo, request("remove", environment=environment, date="2026-11-02"), config)
    assert removed.changes.status == "removed"
    assert snapshot_of(repo) == before


def test_remove_of_an_absent_registry(repo: Path) -> None:
    with pytest.raises(NotFoundError, match="payments-api is not in dev"):
        apply(repo, request("remove"), load_config(repo))


def test_missing_file_in_an_existing_environment(repo: Path) -> None:
    (repo / "envs/prod/terraform.tfvars").unlink()
    with pytest.raises(NotFoundError, match="envs/prod/terraform.tfvars: no such file"):
        apply(repo, request(environment="prod"), load_config(repo))


def test_missing_environment_directory(repo: Path) -> None:
    (repo / "envs/prod/terraform.tfvars").unlink()
    (repo / "envs/prod").rmdir()
    before = snapshot_of(repo)
    with pytest.raises(ValidationError, match="environment: prod has no envs/prod/ in the repository"):
        apply(repo, request(environment="prod"), load_config(repo))
    assert snapshot_of(repo) == before


def test_symlink_out_of_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.tfvars"
    outside.write_text("ecr_repositories = {}\n")
    tfvars = repo / "envs/test/terraform.tfvars"
    tfvars.unlink()
    tfvars.symlink_to(outside)
    with pytest.raises(GitopsWriterError, match="resolves outside the repository"):
        apply(repo, request(environment="test"), load_config(repo))
    assert outside.read_text() == "ecr_repositories = {}\n"


def test_all_or_nothing_when_a_write_fails(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot_of(repo)
    real_replace = os.replace
    calls = []

    def failing_replace(src: Any, dst: Any) -> None:
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(GitopsWriterError, match="No space left on device"):
        apply(repo, request(), load_config(repo))
    monkeypatch.setattr(os, "replace", real_replace)
    assert snapshot_of(repo) == before, "every file is as it was, and no temporary file is left"


def test_concurrent_requests_on_one_working_tree_lose_nothing(repo: Path) -> None:
    names = [f"svc-{i}" for i in range(6)]
    code = (
        "import sys; from gitops_writer.cli import main; "
        "main(['ecr', 'request', '--repo', sys.argv[1], '--name', sys.argv[2], '--environment', 'dev', "
        "'--owner', 'team-a', '--requester', 'jdoe', '--domain', 'payments', '--risk', 'low', '--date', '2026-11-29'])"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", code, str(repo), name], stderr=subprocess.PIPE) for name in names
    ]
    assert all(p.wait(timeout=120) == 0 for p in processes)
    tfvars = (repo / "envs/dev/terraform.tfvars").read_text()
    location = (repo / "catalog/all-resources.yaml").read_text()
    for name in names:
        assert f'"{name}" = {{' in tfvars
        assert f"./resources/ecr/{name}.yaml" in location
        assert (repo / f"catalog/resources/ecr/{name}.yaml").is_file()


def test_the_catalog_date_never_moves_back(repo: Path) -> None:
    """A request made (or rebuilt by refresh) after a later-dated one merged keeps the later date."""
    apply(repo, request(date="2026-12-24"), load_config(repo))
    apply(repo, request(name="ledger-api", date="2026-12-01"), load_config(repo))
    catalog = (repo / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text()
    assert 'last_updated: "2026-12-24"' in catalog and "ledger-api:" in catalog


def test_a_kind_words_its_pull_request_title_and_opening(repo: Path) -> None:
    (repo / ".gitops-writer.yaml").write_text(
        "requests:\n"
        "  ecr:\n"
        "    pr_title: 'ECR: {name} for {owner}'\n"
        "    pr_body: 'Registry {name}, owned by {owner}, asked for by {requester}.'\n"
        "    remove: {pr_title: 'Retire {name} in {environment}'}\n"
    )
    created = prepare(repo, request(), load_config(repo)).publish
    assert created.pr_title == "ECR: payments-api for team-payments"
    assert created.pr_body.startswith("Registry `payments-api`, owned by `team-payments`, asked for by `jdoe`.\n")
    apply(repo, request(), load_config(repo))
    removed = prepare(repo, request("remove"), load_config(repo)).publish
    assert removed.pr_title == "Retire payments-api in dev"
    assert removed.pr_body.startswith("This pull request removes the ECR Registry `payments-api`")


def test_an_unknown_placeholder_in_the_pull_request_words_is_refused(repo: Path) -> None:
    (repo / ".gitops-writer.yaml").write_text("requests:\n  ecr:\n    pr_title: 'ECR {colour}'\n")
    with pytest.raises(GitopsWriterError, match=r"pr_title.*colour"):
        load_config(repo)


def test_the_references_are_searched_only_when_a_caller_asks_or_strictness_may_refuse(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gitops_writer.check.requested as requested

    searches: list[str] = []

    def unresolved(root: Path, entities: Any, files: Any = None) -> list[str]:
        searches.append(str(root))
        return ["Resource ecr-x: spec.dependencyOf resource:nowhere is not a Resource the repository defines"]

    monkeypatch.setattr(requested, "unresolved_relations", unresolved)
    prepared = prepare(repo, request(), load_config(repo))  # as publishing and refresh prepare a request
    assert searches == []
    assert prepared.warnings == prepared.warnings and len(searches) == 1  # asked twice, searched once
    assert "is not a Resource" in prepared.warnings[0]
    with pytest.raises(ConflictError, match="references: strict"):
        prepare(repo, request(), load_config(repo), strict=True)
    before = snapshot_of(repo)
    written = apply(repo, request(), load_config(repo))
    assert written.warnings and snapshot_of(repo) != before and len(searches) == 3
