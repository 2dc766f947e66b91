"""gitops_writer.requests.skeleton: the catalog file a request starts when the repository has none yet."""

from __future__ import annotations

from gitops_writer.requests.skeleton import skeleton_text
from gitops_writer.yaml import YamlEditor


def test_the_skeleton_holds_the_empty_map_and_the_dated_stamp() -> None:
    text = skeleton_text(["repositories"], "/last_updated", "2026-12-07")
    assert text == 'last_updated: "2026-12-07"\nrepositories: {}\n'


def test_nested_parents_and_a_nested_stamp_share_their_maps() -> None:
    text = skeleton_text(["spec", "repositories"], "/spec/updated", "2026-12-07")
    assert YamlEditor().get(text, []) == {"spec": {"updated": "2026-12-07", "repositories": {}}}


def test_no_stamp_and_no_parents_is_an_empty_file() -> None:
    assert skeleton_text([], "", "2026-12-07") == ""
