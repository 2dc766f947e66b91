"""What publishing needs to know, resolved from explicit values first and the environment second."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gitops_writer.errors import GitopsWriterError, UsageError
from gitops_writer.proposal import label_problem
from gitops_writer.publish.git import Identity
from gitops_writer.publish.settings import (
    CommitMode,
    PublishSettings,
    Reviewers,
    logins,
    person,
    publish_settings,
    split,
    team_slugs,
)
from gitops_writer.repo.reading import read_text

OnClosed = Literal["recreate", "skip"]
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


def options_from_env(
    environ: Mapping[str, str] = os.environ,
    *,
    token: str | None = None,
    repository: str | None = None,
    api_url: str | None = None,
    base_branch: str | None = None,
    remote: str | None = None,
    on_closed: str | None = None,
    extra_body_file: Path | None = None,
    draft: bool = False,
    labels: tuple[str, ...] | None = None,
    force: bool = False,
    draft_on_update: bool | None = None,
    reviewers: str | None = None,
    team_reviewers: str | None = None,
    assignees: str | None = None,
    commit: str | None = None,
    author: str | None = None,
    committer: str | None = None,
    delete_branch: bool | None = None,
    settings: PublishSettings | None = None,
    risk: str | None = None,
) -> PublishOptions:
    """Explicit values win; then GITHUB_TOKEN/GH_TOKEN, GITHUB_REPOSITORY and GITHUB_API_URL."""
    token = token or environ.get("GITHUB_TOKEN") or environ.get("GH_TOKEN")
    if not token:
        raise UsageError(
            "no GitHub token: pass --token or set GITHUB_TOKEN or GH_TOKEN "
            "(it needs contents:write and pull-requests:write on the repository)"
        )
    repository = repository or environ.get("GITHUB_REPOSITORY")
    if not repository:
        raise UsageError("no repository: pass --repository OWNER/NAME or set GITHUB_REPOSITORY")
    if not _REPOSITORY.match(repository):
        raise UsageError(f"repository {repository!r} is not of the form OWNER/NAME")
    if on_closed not in (None, "recreate", "skip"):
        raise UsageError(f"--on-closed must be recreate or skip, not {on_closed!r}")
    if extra_body_file is not None:
        try:  # a device or a FIFO is refused here, with the option's name, not read later
            read_text(extra_body_file, f"--extra-body-file {extra_body_file}", follow=True)
        except GitopsWriterError as exc:
            raise UsageError(str(exc)) from None
    api_url = (api_url or environ.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
    if not api_url.startswith(("https://", "http://")):
        raise UsageError(f"GitHub API URL {api_url!r} is not an http(s) URL")
    return PublishOptions(
        repository=repository,
        token=token,
        api_url=api_url,
        base_branch=base_branch or "development",
        remote=remote or "origin",
        on_closed="skip" if on_closed == "skip" else "recreate",
        extra_body_file=extra_body_file,
        draft=draft,
        labels=labels,
        force=force,
        draft_on_update=draft_on_update,
        reviewers=None if reviewers is None else logins(split(reviewers), "--reviewers"),
        team_reviewers=None if team_reviewers is None else team_slugs(split(team_reviewers), "--team-reviewers"),
        assignees=logins(split(assignees), "--assignees"),
        commit=_commit(commit),
        author=person(author, "--author") if author else None,
        committer=person(committer, "--committer") if committer else None,
        delete_branch=delete_branch,
        settings=settings or PublishSettings(),
        risk=risk,
    )


def _commit(value: str | None) -> CommitMode | None:
    if value in (None, ""):
        return None
    if value == "git":
        return "git"
    if value == "api":
        return "api"
    raise UsageError(f"--commit must be git or api, not {value!r}")


def from_command(
    given: Mapping[str, object], *, default_base: str, config: Mapping[str, object], risk: str | None
) -> PublishOptions:
    """PublishOptions from a command's publish options (cli/options.py `publish_options`) and the raw config."""

    def text(name: str) -> str | None:
        value = given.get(name)
        return None if value is None else str(value)

    def flag(name: str) -> bool | None:
        value = given.get(name)
        return None if value is None else bool(value)

    labels = text("labels")
    extra = given.get("extra_body_file")
    return options_from_env(
        token=text("token"),
        repository=text("repository"),
        api_url=text("api_url"),
        base_branch=text("base_branch") or default_base,
        remote=text("remote"),
        on_closed=text("on_closed"),
        extra_body_file=extra if isinstance(extra, Path) else None,
        draft=bool(given.get("draft")),
        labels=_labels(labels) if labels else None,
        force=bool(given.get("force")),
        draft_on_update=flag("draft_on_update"),
        reviewers=text("reviewers"),
        team_reviewers=text("team_reviewers"),
        assignees=text("assignees"),
        commit="api" if given.get("sign_commits") else text("commit"),
        author=text("author"),
        committer=text("committer"),
        delete_branch=flag("delete_branch"),
        settings=publish_settings(config),
        risk=risk,
    )


def _labels(given: str) -> tuple[str, ...]:
    """--labels a,b as label names GitHub takes; a line break or an overlong name is refused."""
    labels = tuple(label.strip() for label in given.split(",") if label.strip())
    for label in labels:
        problem = label_problem(label)
        if problem is not None:
            raise UsageError(f"--labels: {label[:60]!r} {problem}")
    return labels
