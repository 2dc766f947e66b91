"""generate/fields.py: what the template and the workflow both derive from a kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.generate.fields import (
    GITHUB_INPUTS_MAX,
    input_name,
    inputs,
    name_limit,
    one_pattern,
    patterns,
    payload_mode,
    properties,
    refused_user,
    requester_rule_problem,
)
from gitops_writer.kinds import RequestKind, load_config


def _kind(tmp_path: Path, text: str = "") -> RequestKind:
    (tmp_path / ".gitops-writer.yaml").write_text(text)
    return load_config(tmp_path).requests["ecr"]


def test_patterns_are_the_fields_own_and_its_allof_rules() -> None:
    schema = {"pattern": "^a", "allOf": [{"pattern": "b$", "errorMessage": "b"}, {"pattern": "c", "minLength": 1}]}
    assert patterns(schema) == ["^a", "b$"]  # a rule with more than a pattern is not one to merge
    assert one_pattern(schema) == "(?=^a)(?=^.*b$).*$"
    assert one_pattern({"pattern": "^a$"}) == "^a$" and one_pattern({}) is None


@pytest.mark.parametrize(
    ("schema", "refused"),
    [
        ({"pattern": "^[a-z.]+$"}, "daniel-deans"),
        ({"maxLength": 12}, "x" * 63),
        ({"maxLength": 11}, "daniel-deans"),
        ({"minLength": 2}, "a"),
        ({"enum": ["a"]}, "amelia.park"),
        ({"pattern": "^[A-Za-z0-9._-]+$", "maxLength": 63}, None),
        ({"pattern": "^\\p{L}"}, None),  # what Python cannot read is left to the kind's own validation
    ],
)
def test_a_requester_rule_must_take_every_backstage_user_name(schema: dict[str, object], refused: str | None) -> None:
    assert refused_user(schema) == refused


def test_the_builtin_kind_sends_one_input_a_field_under_its_alias(tmp_path: Path) -> None:
    ecr = _kind(tmp_path)
    assert input_name(ecr, "name") == "registry_name" and input_name(ecr, "owner") == "owner"
    declared = inputs(ecr)
    assert declared[0].name == "base_branch" and declared[0].field is None
    assert {item.field for item in declared[1:]} == set(ecr.properties)
    assert not payload_mode(ecr) and requester_rule_problem(ecr) is None
    limit = name_limit(ecr)
    assert limit is not None and 0 < limit < 63


def test_a_computed_default_is_left_out_of_the_form(tmp_path: Path) -> None:
    ecr = _kind(tmp_path, "requests:\n  ecr:\n    fields:\n      properties:\n        note: {default: 'for {name}'}\n")
    assert "default" not in properties(ecr)["note"] and ecr.properties["note"]["default"] == "for {name}"


def test_more_fields_than_github_takes_travel_as_one_payload(tmp_path: Path) -> None:
    many = "".join(f"        f{i}: {{type: string}}\n" for i in range(GITHUB_INPUTS_MAX))
    ecr = _kind(tmp_path, "requests:\n  ecr:\n    fields:\n      properties:\n" + many)
    assert payload_mode(ecr) and [item.name for item in inputs(ecr)] == ["base_branch", "payload"]


def test_a_requester_rule_refusing_users_is_named(tmp_path: Path) -> None:
    ecr = _kind(
        tmp_path, "requests:\n  ecr:\n    fields:\n      properties:\n        requester: {pattern: '^[a-z]+$'}\n"
    )
    assert "refuses the Backstage user 'amelia.park'" in (requester_rule_problem(ecr) or "")
