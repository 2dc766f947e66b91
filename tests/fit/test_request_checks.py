"""Requests check what they write: relations of the new entity, and a governance catalog not started yet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.fit.support import SEED, gw

SEED_REQUEST = (
    "--name=payments-api", "--environment=dev", "--owner=platform-team", "--requester=amelia.park",
    "--domain=delivery", "--risk=low", "--date=2026-11-29",
)  # fmt: skip
DANGLING = "Resource ecr-payments-api: spec.dependencyOf resource:ecr-registry is not a Resource the repository defines"


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    if not SEED.is_dir():
        pytest.skip("the seed repository is not beside the project")
    return Path(shutil.copytree(SEED, tmp_path / "seed"))


def test_a_new_entity_naming_an_undefined_entity_warns(seed: Path) -> None:
    done = gw("ecr", "request", f"--repo={seed}", *SEED_REQUEST)
    assert done.code == 0, done.err
    assert f"gitops-writer: warning: {DANGLING}\n" in done.err
    assert (seed / "catalog/resources/ecr/payments-api.yaml").exists()


def test_strict_refuses_it_and_writes_nothing(seed: Path) -> None:
    before = (seed / "envs/dev/terraform.tfvars").read_bytes()
    done = gw("ecr", "request", f"--repo={seed}", *SEED_REQUEST, "--strict")
    assert done.code == 1 and f"refused (references: strict): {DANGLING}" in done.err
    assert not (seed / "catalog/resources/ecr/payments-api.yaml").exists()
    assert (seed / "envs/dev/terraform.tfvars").read_bytes() == before


def test_references_strict_in_the_config_refuses_it_too(seed: Path) -> None:
    (seed / ".gitops-writer.yaml").write_text("references: strict\n")
    done = gw("request", "ecr", f"--repo={seed}", "--dry-run", *(f"-f{a[2:]}" for a in SEED_REQUEST[:-1]))
    assert done.code == 1 and DANGLING in done.err


def test_after_init_the_relations_resolve_and_nothing_is_said(seed: Path) -> None:
    assert gw("init", f"--repo={seed}", "--write").code == 0
    done = gw("ecr", "request", f"--repo={seed}", *SEED_REQUEST, "--strict")
    assert done.code == 0 and "warning" not in done.err, done.err


def test_a_missing_governance_catalog_is_started(seed: Path) -> None:
    assert gw("init", f"--repo={seed}", "--write").code == 0  # learns the entry from the catalog first
    (seed / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").unlink()
    done = gw("ecr", "request", f"--repo={seed}", *SEED_REQUEST)
    assert done.code == 0, done.err
    catalog = yaml.safe_load((seed / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text())
    assert catalog == {
        "last_updated": "2026-11-29",
        "repositories": {
            "payments-api": {
                "metadata": {
                    "id": "REGISTRY_PAYMENTS_API",
                    "owner": "platform-team",
                    "requested_by": "amelia.park",
                    "domain": "delivery",
                    "risk": "low",
                    "environment": "dev",
                    "status": "pending",
                    "created_date": "2026-11-29",
                }
            }
        },
    }
    assert gw("ecr", "request", f"--repo={seed}", *SEED_REQUEST).err.endswith("is unchanged\n")
