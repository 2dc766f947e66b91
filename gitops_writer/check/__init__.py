"""`gitops-writer check`: read the whole repository once and report what does not fit together."""

from gitops_writer.check.findings import Finding
from gitops_writer.check.run import check_repository

__all__ = ["Finding", "check_repository"]
