"""check/presence.py: where each of a kind's edits finds its resources today, by name and environment."""

from __future__ import annotations

from pathlib import Path

from tests.check.support import HALF_MADE, found_in


def test_each_edit_finds_its_resources_where_it_writes_them(tmp_path: Path) -> None:
    tfvars, catalog, entity, location = found_in(tmp_path, HALF_MADE)

    assert (tfvars.label, tfvars.scoped, tfvars.read) == (
        "tfvars entry",
        True,
        ["envs/dev/terraform.tfvars", "envs/test/terraform.tfvars"],
    )
    (place,) = tfvars.places["payments-api"]
    assert (place.path, place.line, place.environments) == ("envs/dev/terraform.tfvars", 2, frozenset({"dev"}))
    assert (catalog.label, catalog.places, catalog.read) == ("catalog entry", {}, [])  # no catalog file yet
    assert list(entity.places) == ["payments-api"] and entity.label == "entity file"
    assert location.label == "Location target" and location.where("payments-api") == (
        "./resources/ecr/payments-api.yaml in catalog/all-resources.yaml /spec/targets"
    )
