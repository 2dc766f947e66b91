"""A request from start to end: validate, plan against a tree, then write, print or publish."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gitops_writer.config import Config
from gitops_writer.diff import unified_diff
from gitops_writer.proposal import PublishPlan
from gitops_writer.repo.files import exclusive_lock, write_atomically
from gitops_writer.requests.describe import publish_plan
from gitops_writer.requests.model import Request, validate
from gitops_writer.requests.planner import Outcome, _Files, plan


@dataclass(frozen=True)
class Planned:
    outcome: Outcome
    publish: PublishPlan

    @property
    def diff(self) -> str:
        return unified_diff(self.outcome.changes)


def plan_request(repo: Path, request: Request, config: Config, *, update: bool = False) -> Planned:
    fields = validate(request, config)
    kind = config.requests[request.kind]
    outcome = plan(repo, kind, fields, creating=request.creating, update=update)
    return Planned(outcome, publish_plan(request, kind, config, fields, outcome))


def apply_request(repo: Path, request: Request, config: Config, *, update: bool = False) -> Planned:
    """Plan and write under the working tree's lock: every file or none."""
    with exclusive_lock(repo):
        planned = plan_request(repo, request, config, update=update)
        files = _Files(repo)
        targets = [(files.path(change.path), change.new) for change in planned.outcome.changes if change.changed]
        if targets:
            write_atomically(targets)
    return planned
