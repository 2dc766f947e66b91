"""Publish a plan: one commit on the base tip, pushed with a lease, and one pull request for it."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from gitops_writer.errors import ConfigError, ConflictError, GitError, GitHubError, UsageError
from gitops_writer.proposal import PlanBuilder, PublishPlan
from gitops_writer.publish import section
from gitops_writer.publish.branches import BranchPolicy, People, committers
from gitops_writer.publish.git import BranchState, Repository
from gitops_writer.publish.github import (
    MAX_BODY,
    DuplicatePullRequest,
    GitHubClient,
    MadeCommit,
    PullRequest,
    Sleep,
    check_token,
)
from gitops_writer.publish.known import KnownCommits
from gitops_writer.publish.objects import GitTree
from gitops_writer.publish.options import PublishOptions
from gitops_writer.publish.result import Operation, PublishResult
from gitops_writer.repo import recover
from gitops_writer.repo.reading import read_text
from gitops_writer.values import JSONObject

log = logging.getLogger(__name__)
TRUNCATED = "\n\n… (truncated: GitHub limits a pull request body to 65536 characters)"


@dataclass(frozen=True)
class _Pushed:
    plan: PublishPlan
    head: str
    base: str  # the base branch's name
    moved: bool  # the branch now points at a new commit
    verified: bool = False  # GitHub made and signed the head commit


def publish(
    repo_dir: Path, build: PlanBuilder, options: PublishOptions, *, sleep: Sleep = time.sleep, remember: bool = False
) -> PublishResult:
    """Make the request branch one commit of `build`'s changes on the base tip, and one open PR for it.

    Idempotent: the same plan on the same base pushes nothing and opens nothing new. Refuses to
    overwrite commits on the branch made by someone else unless `options.force`. `remember`: `build`
    makes the request with the base's own config, so the commit pushed is one refresh knows as the tool's.
    """
    recover(repo_dir)  # an interrupted write in the working tree is settled before anything else
    if not options.token:
        raise UsageError("no GitHub token: pass --token or set GITHUB_TOKEN or GH_TOKEN")
    check_token(options.token)
    extra = read_text(options.extra_body_file, follow=True) if options.extra_body_file else ""
    repo = Repository(repo_dir, options.remote, options.token)
    github = GitHubClient(options.api_url, options.repository, options.token, sleep=sleep)
    policy = BranchPolicy(repo, github, committers(repo, options), options.base_branch)
    base = options.base_branch

    plan, base_tree = _plan_on_base(repo, build, base)
    if not plan.changed:
        reason = f"{base} already holds these changes"
        if options.deletes_branch:
            reason += _delete_leftover(policy, plan.branch)
        return PublishResult("none", plan.branch, base, reason=reason)
    pulls = github.pulls_for_head(plan.branch, base)  # also proves the token works before any push
    open_pull: PullRequest | None = next((pull for pull in pulls if pull.state == "open"), None)
    rejected = next((pull for pull in pulls if pull.state == "closed" and not pull.merged), None)
    if open_pull is None and rejected is not None:
        skipped = _after_closed(github, rejected, plan.branch, base, options)
        if skipped is not None:
            return skipped

    _refuse_unlabelled(plan.labels if options.labels is None else options.labels, options)
    pushed = _push(policy, build, options, plan, base_tree)
    if remember and pushed.moved:
        known = KnownCommits(repo.root)
        known.add(pushed.head)
        known.save()
    plan = pushed.plan
    body = _body(plan.pr_body, extra)
    labels = plan.labels if options.labels is None else options.labels
    _refuse_unlabelled(labels, options)  # a re-plan may have changed them
    files = tuple(change.path for change in plan.changes if change.changed)

    if open_pull is None:
        try:
            created = github.create(plan.branch, base, plan.pr_title, body, options.draft)
        except DuplicatePullRequest:
            log.info("a pull request for %s appeared meanwhile; updating it", plan.branch)
            open_pull = _open(github.pulls_for_head(plan.branch, base), plan.branch)
        else:
            return _finish(github, created, "created", pushed, labels, files, options)
    operation: Operation = "updated" if pushed.moved else "unchanged"
    pull = open_pull
    body = section.keep(body, pull.body)  # what another tool wrote into its section stays
    if (pull.title, pull.body) != (plan.pr_title, body):
        pull = github.update(pull.number, plan.pr_title, body)
        operation = "updated"
    return _finish(github, pull, operation, pushed, labels, files, options)


def _after_closed(
    github: GitHubClient, rejected: PullRequest, branch: str, base: str, options: PublishOptions
) -> PublishResult | None:
    """The request's pull request was closed unmerged: left closed (`--on-closed skip`), or made afresh."""
    if options.on_closed == "skip":
        return PublishResult(
            "none",
            branch,
            base,
            number=rejected.number,
            url=rejected.url,
            title=rejected.title,
            reason=f"pull request #{rejected.number} for this branch was closed; --on-closed skip leaves it closed",
        )
    # Recreated: the closed pull request keeps its own history, the new one starts from a fresh branch.
    if options.deletes_branch and github.delete_branch(branch):
        log.info("deleted %s, the branch of closed pull request #%d, before recreating it", branch, rejected.number)
    return None


