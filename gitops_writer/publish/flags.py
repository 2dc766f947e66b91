"""What a person asked of publishing, as given: the command line's publish options, or the action's inputs.

Built once, by the command line (cli/options.py) or the action (actions/entry.py), and resolved once,
against the environment and the config, into PublishOptions (publish/options.py). Names and identities
stay texts here: they are checked where they are resolved, so a refusal reaches the requester like any other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

OnClosed = Literal["recreate", "skip"]
CommitMode = Literal["git", "api"]


@dataclass(frozen=True)
class PublishFlags:
    token: str | None = field(default=None, repr=False)  # None: $GITHUB_TOKEN, then $GH_TOKEN
    repository: str | None = None  # OWNER/NAME; None: $GITHUB_REPOSITORY
    api_url: str | None = None  # None: $GITHUB_API_URL, else api.github.com
    base_branch: str | None = None  # None: the config's
    remote: str = "origin"
    on_closed: OnClosed = "recreate"
    extra_body_file: Path | None = None
    labels: str | None = None  # comma-separated; None: the plan's
    draft: bool = False
    reviewers: str | None = None  # comma- or space-separated logins; None: the config's, for the request's risk
    team_reviewers: str | None = None
    assignees: str | None = None
    author: str | None = None  # 'Name <email>'; None: the config's
    committer: str | None = None
    draft_on_update: bool | None = None  # True: turn an open PR into a draft; False: mark it ready; None: leave it
    commit: CommitMode | None = None  # None: the config's, else git
    delete_branch: bool | None = None  # None: the config's, else keep
    force: bool = False

    @property
    def names_people(self) -> bool:
        """Whether reviewers, assignees or commit identities are given, to be checked before a dry run ends."""
        return any((self.reviewers, self.team_reviewers, self.assignees, self.author, self.committer))
