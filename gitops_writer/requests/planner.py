"""A request's plan: the operations it makes on each file, read off the files as they are; nothing is edited.

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
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from gitops_writer.errors import ConflictError, GitopsWriterError, NotFoundError, ValidationError, in_file
from gitops_writer.kinds import EditTemplate, fill
from gitops_writer.kinds.template import ENVIRONMENTS, as_text, fill_path, fill_pointer, fill_text, placeholders_in
from gitops_writer.pointer import format_pointer, parse_pointer
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.model import ValidRequest
from gitops_writer.requests.operations import (
    AddItem,
    CreateEntry,
    CreateFile,
    Operation,
    Plan,
    RemoveEntry,
    RemoveFile,
    RemoveItem,
    Stamp,
    UpdateEntry,
    show,
)
from gitops_writer.requests.siblings import Shaped, file_like_siblings, like_siblings
from gitops_writer.values import JSONValue, same_value


class _Missing:
    """No value at a pointer (a null there reads as None)."""


_MISSING = _Missing()


@dataclass(frozen=True)
class Edit:
    """One edit with its placeholders filled."""

    template: EditTemplate
    path: str
    value: JSONValue
    pointer: str
    listing: tuple[tuple[str, ...], ...] = ()  # pointers, relative to the value, of the lists of environments

    @property
    def edit_type(self) -> str:
        return self.template.edit_type


class _Reader:
    """The files as the plan reads them: each read once (through `files`), new files as planned."""

    def __init__(self, files: RepositoryFiles) -> None:
        self.files = files
        self.planned: dict[str, str] = {}  # files the plan starts, by their text

    def exists(self, path: str) -> bool:
        return path in self.planned or self.files.read(path) is not None

    def content(self, path: str) -> str | None:
        return self.planned[path] if path in self.planned else self.files.content(path)


def plan(files: RepositoryFiles, request: ValidRequest, environments: Sequence[str], *, update: bool = False) -> Plan:
    """The request's operations on the files as they are under `files`; nothing is edited.

    Raises ConflictError when the request differs from what the files hold (unless `update`), and
    NotFoundError for a removal in an environment that does not hold the resource.
    """
    reader = _Reader(files)
    values: dict[str, JSONValue] = dict(request.values)
    holders, after = _where(reader, request, values, environments)
    values[ENVIRONMENTS] = list[JSONValue](after)
    values["holders"] = list[JSONValue](holders)
    operations: list[Operation] = []
    conflicts: list[str] = []
    stamps: dict[str, str] = {}
    for template in request.kind.edits:
        made = _template_operations(reader, request, template, values, update, conflicts, operations)
        if template.stamp and made:
            stamps[made[0].file] = template.stamp
    operations.extend(op for path, stamp in stamps.items() if (op := _stamp(files, path, stamp, request.date)))
    if conflicts:
        raise ConflictError(
            f"{request.name} already exists with other values: {'; '.join(conflicts)}; "
            "re-run with --update to change them"
        )
    done = Plan(tuple(operations), tuple(after))
    if not request.creating and not done.effects("removed") and not done.effects("updated"):
        raise NotFoundError(f"{request.name} is not in {request.environment}: no file holds it, nothing to remove")
    return done


def _where(
    reader: _Reader, request: ValidRequest, values: Mapping[str, JSONValue], environments: Sequence[str]
) -> tuple[list[str], list[str]]:
    """The environments that hold the resource now, and those that will once the request is made."""
    kind = request.kind
    for template in kind.edits:  # an environment the repository does not have is a bad request, not a missing file
        if template.per_environment and template.edit_type != "file":  # a new file's folders are made for it
            folder = PurePosixPath(fill_path(template.path, values)).parent
            if not reader.files.is_dir(str(folder)):
                raise ValidationError("environment", f"{request.environment} has no {folder}/ in the repository")
    own = [t for t in kind.edits if t.per_environment]
    holders: list[str] = [request.environment]
    if own and (kind.lists_environments or not request.creating):
        holders = _holders(reader, own, values, environments)
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
    return holders, after


def _template_operations(
    reader: _Reader,
    request: ValidRequest,
    template: EditTemplate,
    values: Mapping[str, JSONValue],
    update: bool,
    conflicts: list[str],
    operations: list[Operation],
) -> list[Operation]:
    """One edit template's operations, added to `operations` (a new file it needs first); its conflicts to
    `conflicts`. Returns the template's own operations."""
    edit = Edit(
        template,
        fill_path(template.path, values),
        fill(template.value, values),
        fill_pointer(template.pointer, values),
        tuple(_environment_leaves(template.value, values)),
    )
    if request.creating and template.edit_type == "entry" and edit.path.endswith((".yaml", ".yml")):
        if not reader.exists(edit.path):  # a governance catalog not started yet: start it, as the seed does
            from gitops_writer.requests.skeleton import skeleton_text

            text = skeleton_text(parse_pointer(edit.pointer)[:-1], template.stamp, request.date)
            reader.planned[edit.path] = text
            operations.append(CreateFile(edit.path, text=text))
    if template.edit_type == "entry":
        shaped = like_siblings(reader.files, edit.path, edit.pointer, template.document, edit.value, edit.listing)
        edit = replace(edit, value=shaped.value, listing=shaped.listing)
    elif template.edit_type == "file" and request.creating and not template.skeleton and not reader.exists(edit.path):
        shaped = file_like_siblings(reader.files, request.kind, template, values, Shaped(edit.value, edit.listing))
        edit = replace(edit, value=shaped.value, listing=shaped.listing)
    reader.files.read(edit.path)
    try:
        if request.creating:
            made = _create(reader, edit, update, conflicts, values)
        elif template.per_environment or not values[ENVIRONMENTS]:
            made = _remove(reader, edit)
        elif template.lists_environments:
            made = _forget_environment(reader, edit, values, request.environment)
        else:
            made = []
    except GitopsWriterError as exc:
        raise in_file(exc, edit.path) from None
    operations.extend(made)
    return made


