"""Templates that write the GitOps repository themselves instead of dispatching its request workflow.

The dispatched workflow is the one audited path: it validates the request, edits without reformatting
and opens the one pull request per request. A template step `publish:github:pull-request` (or
`publish:github`) aimed at the same repository goes around it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from gitops_writer.check.dispatch import DISPATCH
from gitops_writer.check.findings import ERROR, Finding
from gitops_writer.check.scan import Entity, Snapshot, child, scalar
from gitops_writer.yaml.syntax import SEQUENCE

CHECK = "bypass"
PULL_REQUEST, REPOSITORY = "publish:github:pull-request", "publish:github"


@dataclass(frozen=True)
class Step:
    template: Entity
    line: int
    action: str
    repo_url: str
    workflow: str  # a dispatch step's workflowId, as a repository path


def _steps(snapshot: Snapshot) -> Iterator[Step]:
    for template in snapshot.entities:
        if template.entity_kind != "Template":
            continue
        steps = child(child(template.node, "spec"), "steps")
        for step in steps.items if steps is not None and steps.node_type == SEQUENCE else []:
            given = child(step, "input")
            workflow = scalar(child(given, "workflowId")) or ""
            yield Step(
                template,
                step.line + 1,
                scalar(child(step, "action")) or "",
                scalar(child(given, "repoUrl")) or "",
                workflow if "/" in workflow else f".github/workflows/{workflow}",
            )


def bypasses(snapshot: Snapshot) -> Iterator[Finding]:
    steps = list(_steps(snapshot))
    # This repository, as the templates that dispatch one of its own workflows name it.
    here = {s.repo_url for s in steps if s.action == DISPATCH and s.repo_url and snapshot.exists(s.workflow)}
    for step in steps:
        # Without a dispatch to tell this repository's name, a pull request is taken to aim here; a new
        # repository (publish:github) is what app templates scaffold, and only named here when it is this one.
        aimed_here = step.repo_url in here or (not here and step.action == PULL_REQUEST)
        if step.action in (PULL_REQUEST, REPOSITORY) and aimed_here:
            name = step.template.name
            yield Finding(
                step.template.path,
                step.line,
                ERROR,
                CHECK,
                f"template {name} writes {step.repo_url or 'the repository'} with {step.action}, around the "
                "request workflow: dispatch that workflow with github:actions:dispatch instead",
                name,
            )
