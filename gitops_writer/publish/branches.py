"""Which branches gitops-writer may force-push or delete: the one policy publishing and refresh share.

A request branch is regenerated as one commit on the base tip and force-pushed, and deleted when its
request is done. So it must never be the base, the repository's default or a protected branch, and it
must hold no commit by anyone but who writes the tool's commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gitops_writer.publish.git import BranchState, Commit, Identity, Repository
from gitops_writer.publish.github import GitHubClient
from gitops_writer.publish.options import PublishOptions

WEB_FLOW = "noreply@github.com"  # the committer of every commit GitHub makes through its API or web UI


@dataclass(frozen=True)
class People:
    """Who writes the request's commits, and so whose commits on the branch may be replaced."""

    author: Identity
    committer: Identity
    api: bool  # GitHub makes the commits: committer GitHub (web-flow), author the token's bot

    def made(self, commit: Commit) -> bool:
        # The committer is who made the commit; the author is only attributed (and may change in the config).
        author, committer = commit.author.email.lower(), commit.committer.email.lower()
        if committer == self.committer.email.lower():
            return True
        return self.api and committer == WEB_FLOW and author.endswith("[bot]@users.noreply.github.com")

    def __str__(self) -> str:
        return str(self.committer) if self.author == self.committer else f"{self.author} (committer {self.committer})"


def committers(repo: Repository, options: PublishOptions) -> People:
    """Who writes request commits: the same for publishing, which makes them, and refresh, which recognises them."""
    committer = options.committer or options.settings.committer or repo.identity()
    author = options.author or options.settings.author or committer
    return People(author, committer, options.commit_mode == "api")


@dataclass
class BranchPolicy:
    repo: Repository
    github: GitHubClient
    people: People
    base: str  # the base branch's name
    _default: list[str | None] = field(default_factory=list)  # the remote's default branch, asked once

    def protected(self, branch: str, *, exists: bool = True) -> str:
        """Why `branch` must never be force-pushed or deleted, or "" when it may be."""
        if branch == self.base:
            return "it is the base branch"
        if not self._default:
            self._default.append(self.repo.default_branch())
        if branch == self._default[0]:
            return "it is the repository's default branch"
        if exists and self.github.protected(branch):
            return "it is a protected branch"
        return ""

    def foreign(self, state: BranchState) -> tuple[Commit, ...]:
        """The commits on the branch that someone other than the tool's committer made."""
        return tuple(commit for commit in state.commits if not self.people.made(commit))
