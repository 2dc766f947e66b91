"""kinds/model.py: what a loaded kind answers about itself (field types, derived values, its description)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.kinds import Derived, load_config
from gitops_writer.kinds.model import CheckIgnore, table_key


def test_a_derived_value_is_a_template_or_a_lookup_by_the_fields_text() -> None:
    assert Derived(template="{name}-{environment}").compute({"name": "a", "environment": "dev"}) == "a-dev"
    lookup = Derived(lookup="public", table={"true": "internet-facing", "false": "internal-{name}"})
    assert lookup.compute({"public": True, "name": "a"}) == "internet-facing"
    assert lookup.compute({"public": False, "name": "a"}) == "internal-a"
    assert lookup.compute({"public": None}) is None
    assert lookup.uses == ["public", "name"]


@pytest.mark.parametrize(("key", "text"), [(True, "true"), (False, "false"), (3, "3"), ("x", "x")])
def test_a_table_key_reads_as_the_config_spells_it(key: object, text: str) -> None:
    assert table_key(key) == text


def test_field_types_and_the_description_of_the_builtin_kind(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    fields:\n      properties:\n"
        "        retention: {type: [integer, 'null']}\n        tags: {type: array, items: {type: integer}}\n"
    )
    ecr = load_config(tmp_path).requests["ecr"]
    assert (ecr.field_type("retention"), ecr.field_type("tags"), ecr.item_type("tags")) == (
        "integer",
        "array",
        "integer",
    )
    assert ecr.field_type("nope") == "string" and ecr.item_type("name") == "string"
    assert ecr.field_name("registry_name") == "name" and ecr.field_name("base_branch") is None
    described = ecr.describe()
    assert described["name"] == "ecr" and described["edits"] == ["tfvars", "catalog", "entity", "location"]
    name = next(row for row in described["fields"] if row["name"] == "name")
    assert name["required"] is True and name["type"] == "string" and name["maxLength"] == 63


def test_a_check_ignore_covers_its_rule_on_its_paths() -> None:
    ignore = CheckIgnore("drift", "adopted by hand", ("catalog/*",))
    assert ignore.covers("drift", "catalog/a/b.yaml")
    assert not ignore.covers("drift", "envs/dev.tfvars") and not ignore.covers("presence", "catalog/a.yaml")
    assert CheckIgnore("drift", "everywhere").covers("drift", "anything")
