"""The generic verbs (get, set, remove) over one file: read, plan one operation, apply it, diff, write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from gitops_writer.diff import unified_diff
from gitops_writer.errors import GitopsWriterError, in_file
from gitops_writer.formats import editor_for
from gitops_writer.pointer import parse_pointer
from gitops_writer.repo import FileChange, RepositoryFiles
from gitops_writer.requests import operations as ops
from gitops_writer.requests.applying import apply
from gitops_writer.values import parse_json_value, to_json


def get_value(file: Path, pointer: str, *, document: int = 0) -> str:
    """The JSON text of the value at `pointer` in `file`."""
    editor = editor_for(file.name, document=document)
    tokens = parse_pointer(pointer)
    files, relative = RepositoryFiles.around(file)
    with files.lock():
        text = files.existing(relative)
    try:
        return to_json(editor.get(text, tokens))
    except GitopsWriterError as exc:
        raise in_file(exc, file.as_posix()) from None


def set_value(file: Path, pointer: str, value: str, *, overwrite: bool, document: int, write: bool) -> str:
    """Set `pointer` to the JSON `value`; the unified diff of the edit (empty when nothing changes)."""
    editor_for(file.name, document=document)
    parse_pointer(pointer)
    decoded = parse_json_value(value)
    made = ops.UpdateEntry if overwrite else ops.CreateEntry
    return _rewrite(file, lambda relative: made(relative, pointer, decoded, document), write=write)


def remove_value(file: Path, pointer: str, *, document: int, write: bool) -> str:
    """Remove the entry at `pointer`; the unified diff of the edit."""
    editor_for(file.name, document=document)
    parse_pointer(pointer)
    return _rewrite(file, lambda relative: ops.RemoveEntry(relative, pointer, None, document), write=write)


def _rewrite(file: Path, operation: Callable[[str], ops.Operation], *, write: bool) -> str:
    """Apply a plan of one operation under the working tree's lock (the one requests take too); its diff."""
    files, relative = RepositoryFiles.around(file)
    with files.lock():
        old = files.read(relative)
        files.existing(relative)
        apply(ops.Plan((operation(relative),)), files)
        if write:
            files.write_changes()
    return unified_diff([FileChange(file.as_posix(), old, files.read(relative))])
