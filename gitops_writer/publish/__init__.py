"""Publishing: commit a plan on a request branch, push it, and open or update its pull request."""

from __future__ import annotations

from gitops_writer.publish.options import PublishOptions, options_from_env
from gitops_writer.publish.publisher import publish
from gitops_writer.publish.result import PublishResult, report_to_actions

__all__ = ["PublishOptions", "PublishResult", "options_from_env", "publish", "report_to_actions"]
