"""The text-in, text-out editors behind the generic verbs, chosen by file extension."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from gitops_writer.errors import UsageError
from gitops_writer.values import JSONValue

HCL_SUFFIXES = (".tfvars", ".tf", ".hcl")
YAML_SUFFIXES = (".yaml", ".yml")


class Editor(Protocol):
    def get(self, text: str, path: Sequence[str]) -> JSONValue: ...

    def set(self, text: str, path: Sequence[str], value: JSONValue, *, overwrite: bool = True) -> str: ...

    def insert(self, text: str, path: Sequence[str], value: JSONValue) -> str: ...

    def locate_item(self, text: str, path: Sequence[str], value: JSONValue) -> tuple[int | None, int]: ...

    def remove(self, text: str, path: Sequence[str]) -> str: ...


def editor_for(filename: str, *, document: int = 0) -> Editor:
    """The editor for a file, by its extension; UsageError for any other file."""
    name = filename.lower()
    if name.endswith(HCL_SUFFIXES):
        if document:
            raise UsageError("--document applies to YAML files only")
        from gitops_writer.hcl import HclEditor

        return HclEditor()
    if name.endswith(YAML_SUFFIXES):
        from gitops_writer.yaml import YamlEditor

        return YamlEditor(document=document)
    raise UsageError(f"{filename}: unknown file type; expected one of {', '.join(HCL_SUFFIXES + YAML_SUFFIXES)}")
