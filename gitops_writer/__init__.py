"""Format-preserving edits of GitOps repositories, published as one pull request."""

__version__ = "0.1.0"
