"""gitops_writer.yaml.decode: node trees to values, the way a YAML reader of the document's version sees them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_writer.errors import UnsupportedError
from gitops_writer.yaml.decode import to_value
from gitops_writer.yaml.scalars import YAML_1_1, Opaque, YamlValue
from gitops_writer.yaml.trees import parse_documents


def read(text: str, version: tuple[int, int] | None = None) -> YamlValue:
    document = parse_documents(text)[0]
    return to_value(document.root, document, version)


@pytest.mark.parametrize(
    ("text", "value", "as_1_1"),
    [
        ("a: yes\n", {"a": "yes"}, {"a": True}),
        ("a: 010\n", {"a": 10}, {"a": 8}),
        ("a: 1.50\n", {"a": Decimal("1.50")}, {"a": Decimal("1.50")}),
        ("a: '1'\n", {"a": "1"}, {"a": "1"}),
        ("a: ~\n", {"a": None}, {"a": None}),
        ("a: .nan\n", {"a": Opaque("float", ".nan")}, {"a": Opaque("float", ".nan")}),
        ("a: !custom x\n", {"a": Opaque("!custom", "x")}, {"a": Opaque("!custom", "x")}),
    ],
)
def test_scalars_read_as_the_version_says(text: str, value: YamlValue, as_1_1: YamlValue) -> None:
    assert read(text) == value
    assert read(text, YAML_1_1) == as_1_1


def test_a_merge_key_gives_way_to_the_mapping_own_keys() -> None:
    text = "d: &d {a: 1, b: 2}\nm:\n  <<: *d\n  b: 3\n"
    assert read(text) == {"d": {"a": 1, "b": 2}, "m": {"a": 1, "b": 3}}


def test_aliases_that_expand_without_end_are_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(UnsupportedError, match="expand to more than"):
        read("\n".join(lines) + "\n")
