"""What `init` proposes for one kind: its edits learned from the repository's files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.init.learner import Learner
from gitops_writer.init.model import Inference

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind


def infer(root: Path, kind_name: str, kind: RequestKind, environments: Sequence[str]) -> Inference:
    return Learner(root, kind_name, kind, environments).learn()
