"""A request from start to end: validate, plan and apply the edits on a tree, then write or show them.

No Click here: the command line builds `RunOptions`, calls `run`, and prints the `Report` (or the
publish result, through `publish.request`); errors are raised, for the one place that maps them to
exit codes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from gitops_writer.diff import unified_diff
from gitops_writer.errors import ConflictError
from gitops_writer.kinds import Config, load_config
from gitops_writer.proposal import BaseTree, PublishPlan
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.applying import apply as apply_plan
from gitops_writer.requests.describe import publish_plan
from gitops_writer.requests.model import Request, ValidRequest, validate
from gitops_writer.requests.operations import ChangeSet, CreateFile
from gitops_writer.requests.planner import plan
from gitops_writer.requests.sequence import numbered
from gitops_writer.values import JSONValue


@dataclass(frozen=True)
class Prepared:
    """A valid request, its edits on one tree, and what publishing would propose."""

    request: ValidRequest
    changes: ChangeSet
    publish: PublishPlan
    unresolved: Callable[[], tuple[str, ...]] = field(default=tuple, repr=False, compare=False)

    @cached_property
    def warnings(self) -> tuple[str, ...]:
        """Relations of new entities that resolve to nothing in the repository, found when first asked
        for: refresh, which shows none, does not pay for the search."""
        return self.unresolved()

    @property
    def diff(self) -> str:
        return unified_diff(self.changes.changes)


@dataclass(frozen=True)
class RunOptions:
    update: bool = False  # rewrite the values of an existing request that differ
    dry_run: bool = False  # show the diff, write nothing
    config_file: Path | None = None  # default: REPO/.gitops-writer.yaml, else the built-in kinds
    strict: bool = False  # refuse, rather than warn about, new entities whose relations resolve to nothing


@dataclass(frozen=True)
class Report:
    """What a local run did (or would do, on a dry run)."""

    request: ValidRequest
    status: str  # created, updated, removed or unchanged
    written: bool
    files: tuple[str, ...]
    branch: str
    diff: str
    dry_run: bool
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "is"
        count = f" ({len(self.files)} files)" if self.files else ""
        return f"{self.request.name} in {self.request.environment} {verb} {self.status}{count}"

    def to_json(self) -> str:
        """The report as the JSON text `--json` prints, like every other result's to_json."""
        data: dict[str, JSONValue] = {
            "kind": self.request.kind.name,
            "action": self.request.action,
            "operation": self.status,
            "written": self.written,
            "files": list(self.files),
            "branch": self.branch,
            "diff": self.diff,
        }
        return json.dumps(data, indent=2)


def prepare(
    repo: Path,
    request: Request,
    config: Config,
    *,
    update: bool = False,
    strict: bool = False,
    files: RepositoryFiles | None = None,
) -> Prepared:
    """Validate and compute every edit in memory, under the working tree's lock; nothing is written.

    A new entity naming entities the repository does not define is a warning (`Prepared.warnings`),
    refused when `strict` (or `references: strict` in the config).
    """
    valid = validate(request, config)
    files = files or RepositoryFiles(repo)
    with files.lock():
        valid = numbered(files, valid)
        changes = apply_plan(plan(files, valid, config.environments, update=update), files)

    def unresolved() -> tuple[str, ...]:
        if not valid.creating:
            return ()
        from gitops_writer.check.requested import unresolved_relations

        return tuple(unresolved_relations(repo, _new_entities(changes), files))

    prepared = Prepared(valid, changes, publish_plan(valid, changes), unresolved)
    if (strict or config.references == "strict") and prepared.warnings:
        raise ConflictError(f"refused (references: strict): {'; '.join(prepared.warnings)}")
    return prepared


def _new_entities(changes: ChangeSet) -> list[dict[str, JSONValue]]:
    """The Backstage entities among the files the request creates, as data."""
    return [
        op.value
        for op in changes.plan.operations
        if isinstance(op, CreateFile)
        and op.file.endswith((".yaml", ".yml"))
        and isinstance(op.value, dict)
        and "apiVersion" in op.value
        and "kind" in op.value
    ]


def prepare_on(
    tree: BaseTree, request: Request, config: Config, *, update: bool = False, strict: bool = False
) -> Prepared:
    """`prepare` on a commit's tree read from git (the base branch's tip), nothing checked out."""
    files = RepositoryFiles(tree.root, source=tree)
    return prepare(tree.root, request, config, update=update, strict=strict, files=files)


def apply(repo: Path, request: Request, config: Config, *, update: bool = False, strict: bool = False) -> Prepared:
    """Prepare and write under the working tree's lock: every file or none, crash-safe."""
    files = RepositoryFiles(repo)
    with files.lock():
        prepared = prepare(repo, request, config, update=update, strict=strict, files=files)
        prepared.warnings  # noqa: B018  (the repository as it was before the write)
        files.write_changes()
    return prepared


def run(repo: Path, request: Request, options: RunOptions, config: Config | None = None) -> Report:
    """Dry-run or write a request in the working tree (`config`: the repository's, when read already)."""
    config = config or load_config(repo, options.config_file)
    step = prepare if options.dry_run else apply
    prepared = step(repo, request, config, update=options.update, strict=options.strict)
    changes = prepared.changes
    return Report(
        request=prepared.request,
        status=changes.status,
        written=not options.dry_run and changes.changed,
        files=tuple(c.path for c in changes.changes if c.changed),
        branch=prepared.publish.branch,
        diff=prepared.diff,
        dry_run=options.dry_run,
        warnings=prepared.warnings,
    )
