"""The generic verbs (get, set, remove) over one file: read, edit in memory, diff, write."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.diff import unified_diff
from gitops_writer.errors import GitopsWriterError, in_file
from gitops_writer.formats import editor_for
from gitops_writer.pointer import parse_pointer
from gitops_writer.repo.files import BOM, FileChange, exclusive_lock, read_text, write_atomically
from gitops_writer.values import parse_json_value, to_json


def get_value(file: Path, pointer: str, *, document: int = 0) -> str:
    editor = editor_for(file.name, document=document)
    tokens = parse_pointer(pointer)
    try:
        return to_json(editor.get(read_text(file, file.as_posix()).removeprefix(BOM), tokens))
    except GitopsWriterError as exc:
        raise in_file(exc, file.as_posix()) from None


def set_value(file: Path, pointer: str, value: str, *, overwrite: bool, document: int, write: bool) -> str:
    editor = editor_for(file.name, document=document)
    tokens = parse_pointer(pointer)
    decoded = parse_json_value(value)
    return _edit(file, lambda text: editor.set(text, tokens, decoded, overwrite=overwrite), write=write)


def remove_value(file: Path, pointer: str, *, document: int, write: bool) -> str:
    editor = editor_for(file.name, document=document)
    tokens = parse_pointer(pointer)
    return _edit(file, lambda text: editor.remove(text, tokens), write=write)


def _edit(file: Path, apply, *, write: bool) -> str:
    """Apply one edit under the directory's lock; return the unified diff (empty when unchanged)."""
    shown = file.as_posix()
    with exclusive_lock(file.parent):
        old = read_text(file, shown)
        bom = BOM if old.startswith(BOM) else ""
        try:
            new = bom + apply(old[len(bom) :])
        except GitopsWriterError as exc:
            raise in_file(exc, shown) from None
        change = FileChange(shown, old, new)
        if write and change.changed:
            write_atomically([(file, new)])
    return unified_diff([change])
