"""What a refresh did, told to a script (`--json`), to a workflow (outputs, summary) and to people."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from gitops_writer.markdown import escape

if TYPE_CHECKING:
    from gitops_writer.requests.model import Request

Status = Literal["unchanged", "rebuilt", "closed", "blocked", "left", "deferred", "failed"]


@dataclass(frozen=True)
class PullOutcome:
    number: int
    url: str
    branch: str
    status: Status
    reason: str
    head_sha: str | None = None
    told: bool = False  # this run commented on the pull request (blocked it, or closed it)
    request: Request | None = field(default=None, compare=False)  # the request it records, once read


@dataclass(frozen=True)
class RefreshReport:
    base_branch: str
    base_sha: str
    pulls: tuple[PullOutcome, ...]
    dry_run: bool = False

    @property
    def failed(self) -> bool:
        return any(pull.status == "failed" for pull in self.pulls)

    def count(self, status: Status) -> int:
        return sum(1 for pull in self.pulls if pull.status == status)

    def outputs(self) -> dict[str, str]:
        counts = {status: str(self.count(status)) for status in _HEADINGS}
        return {"base-sha": self.base_sha, **{f"pull-requests-{status}": n for status, n in counts.items()}}

    def lines(self) -> list[str]:
        """One line per pull request, for people."""
        return [f"#{pull.number} {pull.branch}: {pull.status}: {pull.reason}" for pull in self.pulls]

    def tally(self) -> str:
        counts = ", ".join(f"{self.count(status)} {status}" for status in _HEADINGS if self.count(status))
        where = f"{self.base_branch} at {self.base_sha[:12]}"
        return f"refresh{' (dry run)' if self.dry_run else ''} of {where}: {counts or 'no request pull requests open'}"

    def summary(self) -> str:
        lines = [f"### gitops-writer refresh: {escape(self.tally())}", ""]
        if self.pulls:
            lines += ["| Pull request | Branch | Result | Why |", "| --- | --- | --- | --- |"]
            lines += [
                f"| [#{p.number}]({p.url}) | `{p.branch}` | {p.status} | {escape(p.reason)} |" for p in self.pulls
            ]
        return "\n".join(lines) + "\n"

    def warnings(self) -> list[str]:
        return [line for pull, line in zip(self.pulls, self.lines(), strict=True) if pull.status in _WARN]

    def to_json(self) -> str:
        return json.dumps(
            {
                "base_branch": self.base_branch,
                "base_sha": self.base_sha,
                "dry_run": self.dry_run,
                "pulls": [{k: v for k, v in vars(pull).items() if k != "request"} for pull in self.pulls],
            },
            indent=2,
        )


_HEADINGS: tuple[Status, ...] = ("rebuilt", "unchanged", "closed", "blocked", "left", "deferred", "failed")
_WARN = {"blocked", "left", "deferred", "failed"}
