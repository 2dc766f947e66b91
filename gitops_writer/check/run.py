"""The whole check: every kind's consistency and Terraform declarations, references, and drift."""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.check.bypass import bypasses
from gitops_writer.check.consistency import consistency
from gitops_writer.check.dispatch import dispatch_drift
from gitops_writer.check.drift import kind_drift
from gitops_writer.check.findings import Finding
from gitops_writer.check.loaded import unloaded_files, unloaded_findings
from gitops_writer.check.presence import presences
from gitops_writer.check.references import references
from gitops_writer.check.scan import Snapshot
from gitops_writer.check.terraform import terraform
from gitops_writer.check.workflows import unparsable_workflows
from gitops_writer.errors import UsageError
from gitops_writer.kinds.load import CONFIG_FILE, DEFAULTS

if TYPE_CHECKING:
    from gitops_writer.kinds.model import Config, RequestKind


def environments_of(config: Config, kind: RequestKind) -> tuple[str, ...]:
    """The environments a kind's requests can name: its environment field's enum, else the config's."""
    properties = kind.fields.get("properties")
    environment = properties.get("environment") if isinstance(properties, Mapping) else None
    enum = environment.get("enum") if isinstance(environment, Mapping) else None
    if isinstance(enum, list) and enum:
        return tuple(str(e) for e in enum)
    return tuple(config.environments)


def check_repository(root: Path, config: Config, kinds: Sequence[str] | None = None) -> list[Finding]:
    collecting = gc.isenabled()
    gc.disable()  # thousands of small node trees stay alive to the end: collections would only walk them again
    try:
        return _check(root, config, kinds)
    finally:
        if collecting:
            gc.enable()


def _check(root: Path, config: Config, kinds: Sequence[str] | None) -> list[Finding]:
    snapshot = Snapshot(root)
    selected = list(config.requests) if not kinds else list(kinds)
    for name in selected:
        if name not in config.requests:
            raise UsageError(f"--kind: unknown request kind {name!r} (known: {', '.join(config.requests)})")
    unloaded = unloaded_files(snapshot)
    if unloaded:  # Backstage never reads them: their entities are no catalog's, for every check below
        snapshot.entities = [entity for entity in snapshot.entities if entity.path not in unloaded]
    findings: list[Finding] = list(unloaded_findings(unloaded))
    edited = False
    said: set[str] = set()  # files the consistency check already reports as unreadable
    for name in selected:
        kind = config.requests[name]
        environments = environments_of(config, kind)
        found = presences(snapshot, kind.edits, environments)
        edited = edited or any(presence.read for presence in found)
        findings.extend(consistency(name, found))
        said.update(path for presence in found for path, _ in presence.unreadable)
        findings.extend(terraform(snapshot, name, kind.edits, environments))
        findings.extend(kind_drift(snapshot, kind))
    if not (edited or snapshot.entities or unloaded or config.source != DEFAULTS):
        raise UsageError(
            f"{root} is no GitOps repository: no {CONFIG_FILE}, no Backstage entity and none of the files the "
            "request kinds edit (pass --repo, or write a layout with `gitops-writer init`)"
        )
    findings.extend(references(snapshot))
    findings.extend(dispatch_drift(snapshot))
    findings.extend(bypasses(snapshot))
    findings.extend(unparsable_workflows(snapshot))
    for path, error in sorted(snapshot.unreadable.items()):
        if path in said:
            continue  # one finding for one unreadable file
        findings.append(Finding(path, getattr(error, "line", None) or 1, "warning", "references", f"not read: {error}"))
    return sorted(set(findings), key=lambda f: (f.path, f.line, f.message))
