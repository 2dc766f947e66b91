"""check/references.py: relations, Location targets and names must resolve inside the repository."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.references import parse_ref, references
from gitops_writer.check.scan import Snapshot

HEAD = "apiVersion: backstage.io/v1alpha1\n"
NO_KIND = "write it as kind:name, e.g. resource:db"
FILES = {
    "catalog/groups.yaml": f"{HEAD}kind: Group\nmetadata:\n  name: team-a\nspec:\n  type: team\n",
    "catalog/again.yaml": f"{HEAD}kind: Group\nmetadata:\n  name: Team-A\nspec:\n  type: team\n",
    "catalog/res.yaml": f"{HEAD}kind: Resource\nmetadata:\n  name: r\nspec:\n  owner: team-b\n"
    "  dependsOn:\n    - db\n    - component:app\n",
    "catalog/all.yaml": f"{HEAD}kind: Location\nmetadata:\n  name: all\nspec:\n  targets:\n    - ./groups.yaml\n"
    "    - ./gone.yaml\n    - ./none-*.yaml\n    - https://example.com/x.yaml\n",
}


def test_each_reference_that_does_not_resolve_is_one_finding_on_its_line(tmp_path: Path) -> None:
    for path, text in FILES.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)

    found = sorted((f.path, f.line, f.message) for f in references(Snapshot(tmp_path)))

    assert found == [
        ("catalog/all.yaml", 8, "Location all: target ./gone.yaml does not exist"),
        ("catalog/all.yaml", 9, "Location all: target ./none-*.yaml matches no file"),
        ("catalog/groups.yaml", 4, "Group team-a is defined twice: first in catalog/again.yaml:4"),
        ("catalog/res.yaml", 6, "Resource r: spec.owner team-b is not a Group the repository defines"),
        (
            "catalog/res.yaml",
            8,
            "Resource r: spec.dependsOn db names no kind (write it as kind:name, e.g. resource:db)",
        ),
    ]  # component:app: the repository defines no Component, so it cannot tell


def test_a_reference_takes_the_default_kind_and_namespace_it_leaves_out() -> None:
    assert parse_ref("team-a", "group", "ops") == ("group", "ops", "team-a")
    assert parse_ref("user:default/amelia", "group", "ops") == ("user", "default", "amelia")
    assert parse_ref("db", None, "default") == (None, "default", "db")
