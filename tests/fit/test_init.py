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
        "tags": ["env-{environment}", "risk-{risk}"],
        "annotations": {"goldenpath.io/risk": "{risk}", "goldenpath.io/id": "{id}"},
    },
    "spec": {"type": "container-repository", "owner": "{owner}", "dependencyOf": ["resource:goldenpath-ecr-registry"]},
}


def test_init_learns_the_seed_entity_from_its_newest_sibling(seed: Path) -> None:
    done = gw("init", f"--repo={seed}")
    assert done.code == 0, done.err
    config = yaml.safe_load(done.out)
    [entity] = config["requests"]["ecr"]["edits"]  # the only edit that differs from the built-in layout
    assert entity == {"id": "entity", "kind": "file", "path": "catalog/resources/ecr/{name}.yaml", "value": SEED_ENTITY}
    assert list(entity["value"]["metadata"]["annotations"]) == ["goldenpath.io/risk", "goldenpath.io/id"]  # order
    assert (
        "inferred: entity: catalog/resources/ecr/new-wp-reg2.yaml is the newest of 11 siblings "
        "(listed last by the Location that lists them)"
    ) in done.err
    assert "3 of 3 siblings whose values are known read the same" in done.err
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
    assert "wrote .gitops-writer.yaml (edits overridden: entity)" in done.err
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