def _finish(
    github: GitHubClient,
    pull: PullRequest,
    operation: Operation,
    pushed: _Pushed,
    labels: tuple[str, ...],
    files: tuple[str, ...],
    options: PublishOptions,
) -> PublishResult:
    plan = pushed.plan
    warnings = list(_label(github, pull, labels))
    if warnings and options.settings.required_labels:
        missing = ", ".join(options.settings.required_labels)
        raise GitHubError(f"pull request #{pull.number}: required label {missing} was not applied: {warnings[0]}")
    if operation == "created" or pushed.moved:  # a new commit is what deserves a new review request
        warnings += _review(github, pull, options)
    warnings += _assign(github, pull, options.assignees)
    if operation != "created" and options.draft_on_update is not None and pull.draft != options.draft_on_update:
        try:
            github.set_draft(pull, options.draft_on_update)
        except GitHubError as exc:
            warnings.append(str(exc))
        else:
            operation = "updated"
    return PublishResult(
        operation,
        plan.branch,
        pushed.base,
        number=pull.number,
        url=pull.url,
        head_sha=pushed.head,
        title=plan.pr_title,
        files=files,
        warnings=(*plan.warnings, *warnings),
        verified=pushed.verified,
    )


def _refuse_unlabelled(labels: tuple[str, ...], options: PublishOptions) -> None:
    """A required label the PR would never get is a configuration mistake: refused before any push."""
    missing = [label for label in options.settings.required_labels if label not in labels]
    if missing:
        listed = ", ".join(labels) or "none"
        raise ConfigError(f"required label {', '.join(missing)} is not among the pull request's labels ({listed})")


def _review(github: GitHubClient, pull: PullRequest, options: PublishOptions) -> tuple[str, ...]:
    wanted = options.review
    users = [user for user in wanted.users if user not in pull.requested_reviewers]
    teams = [team for team in wanted.teams if team not in pull.requested_teams]
    if not users and not teams:
        return ()
    try:
        github.request_reviewers(pull.number, users, teams)
    except GitHubError as exc:
        who = ", ".join([*users, *(f"team {team}" for team in teams)])
        return (f"reviews from {who} were not requested: {exc}",)
    return ()


def _assign(github: GitHubClient, pull: PullRequest, assignees: tuple[str, ...]) -> tuple[str, ...]:
    missing = [login for login in assignees if login not in pull.assignees]
    if not missing:
        return ()
    try:
        assigned = github.add_assignees(pull.number, missing)
    except GitHubError as exc:
        return (f"{', '.join(missing)} were not assigned: {exc}",)
    left_out = [login for login in missing if login not in assigned]
    if left_out:
        return (f"GitHub did not assign {', '.join(left_out)} to #{pull.number} (only people with push access can be)",)
    return ()


def _delete_leftover(policy: BranchPolicy, branch: str) -> str:
    """The request has nothing left to do: delete its branch, unless a pull request or a person uses it."""
    repo, github, base = policy.repo, policy.github, policy.base
    if branch == base or repo.remote_heads(branch).get(branch) is None:
        return ""
    if any(pull.state == "open" for pull in github.pulls_for_head(branch, base)):
        return f"; {branch} is kept: its pull request is still open"
    base_sha = repo.rev(repo.tracking(base))
    state = repo.fetch_branch(branch, base, base_sha)
    if policy.foreign(state):
        return f"; {branch} is kept: it holds commits by someone else"
    _refuse_protected(policy, branch, exists=True)
    return f"; deleted the leftover branch {branch}" if github.delete_branch(branch) else ""


