import pytest

from gitops_writer.errors import ParseError
from gitops_writer.hcl import syntax


def test_a_text_parsed_again_reuses_its_tree() -> None:
    src = b"remembered = 1\n"
    assert syntax.parse(src) is syntax.parse(bytes(src))


def test_a_fresh_read_of_an_edited_text_never_rests_on_the_reparse_that_verified_the_edit() -> None:
    src, new = b"edited = 1\n", b"edited = 22\n"
    reparsed = syntax.reparse(src, syntax.parse(src), new, 9, 10)
    fresh = syntax.parse(new)
    assert fresh is not reparsed and str(fresh.root_node) == str(reparsed.root_node)


def test_only_the_last_few_trees_are_kept_and_broken_text_never() -> None:
    first = syntax.parse(b"first = 1\n")
    for n in range(16):
        syntax.parse(f"other{n} = 1\n".encode())
    assert syntax.parse(b"first = 1\n") is not first
    for _ in range(2):
        with pytest.raises(ParseError):
            syntax.parse(b"broken = {\n")
