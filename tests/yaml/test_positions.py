"""gitops_writer.yaml.positions: where entries, keys and values of a YAML text begin and end."""

from __future__ import annotations

import pytest

from gitops_writer.errors import UnsupportedError
from gitops_writer.yaml.positions import Positions
from gitops_writer.yaml.syntax import Node
from gitops_writer.yaml.trees import parse_documents

TEXT = """\
# the registries
repositories:
  # first
  orders:
    risk: low   # a note
      # deeper: belongs to orders

  billing:
    notes: |+
      kept

  search: [a, b]
"""


def mapping(text: str, *path: str) -> Node:
    node = parse_documents(text)[0].root
    for token in path:
        node = next(value for key, value in node.items if key.value == token)
    return node


def test_an_entry_starts_at_its_key_with_its_comments_above_and_ends_after_deeper_comments() -> None:
    positions, repositories = Positions(TEXT), mapping(TEXT, "repositories")
    start = positions.entry_start(repositories, 0)
    assert TEXT[start:].startswith("orders:")
    assert TEXT[positions.leading_start(start, 2) :].startswith("  # first\n  orders:")
    end = positions.entry_end(positions.entry_content_end(repositories, 0), 2)
    assert TEXT[:end].endswith("# deeper: belongs to orders\n")


def test_blank_lines_between_entries_and_a_kept_block_scalar() -> None:
    positions, repositories = Positions(TEXT), mapping(TEXT, "repositories")
    assert positions.gap_has_blank(repositories, 1)
    assert not positions.gap_has_blank(repositories, 0)
    assert positions.ends_kept(repositories, 1)  # `|+` takes the blank line after it
    assert not positions.ends_kept(repositories, 0)


def test_flow_entries_and_line_positions() -> None:
    positions, search = Positions(TEXT), mapping(TEXT, "repositories", "search")
    assert TEXT[positions.entry_start_flow(search, 1) : positions.flow_entry_end(search, 1)] == "b"
    b = TEXT.index("billing")
    assert (positions.column(b), positions.starts_line(b), TEXT[positions.line_after(b) :][:10]) == (
        2,
        True,
        "    notes:",
    )


def test_an_explicit_key_cannot_be_edited() -> None:
    text = "? a\n: 1\n"
    key = mapping(text).items[0][0]
    with pytest.raises(UnsupportedError, match="complex or explicit key"):
        Positions(text).colon_end(key)
