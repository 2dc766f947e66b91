from __future__ import annotations

import time

import pytest

from gitops_writer.errors import ParseError, UnsupportedError
from gitops_writer.yaml.decode import to_value
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
                out.append((node.node_type, node.start, node.end))
                if node.node_type == MAPPING:
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


@pytest.mark.parametrize(
    "text",
    ["a: " + "[" * 100_000, "a: " + "{b: " * 50_000, "- " * 100_000 + "x\n"],
    ids=["flow-sequences", "flow-mappings", "block-sequences"],
)
def test_nesting_too_deep_is_refused_before_any_parser_sees_it(text: str) -> None:
    started = time.monotonic()
    for pure in (False, True):
        with pytest.raises(ParseError, match="nested too deeply") as info:
            parse_documents(text, pure=pure)
        assert info.value.line == 1
    # 0.3 s alone, 3 s on a loaded machine; unguarded, ruamel spends 13 s on 40,000 levels
    assert time.monotonic() - started < 10, "a 100,000-deep file is quadratic in the C parser"


@pytest.mark.timeout(60)  # without the cap the bomb expands to 10^11 values: a hang, failed here
def test_an_alias_bomb_is_refused_when_its_value_is_built() -> None:
    bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 11)
    )
    document = parse_documents(bomb)[0]
    started = time.monotonic()
    with pytest.raises(UnsupportedError, match="aliases expand to more than"):
        to_value(document.root, document)
    assert time.monotonic() - started < 10
    merged = parse_documents("base: &b {x: 1}\n" + "".join(f"e{i}: {{<<: *b, y: {i}}}\n" for i in range(5_000)))[0]
    assert to_value(merged.root, merged)["e4999"] == {"x": 1, "y": 4999}, "ordinary merge keys stay well within"
