"""HCL native syntax (tfvars): locate with tree-sitter, splice text, verify by reading back."""

from gitops_writer.hcl.editor import HclEditor

__all__ = ["HclEditor"]
