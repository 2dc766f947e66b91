"""Self-service requests of any kind: validate, compute every file edit, describe the change, run it."""

from gitops_writer.requests.model import Request, ValidRequest, validate

__all__ = ["Request", "ValidRequest", "validate"]
