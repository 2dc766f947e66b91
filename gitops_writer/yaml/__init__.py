"""Format-preserving edits of YAML files: splices at parser offsets, verified by re-reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitops_writer.yaml.editor import YamlEditor

__all__ = ["YamlEditor"]


def __getattr__(name: str) -> object:
    """The editor is imported when first named: readers of the syntax alone never load it."""
    if name == "YamlEditor":
        from gitops_writer.yaml.editor import YamlEditor

        return YamlEditor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
