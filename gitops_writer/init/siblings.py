"""The entities a kind wrote before, and which of them is the newest.

Newest by git history where it tells (the last commit that added one); where it cannot (a one-commit
or shallow history adds them all at once, a directory that is not a repository has no history), the
siblings tied are ordered by the kind's catalog (its last entry), then by the Location that lists them
(its last target), then by name. The reason is kept, and said.
"""

from __future__ import annotations

import posixpath
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from gitops_writer.check.patterns import literal, matched, partial_fill, template_regex
from gitops_writer.check.scan import Snapshot, child
from gitops_writer.errors import GitopsWriterError, in_file
from gitops_writer.init.model import Inference
from gitops_writer.values import JSONValue
from gitops_writer.yaml.syntax import SEQUENCE

GIT_TIMEOUT = 60  # seconds


@dataclass(frozen=True)
class Newest:
    name: str
    path: str
    reason: str  # where the choice came from, as the proposal says it


@dataclass(frozen=True)
class LocationTargets:
    path: str  # the Location's file
    document: int
    targets: list[str]  # resolved to repository paths, in the Location's order


def find_siblings(
    snapshot: Snapshot, path_template: str, result: Inference
) -> tuple[dict[str, str], dict[str, JSONValue]]:
    """(name -> path, path -> decoded entity) of the entity files the kind's path template matches."""
    from gitops_writer.yaml.decode import to_value

    template = partial_fill(path_template, {})
    pattern = template_regex(template, segment=True)
    found: dict[str, str] = {}
    entities: dict[str, JSONValue] = {}
    for path in sorted(snapshot.files):
        match = pattern.fullmatch(path)
        name = matched(match, "name") if match else None
        if not name:
            continue
        try:
            documents = snapshot.yaml(path)
            if not documents or child(documents[0].root, "kind") is None:
                continue
            entities[path] = cast(JSONValue, to_value(documents[0].root, documents[0]))  # Opaque kept as read
        except GitopsWriterError as exc:  # unreadable, or an alias bomb: one line, and the others still count
            result.cannot(f"entity: {in_file(exc, path)}; not learned from")
            continue
        found[name] = path
    if not found:
        folder = posixpath.dirname(literal(template.split("{", 1)[0] + "x"))
        result.cannot(f"entity: no entity in {folder}/ to learn from; the built-in entity stays")
    return found, entities


def newest(
    root: Path,
    siblings: dict[str, str],
    catalog: tuple[str, Sequence[str]],
    locations: Sequence[LocationTargets],
) -> Newest:
    """The newest sibling; `catalog` is (its file, the names of its entries in order)."""
    count = len(siblings)
    added = git_added(root, list(siblings.values()))
    tied = sorted(siblings)
    history = "no git history names them"
    if added:
        top = max(added.values())
        tied = [name for name in tied if added.get(siblings[name]) == top]
        if len(tied) == 1:
            return Newest(tied[0], siblings[tied[0]], f"the newest of {count} siblings (the last one git added)")
        history = f"git added {len(tied)} of them in one commit, so its history cannot tell them apart"
    catalog_path, entries = catalog
    in_catalog = [name for name in entries if name in tied]
    if in_catalog:
        name = in_catalog[-1]
        return Newest(
            name,
            siblings[name],
            f"the newest of {count} siblings ({history}; of those, the last entry of {catalog_path})",
        )
    for location in locations:
        listed = [name for name in _names_in(location, siblings) if name in tied]
        if listed:
            name = listed[-1]
            reason = f"{history}; of those, the last target of the Location in {location.path}"
            return Newest(name, siblings[name], f"the newest of {count} siblings ({reason})")
    name = tied[-1]
    return Newest(
        name,
        siblings[name],
        f"the newest of {count} siblings ({history}, nor does a catalog entry or Location target; the last by name)",
    )


def _names_in(location: LocationTargets, siblings: dict[str, str]) -> list[str]:
    by_path = {path: name for name, path in siblings.items()}
    return [by_path[path] for path in location.targets if path in by_path]


def git_added(root: Path, paths: list[str]) -> dict[str, int]:
    """When git added each path (commit time), for the paths its history holds."""
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "log", "--diff-filter=A", "--format=@%ct", "--name-only", "--", *paths],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
        prefix = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-prefix"],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if done.returncode != 0:
        return {}
    added: dict[str, int] = {}
    stamp = 0
    for line in done.stdout.splitlines():
        if line.startswith("@"):
            stamp = int(line[1:])
        elif line.strip():
            added.setdefault(line.strip().removeprefix(prefix), stamp)  # git log runs newest first
    return {path: added[path] for path in paths if path in added}


def location_targets(snapshot: Snapshot) -> list[LocationTargets]:
    """Every Location of the repository, its targets resolved to repository paths."""
    found = []
    for entity in snapshot.entities:
        if entity.entity_kind != "Location":
            continue
        targets = child(child(entity.node, "spec"), "targets")
        if targets is None or targets.node_type != SEQUENCE:
            continue
        folder = posixpath.dirname(entity.path)
        resolved = [
            posixpath.normpath(posixpath.join(folder, t.value)) for t in targets.items if t.node_type == "scalar"
        ]
        documents = snapshot.yaml(entity.path)
        index = next(i for i, d in enumerate(documents) if d.root is entity.node)
        found.append(LocationTargets(entity.path, index, resolved))
    return found
