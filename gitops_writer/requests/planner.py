"""Every file edit of a request, computed and verified in memory before anything is written.

Several environments: an edit whose path or pointer names `{environment}` (the env's tfvars) is that
environment's own; every other edit is a record shared by all the environments the resource lives in
(the governance catalog entry, the Backstage entity, the Location target). Where a resource lives is
read from the per-environment edits: an environment holds it when one of its per-environment files
does. Shared records that use `{environments}` list those environments; a request in one more
environment adds its own entries and brings that list up to date (never a conflict), a removal takes
out that environment's entries, and the shared records go with the last environment.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from gitops_writer.errors import ConflictError, GitopsWriterError, NotFoundError, ValidationError, in_file
from gitops_writer.formats import editor_for
from gitops_writer.kinds import EditTemplate, fill
from gitops_writer.kinds.template import ENVIRONMENTS, as_text, fill_text, placeholders_in
from gitops_writer.pointer import format_pointer, parse_pointer
from gitops_writer.repo import FileChange, RepositoryFiles
from gitops_writer.requests.model import ValidRequest
from gitops_writer.requests.siblings import like_siblings
from gitops_writer.values import same_value

_MISSING = object()


@dataclass(frozen=True)
class Edit:
    """One edit with its placeholders filled."""

    template: EditTemplate
    path: str
    value: Any
    pointer: str
    listing: tuple[tuple[str, ...], ...] = ()  # pointers, relative to the value, of the lists of environments

    @property
    def kind(self) -> str:
        return self.template.kind


@dataclass
class ChangeSet:
    """What a request does to the repository: one FileChange per touched file, and in what way."""

    changes: list[FileChange] = field(default_factory=list)
    created: list[str] = field(default_factory=list)  # e.g. "envs/dev/terraform.tfvars: added /ecr_repositories/x"
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    environments: tuple[str, ...] = ()  # where the resource lives once the request is made

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

    @property
    def lines(self) -> list[str]:
        return self.created + self.updated + self.removed


def compute_changes(
    repo: Path | RepositoryFiles, request: ValidRequest, environments: Sequence[str], *, update: bool = False
) -> ChangeSet:
    """The request's edits on the files as they are under `repo`, made and verified in memory; nothing is written.

    Raises ConflictError when the request differs from what the files hold (unless `update`), and
    NotFoundError for a removal in an environment that does not hold the resource.
    """
    files = repo if isinstance(repo, RepositoryFiles) else RepositoryFiles(repo)
    changes = ChangeSet()
    kind = request.kind
    values: dict[str, Any] = dict(request.values)
    for template in kind.edits:  # an environment the repository does not have is a bad request, not a missing file
        if template.per_environment and template.kind != "file":  # a new file's folders are made for it
            folder = PurePosixPath(fill_text(template.path, values)).parent
            if not files.path(str(folder)).is_dir():
                raise ValidationError("environment", f"{request.environment} has no {folder}/ in the repository")
    own = [t for t in kind.edits if t.per_environment]
    shared = [t for t in kind.edits if not t.per_environment]
    holders: list[str] = [request.environment]
    if own and (kind.lists_environments or not request.creating):
        holders = _holders(files, own, values, environments)
    if not request.creating and own and request.environment not in holders:
        raise NotFoundError(
            f"{request.name} is not in {request.environment}: no file of that environment holds it, nothing to remove"
            + (f" (it is in {', '.join(holders)})" if holders else "")
        )
    after = (
        [e for e in environments if e in holders or e == request.environment]
        if request.creating
        else [e for e in holders if e != request.environment]
    )
    changes.environments = tuple(after)
    values[ENVIRONMENTS] = after
    values["holders"] = holders
    touched_stamps: dict[str, str] = {}
    for template in kind.edits:
        edit = Edit(
            template,
            fill_text(template.path, values),
            fill(template.value, values),
            fill_text(template.pointer, values),
            tuple(_environment_leaves(template.value, values)),
        )
        if request.creating and template.kind == "entry" and edit.path.endswith((".yaml", ".yml")):
            if files.read(edit.path) is None:  # a governance catalog not started yet: start it, as the seed does
                from gitops_writer.generate.skeleton import skeleton_text

                parents = parse_pointer(edit.pointer)[:-1]
                files.write(edit.path, skeleton_text(parents, template.stamp, request.date))
                changes.created.append(f"{edit.path}: new file")
        if template.kind == "entry":
            shaped = like_siblings(files, edit.path, edit.pointer, template.document, edit.value, edit.listing)
            edit = replace(edit, value=shaped.value, listing=shaped.listing)
        before = files.read(edit.path)
        try:
            if request.creating:
                _create(files, edit, update, changes)
            elif template in own or not after:
                _remove(files, edit, changes)
            elif template in shared and template.lists_environments:
                _forget_environment(files, edit, values, request.environment, changes)
        except GitopsWriterError as exc:
            raise in_file(exc, edit.path) from None
        if template.stamp and files.read(edit.path) != before:
            touched_stamps[edit.path] = template.stamp
    for path, stamp in touched_stamps.items():
        _stamp(files, path, stamp, request.date)
    if changes.conflicts:
        raise ConflictError(
            f"{request.name} already exists with other values: {'; '.join(changes.conflicts)}; "
            "re-run with --update to change them"
        )
    if not request.creating and not changes.removed and not changes.updated:
        raise NotFoundError(f"{request.name} is not in {request.environment}: no file holds it, nothing to remove")
    changes.changes = files.changes()
    return changes


def _holders(
    files: RepositoryFiles, own: list[EditTemplate], values: Mapping[str, Any], environments: Sequence[str]
) -> list[str]:
    """The environments whose own files hold the resource, in the configured order."""
    holders = []
    for environment in environments:
        here = {**values, "environment": environment}
        for template in own:
            path = fill_text(template.path, here)
            if template.kind != "file" and not files.path(str(PurePosixPath(path).parent)).is_dir():
                break
            edit = Edit(template, path, fill(template.value, here), fill_text(template.pointer, here))
            if _holds(files, edit):
                holders.append(environment)
                break
    return holders


def _holds(files: RepositoryFiles, edit: Edit) -> bool:
    text = files.read(edit.path)
    if text is None:
        return False
    if edit.kind == "file":
        return True
    # Most environments do not hold the resource: when its key (or item) is nowhere in the text, no parse.
    needle = edit.value if edit.kind == "item" else (parse_pointer(edit.pointer) or ("",))[-1]
    if isinstance(needle, str) and needle and needle.isascii() and needle.isprintable() and needle not in text:
        return False
    try:
        if edit.kind == "item":
            return _locate(files, edit)[0] is not None
        current = _current(files, edit)
    except NotFoundError:
        return False
    except GitopsWriterError as exc:
        raise in_file(exc, edit.path) from None
    return current is not _MISSING


def _environment_leaves(
    template: Any, values: Mapping[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Pointers (relative to the edit's value) of the values that list environments."""
    if isinstance(template, str):
        if ENVIRONMENTS in placeholders_in(template):
            yield prefix
    elif isinstance(template, Mapping):
        for key, child in template.items():
            yield from _environment_leaves(child, values, (*prefix, fill_text(key, values)))
    elif isinstance(template, list) and ENVIRONMENTS in placeholders_in(template):
        yield prefix


