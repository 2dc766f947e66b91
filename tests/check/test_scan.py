"""check/scan.py: a repository's working tree read lazily and once: its files, its entities, its YAML and HCL."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.check.scan import Snapshot, at, child, entity_ref, scalar, scalars
from gitops_writer.errors import GitopsWriterError, ParseError

ENTITIES = (
    "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\n  namespace: ops\nspec:\n"
    "  children: [b, c]\n---\nkind: Note\nmetadata:\n  name: no-api-version\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for path, text in {
        "catalog/groups.yaml": ENTITIES,
        "catalog/templates/x/skeleton/catalog-info.yaml": "apiVersion: v1\nkind: Component\nmetadata:\n  name: s\n",
        ".github/workflows/a.yml": "apiVersion: v1\nkind: Component\nmetadata:\n  name: w\n",
        "node_modules/p/entity.yaml": "apiVersion: v1\nkind: Component\nmetadata:\n  name: n\n",
        "envs/dev/terraform.tfvars": 'a = {\n  b = "c"\n}\n',
        "envs/dev/broken.tfvars": "a = {\n",
    }.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    return tmp_path


def test_entities_are_the_documents_naming_an_api_version_kind_and_name_outside_skeletons_and_workflows(
    repo: Path,
) -> None:
    snapshot = Snapshot(repo)
    (group,) = snapshot.entities
    assert (group.path, group.entity_kind, group.namespace, group.name, group.name_line) == (
        "catalog/groups.yaml",
        "Group",
        "ops",
        "team-a",
        4,
    )
    assert group.ref == entity_ref("group", "OPS", "Team-A") == "group:ops/team-a"
    assert not snapshot.exists("node_modules/p/entity.yaml") and snapshot.is_directory("envs/dev/")


def test_nodes_are_read_by_key_pointer_and_as_scalars(repo: Path) -> None:
    root = Snapshot(repo).yaml("catalog/groups.yaml")[0].root
    assert scalar(at(root, ("metadata", "name"))) == "team-a"
    assert scalars(child(child(root, "spec"), "children")) == [("b", 7), ("c", 7)]
    assert at(root, ("spec", "children", "5")) is None and child(None, "x") is None


def test_hcl_is_parsed_once_and_a_file_that_is_not_hcl_is_a_parse_error_naming_it(repo: Path) -> None:
    snapshot = Snapshot(repo)
    assert snapshot.hcl("envs/dev/terraform.tfvars") is snapshot.hcl("envs/dev/terraform.tfvars")
    with pytest.raises(ParseError, match="envs/dev/broken.tfvars"):
        snapshot.hcl("envs/dev/broken.tfvars")
    with pytest.raises(GitopsWriterError, match="no such file"):
        snapshot.yaml("catalog/missing.yaml")
