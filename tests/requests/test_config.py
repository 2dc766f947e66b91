"""The layout file: defaults, overrides, and one clear line for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.config import DEFAULTS, fill, load_config
from gitops_writer.errors import ConfigError


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source == "built-in defaults"
    assert config.environments == ("dev", "test", "staging", "prod")
    assert [e.kind for e in config.requests["ecr"].edits] == ["entry", "entry", "file", "item"]


def test_overrides_merge_into_the_request_kind(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "environments: [dev, prod]\nbase_branch: main\nrequests:\n  ecr:\n    branch: ecr/{action}/{name}\n"
    )
    config = load_config(tmp_path)
    assert config.environments == ("dev", "prod")
    assert config.base_branch == "main"
    assert config.requests["ecr"].branch == "ecr/{action}/{name}"
    assert config.requests["ecr"].edits == load_config(tmp_path / "absent").requests["ecr"].edits


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("environments: dev\n", "environments: must be a list of strings"),
        ("environment: [dev]\n", "unknown setting 'environment'"),
        ("- a\n", "the top level must be a mapping"),
        ("a: [\n", "not valid YAML"),
        ("requests:\n  ecr:\n    branch: 'registry/{nmae}'\n", r"unknown placeholder \{nmae\}"),
        ("requests:\n  ecr:\n    edits: []\n", "edits: must be a non-empty list"),
        (
            "requests:\n  ecr:\n    edits: [{kind: patch, path: a, value: 1}]\n",
            r"edits\[0\].kind: must be one of entry, file, item",
        ),
        (
            "requests:\n  ecr:\n    edits: [{kind: entry, path: a.yaml, value: 1}]\n",
            r"edits\[0\].pointer: a JSON pointer",
        ),
        (
            "requests:\n  ecr:\n    edits: [{kind: entry, path: a.yaml, pointer: /x, value: '{oops}'}]\n",
            "unknown placeholder",
        ),
        ("requests:\n  ecr:\n    colour: red\n", "unknown setting 'colour'"),
        ("requests:\n  s3:\n    title: S3\n", "requests.s3: branch is required"),
    ],
)
def test_mistakes(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_explicit_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read it"):
        load_config(tmp_path, tmp_path / "missing.yaml")


def test_fill_keeps_literal_braces() -> None:
    assert fill("{{name}} is {name}", {"name": "x"}) == "{name} is x"
    assert fill({"k-{name}": ["{risk}", 1, None]}, {"name": "a", "risk": "low"}) == {"k-a": ["low", 1, None]}


def test_defaults_are_not_mutated(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text("requests:\n  ecr:\n    title: Changed\n")
    load_config(tmp_path)
    assert DEFAULTS["requests"]["ecr"]["title"] == "ECR Registry"
