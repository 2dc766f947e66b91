"""What publishing did, told to a script (`--json`), to a workflow (step outputs) and to people."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from gitops_writer.markdown import escape

Operation = Literal["created", "updated", "unchanged", "none"]

_HEADLINES = {
    "created": "opened",
    "updated": "updated",
    "unchanged": "already up to date",
    "none": "nothing to publish",
}


@dataclass(frozen=True)
class PublishResult:
    operation: Operation
    branch: str
    base_branch: str
    number: int | None = None
    url: str | None = None
    head_sha: str | None = None
    title: str = ""
    files: tuple[str, ...] = ()  # paths the branch's commit changes
    reason: str = ""  # why nothing was published, or what else happened worth knowing
    warnings: tuple[str, ...] = ()
    verified: bool = False  # GitHub made and signed the head commit (commit: api)

    def outputs(self) -> dict[str, str]:
        return {
            "pull-request-number": "" if self.number is None else str(self.number),
            "pull-request-url": self.url or "",
            "pull-request-operation": self.operation,
            "branch": self.branch,
            "head-sha": self.head_sha or "",
            "commit-verified": "true" if self.verified else "false",
        }

    def to_json(self) -> str:
        return json.dumps(
            {
                "operation": self.operation,
                "number": self.number,
                "url": self.url,
                "branch": self.branch,
                "base_branch": self.base_branch,
                "head_sha": self.head_sha,
                "title": self.title,
                "files": list(self.files),
                "reason": self.reason,
                "warnings": list(self.warnings),
                "commit_verified": self.verified,
            },
            indent=2,
        )

    def summary(self) -> str:
        lines = [f"### gitops-writer: pull request {_HEADLINES[self.operation]}", ""]
        if self.number is not None:
            lines.append(f"[#{self.number} {escape(self.title)}]({self.url})")
            lines.append("")
        where = f"`{self.branch}` into `{self.base_branch}`"
        lines.append(f"Branch {where}" + (f" at `{self.head_sha[:12]}`." if self.head_sha else "."))
        if self.files:
            lines.extend(["", "Changed files:", *(f"- `{path}`" for path in self.files)])
        if self.reason:
            lines.extend(["", escape(self.reason)])
        lines.extend(f"\n> **Warning:** {escape(warning)}" for warning in self.warnings)
        return "\n".join(lines) + "\n"
