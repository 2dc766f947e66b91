"""The same resource in several environments: own entries per environment, shared records list them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.errors import ConflictError, NotFoundError
from gitops_writer.kinds import load_config
from gitops_writer.requests.runner import apply
from tests.backstage_node import backstage_validate_all
from tests.requests.conftest import flat_request, snapshot_of

CATALOG = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
ENTITY = "catalog/resources/ecr/payments-api.yaml"
LOCATION = "catalog/all-resources.yaml"


def create(repo: Path, environment: str, update: bool = False, **changes: str) -> object:
    fields = dict(
        name="payments-api",
        environment=environment,
        owner="team-payments",
        requester="amelia.park",
        domain="payments",
        risk="medium",
        date="2026-11-29",
    )
    return apply(repo, flat_request("ecr", "create", **{**fields, **changes}), load_config(repo), update=update)


def remove(repo: Path, environment: str, name: str = "payments-api") -> object:
    request = flat_request("ecr", "remove", name=name, environment=environment, date="2026-11-30")
    return apply(repo, request, load_config(repo))


def read(repo: Path, path: str) -> object:
    return YAML(typ="rt").load((repo / path).read_text())


def test_a_second_environment_is_a_normal_request(repo: Path) -> None:
    create(repo, "dev")
    second = create(repo, "prod")
    assert second.changes.status == "created"  # type: ignore[attr-defined]
    assert "payments-api" in (repo / "envs/prod/terraform.tfvars").read_text()
    assert "payments-api" in (repo / "envs/dev/terraform.tfvars").read_text()
    entry = read(repo, CATALOG)["repositories"]["payments-api"]["metadata"]  # type: ignore[index]
    assert list(entry) == ["id", "owner", "requested_by", "domain", "risk", "environment", "status", "created_date"]
    assert list(entry["environment"]) == ["dev", "prod"]  # the house's scalar key, as a list of the two
    entity = read(repo, ENTITY)
    assert list(entity["metadata"]["tags"]) == ["env-dev", "env-prod", "risk-medium"]  # type: ignore[index]
    backstage_validate_all([(repo / ENTITY).read_text(), (repo / LOCATION).read_text()])
    assert create(repo, "prod").changes.status == "unchanged"  # type: ignore[attr-defined]


def test_remove_one_environment_keeps_the_shared_records(repo: Path) -> None:
    before = snapshot_of(repo)
    create(repo, "dev")
    create(repo, "staging")
    remove(repo, "dev")
    assert "payments-api" not in (repo / "envs/dev/terraform.tfvars").read_text()
    assert "payments-api" in (repo / "envs/staging/terraform.tfvars").read_text()
    entry = read(repo, CATALOG)["repositories"]["payments-api"]["metadata"]  # type: ignore[index]
    assert entry["environment"] == "staging"  # one environment left: the house's scalar again
    assert list(read(repo, ENTITY)["metadata"]["tags"]) == ["env-staging", "risk-medium"]  # type: ignore[index]
    assert "./resources/ecr/payments-api.yaml" in (repo / LOCATION).read_text()
    backstage_validate_all([(repo / ENTITY).read_text()])
    removed = remove(repo, "staging")  # the last environment takes the shared records with it
    assert removed.changes.status == "removed"  # type: ignore[attr-defined]
    after = snapshot_of(repo)
    assert not (repo / ENTITY).exists() and "payments-api" not in (repo / LOCATION).read_text()
    assert {k: v for k, v in after.items() if k != CATALOG} == {k: v for k, v in before.items() if k != CATALOG}


@pytest.mark.parametrize("environment", ["prod", "test"])
def test_remove_where_it_is_not_changes_nothing(repo: Path, environment: str) -> None:
    """billing-api is in dev and staging: removing it from prod must not touch dev's records (exit 1)."""
    before = snapshot_of(repo)
    with pytest.raises(NotFoundError, match=f"billing-api is not in {environment}.*it is in dev, staging"):
        remove(repo, environment, name="billing-api")
    assert snapshot_of(repo) == before


def test_request_update_then_remove_keeps_what_the_other_environment_needs(repo: Path) -> None:
    create(repo, "dev")
    with pytest.raises(ConflictError, match='owner is "team-payments", requested "team-x"'):
        create(repo, "prod", owner="team-x")
    create(repo, "prod", update=True, owner="team-x", date="2026-12-01")
    remove(repo, "dev")
    assert (repo / ENTITY).exists()
    assert read(repo, CATALOG)["repositories"]["payments-api"]["metadata"]["environment"] == "prod"  # type: ignore[index]