def _holders(
    reader: _Reader, own: list[EditTemplate], values: Mapping[str, JSONValue], environments: Sequence[str]
) -> list[str]:
    """The environments whose own files hold the resource, in the configured order."""
    holders = []
    for environment in environments:
        here = {**values, "environment": environment}
        for template in own:
            path = fill_path(template.path, here)
            if template.edit_type != "file" and not reader.files.is_dir(str(PurePosixPath(path).parent)):
                break
            edit = Edit(template, path, fill(template.value, here), fill_pointer(template.pointer, here))
            if _holds(reader, edit):
                holders.append(environment)
                break
    return holders


def _holds(reader: _Reader, edit: Edit) -> bool:
    text = reader.files.read(edit.path)
    if text is None:
        return False
    if edit.edit_type == "file":
        return True
    # Most environments do not hold the resource: when its key (or item) is nowhere in the text, no parse.
    needle = edit.value if edit.edit_type == "item" else (parse_pointer(edit.pointer) or ("",))[-1]
    if isinstance(needle, str) and needle and needle.isascii() and needle.isprintable() and needle not in text:
        return False
    try:
        if edit.edit_type == "item":
            return _locate(reader, edit)[0] is not None
        current = _current(reader, edit)
    except NotFoundError:
        return False
    except GitopsWriterError as exc:
        raise in_file(exc, edit.path) from None
    return current is not _MISSING


