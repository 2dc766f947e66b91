"""Numbered ids: a kind whose `id` holds `{seq:N}` (`S3-{seq:4}`) numbers its requests.

How the number is found, for a request of that kind:

1. Its own record first, by what identifies it, never by a number: each edit whose path or pointer
   holds `{id}` is looked for among the existing files (the path's folder, a placeholder in it any
   name: `s3-requests/{environment}` is every environment's) or entries (the pointer's mapping) whose
   name matches the id pattern, and is the request's own when every value its template makes of
   `{name}`, `{environment}` or `{name_id}` alone (with literal text) is what the request says,
   `{name}` among them, and the file's folders are those the request's values make of the path. An
   entry found by the request's name whose value holds `{id}` gives its id too. A request that exists
   keeps its number, so making it again is `unchanged`, and a removal finds what to remove: a field
   the path names and the removal does not give (`secret-requests/{service}/...`) is read from the
   path found, and two records of the request in different places are refused, naming the field.
2. Else the next number after the highest of: the ids matching the pattern in those file names and
   entry keys, in the text of every file the kind's edits touch, and in the names of files ever added
   to those folders in the checkout's git history (so a removed request's number is not given again
   while its file is in the history the checkout has; a shallow clone sees less). Zero-padded to N.

Two requests made from the same base take the same number; `refresh` rebuilds the one still open on
the new base, where the merged one's number is taken, so it gets the next (file name, id, title, body).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import replace
from fnmatch import fnmatchcase
from pathlib import PurePosixPath
from types import MappingProxyType

from gitops_writer.errors import ValidationError
from gitops_writer.kinds import EditTemplate, RequestKind, fill_text
from gitops_writer.kinds.template import exact, placeholders, placeholders_in
from gitops_writer.placeholders import SEQUENCE, fill, regex, sequence_width
from gitops_writer.pointer import parse_pointer
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.house_template import skeleton_shape
from gitops_writer.requests.model import ValidRequest, coerce, template_values
from gitops_writer.requests.siblings import read_at
from gitops_writer.values import JSONValue

IDENTITY = frozenset({"name", "environment", "name_id"})


def numbered(files: RepositoryFiles, request: ValidRequest) -> ValidRequest:
    """The request with its `{id}` numbered (see the module); a kind without `{seq:N}` is left as it is."""
    kind = request.kind
    width = sequence_width(kind.id)
    if width is None:
        return request
    values = dict(request.values)
    pattern = re.compile(_id_regex(kind.id, values))
    own, found = _own_number(files, kind, values, pattern, creating=request.creating)
    if own is None and not request.creating:
        return request  # nothing of it to remove: the planner says so
    fields = request.fields
    if found:  # a removal's fields its paths need, read from where its record is
        fields = MappingProxyType({**request.fields, **{key: coerce(kind, key, text) for key, text in found.items()}})
        values = template_values(kind, request.action, fields, request.date)
    number = own if own is not None else _highest(files, kind, values, pattern) + 1
    values["id"] = fill_text(kind.id, {**values, f"seq:{width}": f"{number:0{width}d}"})
    return replace(request, fields=fields, values=MappingProxyType(values))


def _id_regex(template: str, values: Mapping[str, JSONValue]) -> str:
    def part(name: str) -> str:
        seq = SEQUENCE.fullmatch(name)
        if seq:
            return f"(?P<seq>[0-9]{{{seq.group(1)},}})"
        return re.escape(str(values[name])) if values.get(name) is not None else ".+?"

    return regex(template, part)


def _own_number(
    files: RepositoryFiles,
    kind: RequestKind,
    values: Mapping[str, JSONValue],
    pattern: re.Pattern[str],
    *,
    creating: bool,
) -> tuple[int | None, dict[str, str]]:
    """The request's number, and the fields its record's path gives that the request does not."""
    owned: dict[str, tuple[int, dict[str, str]]] = {}
    for edit, number, record, where in _candidates(files, kind, values, pattern):
        found = _path_values(edit.path, where, values)
        template = skeleton_shape(files, edit) if edit.skeleton else edit.value
        if found is not None and not (creating and found) and _identified(template, record, values):
            owned.setdefault(json.dumps(found, sort_keys=True), (number, found))
    if len(owned) > 1:
        missing = sorted({key for _, found in owned.values() for key in found})
        raise ValidationError(
            missing[0] if missing else "name",
            f"{values['name']} in {values['environment']} is recorded in {len(owned)} places: "
            f"give {' and '.join(missing)} to say which",
        )
    if owned:
        return next(iter(owned.values()))
    return _recorded_number(files, kind, values, pattern), {}


def _recorded_number(
    files: RepositoryFiles, kind: RequestKind, values: Mapping[str, JSONValue], pattern: re.Pattern[str]
) -> int | None:
    for edit in kind.edits:  # an entry found by the request's name that records its id
        if edit.edit_type != "entry" or "id" in placeholders(edit.path + edit.pointer):
            continue
        record = read_at(files, fill_text(edit.path, values), fill_text(edit.pointer, values), edit.document)
        for leaf in _id_leaves(edit.value, record):
            match = pattern.fullmatch(leaf)
            if match:
                return int(match.group("seq"))
    return None


def _highest(
    files: RepositoryFiles, kind: RequestKind, values: Mapping[str, JSONValue], pattern: re.Pattern[str]
) -> int:
    numbers = [number for _, number, _, _ in _candidates(files, kind, values, pattern, read=False)]
    search = re.compile(f"(?<![0-9A-Za-z]){pattern.pattern}(?![0-9])")
    for edit in kind.edits:
        if "id" not in placeholders(edit.path):
            text = files.content(fill_text(edit.path, values)) or ""
            numbers += [int(match.group("seq")) for match in search.finditer(text)]
    for _, folder, name in _folders(kind, values):
        for added in _history(files, folder):
            match = name.fullmatch(PurePosixPath(added).name)
            if match:
                numbers.append(int(match.group("seq")))
    return max(numbers, default=0)


def _folders(kind: RequestKind, values: Mapping[str, JSONValue]) -> Iterator[tuple[EditTemplate, str, re.Pattern[str]]]:
    """The folders (a glob: a placeholder in the folder is any name, so `{environment}` spans every
    environment) and file-name pattern of each edit whose file name holds `{id}` (and its folder not)."""
    for edit in kind.edits:
        path = PurePosixPath(edit.path)
        if "id" in placeholders(path.name) and "id" not in placeholders(str(path.parent)):
            name = path.name.replace("{id}", kind.id)
            yield edit, fill(str(path.parent), lambda _: "*"), re.compile(_id_regex(name, values))


def _candidates(
    files: RepositoryFiles,
    kind: RequestKind,
    values: Mapping[str, JSONValue],
    pattern: re.Pattern[str],
    *,
    read: bool = True,
) -> Iterator[tuple[EditTemplate, int, JSONValue, str]]:
    """(edit, number, record, path) for each existing file or entry an edit holding `{id}` names."""
    for edit, folders, name in _folders(kind, values):
        for where in _files_in(files, folders):
            match = name.fullmatch(PurePosixPath(where).name)
            if match:
                yield edit, int(match.group("seq")), read_at(files, where, "", edit.document) if read else None, where
    for edit in kind.edits:
        tokens = parse_pointer(edit.pointer) if edit.edit_type == "entry" else ()
        if not tokens or "id" not in placeholders(tokens[-1]) or "id" in placeholders(edit.path):
            continue
        parent = "".join(f"/{fill_text(token, values)}" for token in tokens[:-1])
        mapping = read_at(files, fill_text(edit.path, values), parent, edit.document)
        if not isinstance(mapping, dict):
            continue
        for key in mapping:
            match = re.fullmatch(_id_regex(tokens[-1].replace("{id}", kind.id), values), key)
            if match:
                yield edit, int(match.group("seq")), mapping[key], ""


def _files_in(files: RepositoryFiles, folders: str) -> list[str]:
    """The files (paths in the tree) directly in the folders the glob `folders` names: read from the
    tree the request is made on, the base branch's commit when publishing, else the working tree."""
    if files.source is not None:
        return sorted(
            p
            for p in files.source.listing()
            if fnmatchcase(p, f"{folders}/*") and p.count("/") == folders.count("/") + 1
        )
    return sorted(
        child.relative_to(files.root).as_posix() for child in files.root.glob(f"{folders}/*") if child.is_file()
    )


