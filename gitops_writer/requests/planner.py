"""Every file edit of a request, computed and verified in memory before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_writer.config import Edit, RequestKind, fill
from gitops_writer.errors import ConflictError, GitopsWriterError, NotFoundError, ValidationError, in_file
from gitops_writer.formats import editor_for
from gitops_writer.pointer import format_pointer, parse_pointer
from gitops_writer.repo import FileChange, RepositoryFiles
from gitops_writer.values import same_value

_MISSING = object()


@dataclass
class Outcome:
    """What a request does to the repository: one FileChange per touched file, and in what way."""

    changes: list[FileChange] = field(default_factory=list)
    created: list[str] = field(
        default_factory=list
    )  # human-readable lines, e.g. "envs/dev/terraform.tfvars: added /ecr_repositories/x"
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(change.changed for change in self.changes)

    @property
    def status(self) -> str:
        if not self.changed:
            return "unchanged"
        if self.removed:
            return "removed"
        return "updated" if self.updated and not self.created else "created"


def compute_edits(
    repo: Path | RepositoryFiles, kind: RequestKind, fields: dict[str, str], *, creating: bool, update: bool = False
) -> Outcome:
    """Every edit of a request, made and verified in memory; nothing is written.

    Raises ConflictError when the request differs from what the files hold (unless `update`), and
    NotFoundError for a removal nothing holds.
    """
    files = repo if isinstance(repo, RepositoryFiles) else RepositoryFiles(repo)
    outcome = Outcome()
    touched_stamps: dict[str, str] = {}
    for template in kind.edits:  # an environment the repository does not have is a bad request, not a missing file
        if "{environment}" in template.path:
            folder = PurePosixPath(fill(template.path, fields)).parent
            if not files.path(str(folder)).is_dir():
                raise ValidationError("environment", f"{fields['environment']} has no {folder}/ in the repository")
    for template in kind.edits:
        edit = Edit(
            kind=template.kind,
            path=fill(template.path, fields),
            value=fill(template.value, fields),
            pointer=fill(template.pointer, fields),
            keep=template.keep,
            stamp=template.stamp,
            document=template.document,
        )
        before = files.read(edit.path)
        try:
            if creating:
                _create(files, edit, update, outcome)
            else:
                _remove(files, edit, outcome)
        except GitopsWriterError as exc:
            raise in_file(exc, edit.path) from None
        if edit.stamp and files.read(edit.path) != before:
            touched_stamps[edit.path] = edit.stamp
    for path, stamp in touched_stamps.items():
        _stamp(files, path, stamp, fields["date"])
    if outcome.conflicts:
        raise ConflictError(
            f"{fields['name']} already exists with other values: {'; '.join(outcome.conflicts)}; "
            "re-run with --update to change them"
        )
    if not creating and not outcome.removed:
        raise NotFoundError(f"{fields['name']} is not in {fields['environment']}: no file holds it, nothing to remove")
    outcome.changes = files.changes()
    return outcome


def _apply_edit(files: RepositoryFiles, edit: Edit, apply: Any) -> None:
    editor = editor_for(edit.path, document=edit.document)
    files.edit(edit.path, lambda text: apply(editor, text))


def _current(files: RepositoryFiles, edit: Edit) -> Any:
    text = files.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        return editor_for(edit.path, document=edit.document).get(text, parse_pointer(edit.pointer))
    except NotFoundError:
        return _MISSING


def _create(files: RepositoryFiles, edit: Edit, update: bool, outcome: Outcome) -> None:
    pointer = parse_pointer(edit.pointer)
    if edit.kind == "file":
        from gitops_writer.backstage import render_entity

        if files.read(edit.path) is None:
            files.write(edit.path, render_entity(edit.value))
            outcome.created.append(f"{edit.path}: new file")
            return
        existing = _current(files, edit)
    elif edit.kind == "item":
        found, position = _locate(files, edit)
        if found is None:
            _apply_edit(files, edit, lambda editor, text: editor.insert(text, (*pointer, str(position)), edit.value))
            outcome.created.append(f"{edit.path}: added {edit.value!s} to {edit.pointer}")
        return
    else:
        try:  # the common case, a new entry, costs one parse: set first, compare only if it exists
            before = files.read(edit.path)
            _apply_edit(files, edit, lambda editor, text: editor.set(text, pointer, edit.value, overwrite=False))
            if files.read(edit.path) != before:
                outcome.created.append(f"{edit.path}: added {edit.pointer}")
            return
        except ConflictError:
            existing = _current(files, edit)
    differences = list(_differences(edit.value, existing, (), set(edit.keep)))
    if not differences:
        return
    if not update:
        outcome.conflicts.extend(
            f"{edit.path} {edit.pointer}{format_pointer(p)} is {_show(_at(existing, p))}, requested {_show(v)}"
            for p, v in differences
        )
        return
    for relative, value in differences:
        _apply_edit(files, edit, lambda editor, text, r=relative, v=value: editor.set(text, (*pointer, *r), v))
        outcome.updated.append(f"{edit.path}: set {edit.pointer}{format_pointer(relative)} to {_show(value)}")


def _locate(files: RepositoryFiles, edit: Edit) -> tuple[int | None, int]:
    """The index of the list item equal to the edit's value (or None), and where a new one goes."""
    text = files.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        editor = editor_for(edit.path, document=edit.document)
        return editor.locate_item(text, parse_pointer(edit.pointer), edit.value)
    except NotFoundError:
        raise NotFoundError(f"{edit.path}: {edit.pointer} is not a list") from None


