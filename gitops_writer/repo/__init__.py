"""The working tree: paths confined to it, BOM, the one lock, journaled multi-file writes, recovery."""

from gitops_writer.repo.files import FileChange, RepositoryFiles, recover

__all__ = ["FileChange", "RepositoryFiles", "recover"]
