"""Keep every open request pull request mergeable: rebuild each request on the tip of its base.

A request PR is one whose body holds the hidden request record; the record (kind, action, fields)
is all that is needed to make the request again on the new base. A branch is pushed (with a lease)
only when merging it as it stands would conflict or give something other than a fresh request;
branches with anyone else's commits are left alone; a request already on the base closes its PR;
one that no longer applies is labelled once and left for a person.

A branch is only ever force-pushed or deleted when its head is exactly what gitops-writer made: one
commit, by the tool's committer, whose trailers record the request the body records, and which the
tool makes again, tree and message, from that record on the commit's parent. Anything else sharing
the tool's committer (a reviewer's commit made as the same bot, a hand-made branch under a forged
record, an amended commit, another bot's commit through GitHub) is labelled once and left alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.errors import GitError, GitHubError, GitopsWriterError, NotFoundError
from gitops_writer.kinds import Config, load_config
from gitops_writer.proposal import PublishPlan
from gitops_writer.publish.branches import BranchPolicy, committers
from gitops_writer.publish.git import BranchState, Repository
from gitops_writer.publish.github import GitHubClient, PullRequest, Sleep
from gitops_writer.publish.known import KnownCommits
from gitops_writer.publish.objects import GitTree
from gitops_writer.publish.options import PublishOptions
from gitops_writer.publish.publisher import commit_plan
from gitops_writer.publish.refresh_report import PullOutcome, RefreshReport, Status
from gitops_writer.requests.model import Request
from gitops_writer.requests.record import MARKER, body_records, read_record

if TYPE_CHECKING:
    from gitops_writer.requests.runner import Prepared

log = logging.getLogger(__name__)

BLOCKED_LABEL = "gitops-writer-blocked"
RATE_RESERVE = 25  # API calls kept back for other work; below this, the rest waits for the next run
WRITE_INTERVAL = 1.0  # seconds between write calls, as GitHub asks of integrations that make many


@dataclass(frozen=True)
class RefreshOptions:
    publish: PublishOptions
    config_file: Path | None = None
    max_pulls: int = 100  # pull requests changed (pushed, closed or labelled) per run; the rest wait
    label: str = BLOCKED_LABEL
    up_to_date: bool = False  # rebuild every branch behind its base, not only those that would merge wrong
    dry_run: bool = False


# --- the request recorded with a pull request ---------------------------------------------------------


def holds_record(body: str) -> bool:
    """Whether a pull request body holds exactly one request record: a pull request gitops-writer opened.

    None is a person's pull request; a second one pasted in is not something gitops-writer wrote.
    """
    return body_records(body or "") == 1


def recorded_request(body: str, message: str = "") -> Request:
    """The ONE place a pull request's record becomes a request again.

    The body's record finds the pull request; the trailers of the branch's commit (made by the tool,
    which refresh checked) are the authority: a body edited to ask for something else is refused.
    Raises ValueError when the record cannot be read or the two disagree.
    """
    from_body = read_record(body)
    if from_body is None:
        raise ValueError("it names no request kind, action and fields")
    if not message:
        return from_body
    from_commit = read_record(message)
    if from_commit is None:
        raise ValueError("the branch's commit records no request")
    if from_commit != from_body:
        raise ValueError("the request in the pull request body differs from the one its commit records")
    return from_commit


def rebuild(tree: GitTree, request: Request, config: Config) -> PublishPlan:
    """The request made afresh on `tree`. Whether it was made with --update is not recorded, so it is not."""
    return prepare_on(tree, request, config).publish


def prepare_on(tree: GitTree, request: Request, config: Config, *, update: bool = False) -> Prepared:
    """`runner.prepare_on`, imported when first needed: an idle run may make no request at all."""
    from gitops_writer.requests.runner import prepare_on as prepare

    return prepare(tree, request, config, update=update)


# --- the run ------------------------------------------------------------------------------------------


def refresh(
    repo_dir: Path,
    options: RefreshOptions,
    *,
    github: GitHubClient | None = None,
    sleep: Sleep = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> RefreshReport:
    publish = options.publish
    repo = Repository(repo_dir, publish.remote, publish.token)
    if github is None:
        with GitHubClient(publish.api_url, publish.repository, publish.token, sleep=sleep) as client:
            return _refresh_all(repo, client, options, _Pacer(sleep, clock))
    return _refresh_all(repo, github, options, _Pacer(sleep, clock))


def _refresh_all(repo: Repository, github: GitHubClient, options: RefreshOptions, pace: _Pacer) -> RefreshReport:
    """Every open request pull request of the base, its branch fetched with the others', the base read once."""
    publish = options.publish
    base = publish.base_branch
    base_sha = repo.fetch_base(base)
    policy = BranchPolicy(repo, github, committers(repo, publish), base)
    # what a commit is does not change; with a config file from outside the tree, whether it is the tool's might
    known = KnownCommits(repo.root) if options.config_file is None else None
    run = _Run(repo, github, options, policy, base_sha, pace, known)
    tree = repo.tree(base_sha)
    config = load_config(tree.root, options.config_file, tree)  # a broken config fails the run, labelling nothing
    pulls = list(_requests(github.open_pulls(base)))
    repo.prefetch([pull.head for pull in pulls if not _elsewhere(pull, publish.repository)], base, base_sha)
    outcomes = [run.one(pull, tree, config) for pull in pulls]
    if known is not None:
        known.save()
    return RefreshReport(base, base_sha, tuple(outcomes), options.dry_run)