def _remove(files: RepositoryFiles, edit: Edit, outcome: Outcome) -> None:
    pointer = parse_pointer(edit.pointer)
    if edit.kind == "file":
        if files.read(edit.path) is not None:
            files.write(edit.path, None)
            outcome.removed.append(f"{edit.path}: deleted")
        return
    if files.read(edit.path) is None:
        return
    if edit.kind == "item":
        try:
            index = _locate(files, edit)[0]
        except NotFoundError:
            return
        if index is not None:
            _apply_edit(files, edit, lambda editor, text: editor.remove(text, (*pointer, str(index))))
            outcome.removed.append(f"{edit.path}: removed {edit.value!s} from {edit.pointer}")
        return
    current = _current(files, edit)
    if current is not _MISSING:
        _apply_edit(files, edit, lambda editor, text: editor.remove(text, pointer))
        outcome.removed.append(f"{edit.path}: removed {edit.pointer}")


def _stamp(files: RepositoryFiles, path: str, stamp: str, date: str) -> None:
    """Set the file's date field, first and then replaying the file's edits.

    A date rewritten in place keeps the parsed tree valid, so the edits replay without a new parse.
    """
    original = files.content(path, original=True)
    assert original is not None
    editor = editor_for(path)
    try:
        current = editor.get(original, parse_pointer(stamp))
    except NotFoundError:
        current = _MISSING
    if current in (_MISSING, date):
        files.replay(path)
    else:
        files.replay(path, first=lambda text: editor.set(text, parse_pointer(stamp), date))


def _differences(wanted: Any, existing: Any, prefix: tuple[str, ...], keep: set[str]) -> Any:
    """(pointer, wanted value) for each leaf the request wants different; fields people may change are skipped."""
    if format_pointer(prefix) in keep:
        return
    if isinstance(wanted, dict) and isinstance(existing, dict):
        for key, value in wanted.items():
            if key not in existing:
                if format_pointer((*prefix, key)) not in keep:
                    yield (*prefix, key), value
            else:
                yield from _differences(value, existing[key], (*prefix, key), keep)
    elif not same_value(wanted, existing):
        yield prefix, wanted


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for token in path:
        if not isinstance(data, dict) or token not in data:
            return None
        data = data[token]
    return data


def _show(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, default=str)