def _environment_leaves(
    template: JSONValue, values: Mapping[str, JSONValue], prefix: tuple[str, ...] = ()
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


def _forget_environment(reader: _Reader, edit: Edit, values: Mapping[str, JSONValue], gone: str) -> list[Operation]:
    """A shared record of a resource that stays in other environments: take `gone` out of its lists."""
    if not reader.exists(edit.path):
        return []
    made: list[Operation] = []
    base = parse_pointer(edit.pointer)
    document = edit.template.document
    for relative in edit.listing:
        at = Edit(edit.template, edit.path, None, format_pointer((*base, *relative)))
        current = _current(reader, at)
        if isinstance(current, str):  # a text naming the environments, e.g. "... in dev, prod"
            old, new = as_text(values["holders"]), as_text(values[ENVIRONMENTS])
            if old in current and old != new:
                made.append(UpdateEntry(edit.path, at.pointer, current.replace(old, new), document))
            continue
        if not isinstance(current, list):
            continue
        wanted = _at(edit.value, relative)
        if isinstance(wanted, str):  # a house that writes one environment as a scalar: one is left
            made.append(UpdateEntry(edit.path, at.pointer, wanted, document))
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
                made.append(RemoveItem(edit.path, at.pointer, current[index], document, staying=True))
    return made


def _at_template(template: JSONValue, relative: tuple[str, ...]) -> JSONValue:
    for token in relative:
        if not isinstance(template, Mapping):
            return None
        template = next((v for k, v in template.items() if k == token or "{" in k), None)
    return template


def _current(reader: _Reader, edit: Edit) -> JSONValue | _Missing:
    text = reader.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        return reader.files.editor(edit.path, document=edit.template.document).get(text, parse_pointer(edit.pointer))
    except NotFoundError:
        return _MISSING


def _locate(reader: _Reader, edit: Edit) -> tuple[int | None, int]:
    """The index of the list item equal to the edit's value (or None), and where a new one goes."""
    text = reader.content(edit.path)
    if text is None:
        raise NotFoundError(f"{edit.path}: no such file in the repository")
    try:
        editor = reader.files.editor(edit.path, document=edit.template.document)
        return editor.locate_item(text, parse_pointer(edit.pointer), edit.value)
    except NotFoundError:
        raise NotFoundError(f"{edit.path}: {edit.pointer} is not a list") from None


def _create(
    reader: _Reader, edit: Edit, update: bool, conflicts: list[str], values: Mapping[str, JSONValue]
) -> list[Operation]:
    document = edit.template.document
    if edit.edit_type == "file":
        if edit.template.skeleton:  # the file its skeleton makes; an existing one is compared with its data
            from gitops_writer.requests.house_template import from_skeleton

            text, data = from_skeleton(reader.files, edit.template, edit.value, values)
            if not reader.exists(edit.path):
                return [CreateFile(edit.path, value=data, text=text)]
            edit = replace(edit, value=data)
        if not reader.exists(edit.path):
            if not isinstance(edit.value, dict):
                raise ValidationError("edits", f"{edit.path}: a file edit's value must be a mapping")
            return [CreateFile(edit.path, value=edit.value, header=edit.template.header)]
    elif edit.edit_type == "item":
        found, _ = _locate(reader, edit)
        return [AddItem(edit.path, edit.pointer, edit.value, document)] if found is None else []
    existing = _current(reader, edit)
    if existing is _MISSING and edit.edit_type == "entry":
        return [CreateEntry(edit.path, edit.pointer, edit.value, document)]
    differences = list(_differences(edit.value, existing, (), set(edit.template.keep)))
    # A record made before records listed environments, of a resource in one environment, is left as it is.
    differences = [
        (p, v)
        for p, v in differences
        if not (p in edit.listing and _at(existing, p) is None and isinstance(v, list) and len(v) == 1)
    ]
    clashes = [(p, v) for p, v in differences if not any(p[: len(leaf)] == leaf for leaf in edit.listing)]
    if clashes and not update:  # where the resource lives is record keeping, never a conflict
        conflicts.extend(
            f"{edit.path} {edit.pointer}{format_pointer(p)} is {show(_at(existing, p))}, requested {show(v)}"
            for p, v in clashes
        )
        return []
    return [UpdateEntry(edit.path, f"{edit.pointer}{format_pointer(p)}", v, document) for p, v in differences]


def _remove(reader: _Reader, edit: Edit) -> list[Operation]:
    document = edit.template.document
    if edit.edit_type == "file":
        return [RemoveFile(edit.path)] if reader.exists(edit.path) else []
    if not reader.exists(edit.path):
        return []
    if edit.edit_type == "item":
        try:
            index = _locate(reader, edit)[0]
        except NotFoundError:
            return []
        return [RemoveItem(edit.path, edit.pointer, edit.value, document)] if index is not None else []
    if _current(reader, edit) is _MISSING:
        return []
    return [RemoveEntry(edit.path, edit.pointer, document=document)]


def _stamp(files: RepositoryFiles, path: str, stamp: str, date: str) -> Stamp | None:
    """The file's date field set to the request's date, unless the file is new or holds a later date."""
    original = files.content(path, original=True)
    if original is None:
        return None  # a file this request starts carries the date already
    try:
        current = files.editor(path).get(original, parse_pointer(stamp))
    except NotFoundError:
        return None
    # never back: a request rebuilt after a later one merged keeps the later date (ISO dates sort as text)
    if isinstance(current, str) and current >= date:
        return None
    return Stamp(path, stamp, date)


def _differences(
    wanted: JSONValue, existing: JSONValue | _Missing, prefix: tuple[str, ...], keep: set[str]
) -> Iterator[tuple[tuple[str, ...], JSONValue]]:
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


def _at(data: JSONValue | _Missing, path: tuple[str, ...]) -> JSONValue | _Missing:
    for token in path:
        if not isinstance(data, dict) or token not in data:
            return None
        data = data[token]
    return data
