"""`gitops-writer init`: the layout learned from the repository, and what it says about where from."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.fit.support import SEED, built_repository, gw


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    if not SEED.is_dir():
        pytest.skip("the seed repository is not beside the project")
    return Path(shutil.copytree(SEED, tmp_path / "seed"))


SEED_ENTITY = {
    "apiVersion": "backstage.io/v1alpha1",
    "kind": "Resource",
    "metadata": {
        "name": "ecr-{name}",
        "description": "ECR Repository for {name}",
        "tags": ["env-{environments}", "risk-{risk}"],  # one tag per environment
        "annotations": {"goldenpath.io/risk": "{risk}", "goldenpath.io/id": "{id}"},
    },
    "spec": {"type": "container-repository", "owner": "{owner}", "dependencyOf": ["resource:goldenpath-ecr-registry"]},
}


def test_init_learns_the_seed_entity_from_its_newest_sibling(seed: Path) -> None:
    done = gw("init", f"--repo={seed}")
    assert done.code == 0, done.err
    config = yaml.safe_load(done.out)
    entity, catalog = config["requests"]["ecr"]["edits"]  # the edits that differ from the built-in layout
    assert entity == {"id": "entity", "kind": "file", "path": "catalog/resources/ecr/{name}.yaml", "value": SEED_ENTITY}
    assert catalog["id"] == "catalog"
    assert catalog["value"]["metadata"]["environment"] == "{environment}"  # one, where the built-in lists them
    assert "environments" not in catalog["value"]["metadata"]
    assert list(entity["value"]["metadata"]["annotations"]) == ["goldenpath.io/risk", "goldenpath.io/id"]  # order
    assert (
        "inferred: entity: catalog/resources/ecr/new-wp-reg2.yaml is the newest of 11 siblings "
        "(listed last by the Location that lists them)"
    ) in done.err
    assert "10 of 10 siblings whose values are known read the same" in done.err
    assert (
        "inferred: location: catalog/all-resources.yaml lists the siblings, as ./resources/ecr/{name}.yaml" in done.err
    )
    assert (
        "metadata.id, metadata.owner, metadata.requested_by, metadata.domain, metadata.risk, metadata.environment,"
        " metadata.status, metadata.created_date"
    ) in done.err
    assert "envs/dev/terraform.tfvars: 0 entries (new keys are quoted" in done.err
    assert not (seed / ".gitops-writer.yaml").exists()


def test_init_write_writes_the_file_once(seed: Path) -> None:
    done = gw("init", f"--repo={seed}", "--write")
    assert done.code == 0, done.err
    assert "wrote .gitops-writer.yaml (edits overridden: entity, catalog)" in done.err
    written = (seed / ".gitops-writer.yaml").read_text()
    assert written == gw("init", f"--repo={seed}").out
    again = gw("init", f"--repo={seed}", "--write")
    assert again.code == 1 and "already exists" in again.err
    assert (seed / ".gitops-writer.yaml").read_text() == written


def test_a_repository_in_the_built_in_layout_needs_no_override(tmp_path: Path) -> None:
    built = built_repository(tmp_path)
    done = gw("init", f"--repo={built}")
    assert done.code == 0, done.err
    assert yaml.safe_load(done.out) == {}
    for edit in ("entity", "location", "catalog", "tfvars"):
        assert f"# ecr: the {edit} edit matches the built-in one; not repeated here" in done.out


def test_a_status_people_changed_is_not_learned(tmp_path: Path) -> None:
    built = built_repository(tmp_path)
    catalog = built / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
    catalog.write_text(catalog.read_text().replace("status: pending", "status: active"))
    assert yaml.safe_load(gw("init", f"--repo={built}").out) == {}


def test_what_cannot_be_inferred_is_said_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "envs/dev").mkdir(parents=True)
    done = gw("init", f"--repo={tmp_path}")
    assert done.code == 0
    assert yaml.safe_load(done.out) == {}
    assert (
        "not inferred: entity: no entity in catalog/resources/ecr/ to learn from; the built-in entity stays" in done.err
    )
    assert "not inferred: catalog: docs/20-contracts/resource-catalogs/ecr-catalog.yaml does not exist" in done.err
    assert "not inferred: tfvars: no envs/{environment}/terraform.tfvars holds the map ecr_repositories" in done.err


def test_after_init_a_request_writes_an_entity_shaped_like_the_newest_sibling(seed: Path) -> None:
    assert gw("init", f"--repo={seed}", "--write").code == 0
    done = gw(
        "ecr", "request", f"--repo={seed}", "--name=payments-api", "--environment=dev", "--owner=platform-team",
        "--requester=amelia.park", "--domain=delivery", "--risk=low", "--date=2026-11-29",
    )  # fmt: skip
    assert done.code == 0, done.err
    new = yaml.safe_load((seed / "catalog/resources/ecr/payments-api.yaml").read_text())
    sibling = yaml.safe_load((seed / "catalog/resources/ecr/new-wp-reg2.yaml").read_text())

    def keys(value: object, prefix: str = "") -> list[str]:
        if isinstance(value, dict):
            return [k for key, child in value.items() for k in [prefix + key, *keys(child, prefix + key + ".")]]
        return []

    assert keys(new) == keys(sibling)  # the same keys, in the same order
    assert list(new["metadata"]["annotations"]) == list(sibling["metadata"]["annotations"])
    assert new["spec"]["dependencyOf"] == sibling["spec"]["dependencyOf"] == ["resource:goldenpath-ecr-registry"]
    assert new["metadata"]["description"] == "ECR Repository for payments-api"
    assert new["metadata"]["tags"] == ["env-dev", "risk-low"]
    entry = yaml.safe_load((seed / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text())
    assert list(entry["repositories"]["payments-api"]["metadata"]) == list(
        entry["repositories"]["new-wp-reg2"]["metadata"]
    )
    checked = gw("check", f"--repo={seed}", "--json")
    assert not [f for f in checked.findings if "payments-api" in f["message"]]