def _path_values(template: str, where: str, values: Mapping[str, JSONValue]) -> dict[str, str] | None:
    """The fields the path template names and the request does not give, as the path `where` holds
    them; None when a value the request gives is not the path's. An entry's record (no path): {}."""
    if not where:
        return {}
    seen = set()

    def part(name: str) -> str:
        if name == "id":
            return "[^/]+"
        if values.get(name) is not None:
            return re.escape(str(values[name]))
        if name in seen:
            return f"(?P={name})"
        seen.add(name)
        return f"(?P<{name}>[^/]+)"

    found = re.fullmatch(regex(template, part), where)
    return None if found is None else {key: text for key, text in found.groupdict().items()}


def _identified(template: JSONValue, record: JSONValue, values: Mapping[str, JSONValue]) -> bool:
    """Whether the record holds the request's name wherever the template writes it."""
    leaves = list(_identity_leaves(template, record))
    named = any("name" in placeholders(text) for text, _ in leaves)
    return named and all(found == fill_text(text, values) for text, found in leaves)


def _identity_leaves(template: JSONValue, record: JSONValue) -> Iterator[tuple[str, JSONValue]]:
    if isinstance(template, str):
        used = set(placeholders(template))
        if used and used <= IDENTITY:
            yield template, record
    elif isinstance(template, Mapping):
        for key, child in template.items():
            if "{" in key:
                continue
            yield from _identity_leaves(child, record.get(key) if isinstance(record, dict) else None)


def _id_leaves(template: JSONValue, record: JSONValue) -> Iterator[str]:
    if isinstance(template, str) and "id" in placeholders_in(template) and isinstance(record, str):
        yield record if exact(template) == "id" else ""
    elif isinstance(template, Mapping) and isinstance(record, dict):
        for key, child in template.items():
            if key in record:
                yield from _id_leaves(child, record[key])


def _history(files: RepositoryFiles, folder: str) -> list[str]:
    """Every file ever added under `folder` in the history of the commit the request is made on (the
    base branch's tip when publishing, else the checkout's HEAD); none outside a git repository."""
    sha = getattr(files.source, "sha", None)
    try:
        done = subprocess.run(
            [
                "git",
                "log",
                "--format=",
                "--name-only",
                "--diff-filter=A",
                sha if isinstance(sha, str) else "HEAD",
                "--",
                folder,
            ],
            cwd=files.root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    return done.stdout.split() if done.returncode == 0 else []
