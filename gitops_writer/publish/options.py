"""What publishing needs to know, resolved from explicit values first and the environment second."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from gitops_writer.errors import UsageError

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
    if extra_body_file is not None and not extra_body_file.is_file():
        raise UsageError(f"--extra-body-file {extra_body_file}: no such file")
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
    )
