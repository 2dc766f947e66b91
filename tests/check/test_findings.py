"""check/findings.py: a finding as one line of text and as a JSON object."""

from __future__ import annotations

from gitops_writer.check.findings import ERROR, Finding


def test_a_finding_reads_as_path_line_severity_and_message() -> None:
    finding = Finding("catalog/a.yaml", 4, ERROR, "references", "Group x is not defined", "x")
    assert finding.text() == "catalog/a.yaml:4: error: Group x is not defined"
    assert finding.as_object() == {
        "path": "catalog/a.yaml",
        "line": 4,
        "severity": "error",
        "check": "references",
        "message": "Group x is not defined",
        "resource": "x",
    }
