"""`gitops-writer init`: a `.gitops-writer.yaml` that makes requests look like what the repository holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gitops_writer.init.infer import infer
from gitops_writer.init.model import Inference
from gitops_writer.init.render import render_config

if TYPE_CHECKING:
    from gitops_writer.kinds.model import RequestKind

__all__ = ["Inference", "built_in_kind", "infer", "render_config"]


def built_in_kind(name: str) -> tuple[RequestKind, tuple[str, ...]]:
    """The built-in kind (not the repository's), which init's overrides are measured against."""
    from gitops_writer.errors import UsageError
    from gitops_writer.kinds import build_config

    config = build_config({})
    if name not in config.requests:
        raise UsageError(f"--kind: unknown request kind {name!r} (known: {', '.join(config.requests)})")
    return config.requests[name], config.environments
