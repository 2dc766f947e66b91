"""The placeholder engine: types kept, literal braces, optional fields left out, environments repeated."""

from __future__ import annotations

from gitops_writer.kinds import fill, placeholders


def test_literal_braces() -> None:
    assert fill("{{name}} is {name}", {"name": "x"}) == "{name} is x"
    assert placeholders("{{a}} {b} }}{c}{{") == ["b", "c"]


def test_a_whole_placeholder_keeps_its_type() -> None:
    values = {"capacity": 25, "pitr": False, "name": "a", "ratio": 0.5}
    assert fill({"c": "{capacity}", "p": "{pitr}", "r": "{ratio}"}, values) == {"c": 25, "p": False, "r": 0.5}
    assert fill("{name}-{capacity}-{pitr}", values) == "a-25-false"
    assert fill({"k-{name}": ["{name}", 1, None]}, values) == {"k-a": ["a", 1, None]}


def test_fields_not_given_are_left_out() -> None:
    values = {"days": None, "other": None, "name": "a"}
    assert fill({"name": "{name}", "days": "{days}"}, values) == {"name": "a"}
    assert fill({"name": "{name}", "lifecycle": {"days": "{days}", "x": "{other}"}}, values) == {"name": "a"}
    assert fill("days: {days}", values) == "days: "


def test_a_list_item_with_environments_repeats() -> None:
    values = {"environments": ["dev", "prod"], "risk": "low"}
    assert fill(["env-{environments}", "risk-{risk}"], values) == ["env-dev", "env-prod", "risk-low"]
    assert fill({"environments": "{environments}"}, values) == {"environments": ["dev", "prod"]}
