"""gitops_writer.hcl.layout: where lines start and end, their indent, and runs of aligned `=`."""

from __future__ import annotations

from gitops_writer.hcl.layout import (
    after_line,
    column,
    first_on_line,
    indent_unit,
    indentation,
    is_comment_line,
    line_end,
    line_start,
    newline_of,
    rest_is_blank_or_comment,
)

SRC = b'a = 1\n  # note\n    b = "x" # why\r\nc = 2'


def test_lines_and_positions() -> None:
    b = SRC.index(b"b")
    assert SRC[line_start(SRC, b) : line_end(SRC, b)] == b'    b = "x" # why'
    assert SRC[after_line(SRC, b) :] == b"c = 2"
    assert (indentation(SRC, b), column(SRC, b), first_on_line(SRC, b)) == ("    ", 4, True)
    assert not first_on_line(SRC, SRC.index(b'"x"'))
    assert rest_is_blank_or_comment(SRC, SRC.index(b"# why"))
    assert is_comment_line(SRC, line_start(SRC, SRC.index(b"# note")))
    assert not is_comment_line(SRC, 0)


def test_the_file_own_newline_and_indent_unit() -> None:
    assert newline_of(b"a = 1\r\nb = 2\r\n") == "\r\n"
    assert newline_of(b"a = 1\n") == "\n"
    assert indent_unit(b"m = {\n    a = 1\n}\n") == "    "
    assert indent_unit(b"a = 1\n") == "  "
