"""The entity index: what a file's text says about the names it defines, remembered until the file changes."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from gitops_writer.check import entity_index
from gitops_writer.check.entity_index import EntityIndex, Facts, facts
from gitops_writer.check.requested import unresolved_relations

ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n  owner: team-a\n"
NEW = {
    "apiVersion": "backstage.io/v1alpha1",
    "kind": "Resource",
    "metadata": {"name": "ecr-new"},
    "spec": {"owner": "team-a", "dependencyOf": ["resource:ecr-registry"]},
}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (ENTITY.format(kind="Group", name="team-a"), {"team-a"}),
        (ENTITY.format(kind="Group", name='"Team-A"  # quoted'), {"team-a"}),
        (ENTITY.format(kind="Group", name="team-a").replace("\n", "\r\n"), {"team-a"}),
        ("apiVersion: v1\nkind: Group\nmetadata: {name: team-a}\n", None),  # flow style
        ("apiVersion: v1\nkind: Group\nmetadata:\n  'name': team-a\n", None),  # a quoted key
        ("apiVersion: v1\nkind: Group\nmetadata:\n  name:\n    team-a\n", None),  # the value on the next line
        ("apiVersion: v1\nkind: Group\nmetadata:\n  name: &n team-a\n", None),  # an anchor
        ("just: text\n", set()),
    ],
)
def test_the_names_a_file_defines_are_read_off_its_lines_or_left_unknown(text: str, names: set[str] | None) -> None:
    found = facts(text)
    assert found.names == (None if names is None else frozenset(names))


def test_a_file_whose_names_are_unknown_is_parsed(tmp_path: Path) -> None:
    (tmp_path / "registry.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata: {name: ecr-registry}\n"
    )
    assert unresolved_relations(tmp_path, [NEW]) == []
    (tmp_path / "registry.yaml").write_text(ENTITY.format(kind="Resource", name="other"))
    problems = unresolved_relations(tmp_path, [NEW])
    assert problems == [
        "Resource ecr-new: spec.dependencyOf resource:ecr-registry is not a Resource the repository defines"
    ]


def _repository(tmp_path: Path, count: int) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    for index in range(count):
        (tmp_path / f"e{index}.yaml").write_text(ENTITY.format(kind="Resource", name=f"ecr-{index}"))
    return tmp_path


def test_facts_are_remembered_until_the_file_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repository(tmp_path, 3)
    monkeypatch.setattr(entity_index, "_SETTLED_NS", 0)  # files written just now count as settled
    read: list[str] = []
    real = entity_index.facts
    monkeypatch.setattr("gitops_writer.check.requested.facts", lambda text: read.append(text) or real(text))
    assert len(unresolved_relations(repo, [NEW])) == 1  # no Resource is called ecr-registry
    assert len(read) == 3
    read.clear()
    unresolved_relations(repo, [NEW])
    assert read == []  # every file remembered
    (repo / "e1.yaml").write_text(ENTITY.format(kind="Resource", name="ecr-registry"))
    (repo / "e2.yaml").unlink()
    assert unresolved_relations(repo, [NEW]) == []
    assert len(read) == 1  # only the changed file is read again
    stored = json.loads((repo / ".git" / "gitops-writer-entities.json").read_text())
    assert sorted(stored["files"]) == ["e0.yaml", "e1.yaml"]  # the deleted file is forgotten


def test_a_file_changed_this_very_moment_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repository(tmp_path, 1)
    time.sleep(0.3)
    (repo / "e1.yaml").write_text(ENTITY.format(kind="Resource", name="ecr-1"))
    now = (repo / "e1.yaml").stat().st_ctime_ns + 100_000_000
    monkeypatch.setattr(entity_index, "_SETTLED_NS", 200_000_000)
    monkeypatch.setattr(entity_index.time, "time_ns", lambda: now)
    index = EntityIndex(repo)
    for name in ("e0.yaml", "e1.yaml"):
        found, stamp = index.lookup(name)
        assert found is None
        index.remember(name, stamp, Facts(frozenset({"resource"}), frozenset()))
    index.save()
    assert EntityIndex(repo).lookup("e0.yaml")[0] == Facts(frozenset({"resource"}), frozenset())
    assert EntityIndex(repo).lookup("e1.yaml")[0] is None


@pytest.mark.parametrize(
    "stored",
    ["not json", '{"version": 1, "root": "/elsewhere", "files": {}}', "[1, 2]", "[" * 100_000, "fifo", "device"],
    ids=["not-json", "foreign", "not-an-object", "deep", "fifo", "device"],
)
def test_a_broken_or_foreign_store_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stored: str) -> None:
    repo = _repository(tmp_path, 1)
    store = repo / ".git" / "gitops-writer-entities.json"
    if stored == "fifo":
        os.mkfifo(store)
    elif stored == "device":
        store.symlink_to("/dev/zero")
    else:
        store.write_text(stored)
    monkeypatch.setattr(entity_index, "_SETTLED_NS", 0)
    assert EntityIndex(repo).lookup("e0.yaml")[0] is None
    assert unresolved_relations(repo, [NEW]) == [
        "Resource ecr-new: spec.dependencyOf resource:ecr-registry is not a Resource the repository defines"
    ]
