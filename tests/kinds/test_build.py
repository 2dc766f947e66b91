"""kinds/build.py: a kind's merged settings checked into a RequestKind, with the defaults every kind gets."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.kinds import load_config


def test_a_new_kind_gets_name_and_environment(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(
        "requests:\n  queue:\n    title: Queue\n    fields: {properties: {size: {type: integer}}}\n"
        "    branch: 'queue/create-{name}'\n    commit: 'queue: {name}'\n"
        "    edits: [{kind: entry, path: 'q/{environment}.yaml', pointer: '/q/{name}', value: '{size}'}]\n"
    )
    kind = load_config(tmp_path).requests["queue"]
    assert kind.required == ("name", "environment")
    assert kind.remove.branch == "queue/remove-{name}-{environment}"
    assert kind.edits[0].id == "edit-1" and kind.edits[0].per_environment
    assert [row[0] for row in kind.shown] == ["size", "name", "environment", "date"]
