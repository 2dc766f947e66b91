"""A plan made: each file's operations spliced into its text in one pass, each splice verified by its editor."""

from __future__ import annotations

from gitops_writer.errors import GitopsWriterError, NotFoundError, in_file
from gitops_writer.pointer import parse_pointer
from gitops_writer.repo import RepositoryFiles
from gitops_writer.repo.files import edit_keeping_bom
from gitops_writer.requests import operations as ops
from gitops_writer.requests.operations import ChangeSet, Operation, Plan


def apply(plan: Plan, files: RepositoryFiles) -> ChangeSet:
    """The plan's operations made on the texts of `files`, in memory; `files.write_changes()` writes them."""
    for path in plan.files:
        # The date first: rewritten in place, it keeps the parsed tree good for the edits after it.
        operations = [op for op in plan.operations if op.file == path]
        operations.sort(key=lambda op: not isinstance(op, ops.Stamp))
        text = files.read(path)
        for operation in operations:
            try:
                text = _made(files, operation, text)
            except GitopsWriterError as exc:
                raise in_file(exc, files.name_of(path)) from None
        files.write(path, text)
    return ChangeSet(plan, tuple(files.changes()))


def _made(files: RepositoryFiles, operation: Operation, text: str | None) -> str | None:
    if isinstance(operation, ops.CreateFile):
        return operation.text if operation.text is not None else _rendered(operation)
    if isinstance(operation, ops.RemoveFile):
        return None
    if text is None:
        raise NotFoundError(f"{operation.file}: no such file in the repository")
    return edit_keeping_bom(text, lambda content: _spliced(files, operation, content))


def _spliced(files: RepositoryFiles, operation: Operation, text: str) -> str:
    editor = files.editor(operation.file, document=operation.document)
    pointer = parse_pointer(operation.pointer)
    if isinstance(operation, ops.CreateEntry):
        return editor.set(text, pointer, operation.value, overwrite=False)
    if isinstance(operation, (ops.UpdateEntry, ops.Stamp)):
        return editor.set(text, pointer, operation.value)
    if isinstance(operation, ops.RemoveEntry):
        return editor.remove(text, pointer)
    found, position = editor.locate_item(text, pointer, operation.value)
    if isinstance(operation, ops.AddItem):
        return text if found is not None else editor.insert(text, (*pointer, str(position)), operation.value)
    assert isinstance(operation, ops.RemoveItem), f"no splice for {type(operation).__name__}"
    return text if found is None else editor.remove(text, (*pointer, str(found)))


def _rendered(operation: ops.CreateFile) -> str:
    from gitops_writer.backstage import render_document, render_entity

    value = operation.value
    assert isinstance(value, dict), "a new file's value is a mapping (the planner checks)"
    entity = "metadata" in value and "apiVersion" in value and "kind" in value
    return operation.header + (render_entity(value) if entity else render_document(value))
