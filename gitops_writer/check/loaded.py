"""Entity files that no Location of the repository loads: Backstage never reads them.

Their entities are left out of every other check (a broken relation in a file Backstage ignores is
no catalog error), and the file itself is named once. A repository without any Location is not judged:
its files may all be registered in Backstage's app-config.
"""

from __future__ import annotations

from collections.abc import Iterator

from gitops_writer.check.findings import WARNING, Finding
from gitops_writer.check.references import location_targets
from gitops_writer.check.scan import Snapshot

CHECK = "unloaded"


def unloaded_files(snapshot: Snapshot) -> dict[str, int]:
    """Each entity file no Location loads, with the line of its first entity."""
    locations = [entity for entity in snapshot.entities if entity.entity_kind.lower() == "location"]
    if not locations:
        return {}
    loaded = {location.path for location in locations}  # a Location file is registered, or loaded by another
    for location in locations:
        for _text, _line, _target, files in location_targets(snapshot, location):
            loaded.update(files)
    found: dict[str, int] = {}
    for entity in snapshot.entities:
        if entity.path not in loaded:
            found.setdefault(entity.path, entity.line)
    return found


def unloaded_findings(files: dict[str, int]) -> Iterator[Finding]:
    for path, line in sorted(files.items()):
        yield Finding(
            path,
            line,
            WARNING,
            CHECK,
            "no Location of the repository loads this file: Backstage never reads its entities, so check does not "
            "judge them either",
        )
