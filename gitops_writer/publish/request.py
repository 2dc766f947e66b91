"""A request published: built on the base branch's fetched tip, committed, pushed, its pull request opened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from gitops_writer.kinds import Config, load_config
from gitops_writer.proposal import BaseTree, PublishPlan
from gitops_writer.publish.options import PublishOptions
from gitops_writer.publish.publisher import publish
from gitops_writer.publish.result import PublishResult
from gitops_writer.requests.model import Request, validate
from gitops_writer.requests.runner import RunOptions, prepare_on


def publish_request(
    repo: Path, request: Request, options: RunOptions, publishing: PublishOptions, *, local: Config | None = None
) -> PublishResult:
    """Build the request on the fetched tip of the base branch, commit, push, open or update its PR.

    `local`: the working tree's config, when the caller has read it already.
    """
    local = local or load_config(repo, options.config_file)
    if request.kind in local.requests:  # fail fast, before any fetch or push; else the base branch's config says
        validate(request, local)

    def build(tree: BaseTree) -> PublishPlan:
        config = load_config(tree.root, options.config_file, tree)
        prepared = prepare_on(tree, request, config, update=options.update, strict=options.strict)
        # the requester sees what a dry run would have warned of (relations the base does not define)
        return replace(prepared.publish, warnings=prepared.warnings)

    return publish(repo, build, publishing, remember=options.config_file is None)
