"""publish/refresh_report.py: what a refresh did, told to a script, to a workflow and to people."""

from __future__ import annotations

import json

from gitops_writer.publish.refresh_report import PullOutcome, RefreshReport

PULLS = "https://github.example/acme/infra/pull"
REBUILT = PullOutcome(7, f"{PULLS}/7", "registry/create-a", "rebuilt", "conflicted")
BLOCKED = PullOutcome(8, f"{PULLS}/8", "registry/create-b", "blocked", "a | <b>", told=True)
REPORT = RefreshReport("development", "0123456789abcdef0123", (REBUILT, BLOCKED))


def test_the_outputs_count_each_result_and_name_the_base() -> None:
    outputs = REPORT.outputs()
    assert outputs["base-sha"] == "0123456789abcdef0123"
    assert (outputs["pull-requests-rebuilt"], outputs["pull-requests-blocked"], outputs["pull-requests-failed"]) == (
        "1",
        "1",
        "0",
    )


def test_people_read_a_line_each_and_a_tally() -> None:
    assert REPORT.lines() == ["#7 registry/create-a: rebuilt: conflicted", "#8 registry/create-b: blocked: a | <b>"]
    assert REPORT.tally() == "refresh of development at 0123456789ab: 1 rebuilt, 1 blocked"
    assert RefreshReport("main", "f" * 40, (), dry_run=True).tally() == (
        "refresh (dry run) of main at ffffffffffff: no request pull requests open"
    )


def test_the_summary_is_a_table_whose_reasons_render_as_written() -> None:
    summary = REPORT.summary()
    assert (
        "| [#8](https://github.example/acme/infra/pull/8) | `registry/create-b` | blocked | a \\| &lt;b&gt; |"
        in summary
    )


def test_only_what_needs_a_person_is_a_warning() -> None:
    assert REPORT.warnings() == ["#8 registry/create-b: blocked: a | <b>"]
    assert not REPORT.failed


def test_the_json_leaves_out_the_request_read_from_each_pull_request() -> None:
    data = json.loads(REPORT.to_json())
    assert data["pulls"][1] == {
        "number": 8,
        "url": f"{PULLS}/8",
        "branch": "registry/create-b",
        "status": "blocked",
        "reason": "a | <b>",
        "head_sha": None,
        "told": True,
    }
