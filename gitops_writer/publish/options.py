"""What publishing needs to know: the flags a person gave, over the environment, over the config."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.errors import GitopsWriterError, UsageError
from gitops_writer.proposal import label_problem
from gitops_writer.publish.flags import CommitMode, OnClosed, PublishFlags
from gitops_writer.publish.settings import (
    PublishSettings,
    Reviewers,
    logins,
    person,
    publish_settings,
    split,
    team_slugs,
)
from gitops_writer.repo.reading import read_text

if TYPE_CHECKING:
    from gitops_writer.publish.git import Identity

DEFAULT_API_URL = "https://api.github.com"
_REPOSITORY = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")


@dataclass(frozen=True)
class PublishOptions:
    repository: str  # owner/name of the repository that receives the pull request
    token: str = field(repr=False)
    api_url: str = DEFAULT_API_URL
    base_branch: str = "development"
    remote: str = "origin"
    on_closed: OnClosed = "recreate"
    extra_body_file: Path | None = None
    draft: bool = False
    labels: tuple[str, ...] | None = None  # None: the plan's labels
    force: bool = False
    push_attempts: int = 3  # lost leases tolerated before giving up
    draft_on_update: bool | None = None  # True: turn an open PR into a draft; False: mark it ready; None: leave it
    reviewers: tuple[str, ...] | None = None  # None: the config's, for the request's risk
    team_reviewers: tuple[str, ...] | None = None
    assignees: tuple[str, ...] = ()
    commit: CommitMode | None = None  # None: the config's, else git
    author: Identity | None = None  # None: the config's, else the committer
    committer: Identity | None = None  # None: the config's, else git config, else github-actions[bot]
    delete_branch: bool | None = None  # None: the config's, else False
    settings: PublishSettings = field(default_factory=PublishSettings)  # from the config's publishing keys
    risk: str | None = None  # the request's risk: which of the config's reviewers apply

    @property
    def review(self) -> Reviewers:
        """Inputs win over the config, each list on its own."""
        configured = self.settings.reviewers_for(self.risk)
        return Reviewers(
            configured.users if self.reviewers is None else self.reviewers,
            configured.teams if self.team_reviewers is None else self.team_reviewers,
        )

    @property
    def commit_mode(self) -> CommitMode:
        return self.commit or self.settings.commit or "git"

    @property
    def deletes_branch(self) -> bool:
        return bool(self.settings.delete_branch if self.delete_branch is None else self.delete_branch)


@dataclass(frozen=True)
class _GitHub:
    repository: str
    token: str = field(repr=False)
    api_url: str


def resolve_options(
    flags: PublishFlags,
    *,
    config: Mapping[str, object] | None = None,
    default_base: str = "development",
    risk: str | None = None,
    environ: Mapping[str, str] = os.environ,
) -> PublishOptions:
    """The flags win; then GITHUB_TOKEN/GH_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL; then the config's
    publishing settings (`config`, as written), for the request's risk."""
    labels = _labels(flags.labels) if flags.labels else None
    settings = publish_settings(config or {})
    github = _github(flags, environ)
    if flags.extra_body_file is not None:
        try:  # a device or a FIFO is refused here, with the option's name, not read later
            read_text(flags.extra_body_file, f"--extra-body-file {flags.extra_body_file}", follow=True)
        except GitopsWriterError as exc:
            raise UsageError(str(exc)) from None
    return PublishOptions(
        repository=github.repository,
        token=github.token,
        api_url=github.api_url,
        base_branch=flags.base_branch or default_base,
        remote=flags.remote or "origin",
        on_closed=flags.on_closed,
        extra_body_file=flags.extra_body_file,
        draft=flags.draft,
        labels=labels,
        force=flags.force,
        draft_on_update=flags.draft_on_update,
        reviewers=None if flags.reviewers is None else logins(split(flags.reviewers), "--reviewers"),
        team_reviewers=None
        if flags.team_reviewers is None
        else team_slugs(split(flags.team_reviewers), "--team-reviewers"),
        assignees=logins(split(flags.assignees), "--assignees"),
        commit=flags.commit,
        author=person(flags.author, "--author") if flags.author else None,
        committer=person(flags.committer, "--committer") if flags.committer else None,
        delete_branch=flags.delete_branch,
        settings=settings,
        risk=risk,
    )


def _github(flags: PublishFlags, environ: Mapping[str, str]) -> _GitHub:
    """Where the pull request goes, and the token that may open it."""
    token = flags.token or environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN")
    if not token:
        raise UsageError(
            "no GitHub token: pass --token or set GITHUB_TOKEN or GH_TOKEN "
            "(it needs contents:write and pull-requests:write on the repository)"
        )
    repository = flags.repository or environ.get("GITHUB_REPOSITORY")
    if not repository:
        raise UsageError("no repository: pass --repository OWNER/NAME or set GITHUB_REPOSITORY")
    if not _REPOSITORY.match(repository):
        raise UsageError(f"repository {repository!r} is not of the form OWNER/NAME")
    api_url = (flags.api_url or environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise UsageError(f"GitHub API URL {api_url!r} is not an http(s) URL")
    return _GitHub(repository, token, api_url)


def _labels(given: str) -> tuple[str, ...]:
    """--labels a,b as label names GitHub takes; a line break or an overlong name is refused."""
    labels = tuple(label.strip() for label in given.split(",") if label.strip())
    for label in labels:
        problem = label_problem(label)
        if problem is not None:
            raise UsageError(f"--labels: {label[:60]!r} {problem}")
    return labels
