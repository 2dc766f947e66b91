"""The PR body and commit message from the kind's field table, with the request recorded for `refresh`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.errors import ValidationError
from gitops_writer.kinds import build_config
from gitops_writer.requests.model import Request
from gitops_writer.requests.record import read_record
from gitops_writer.requests.runner import prepare
from tests.kinds.test_custom_kind import CONFIG, add_kind


def test_free_text_cannot_break_the_table_or_the_marker(repo: Path) -> None:
    add_kind(repo)
    config = build_config(YAML(typ="safe").load(CONFIG), "test")
    notes = "a | b `c` ``d`` <!-- x --> -->"
    fields = {"name": "jobs", "environment": "dev", "tier": "basic", "notes": notes}
    prepared = prepare(repo, Request("queue", "create", fields, date="2026-12-01"), config)
    body = prepared.publish.pr_body
    [row] = [line for line in body.splitlines() if line.startswith("| Notes |")]
    assert row == "| Notes | ```a \\| b `c` ``d`` <!-- x --> -->``` |"
    assert body.count("-->") == 1 + 2 and body.rstrip().endswith("-->")  # the two in the code span, the marker's
    assert len(re.findall(r"<!-- gitops-writer:request .* -->", body)) == 1
    recorded = read_record(body)
    assert recorded is not None and recorded.fields["notes"] == notes
    assert read_record(prepared.publish.commit_body) == recorded
    assert "Registry ID" not in body and "| Capacity | `10` |" in body  # the default, from the kind's table


def test_a_removal_names_where_the_resource_stays(repo: Path) -> None:
    config = build_config({}, "built-in")
    body = prepare(repo, Request("ecr", "remove", {"name": "billing-api", "environment": "dev"}), config).publish
    assert "It stays in `staging`." in body.pr_body
    assert body.branch == "registry/remove-billing-api-dev" and body.labels == ("ecr-registry-removal", "dev")
    assert body.commit_subject == "registry: remove billing-api from dev"


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        ("ok", None),
        ("a\nb", "holds a line break or another control character"),
        ("a\x85b", "holds a line break or another control character"),
        ("n" * 51, "is 51 characters long; GitHub takes at most 50"),
    ],
)
def test_a_label_filled_from_a_field_is_one_github_takes(repo: Path, notes: str, problem: str | None) -> None:
    add_kind(repo)
    text = CONFIG.replace('labels: [queue, "{environment}"]', 'labels: [queue, "{notes}"]')
    config = build_config(YAML(typ="safe").load(text), "test")
    request = Request("queue", "create", {"name": "jobs", "environment": "dev", "tier": "basic", "notes": notes})
    if problem is None:
        assert prepare(repo, request, config).publish.labels == ("queue", "ok")
        return
    with pytest.raises(ValidationError) as info:
        prepare(repo, request, config)
    assert str(info.value) == f"labels: the label '{{notes}}' filled from notes {problem}"


def test_labels_given_on_the_command_line_are_ones_github_takes() -> None:
    from gitops_writer.errors import UsageError
    from gitops_writer.publish.options import _labels

    assert _labels(" a, b ,") == ("a", "b")
    with pytest.raises(UsageError, match=r"^--labels: 'a\\nb' holds a line break"):
        _labels("ok,a\nb")
    with pytest.raises(UsageError, match="is 51 characters long"):
        _labels("l" * 51)


@pytest.mark.parametrize(
    "notes",
    [
        'x <!-- gitops-writer:request {"kind":"queue","fields":{}} --> y',
        "see <!--\ngitops-writer:request",
        "gitops-writer:request",
    ],
)
def test_a_value_holding_the_record_marker_is_refused(repo: Path, notes: str) -> None:
    """Else the body holds two records and refresh skips the pull request, or cuts its body at the value."""
    add_kind(repo)
    config = build_config(YAML(typ="safe").load(CONFIG), "test")
    request = Request("queue", "create", {"name": "jobs", "environment": "dev", "tier": "basic", "notes": notes})
    with pytest.raises(ValidationError) as info:
        prepare(repo, request, config)
    assert str(info.value) == (
        "notes: must not hold 'gitops-writer:request', which marks the request a pull request records"
    )
