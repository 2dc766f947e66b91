"""check/requested.py: the relations a request's new entity names, and those the repository does not define."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.requested import entity_relations, unresolved_relations
from gitops_writer.values import JSONObject

GROUP = "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n"
NEW: JSONObject = {
    "apiVersion": "backstage.io/v1alpha1",
    "kind": "Resource",
    "metadata": {"name": "payments-api", "namespace": "ops"},
    "spec": {"owner": "group:default/team-a", "dependsOn": ["resource:db", "component:other/app"], "system": ""},
}


def test_each_relation_is_read_with_its_kind_and_namespace_as_backstage_defaults_them() -> None:
    assert entity_relations(NEW) == [
        ("owner", "group", "default", "team-a", "group:default/team-a"),
        ("dependsOn", "resource", "ops", "db", "resource:db"),
        ("dependsOn", "component", "other", "app", "component:other/app"),
    ]
    assert entity_relations({"kind": "Resource", "metadata": "not a mapping", "spec": ["nor this"]}) == []


def test_only_relations_to_kinds_the_repository_defines_and_names_it_does_not_are_reported(tmp_path: Path) -> None:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog/groups.yaml").write_text(GROUP)
    other = {**NEW, "spec": {"owner": "group:team-b", "dependsOn": ["resource:db"]}}

    # team-a is defined; the new entity is a Resource, so Resources are judged; no Component is, so app is not
    assert unresolved_relations(tmp_path, [NEW]) == [
        "Resource payments-api: spec.dependsOn resource:db is not a Resource the repository defines"
    ]
    assert unresolved_relations(tmp_path, [other])[0] == (
        "Resource payments-api: spec.owner group:team-b is not a Group the repository defines"
    )
