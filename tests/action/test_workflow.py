"""gitops_writer.actions.workflow: workflow commands that input cannot forge, outputs with delimiters."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.actions.workflow import append_summary, write_outputs


def test_outputs_use_a_delimiter_absent_from_the_value(tmp_path: Path) -> None:
    output = tmp_path / "out"
    assert write_outputs({"branch": "b", "body": "x\nghadelimiter_y\n"}, {"GITHUB_OUTPUT": str(output)})
    lines = output.read_text().split("\n")
    assert lines[0].startswith("branch<<ghadelimiter_") and lines[1] == "b" and lines[2] == lines[0][len("branch<<") :]
    assert lines[3].startswith("body<<") and lines[3][len("body<<") :] not in "x\nghadelimiter_y\n"


def test_the_summary_ends_with_a_line_break(tmp_path: Path) -> None:
    summary = tmp_path / "summary"
    summary.write_text("before\n")
    assert append_summary("# one", {"GITHUB_STEP_SUMMARY": str(summary)})
    assert append_summary("two\n", {"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text() == "before\n# one\ntwo\n"
    assert append_summary("x", {}) is False
