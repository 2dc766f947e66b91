from __future__ import annotations

import pytest

from gitops_writer.errors import ParseError
from gitops_writer.yaml.syntax import MAPPING
from gitops_writer.yaml.syntax import parse as parse_documents

TEXT = "\ufeffa: &x é\nb: *x\nc: [1, {d: e}]\n---\n- f\n"


def test_offsets_are_character_offsets_past_a_bom() -> None:
    first, second = parse_documents(TEXT)
    key, value = first.root.items[0]
    assert TEXT[key.start : key.end] == "a"
    assert TEXT[value.start : value.end] == "&x é"
    assert first.aliased == {"x"} and second.root.items[0].value == "f"


def test_the_pure_parser_builds_the_same_tree() -> None:
    def shape(text: str, pure: bool) -> list[tuple[str, int, int]]:
        out = []
        for doc in parse_documents(text, pure=pure):
            stack = [doc.root]
            while stack:
                node = stack.pop()
                out.append((node.kind, node.start, node.end))
                if node.kind == MAPPING:
                    stack.extend(n for pair in node.items for n in pair)
                else:
                    stack.extend(node.items if isinstance(node.items, list) else [])
        return out

    text = TEXT.lstrip("\ufeff")
    assert shape(text, pure=False) == shape(text, pure=True)


@pytest.mark.parametrize("text,line", [("a: [1\n", 2), ("a: 1\n b: 2\n", 2), ("\ta: 1\n", 1)])
def test_parse_errors_carry_a_position(text: str, line: int) -> None:
    with pytest.raises(ParseError) as info:
        parse_documents(text)
    assert info.value.line == line and "invalid YAML" in str(info.value)
