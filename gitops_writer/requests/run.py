"""A request from start to end: validate, plan against a tree, then write, print or publish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_writer.config import Config
from gitops_writer.diff import unified_diff
from gitops_writer.proposal import PublishPlan
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.describe import publish_plan
from gitops_writer.requests.model import Request, validate
from gitops_writer.requests.planner import Outcome, compute_edits


@dataclass(frozen=True)
class Planned:
    outcome: Outcome
    publish: PublishPlan

    @property
    def diff(self) -> str:
        return unified_diff(self.outcome.changes)


def plan_request(
    repo: Path, request: Request, config: Config, *, update: bool = False, files: RepositoryFiles | None = None
) -> Planned:
    """The request's edits and its publish plan, computed under the working tree's lock; nothing is written."""
    files = files or RepositoryFiles(repo)
    with files.lock():
        fields = validate(request, config)
        kind = config.requests[request.kind]
        outcome = compute_edits(files, kind, fields, creating=request.creating, update=update)
    return Planned(outcome, publish_plan(request, kind, config, fields, outcome))


def apply_request(repo: Path, request: Request, config: Config, *, update: bool = False) -> Planned:
    """Plan and write under the working tree's lock: every file or none, crash-safe."""
    files = RepositoryFiles(repo)
    with files.lock():
        planned = plan_request(repo, request, config, update=update, files=files)
        files.commit()
    return planned