def _forget_environment(
    files: RepositoryFiles, edit: Edit, values: Mapping[str, Any], gone: str, changes: ChangeSet
) -> None:
    """A shared record of a resource that stays in other environments: take `gone` out of its lists."""
    if files.read(edit.path) is None:
        return
    base = parse_pointer(edit.pointer)
    for relative in edit.listing:
        at = Edit(edit.template, edit.path, None, format_pointer((*base, *relative)))
        current = _current(files, at)
        if isinstance(current, str):  # a text naming the environments, e.g. "... in dev, prod"
            old, new = as_text(values["holders"]), as_text(values[ENVIRONMENTS])
            if old in current and old != new:
                text = current.replace(old, new)
                _apply_edit(files, at, lambda editor, t, p=(*base, *relative), v=text: editor.set(t, p, v))
                changes.updated.append(f"{edit.path}: set {at.pointer} to {_show(text)}")
            continue
        if not isinstance(current, list):
            continue
        wanted = _at(edit.value, relative)
        if isinstance(wanted, str):  # a house that writes one environment as a scalar: one is left
            _apply_edit(files, at, lambda editor, text, p=(*base, *relative), v=wanted: editor.set(text, p, v))
            changes.updated.append(f"{edit.path}: set {at.pointer} to {_show(wanted)}")
            continue
        template = _at_template(edit.template.value, relative)
        dropped = (
            [
                fill_text(item, {**values, ENVIRONMENTS: gone})
                for item in template
                if isinstance(item, str) and ENVIRONMENTS in placeholders_in(item)
            ]
            if isinstance(template, list)
            else [gone]
        )
        for index in reversed(range(len(current))):
            if any(same_value(current[index], value) for value in dropped):
                pointer = (*base, *relative, str(index))
                _apply_edit(files, at, lambda editor, text, p=pointer: editor.remove(text, p))
                changes.updated.append(
                    f"{edit.path}: removed {_show(current[index])} from {format_pointer((*base, *relative))}"
                )


def _at_template(template: Any, relative: tuple[str, ...]) -> Any:
    for token in relative:
        if not isinstance(template, Mapping):
            return None
        template = next((v for k, v in template.items() if k == token or "{" in k), None)
    return template


