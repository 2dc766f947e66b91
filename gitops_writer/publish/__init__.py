"""Publishing: commit a plan on a request branch, push it, and open or update its pull request.

The names below are loaded on first use, so that reading the publishing settings (publish.settings,
for `check` and dry runs) does not load git and the HTTP client.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gitops_writer.publish.flags import PublishFlags
    from gitops_writer.publish.options import PublishOptions, resolve_options
    from gitops_writer.publish.publisher import publish
    from gitops_writer.publish.result import PublishResult

__all__ = ["PublishFlags", "PublishOptions", "PublishResult", "publish", "resolve_options"]
_MODULES = {
    "PublishFlags": "flags",
    "PublishOptions": "options",
    "resolve_options": "options",
    "publish": "publisher",
    "PublishResult": "result",
}


def __getattr__(name: str) -> object:
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
