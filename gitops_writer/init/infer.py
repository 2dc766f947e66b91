"""What `init` proposes for one kind: its edits learned from the repository's files, and what the
workflow and template it replaces enforce."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.check.scan import Snapshot
from gitops_writer.errors import ConfigError, GitopsWriterError
from gitops_writer.init.contract import Contract, Reader
from gitops_writer.init.learner import Learner
from gitops_writer.init.model import Inference
from gitops_writer.init.workflow import find_template, read_template, read_workflow
from gitops_writer.values import JSONObject

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind


def infer(root: Path, kind_name: str, kind: RequestKind, environments: Sequence[str]) -> Inference:
    learner = Learner(root, kind_name, kind, environments)
    result = learner.learn()
    contract = read_contract(learner.snapshot, kind, environments, result)
    if contract.settings and _loads(kind_name, contract, result):
        result.settings, result.comments = contract.settings, contract.comments
    return result


def read_contract(snapshot: Snapshot, kind: RequestKind, environments: Sequence[str], result: Inference) -> Contract:
    """The kind's workflow (else the one its template starts) and template (else the one starting its
    workflow), read into what the kind should enforce."""
    workflow_path = kind.workflow if kind.workflow and snapshot.exists(kind.workflow) else None
    entity = find_template(snapshot, kind.template, workflow_path)
    template = read_template(snapshot, entity) if entity is not None else None
    if workflow_path is None and template is not None and template.workflow:
        workflow_path = template.workflow
    if workflow_path is None and template is None:
        result.cannot(
            f"workflow: neither {kind.workflow or 'a workflow'} nor {kind.template or 'a template'} is in the "
            "repository; nothing learned from them"
        )
        return Contract()
    try:
        workflow = read_workflow(snapshot, workflow_path) if workflow_path else None
    except GitopsWriterError as exc:
        workflow = None
        result.cannot(f"workflow: {exc}")
    if workflow_path and workflow is None:
        result.cannot(f"workflow: {workflow_path} is not a workflow_dispatch workflow init can read (see `check`)")
    return Reader(kind, _written_fields(kind.name), environments).read(workflow, template, result)


def _written_fields(name: str) -> JSONObject:
    """The built-in kind's `fields` as its file writes them, which a proposed field schema starts from."""
    from gitops_writer.kinds.load import builtin_kinds

    fields = builtin_kinds().get(name, {}).get("fields")
    return dict(fields) if isinstance(fields, dict) else {}


def _loads(kind_name: str, contract: Contract, result: Inference) -> bool:
    """Whether the kind, with the proposal merged in, still loads; said when it does not."""
    from gitops_writer.kinds import build_config

    try:
        build_config({"requests": {kind_name: contract.settings}})
    except ConfigError as exc:
        result.cannot(f"workflow: what it enforces would not load as the kind ({exc}); not proposed")
        return False
    return True