def _apply_edit(files: RepositoryFiles, edit: Edit, apply: Any) -> None:
    editor = editor_for(edit.path, document=edit.template.document)
    files.edit(edit.path, lambda text: apply(editor, text))


def _current(files: RepositoryFiles, edit: Edit) -> Any:
    text = files.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        return editor_for(edit.path, document=edit.template.document).get(text, parse_pointer(edit.pointer))
    except NotFoundError:
        return _MISSING


def _locate(files: RepositoryFiles, edit: Edit) -> tuple[int | None, int]:
    """The index of the list item equal to the edit's value (or None), and where a new one goes."""
    text = files.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        editor = editor_for(edit.path, document=edit.template.document)
        return editor.locate_item(text, parse_pointer(edit.pointer), edit.value)
    except NotFoundError:
        raise NotFoundError(f"{edit.path}: {edit.pointer} is not a list") from None


def _create(files: RepositoryFiles, edit: Edit, update: bool, changes: ChangeSet) -> None:
    pointer = parse_pointer(edit.pointer)
    if edit.kind == "file":
        from gitops_writer.backstage import render_document, render_entity

        if files.read(edit.path) is None:
            if not isinstance(edit.value, dict):
                raise ValidationError("edits", f"{edit.path}: a file edit's value must be a mapping")
            entity = "metadata" in edit.value and "apiVersion" in edit.value and "kind" in edit.value
            files.write(edit.path, render_entity(edit.value) if entity else render_document(edit.value))
            changes.created.append(f"{edit.path}: new file")
            return
        existing = _current(files, edit)
    elif edit.kind == "item":
        found, position = _locate(files, edit)
        if found is None:
            _apply_edit(files, edit, lambda editor, text: editor.insert(text, (*pointer, str(position)), edit.value))
            changes.created.append(f"{edit.path}: added {edit.value!s} to {edit.pointer}")
        return
    else:
        try:  # the common case, a new entry, costs one parse: set first, compare only if it exists
            before = files.read(edit.path)
            _apply_edit(files, edit, lambda editor, text: editor.set(text, pointer, edit.value, overwrite=False))
            if files.read(edit.path) != before:
                changes.created.append(f"{edit.path}: added {edit.pointer}")
            return
        except ConflictError:
            existing = _current(files, edit)
    differences = list(_differences(edit.value, existing, (), set(edit.template.keep)))
    if not differences:
        return
    # A record made before records listed environments, of a resource in one environment, is left as it is.
    differences = [
        (p, v)
        for p, v in differences
        if not (p in edit.listing and _at(existing, p) is None and isinstance(v, list) and len(v) == 1)
    ]
    if not differences:
        return
    conflicts = [(p, v) for p, v in differences if not any(p[: len(leaf)] == leaf for leaf in edit.listing)]
    if conflicts and not update:  # where the resource lives is record keeping, never a conflict
        changes.conflicts.extend(
            f"{edit.path} {edit.pointer}{format_pointer(p)} is {_show(_at(existing, p))}, requested {_show(v)}"
            for p, v in conflicts
        )
        return
    for relative, value in differences:
        _apply_edit(files, edit, lambda editor, text, r=relative, v=value: editor.set(text, (*pointer, *r), v))
        changes.updated.append(f"{edit.path}: set {edit.pointer}{format_pointer(relative)} to {_show(value)}")


def _remove(files: RepositoryFiles, edit: Edit, changes: ChangeSet) -> None:
    pointer = parse_pointer(edit.pointer)
    if edit.kind == "file":
        if files.read(edit.path) is not None:
            files.write(edit.path, None)
            changes.removed.append(f"{edit.path}: deleted")
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
            changes.removed.append(f"{edit.path}: removed {edit.value!s} from {edit.pointer}")
        return
    current = _current(files, edit)
    if current is not _MISSING:
        _apply_edit(files, edit, lambda editor, text: editor.remove(text, pointer))
        changes.removed.append(f"{edit.path}: removed {edit.pointer}")


def _stamp(files: RepositoryFiles, path: str, stamp: str, date: str) -> None:
    """Set the file's date field to the request's date unless it holds a later one, first and then
    replaying the file's edits.

    A date rewritten in place keeps the parsed tree valid, so the edits replay without a new parse.
    """
    original = files.content(path, original=True)
    if original is None:
        return  # a file this request starts carries the date already
    editor = editor_for(path)
    try:
        current = editor.get(original, parse_pointer(stamp))
    except NotFoundError:
        current = _MISSING
    # never back: a request rebuilt after a later one merged keeps the later date (ISO dates sort as text)
    if current is _MISSING or (isinstance(current, str) and current >= date):
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
