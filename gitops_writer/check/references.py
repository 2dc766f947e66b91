"""Backstage references that must resolve inside the repository: relations, Location targets, names."""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Iterable, Iterator, Mapping

from gitops_writer.check.findings import ERROR, Finding
from gitops_writer.check.scan import Entity, Snapshot, child, entity_ref, scalars

CHECK = "references"

# spec field -> the kind a reference without one defaults to (None: it must name its kind), as Backstage reads them
RELATIONS: Mapping[str, str | None] = {
    "owner": "group",
    "system": "system",
    "domain": "domain",
    "partOf": None,
    "dependsOn": None,
    "dependencyOf": None,
    "subcomponentOf": "component",
    "providesApis": "api",
    "consumesApis": "api",
    "parent": "group",
    "memberOf": "group",
}
_KIND_TITLES = {"api": "API"}


def parse_ref(text: str, default_entity_kind: str | None, default_namespace: str) -> tuple[str | None, str, str]:
    entity_kind, _, rest = text.rpartition(":") if ":" in text else ("", "", text)
    namespace, _, name = rest.rpartition("/") if "/" in rest else ("", "", rest)
    return (entity_kind or default_entity_kind), (namespace or default_namespace), name


def references(snapshot: Snapshot, entities: Iterable[Entity] | None = None) -> Iterator[Finding]:
    every = snapshot.entities
    defined: dict[str, Entity] = {}
    for entity in every:
        first = defined.setdefault(entity.ref, entity)
        if first is not entity:
            yield Finding(
                entity.path,
                entity.name_line,
                ERROR,
                CHECK,
                f"{entity.entity_kind} {entity.name} is defined twice: first in {first.path}:{first.name_line}",
                entity.name,
            )
    entity_kinds = {entity.entity_kind.lower() for entity in every}
    for entity in every if entities is None else entities:
        yield from relation_findings(entity, defined, entity_kinds)
        if entity.entity_kind.lower() == "location":
            yield from _targets(snapshot, entity)


def relation_findings(entity: Entity, defined: Mapping[str, object], entity_kinds: set[str]) -> Iterator[Finding]:
    spec = child(entity.node, "spec")
    for field, default_entity_kind in RELATIONS.items():
        for text, line in scalars(child(spec, field)):
            problem = unresolved(text, default_entity_kind, entity.namespace, defined, entity_kinds)
            if problem:
                yield Finding(
                    entity.path,
                    line,
                    ERROR,
                    CHECK,
                    f"{entity.entity_kind} {entity.name}: spec.{field} {problem}",
                    entity.name,
                )


def unresolved(
    text: str, default_entity_kind: str | None, namespace: str, defined: Mapping[str, object], entity_kinds: set[str]
) -> str:
    """Why a reference does not resolve ("" when it does, or when the repository defines no entity of its kind)."""
    entity_kind, ref_namespace, name = parse_ref(text, default_entity_kind, namespace)
    if entity_kind is None:
        return f"{text} names no kind (write it as kind:name, e.g. resource:{name})"
    entity_kind = entity_kind.lower()
    if entity_kind not in entity_kinds or entity_ref(entity_kind, ref_namespace, name) in defined:
        return ""
    title = _KIND_TITLES.get(entity_kind, entity_kind.capitalize())
    return f"{text} is not a {title} the repository defines"


def location_targets(snapshot: Snapshot, location: Entity) -> Iterator[tuple[str, int, str, list[str]]]:
    """Each target of a file Location inside the repository: as written, its line, the repository path (or
    pattern) it resolves to, and the files it names (none when nothing matches)."""
    spec = child(location.node, "spec")
    if (scalars(child(spec, "type")) or [("file", 0)])[0][0] not in ("file", "url"):
        return
    folder = posixpath.dirname(location.path)
    for text, line in scalars(child(spec, "targets")) + scalars(child(spec, "target")):
        if "://" in text:
            continue  # a URL: not a file of this repository
        target = posixpath.normpath(posixpath.join(folder, text))
        if target.startswith("../") or target == "..":
            continue
        if any(c in target for c in "*?["):
            yield text, line, target, [path for path in snapshot.files if fnmatch.fnmatchcase(path, target)]
        else:
            yield text, line, target, [target] if snapshot.exists(target) else []


def _targets(snapshot: Snapshot, location: Entity) -> Iterator[Finding]:
    for text, line, target, files in location_targets(snapshot, location):
        if files:
            continue
        if any(c in target for c in "*?["):
            yield Finding(location.path, line, ERROR, CHECK, f"Location {location.name}: target {text} matches no file")
        else:
            name = posixpath.splitext(posixpath.basename(target))[0]
            yield Finding(
                location.path, line, ERROR, CHECK, f"Location {location.name}: target {text} does not exist", name
            )