def _elsewhere(pull: PullRequest, repository: str) -> bool:
    """Whether the pull request's branch lives in another repository (a fork)."""
    return bool(pull.head_repository) and pull.head_repository.lower() != repository.lower()


def _requests(pulls: Iterable[PullRequest]) -> Iterator[PullRequest]:
    return (pull for pull in pulls if holds_record(pull.body))


@dataclass
class _Pacer:
    sleep: Sleep
    clock: Callable[[], float]
    last: float | None = None

    def __call__(self, write: Callable[[], object]) -> None:
        if self.last is not None:
            wait = WRITE_INTERVAL - (self.clock() - self.last)
            if wait > 0:
                self.sleep(wait)
        try:
            write()
        finally:
            self.last = self.clock()


@dataclass
class _Run:
    repo: Repository
    api: GitHubClient
    options: RefreshOptions
    policy: BranchPolicy  # which branches may be force-pushed or deleted, and who makes request commits
    base_sha: str
    pace: _Pacer
    known: KnownCommits | None  # commits already found to be exactly the tool's, by this clone
    acted: int = 0
    stopped: str = ""  # why the rest of the pull requests wait for the next run
    shallow: bool | None = field(default=None)

    def one(self, pull: PullRequest, tree: GitTree, config: Config) -> PullOutcome:
        result = _Result(pull)
        if self.stopped:
            return result("deferred", self.stopped)
        try:
            return self._refresh(pull, tree, config, result)
        except (GitError, GitHubError) as exc:
            if isinstance(exc, GitHubError):  # the API is in trouble: leave the rest for the next run
                self.stopped = f"not examined: an earlier call failed ({exc})"
            return result("failed", str(exc))

    def _refresh(self, pull: PullRequest, tree: GitTree, config: Config, result: _Result) -> PullOutcome:
        repository = self.options.publish.repository
        base = self.options.publish.base_branch
        if _elsewhere(pull, repository):
            return result("left", f"its branch is in {pull.head_repository}, not {repository}")
        state = self.repo.fetch_branch(pull.head, base, self.base_sha)
        if state.sha is None:
            return result("left", f"its branch {pull.head} is gone")
        foreign = sorted({str(c.committer) for c in self.policy.foreign(state)})
        if foreign:
            return result("left", f"{pull.head} holds commits by {', '.join(foreign)}; left for them", state.sha)
        message = self.repo.message(state.commits[0].sha) if len(state.commits) == 1 else ""
        try:
            request = recorded_request(pull.body, message)
        except ValueError as exc:
            return self._block(pull, result, f"the request recorded in the pull request cannot be read: {exc}")
        result = _Result(pull, request)
        identity = _Identity(self, state, request, tree, config)
        on_tip = len(state.commits) == 1 and state.commits[0].parents == (self.base_sha,)
        if on_tip and self.options.label not in pull.labels and not identity():
            # exactly the tool's commit of this request on this very base: a rebuild gives the same commit
            return result("unchanged", f"already one commit on the tip of {base}", state.sha)
        try:
            plan = rebuild(tree, request, config)
        except NotFoundError as exc:
            if request.action == "remove":  # nothing left to remove: already done on the base
                return self._block(pull, result, identity()) if identity() else self._close(pull, result, state)
            return self._block(pull, result, str(exc))
        except GitopsWriterError as exc:
            return self._block(pull, result, str(exc))
        if plan.branch != pull.head:  # only ever the request's own branch is force-pushed or deleted
            return result("left", f"its branch is not {plan.branch}, the branch of the request it records")
        if identity():  # someone else's work under the tool's name: never force-pushed, closed or deleted
            return self._block(pull, result, identity())
        if not plan.changed:
            return self._close(pull, result, state)
        made = tree.with_changes(plan.changes)
        fine = self._mergeable_as_is(state, made.id)
        if fine:
            self._unblock(pull)
            return result("unchanged", fine, state.sha)
        if not self._may_act():
            return result("deferred", self.stopped)
        if self.options.dry_run:
            return result("rebuilt", f"would be rebuilt on {base} (dry run)", state.sha)
        if self.policy.protected(pull.head):
            return result("left", f"{pull.head} is the base, the default or a protected branch; never force-pushed")
        self.repo.store(made)
        head, _ = commit_plan(self.repo, self.api, self.policy.people, self.base_sha, made.id, plan)
        if not self.repo.push(head, pull.head, state.sha):
            return result("left", f"{pull.head} moved while refreshing; the next run looks again", state.sha)
        if self.known is not None:
            self.known.add(head)  # made here, from the request on the base's own config
        log.debug("rebuilt %s on %s as %s", pull.head, base, head[:12])  # the report says it; stdout stays JSON
        self._retitle(pull, plan)
        self._unblock(pull)
        return result("rebuilt", f"rebuilt on {base} at {self.base_sha[:12]}", head)

    def _retitle(self, pull: PullRequest, plan: PublishPlan) -> None:
        """A rebuilt request whose words changed (a numbered one given the next number) has its title and
        the tool's part of its body rewritten; the text after the record and other tools' sections stay."""
        from gitops_writer.publish import section

        marker = pull.body.find(f"<!-- {MARKER} ")
        end = pull.body.find("-->", marker) + len("-->") if marker >= 0 else len(pull.body)
        own, after = pull.body[:end].rstrip(), pull.body[end:].strip()
        if (pull.title, own) == (plan.pr_title, plan.pr_body.rstrip()):
            return
        body = f"{plan.pr_body.rstrip()}\n\n{after}\n" if after else plan.pr_body
        self.api.update(pull.number, plan.pr_title, section.keep(body, pull.body))

    def someone_elses(self, state: BranchState, request: Request, tree: GitTree, config: Config) -> str:
        """Why the branch is not exactly the one commit gitops-writer makes of `request`, or ""."""
        base = self.options.publish.base_branch
        if len(state.commits) != 1:
            return f"its branch is not the one commit gitops-writer makes on {base}; left for a person"
        [commit] = state.commits
        if len(commit.parents) != 1:
            return f"its commit {commit.sha[:12]} is a merge; gitops-writer never makes one"
        if self.known is not None and commit.sha in self.known:
            return ""
        parent = commit.parents[0]
        try:
            if parent != self.base_sha:  # made on an older base: made again there, with that base's config
                self.repo.have_commit(parent)
                tree = self.repo.tree(parent)
                config = load_config(tree.root, self.options.config_file, tree)
            # with --update or without: the same tree when there was nothing to overwrite
            plan = prepare_on(tree, request, config, update=True).publish
        except GitopsWriterError as exc:
            return f"its commit {commit.sha[:12]} is not one gitops-writer makes: {exc}"
        made = tree.with_changes(plan.changes).id
        if made != commit.tree or self.repo.message(commit.sha).strip() != plan.commit_message.strip():
            return (
                f"its commit {commit.sha[:12]} is not the one gitops-writer makes of the request it records "
                "(edited, or made by someone else as the same committer); left for a person"
            )
        if self.known is not None:
            self.known.add(commit.sha)
        return ""

    def _mergeable_as_is(self, state: BranchState, new_tree: str) -> str:
        """Why the branch may stay as it is, or "" when it must be rebuilt."""
        assert state.sha is not None
        base = self.options.publish.base_branch
        if (
            len(state.commits) == 1
            and state.commits[0].parents == (self.base_sha,)
            and state.commits[0].tree == new_tree
        ):
            return f"already one commit on the tip of {base}"
        if self.options.up_to_date or len(state.commits) != 1:
            return ""
        if self.shallow is None:
            self.shallow = self.repo.shallow
        if self.shallow:  # no merge base to merge with: rebuild whatever is behind
            return ""
        if self.repo.merged_tree(self.base_sha, state.sha) == new_tree:
            return f"merges cleanly into {base}, exactly as the request made afresh"
        return ""

    def _may_act(self) -> bool:
        remaining = self.api.rate_remaining
        if remaining is not None and remaining < RATE_RESERVE:
            self.stopped = f"waits for the next run: {remaining} API calls left in this hour's rate limit"
        elif self.acted >= self.options.max_pulls:
            self.stopped = f"waits for the next run: at most {self.options.max_pulls} pull requests are changed per run"
        else:
            self.acted += 1
            return True
        return False

    def _close(self, pull: PullRequest, result: _Result, state: BranchState) -> PullOutcome:
        base = self.options.publish.base_branch
        if not self._may_act():
            return result("deferred", self.stopped)
        reason = f"{base} already holds this request's change"
        if self.options.dry_run:
            return result("closed", f"{reason}; would be closed (dry run)", state.sha)
        self.pace(
            lambda: self.api.comment(
                pull.number,
                f"`{base}` already holds everything this request changes, so there is nothing left to merge. "
                f"Closing this pull request and deleting its branch; gitops-writer refresh.",
            )
        )
        self.pace(lambda: self.api.close_pull(pull.number))
        try:
            self.pace(lambda: self.api.delete_branch(pull.head))
        except GitHubError as exc:  # a branch protection rule: the PR is closed either way
            return result("closed", f"{reason}; closed, but its branch stays: {exc}", state.sha, told=True)
        return result("closed", f"{reason}; closed and its branch deleted", state.sha, told=True)

    def _block(self, pull: PullRequest, result: _Result, reason: str) -> PullOutcome:
        label = self.options.label
        if label in pull.labels:  # told once already; nothing new to say
            return result("blocked", reason)
        if not self._may_act():
            return result("deferred", self.stopped)
        if not self.options.dry_run:
            self.pace(
                lambda: self.api.comment(
                    pull.number,
                    f"gitops-writer refresh cannot rebuild this request on `{self.options.publish.base_branch}` "
                    f"any more, so the branch is left as it is:\n\n> {_quote(reason)}\n\n"
                    f"Resolve it by hand, or close this pull request and make the request again. "
                    f"The `{label}` label comes off once the request applies again.",
                )
            )
            self.pace(lambda: self.api.add_labels(pull.number, [label]))
        return result("blocked", reason, told=not self.options.dry_run)

    def _unblock(self, pull: PullRequest) -> None:
        if self.options.label in pull.labels and not self.options.dry_run:
            self.pace(lambda: self.api.remove_label(pull.number, self.options.label))


@dataclass
class _Identity:
    """Why a branch is someone else's work ("" when it is exactly the tool's commit), worked out once, when asked."""

    run: _Run
    state: BranchState
    request: Request
    tree: GitTree
    config: Config
    found: str | None = None

    def __call__(self) -> str:
        if self.found is None:
            self.found = self.run.someone_elses(self.state, self.request, self.tree, self.config)
        return self.found


@dataclass(frozen=True)
class _Result:
    pull: PullRequest
    request: Request | None = None

    def __call__(self, status: Status, reason: str, head_sha: str | None = None, *, told: bool = False) -> PullOutcome:
        return PullOutcome(
            self.pull.number, self.pull.url, self.pull.head, status, reason, head_sha, told, self.request
        )


def _quote(text: str) -> str:
    """One line of text safe inside a Markdown quote: nothing renders as markup or mentions anyone."""
    line = " ".join(text.split())
    for char in "\\`*_[]<>#|@!":
        line = line.replace(char, "\\" + char)
    return line
