"""What a request hands to publishing: the file changes and the words around them.

A request's edits are a `requests.operations.Plan` (what it does to each file) and, applied, a
`ChangeSet`; a PublishPlan is that change as a commit and a pull request: `requests.runner.prepare`
builds one, the publisher builds one again on the base tip.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from gitops_writer.repo.files import FileChange, TreeSource

LABEL_MAX = 50  # characters GitHub takes in a label's name
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def label_problem(label: str) -> str | None:
    """What is wrong with a pull request label's name (None when nothing)."""
    if _CONTROL.search(label):
        return "holds a line break or another control character"
    if len(label) > LABEL_MAX:
        return f"is {len(label)} characters long; GitHub takes at most {LABEL_MAX}"
    return None


@dataclass(frozen=True)
class PublishPlan:
    """One request's change as a commit and a pull request; built against a tree, never written there."""

    changes: tuple[FileChange, ...]  # paths relative to the repository root, POSIX separators
    branch: str  # e.g. registry/create-payments-api
    commit_subject: str  # e.g. registry: create payments-api in dev
    commit_body: str
    pr_title: str  # e.g. Create ECR Registry: payments-api (dev)
    pr_body: str  # Markdown, including the hidden marker comment with the request as JSON
    labels: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # what the request itself warns of, shown with what publishing warns of

    @property
    def changed(self) -> bool:
        return any(change.changed for change in self.changes)

    @property
    def commit_message(self) -> str:
        """The request commit's message: what publishing commits and refresh commits again, the same."""
        return f"{self.commit_subject}\n\n{self.commit_body}".rstrip() + "\n"


class BaseTree(TreeSource, Protocol):
    """The base branch's tip as a plan builder sees it: read from git's object database, never checked out."""

    @property
    def root(self) -> Path:
        """The working tree publishing runs in: where messages point and caches live."""
        ...

    def text(self, relative: str) -> str | None: ...


# Publishing calls this with the base branch's tip, again whenever the base moves.
PlanBuilder = Callable[[BaseTree], PublishPlan]
