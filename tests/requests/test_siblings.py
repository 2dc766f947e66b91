"""A new catalog entry takes the shape of its newest sibling: key order, and one environment as a scalar."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.kinds import load_config
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.runner import apply
from gitops_writer.requests.siblings import like_siblings
from tests.kinds.test_examples import seed  # noqa: F401  (a fixture)
from tests.requests.conftest import flat_request, snapshot_of

CATALOG = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
FIELDS = dict(owner="platform-team", requester="michael-deans", domain="delivery", risk="low", date="2026-01-09")


def shaped(tmp_path: Path, text: str, value: dict[str, object], listing: tuple[tuple[str, ...], ...] = ()) -> object:
    (tmp_path / "catalog.yaml").write_text(text)
    return like_siblings(RepositoryFiles(tmp_path), "catalog.yaml", "/items/new", 0, value, listing)


def test_keys_follow_the_newest_sibling_and_a_key_it_lacks_stays_after_its_neighbour(tmp_path: Path) -> None:
    text = "items:\n  old: {b: 1, a: 2, c: 3}\n  newest: {c: 1, x: 0, a: 2}\n"
    result = shaped(tmp_path, text, {"a": 1, "b": 2, "c": 3, "d": 4})
    assert list(result.value) == ["c", "d", "a", "b"]  # type: ignore[attr-defined]  (d follows c in the kind)


def test_the_entry_itself_is_its_own_model(tmp_path: Path) -> None:
    text = "items:\n  new: {b: 1, environments: [dev]}\n  newest: {environment: prod, b: 2}\n"
    leaf = ("environments",)
    result = shaped(tmp_path, text, {"environments": ["dev"], "b": 1}, (leaf,))
    assert result.value == {"b": 1, "environments": ["dev"]} and result.listing == (leaf,)  # type: ignore[attr-defined]


def test_one_environment_is_a_scalar_where_the_house_writes_one(tmp_path: Path) -> None:
    text = "items:\n  newest: {environment: prod, b: 2}\n"
    leaf = ("environments",)
    one = shaped(tmp_path, text, {"b": 1, "environments": ["dev"]}, (leaf,))
    assert list(one.value.items()) == [("environment", "dev"), ("b", 1)]  # type: ignore[attr-defined]
    assert one.listing == (("environment",),)  # type: ignore[attr-defined]
    two = shaped(tmp_path, text, {"b": 1, "environments": ["dev", "prod"]}, (leaf,))
    assert two.value == {"environment": ["dev", "prod"], "b": 1}  # type: ignore[attr-defined]
    alone = shaped(tmp_path, "items: {}\n", {"b": 1, "environments": ["dev"]}, (leaf,))
    assert alone.value == {"b": 1, "environments": ["dev"]}  # type: ignore[attr-defined]


def test_the_built_in_ecr_kind_writes_entries_as_the_seed_workflow_does(seed: Path) -> None:  # noqa: F811
    """Without init: the same keys in the same order as new-wp-reg2's, the newest entry create-ecr-registry made."""
    config = load_config(seed)
    before = snapshot_of(seed)
    request = flat_request("ecr", "create", name="payments-api", environment="dev", **FIELDS)
    assert apply(seed, request, config).changes.status == "created"
    catalog = YAML(typ="safe").load((seed / CATALOG).read_text())["repositories"]
    assert list(catalog["payments-api"]["metadata"]) == list(catalog["new-wp-reg2"]["metadata"])
    assert catalog["payments-api"]["metadata"]["environment"] == "dev"
    assert (
        '      environment: dev\n      status: pending\n      created_date: "2026-01-09"\n'
        in (seed / CATALOG).read_text()
    )
    assert apply(seed, request, config).changes.status == "unchanged"
    removal = flat_request("ecr", "remove", name="payments-api", environment="dev", date="2026-01-09")
    assert apply(seed, removal, config).changes.status == "removed"
    assert snapshot_of(seed) == before


@pytest.mark.parametrize("by", ["catalog", "location"])
def test_a_new_entity_takes_the_key_order_of_the_newest_siblings_file(tmp_path: Path, by: str) -> None:
    """The newest by the catalog's order (its last entry, identity-web), else the Location's (its last
    target), not by name or time."""
    import shutil

    from tests.requests.conftest import EXAMPLE

    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    if by == "location":  # a kind without a catalog: the Location's order tells
        (repo / ".gitops-writer.yaml").write_text("requests:\n  ecr:\n    edits:\n      - {id: catalog, drop: true}\n")
    newest = repo / "catalog/resources/ecr/identity-web.yaml"
    lines = newest.read_text().split("\n")
    spec = lines.index("spec:")
    reordered = lines[:2] + lines[spec:-1] + lines[2:spec]  # spec first, then metadata
    reordered[reordered.index("metadata:") + 1 : reordered.index("metadata:") + 3] = lines[3:5][::-1]
    newest.write_text("\n".join(reordered) + "\n")
    request = flat_request("ecr", "create", name="payments-api", environment="dev", **FIELDS)
    assert apply(repo, request, load_config(repo)).changes.status == "created"
    written = YAML(typ="rt").load((repo / "catalog/resources/ecr/payments-api.yaml").read_text())
    assert list(written) == ["apiVersion", "kind", "spec", "metadata"]
    assert list(written["metadata"]) == ["description", "name", "tags", "annotations"]
    older = YAML(typ="rt").load((repo / "catalog/resources/ecr/billing-api.yaml").read_text())
    assert list(older) == ["apiVersion", "kind", "metadata", "spec"]  # the older sibling is not the model


def test_several_environments_where_the_house_writes_one_as_a_scalar(seed: Path) -> None:  # noqa: F811
    """On the seed (environment: dev in every entry): a list while the registry is in two, a scalar again
    when a removal leaves one, and nothing left of it when the last goes."""
    config, before = load_config(seed), snapshot_of(seed)
    for environment in ("dev", "staging"):
        request = flat_request("ecr", "create", name="payments-api", environment=environment, **FIELDS)
        assert apply(seed, request, config).changes.changed
    metadata = YAML(typ="safe").load((seed / CATALOG).read_text())["repositories"]["payments-api"]["metadata"]
    assert metadata["environment"] == ["dev", "staging"] and "environments" not in metadata
    assert apply(
        seed, flat_request("ecr", "remove", name="payments-api", environment="dev", date="2026-01-09"), config
    ).changes.changed
    metadata = YAML(typ="safe").load((seed / CATALOG).read_text())["repositories"]["payments-api"]["metadata"]
    assert metadata["environment"] == "staging"
    assert apply(
        seed, flat_request("ecr", "remove", name="payments-api", environment="staging", date="2026-01-09"), config
    ).changes.changed
    after = snapshot_of(seed)  # the documented residue: staging's tfvars had no map, and keeps the one it got
    staging = "envs/staging/terraform.tfvars"
    assert after.pop(staging) == before.pop(staging).replace(
        b"enable_ssh_break_glass = false\n", b"enable_ssh_break_glass = false\necr_repositories       = {}\n"
    )
    assert after == before
