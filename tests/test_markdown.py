"""gitops_writer.markdown: text that renders as itself in a pull request body or a step summary."""

from __future__ import annotations

import pytest

from gitops_writer.markdown import block, code, escape


def test_escape_leaves_no_html_link_or_table_cell_end() -> None:
    assert escape("<b>[x](y) | z</b>") == "&lt;b&gt;\\[x\\](y) \\| z&lt;/b&gt;"


@pytest.mark.parametrize(
    ("value", "span"),
    [
        ("plain", "`plain`"),
        ("a`b", "``a`b``"),  # a fence longer than any run of backticks inside
        ("`a", "`` `a ``"),  # padded where the text starts or ends with a backtick
        ("a\n  b | c", "`a b \\| c`"),  # one line, table pipes escaped
    ],
)
def test_code_holds_any_text_on_one_line(value: str, span: str) -> None:
    assert code(value) == span


@pytest.mark.parametrize(
    ("text", "fenced"),
    [
        ("+a\n", "```diff\n+a\n```\n"),
        ("+a", "```diff\n+a\n```\n"),  # the closing fence on a line of its own
        ("+```\n", "````diff\n+```\n````\n"),  # a fence longer than any run of backticks inside
    ],
)
def test_block_holds_any_text_as_written(text: str, fenced: str) -> None:
    assert block(text, "diff") == fenced
