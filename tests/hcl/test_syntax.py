import pytest

from gitops_writer.errors import ParseError
from gitops_writer.hcl import HclEditor, syntax


def test_an_editor_parses_a_text_once_however_many_reads_and_edits_start_from_it(
    hcl_parses: list[tuple[bytes, bool]],
) -> None:
    editor, text = HclEditor(), "kept = { a = 1 }\n"
    assert editor.get(text, ["kept", "a"]) == 1
    edited = editor.set(text, ["kept", "b"], 2)
    assert HclEditor().get(text, ["kept", "a"]) == 1  # another editor, the same text
    assert [src for src, incremental in hcl_parses if not incremental] == [text.encode()]
    editor.get(edited, ["kept", "b"])  # the edited text is read afresh
    assert [src for src, incremental in hcl_parses if not incremental] == [text.encode(), edited.encode()]


def test_a_fresh_read_of_an_edited_text_never_rests_on_the_reparse_that_verified_the_edit() -> None:
    src, new = b"edited = 1\n", b"edited = 22\n"
    reparsed = syntax.reparse(src, syntax.parse(src), new, 9, 10)
    fresh = syntax.parse(new)
    assert fresh is not reparsed and str(fresh.root_node) == str(reparsed.root_node)


def test_a_text_parsed_again_in_the_process_gets_the_same_tree_and_no_edit_changes_that_tree() -> None:
    src = b"kept = { a = 1 }\n"
    tree = syntax.parse(src)
    assert syntax.parse(bytes(src)) is tree  # by text, not by object
    syntax.reparse(src, tree, b"kept = { a = 22 }\n", 13, 14)
    assert tree.root_node.end_byte == len(src) and "22" not in str(tree.root_node.text)
    assert syntax.parse(src) is tree


def test_only_the_last_texts_parsed_are_kept() -> None:
    first = syntax.parse(b"n = 0\n")
    for n in range(1, 20):
        syntax.parse(b"n = %d\n" % n)
    assert syntax.parse(b"n = 0\n") is not first
    assert len(syntax._PARSED) <= 8


def test_broken_text_is_refused_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ParseError):
            syntax.parse(b"broken = {\n")


def test_nesting_too_deep_is_refused_before_tree_sitter_sees_it() -> None:
    with pytest.raises(ParseError, match="nested too deeply") as info:
        syntax.parse(b"x = 1\ny = " + b"[" * 100_000 + b"]" * 100_000 + b"\n")
    assert info.value.line == 2
    assert syntax.parse(b"y = " + b"[" * 500 + b"]" * 500 + b"\n").root_node.type
