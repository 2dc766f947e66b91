"""A request checks what it writes: the relations of its new entities resolve to entities the repository defines.

The request path cannot afford parsing every entity file of a large repository: which kinds each file
declares and which names its `name:` lines give are read off its text, and remembered between runs
(`entity_index`); only a file that may define a wanted name is parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gitops_writer.check.entity_index import EntityIndex, facts
from gitops_writer.check.references import RELATIONS, parse_ref
from gitops_writer.check.scan import Snapshot, entity_of, entity_ref
from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo import RepositoryFiles
from gitops_writer.values import JSONObject, JSONValue


def entity_relations(entity: JSONObject) -> list[tuple[str, str | None, str, str, str]]:
    """(field, kind or None, namespace, name, as written) of each relation a new entity (plain data) names."""
    namespace = str(_object(entity.get("metadata")).get("namespace") or "default")
    spec = _object(entity.get("spec"))
    found = []
    for field, default_kind in RELATIONS.items():
        values = spec.get(field)
        for text in values if isinstance(values, list) else [values]:
            if isinstance(text, str) and text:
                kind, ref_namespace, name = parse_ref(text, default_kind, namespace)
                found.append((field, kind, ref_namespace, name, text))
    return found


def _object(value: JSONValue) -> JSONObject:
    return value if isinstance(value, dict) else {}


def _mentions(snapshot: Snapshot, path: str, names: set[str]) -> bool:
    try:
        text = (snapshot.text(path) or "").lower()
    except GitopsWriterError:
        return False
    return any(name in text for name in names)


def unresolved_relations(root: Path, entities: Iterable[JSONObject], files: RepositoryFiles | None = None) -> list[str]:
    """One line per relation of the new entities that names an entity the repository does not define.

    A relation to a kind the repository defines no entity of at all (owners, in a repository without
    Group entities) is not reported. Entities among `entities` count as defined. `files`: the request's
    files, whose texts are not read nor parsed again.
    """
    entities = list(entities)
    wanted = [(entity, rel) for entity in entities for rel in entity_relations(entity)]
    if not wanted:
        return []
    new = {
        entity_ref(str(e.get("kind", "")), str(_object(e.get("metadata")).get("namespace") or "default"), str(name))
        for e in entities
        if (name := _object(e.get("metadata")).get("name"))
    }
    snapshot = Snapshot(root, files)
    index = EntityIndex(root, files.source if files is not None else None)
    names = {rel[3].lower() for _, rel in wanted}
    kinds: set[str] = {str(e.get("kind", "")).lower() for e in entities}
    defined: set[str] = set(new)
    for path in snapshot.entity_files():
        found, stamp = index.lookup(path)
        if found is None:
            try:
                text = snapshot.text(path)
            except GitopsWriterError:
                continue
            found = facts(text or "")
            index.remember(path, stamp, found)
        kinds.update(found.kinds)
        verdict = found.may_define(names)
        if not (_mentions(snapshot, path, names) if verdict is None else verdict):
            continue
        try:
            documents = snapshot.yaml(path)
        except GitopsWriterError:
            continue
        for document in documents:
            entity = entity_of(path, document.root)
            if entity is not None:
                defined.add(entity.ref)
    index.save()
    problems = []
    for new_entity, (field, kind, namespace, name, text) in wanted:
        label = f"{new_entity.get('kind')} {_object(new_entity.get('metadata')).get('name')}"
        if kind is None:
            problems.append(f"{label}: spec.{field} {text} names no kind (write it as kind:name)")
        elif kind.lower() in kinds and entity_ref(kind, namespace, name) not in defined:
            title = "API" if kind.lower() == "api" else kind.capitalize()
            problems.append(f"{label}: spec.{field} {text} is not a {title} the repository defines")
    return problems
