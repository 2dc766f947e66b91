"""`gitops-writer init`: the layout learned from the repository, and what it says about where from."""

from __future__ import annotations

import os
import shutil
import subprocess
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
        "(no git history names them; of those, the last entry of docs/20-contracts/resource-catalogs/ecr-catalog.yaml)"
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


# -- the newest sibling where the history cannot tell


def git(repo: Path, *args: str, when: int = 1_700_000_000) -> str:
    stamp = f"@{when} +0000"
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp, "HOME": str(repo), "PATH": os.environ["PATH"]}
    who = ["-c", "user.name=Pat Person", "-c", "user.email=pat@example.com", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", *who, *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def one_commit(repo: Path) -> Path:
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "import")
    return repo


def test_a_one_commit_seed_learns_from_the_last_catalog_entry_not_the_last_path(seed: Path) -> None:
    done = gw("init", f"--repo={one_commit(seed)}")
    assert done.code == 0, done.err
    assert (
        "inferred: entity: catalog/resources/ecr/new-wp-reg2.yaml is the newest of 11 siblings (git added 11 of them "
        "in one commit, so its history cannot tell them apart; of those, the last entry of "
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml)"
    ) in done.err
    metadata = yaml.safe_load(done.out)["requests"]["ecr"]["edits"][1]["value"]["metadata"]
    assert list(metadata) == [
        "id", "owner", "requested_by", "domain", "risk", "environment", "status", "created_date",
    ]  # fmt: skip
    assert metadata["requested_by"] == "{requester}" and metadata["domain"] == "{domain}"


def test_a_shallow_clone_of_the_seed_learns_as_its_one_commit_copy_does(seed: Path, tmp_path: Path) -> None:
    one_commit(seed)
    (seed / "README.md").write_text("a later change\n")
    git(seed, "commit", "-q", "-am", "later", when=1_700_000_100)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{seed}", str(shallow)], check=True)
    done = gw("init", f"--repo={shallow}")
    assert done.code == 0, done.err
    assert "new-wp-reg2.yaml is the newest of 11 siblings (git added 11 of them in one commit" in done.err
    assert yaml.safe_load(done.out)["requests"]["ecr"]["edits"][1]["value"]["metadata"]["domain"] == "{domain}"


ENTITY = (
    "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ecr-{name}\n"
    "  description: Registry {name}{extra}\nspec:\n  type: container-repository\n  owner: platform-team\n"
)
CATALOG_PATH = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"


def synthetic(root: Path, catalog: list[str], listed: list[str]) -> Path:
    """Three registries: each entity's description and catalog entry say which one it is."""
    root.mkdir()
    folder = root / "catalog/resources/ecr"
    folder.mkdir(parents=True)
    for name in ("alpha", "mike", "zulu"):
        (folder / f"{name}.yaml").write_text(ENTITY.format(name=name, extra=f" shape {name[0].upper()}{len(name)}"))
    if catalog:
        (root / CATALOG_PATH).parent.mkdir(parents=True)
        entries = "".join(f"  {n}:\n    metadata:\n      id: REGISTRY_{n.upper()}\n      {n}_key: x\n" for n in catalog)
        (root / CATALOG_PATH).write_text(f"repositories:\n{entries}")
    targets = "".join(f"    - ./resources/ecr/{name}.yaml\n" for name in listed)
    (root / "catalog/all.yaml").write_text(
        f"apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all\nspec:\n  targets:\n{targets}"
    )
    return root


def chosen(repo: Path) -> tuple[str, str]:
    """(the sibling init learned the entity from, the reason it gives)."""
    done = gw("init", f"--repo={repo}")
    assert done.code == 0, done.err
    line = next(line for line in done.err.splitlines() if "is the newest of" in line)
    entity = next(e for e in yaml.safe_load(done.out)["requests"]["ecr"]["edits"] if e["id"] == "entity")
    description = entity["value"]["metadata"]["description"]
    shape = description.rsplit(" ", 1)[1]
    return {"A5": "alpha", "M4": "mike", "Z4": "zulu"}[shape], line


@pytest.mark.parametrize(
    ("catalog", "listed", "expected", "reason"),
    [
        (["zulu", "mike", "alpha"], ["mike", "alpha", "zulu"], "alpha", f"of those, the last entry of {CATALOG_PATH}"),
        (["alpha", "zulu"], ["zulu", "mike", "alpha"], "zulu", f"of those, the last entry of {CATALOG_PATH}"),
        ([], ["zulu", "mike", "alpha"], "alpha", "of those, the last target of the Location in catalog/all.yaml"),
        ([], [], "zulu", "nor does a catalog entry or Location target; the last by name"),
    ],
)
def test_one_commit_ties_go_to_the_catalog_then_the_location_then_the_name(
    tmp_path: Path, catalog: list[str], listed: list[str], expected: str, reason: str
) -> None:
    repo = one_commit(synthetic(tmp_path / "repo", catalog, listed))
    name, line = chosen(repo)
    assert name == expected
    assert "git added 3 of them in one commit, so its history cannot tell them apart" in line
    assert reason in line


def test_history_wins_where_it_tells_and_a_shallow_clone_falls_back_to_the_catalog(tmp_path: Path) -> None:
    repo = synthetic(tmp_path / "repo", ["zulu", "alpha", "mike"], ["mike", "alpha", "zulu"])
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "reset", "-q", "--", "catalog/resources/ecr/alpha.yaml")
    git(repo, "commit", "-q", "-m", "two registries", when=1_700_000_000)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "alpha", when=1_700_000_100)
    name, line = chosen(repo)
    assert (name, line.endswith("(the last one git added)")) == ("alpha", True)
    shallow = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(shallow)], check=True)
    assert git(shallow, "rev-parse", "--is-shallow-repository").strip() == "true"
    name, line = chosen(shallow)
    assert name == "mike" and f"of those, the last entry of {CATALOG_PATH}" in line


def test_a_directory_that_is_not_a_repository_orders_by_the_catalog(tmp_path: Path) -> None:
    name, line = chosen(synthetic(tmp_path / "plain", ["mike", "zulu", "alpha"], []))
    assert name == "alpha" and "no git history names them" in line
