"""formats.editor_for: which editor edits which file, whatever the case of its extension."""

from __future__ import annotations

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.formats import editor_for
from gitops_writer.hcl import HclEditor
from gitops_writer.yaml import YamlEditor


@pytest.mark.parametrize(
    ("name", "editor"),
    [
        ("terraform.tfvars", HclEditor),
        ("MAIN.TF", HclEditor),
        ("x.Hcl", HclEditor),
        ("catalog-info.yaml", YamlEditor),
        ("CATALOG.YML", YamlEditor),
    ],
)
def test_editor_for(name: str, editor: type) -> None:
    assert isinstance(editor_for(name), editor)


@pytest.mark.parametrize("name", ["x.json", "tfvars", "x.yaml.bak"])
def test_unknown_types_are_usage_errors(name: str) -> None:
    with pytest.raises(UsageError, match="unknown file type"):
        editor_for(name)


def test_document_is_for_yaml_only() -> None:
    assert editor_for("a.yaml", document=2).document == 2  # type: ignore[attr-defined]
    with pytest.raises(UsageError, match="YAML files only"):
        editor_for("a.tfvars", document=1)
