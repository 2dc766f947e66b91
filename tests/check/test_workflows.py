"""check/workflows.py: a workflow GitHub cannot parse is a finding."""

from __future__ import annotations

from pathlib import Path

from tests.fit.support import gw


def test_a_workflow_that_does_not_parse_is_a_finding(built: Path) -> None:
    (built / ".github/workflows/broken.yml").write_text("on:\n  push:\njobs:\n  a: [\n")
    done = gw("check", f"--repo={built}", "--json")
    assert done.code == 1
    (finding,) = done.findings
    assert (finding["path"], finding["check"]) == (".github/workflows/broken.yml", "workflows")
    assert "GitHub will not run this workflow" in finding["message"]
