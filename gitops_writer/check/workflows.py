"""Workflow files GitHub cannot run because they are not YAML; every other check would skip them silently."""

from __future__ import annotations

from collections.abc import Iterator

from gitops_writer.check.findings import ERROR, Finding
from gitops_writer.check.scan import YAML_SUFFIXES, Snapshot
from gitops_writer.errors import GitopsWriterError, ParseError

CHECK = "workflows"
WORKFLOWS = ".github/workflows/"


def unparsable_workflows(snapshot: Snapshot) -> Iterator[Finding]:
    for path in sorted(snapshot.files):
        if not (path.startswith(WORKFLOWS) and path.endswith(YAML_SUFFIXES) and "/" not in path[len(WORKFLOWS) :]):
            continue
        try:
            snapshot.yaml(path)
        except ParseError as exc:
            column = f" (column {exc.column})" if exc.column else ""
            yield Finding(
                path, exc.line or 1, ERROR, CHECK, f"{exc.args[0]}{column}: GitHub will not run this workflow"
            )
        except GitopsWriterError as exc:
            yield Finding(path, 1, ERROR, CHECK, f"cannot be read: {exc}")
