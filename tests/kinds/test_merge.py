"""kinds/merge.py: a repository's `requests:` entry merges over a built-in kind key by key."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import load_config


def test_overrides_merge_into_the_request_kind(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "environments: [dev, prod]\nbase_branch: main\nrequests:\n  ecr:\n    branch: ecr/{action}/{name}\n"
    )
    config = load_config(tmp_path)
    assert config.environments == ("dev", "prod")
    assert config.base_branch == "main"
    assert config.requests["ecr"].branch == "ecr/{action}/{name}"
    assert config.requests["ecr"].edits == load_config(tmp_path / "absent").requests["ecr"].edits
    assert config.requests["ecr"].fields["properties"]["environment"]["enum"] == ["dev", "prod"]


def test_an_edit_is_replaced_or_added_by_id(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    edits:\n"
        "      - {id: tfvars, kind: entry, path: 'tf/{environment}.tfvars', pointer: '/repos/{name}', value: '{id}'}\n"
        "      - {id: audit, kind: item, path: audit.yaml, pointer: /names, value: '{name}'}\n"
        "      - {id: location, drop: true}\n"
    )
    edits = load_config(tmp_path).requests["ecr"].edits
    assert [e.id for e in edits] == ["tfvars", "catalog", "entity", "audit"]
    assert edits[0].path == "tf/{environment}.tfvars" and edits[0].value == "{id}"
    assert edits[1] == load_config(tmp_path / "absent").requests["ecr"].edits[1]


def test_fields_merge_by_property(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    fields:\n      properties:\n        owner: {type: string, enum: [team-a, team-b]}\n"
    )
    properties = load_config(tmp_path).requests["ecr"].fields["properties"]
    assert properties["owner"] == {"type": "string", "enum": ["team-a", "team-b"]}
    assert "pattern" in properties["requester"] and list(properties)[:2] == ["name", "environment"]


def test_builtins_are_not_mutated(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text("requests:\n  ecr:\n    title: Changed\n    risks: []\n")
    with pytest.raises(ConfigError):
        load_config(tmp_path)
    (tmp_path / ".gitops-writer.yaml").write_text("requests:\n  ecr:\n    title: Changed\n")
    assert load_config(tmp_path).requests["ecr"].title == "Changed"
    assert load_config(tmp_path / "absent").requests["ecr"].title == "ECR Registry"


def test_an_override_merges_key_by_key_and_drops_an_edit_by_id() -> None:
    from gitops_writer.kinds.merge import merge_kind

    base = {
        "title": "Base",
        "fields": {"properties": {"a": {"type": "string"}}, "required": ["a"]},
        "inputs": {"x": "a"},
        "edits": [{"id": "one", "value": 1}, {"id": "two", "value": 2}],
    }
    override = {
        "title": "Mine",
        "fields": {"properties": {"b": {"type": "integer"}}},
        "inputs": {"y": "b"},
        "edits": [{"id": "one", "drop": True}, {"id": "three", "value": 3}],
    }
    merged = merge_kind(base, override, "k")
    assert merged["title"] == "Mine" and merged["inputs"] == {"x": "a", "y": "b"}
    assert merged["fields"] == {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}
    assert merged["edits"] == [{"id": "two", "value": 2}, {"id": "three", "value": 3}]
    assert base["title"] == "Base" and len(base["edits"]) == 2  # the base is left as it was
    with pytest.raises(ConfigError, match=r"^k\.edits\[0\]\.id: is required to override a built-in kind's edits"):
        merge_kind(base, {"edits": [{"value": 1}]}, "k")
    with pytest.raises(ConfigError, match=r"^k: unknown setting 'colour'"):
        merge_kind(base, {"colour": "red"}, "k")
