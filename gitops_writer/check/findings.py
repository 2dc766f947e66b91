"""One finding: where (path and line), how bad, which check, what, and about which resource."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gitops_writer.values import JSONObject

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Finding:
    path: str  # relative to the repository, '/'-separated
    line: int  # 1-based; 1 when the finding is about a whole file
    severity: str  # "error" or "warning"
    check: str  # consistency, references, terraform or drift
    message: str
    resource: str = ""  # the resource's name, when the finding is about one

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"

    def as_object(self) -> JSONObject:
        return asdict(self)
