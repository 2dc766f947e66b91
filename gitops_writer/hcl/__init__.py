"""HCL native syntax (tfvars): locate with tree-sitter, splice text, verify by reading back."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitops_writer.hcl.editor import HclEditor

__all__ = ["HclEditor"]


def __getattr__(name: str) -> object:
    """The editor is imported when first named: readers of the syntax alone never load it."""
    if name == "HclEditor":
        from gitops_writer.hcl.editor import HclEditor

        return HclEditor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
