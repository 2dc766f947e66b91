"""Publish a plan: one commit on the base tip, pushed with a lease, and one pull request for it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from gitops_writer.errors import ConfigError, ConflictError, GitError, GitHubError, UsageError
from gitops_writer.proposal import PlanBuilder, PublishPlan
from gitops_writer.publish.git import BranchState, Identity, Repository
from gitops_writer.publish.github import MAX_BODY, DuplicatePullRequest, GitHubClient, PullRequest, Sleep, check_token
from gitops_writer.publish.options import PublishOptions
from gitops_writer.publish.result import Operation, PublishResult
from gitops_writer.repo.files import read_text

log = logging.getLogger(__name__)
TRUNCATED = "\n\n… (truncated: GitHub limits a pull request body to 65536 characters)"


@dataclass(frozen=True)
class _Pushed:
    plan: PublishPlan
    head: str
    base: str  # the base branch's name
    moved: bool  # the branch now points at a new commit


def publish(repo_dir: Path, build: PlanBuilder, options: PublishOptions, *, sleep: Sleep = time.sleep) -> PublishResult:
    if not options.token:
        raise UsageError("no GitHub token: pass --token or set GITHUB_TOKEN or GH_TOKEN")
    check_token(options.token)
    extra = read_text(options.extra_body_file) if options.extra_body_file else ""
    repo = Repository(repo_dir, options.remote, options.token)
    github = GitHubClient(options.api_url, options.repository, options.token, sleep=sleep)
    identity = repo.identity()
    base = options.base_branch

    plan, base_sha = _plan(repo, build, base)
    if not plan.changed:
        return PublishResult("none", plan.branch, base, reason=f"{base} already holds these changes")
    pulls = github.pulls_for_head(plan.branch, base)  # also proves the token works before any push
    open_pull: PullRequest | None = next((pull for pull in pulls if pull.state == "open"), None)
    rejected = next((pull for pull in pulls if pull.state == "closed" and not pull.merged), None)
    if open_pull is None and rejected is not None and options.on_closed == "skip":
        return PublishResult(
            "none",
            plan.branch,
            base,
            number=rejected.number,
            url=rejected.url,
            title=rejected.title,
            reason=f"pull request #{rejected.number} for this branch was closed; --on-closed skip leaves it closed",
        )

    pushed = _push(repo, github, build, options, identity, plan, base_sha)
    plan = pushed.plan
    body = _body(plan.pr_body, extra)
    labels = plan.labels if options.labels is None else options.labels
    files = tuple(change.path for change in plan.changes if change.changed)

    if open_pull is None:
        try:
            created = github.create(plan.branch, base, plan.pr_title, body, options.draft)
        except DuplicatePullRequest:
            log.info("a pull request for %s appeared meanwhile; updating it", plan.branch)
            open_pull = _open(github.pulls_for_head(plan.branch, base), plan.branch)
        else:
            return _finish(github, created, "created", pushed, labels, files)
    operation: Operation = "updated" if pushed.moved else "unchanged"
    pull = open_pull
    if (pull.title, pull.body) != (plan.pr_title, body):
        pull = github.update(pull.number, plan.pr_title, body)
        operation = "updated"
    return _finish(github, pull, operation, pushed, labels, files)


def _finish(
    github: GitHubClient,
    pull: PullRequest,
    operation: Operation,
    pushed: _Pushed,
    labels: tuple[str, ...],
    files: tuple[str, ...],
) -> PublishResult:
    plan = pushed.plan
    return PublishResult(
        operation,
        plan.branch,
        pushed.base,
        number=pull.number,
        url=pull.url,
        head_sha=pushed.head,
        title=plan.pr_title,
        files=files,
        warnings=_label(github, pull, labels),
    )


def _open(pulls: list[PullRequest], branch: str) -> PullRequest:
    for pull in pulls:
        if pull.state == "open":
            return pull
    raise GitHubError(f"GitHub says a pull request for {branch} exists, but none is open; re-run later")


def _plan(repo: Repository, build: PlanBuilder, base: str) -> tuple[PublishPlan, str]:
    base_sha = repo.fetch_base(base)
    with repo.checkout(base_sha) as tree:
        return build(tree), base_sha


def _push(
    repo: Repository,
    github: GitHubClient,
    build: PlanBuilder,
    options: PublishOptions,
    identity: Identity,
    plan: PublishPlan,
    base_sha: str,
) -> _Pushed:
    """Regenerate the branch as one commit on the base tip; re-plan whenever the lease is lost."""
    for attempt in range(1, options.push_attempts + 1):
        if attempt > 1:
            plan, base_sha = _plan(repo, build, options.base_branch)
            if not plan.changed:
                raise ConflictError(f"{options.base_branch} gained these changes while publishing; re-run to confirm")
        state = repo.fetch_branch(plan.branch, options.base_branch, base_sha)
        _refuse_protected(repo, github, plan.branch, options.base_branch, exists=state.sha is not None)
        _refuse_foreign(state, identity, plan.branch, options.force)
        tree = repo.write_tree(base_sha, plan.changes)
        if _already_there(state, base_sha, tree):
            assert state.sha is not None
            return _Pushed(plan, state.sha, options.base_branch, moved=False)
        head = repo.commit_tree(tree, base_sha, plan.commit_message, identity)
        if repo.push(head, plan.branch, state.sha):
            log.info("pushed %s to %s", head[:12], plan.branch)
            return _Pushed(plan, head, options.base_branch, moved=True)
        log.info(
            "%s moved while publishing (lost lease, attempt %d of %d); fetching again",
            plan.branch,
            attempt,
            options.push_attempts,
        )
    raise GitError(
        f"{plan.branch} kept moving while publishing ({options.push_attempts} lost leases); "
        "another run is probably publishing the same request: re-run later"
    )


def _refuse_protected(repo: Repository, github: GitHubClient, branch: str, base: str, *, exists: bool) -> None:
    """A request branch is force-pushed: it must never be the base, the default or a protected branch."""
    why = None
    if branch == base:
        why = "it is the base branch"
    elif branch == repo.default_branch():
        why = "it is the repository's default branch"
    elif exists and github.protected(branch):
        why = "it is a protected branch"
    if why:
        raise ConfigError(
            f"the request branch {branch!r} would be force-pushed, but {why}; "
            "configure a branch of its own for the request (e.g. registry/create-{name})"
        )


def _refuse_foreign(state: BranchState, identity: Identity, branch: str, force: bool) -> None:
    foreign = [commit for commit in state.commits if not commit.made_by(identity)]
    if foreign and not force:
        who = ", ".join(sorted({f"{c.author} ({c.sha[:12]})" for c in foreign}))
        raise ConflictError(
            f"branch {branch} holds commits by someone other than {identity}: {who}. "
            "Refusing to overwrite them: merge or close the pull request, delete the branch, "
            "or re-run with --force to replace them"
        )


def _already_there(state: BranchState, base_sha: str, tree: str) -> bool:
    if state.sha is None or len(state.commits) != 1:
        return False
    commit = state.commits[0]
    return commit.sha == state.sha and commit.parents == (base_sha,) and commit.tree == tree


def _body(body: str, extra: str) -> str:
    text = f"{body.rstrip()}\n\n{extra.strip()}\n" if extra.strip() else body
    return text if len(text) <= MAX_BODY else text[: MAX_BODY - len(TRUNCATED)] + TRUNCATED


def _label(github: GitHubClient, pull: PullRequest, labels: tuple[str, ...]) -> tuple[str, ...]:
    missing = [label for label in labels if label not in pull.labels]
    if not missing:
        return ()
    try:
        github.add_labels(pull.number, missing)
    except GitHubError as exc:  # reported once, by whoever shows result.warnings; never logged too
        return (f"labels {', '.join(missing)} were not added: {exc}",)
    return ()
