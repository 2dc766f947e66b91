"""Format-preserving edits of YAML files: splices at parser offsets, verified by re-reading."""

from gitops_writer.yaml.editor import YamlEditor

__all__ = ["YamlEditor"]