def _open(pulls: list[PullRequest], branch: str) -> PullRequest:
    for pull in pulls:
        if pull.state == "open":
            return pull
    raise GitHubError(f"GitHub says a pull request for {branch} exists, but none is open; re-run later")


def _plan_on_base(repo: Repository, build: PlanBuilder, base: str) -> tuple[PublishPlan, GitTree]:
    """The plan built on the base branch's fetched tip (read from git, never checked out), and that tip."""
    tree = repo.tree(repo.fetch_base(base))
    return build(tree), tree


def _push(
    policy: BranchPolicy, build: PlanBuilder, options: PublishOptions, plan: PublishPlan, base_tree: GitTree
) -> _Pushed:
    """Regenerate the branch as one commit on the base tip; re-plan whenever the lease is lost."""
    repo, github, people = policy.repo, policy.github, policy.people
    for attempt in range(1, options.push_attempts + 1):
        if attempt > 1:
            plan, base_tree = _plan_on_base(repo, build, options.base_branch)
            if not plan.changed:
                raise ConflictError(f"{options.base_branch} gained these changes while publishing; re-run to confirm")
        base_sha = base_tree.sha
        state = repo.fetch_branch(plan.branch, options.base_branch, base_sha)
        _refuse_protected(policy, plan.branch, exists=state.sha is not None)
        _refuse_foreign(policy, state, plan.branch, options.force)
        made = base_tree.with_changes(plan.changes)
        if _already_there(state, base_sha, made.id):
            assert state.sha is not None
            return _Pushed(plan, state.sha, options.base_branch, moved=False, verified=state.commits[0].signed)
        repo.store(made)
        head, verified = commit_plan(repo, github, people, base_sha, made.id, plan)
        # The lease is the same either way: git pushes the commit only if the branch still holds state.sha.
        if repo.push(head, plan.branch, state.sha):
            log.info("pushed %s to %s", head[:12], plan.branch)
            return _Pushed(plan, head, options.base_branch, moved=True, verified=verified)
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


def commit_plan(
    repo: Repository, github: GitHubClient, people: People, base_sha: str, tree: str, plan: PublishPlan
) -> tuple[str, bool]:
    """The request's one commit on the base tip, and whether GitHub signed it: made by git, or by
    GitHub through its API when the config says `commit: api`."""
    if people.api:
        made = _api_commit(repo, github, base_sha, tree, plan, plan.commit_message)
        return made.sha, made.verified
    return repo.commit_tree(tree, base_sha, plan.commit_message, people.committer, people.author), False


def _api_commit(
    repo: Repository, github: GitHubClient, base_sha: str, tree: str, plan: PublishPlan, message: str
) -> MadeCommit:
    """The same tree and message, committed by GitHub (which signs it), then fetched to push with the lease."""
    entries: list[JSONObject] = []
    for change in plan.changes:
        if not change.changed:
            continue
        mode = repo.mode(base_sha, change.path)
        if change.new is None:
            entries.append({"path": change.path, "mode": mode, "type": "blob", "sha": None})
        else:
            entries.append({"path": change.path, "mode": mode, "type": "blob", "content": change.new})
    made_tree = github.create_tree(repo.tree_of(base_sha), entries)
    if made_tree != tree:
        raise GitHubError(f"GitHub built tree {made_tree[:12]} where git built {tree[:12]}; nothing was pushed")
    made = github.create_commit(message, made_tree, base_sha)
    repo.fetch_commit(made.sha)
    return made


def _refuse_protected(policy: BranchPolicy, branch: str, *, exists: bool) -> None:
    """A request branch is force-pushed: it must never be the base, the default or a protected branch."""
    why = policy.protected(branch, exists=exists)
    if why:
        raise ConfigError(
            f"the request branch {branch!r} would be force-pushed, but {why}; "
            "configure a branch of its own for the request (e.g. registry/create-{name})"
        )


def _refuse_foreign(policy: BranchPolicy, state: BranchState, branch: str, force: bool) -> None:
    foreign = policy.foreign(state)
    if foreign and not force:
        who = ", ".join(sorted({f"{c.author} ({c.sha[:12]})" for c in foreign}))
        raise ConflictError(
            f"branch {branch} holds commits by someone other than {policy.people}: {who}. "
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
