from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML

from gitops_writer.values import same_value
from gitops_writer.yaml.scalars import render_number, render_scalar
from tests.backstage_node import yaml_js_load_all

# (value, expected text) — what the house quoting makes of tricky strings
QUOTING = [
    ("plain-word", "plain-word"),
    ("2026-01-05", '"2026-01-05"'),
    ("yes", '"yes"'),
    ("on", '"on"'),
    ("y", '"y"'),
    ("1.0", '"1.0"'),
    ("null", '"null"'),
    ("~", '"~"'),
    ("", '""'),
    ("0o17", '"0o17"'),
    ("017", '"017"'),
    (".inf", '".inf"'),
    ("1:20", '"1:20"'),
    ("<<", '"<<"'),
    ("=", '"="'),
    ("*alias", '"*alias"'),
    ("!tag", '"!tag"'),
    ("- item", '"- item"'),
    ("a: b", '"a: b"'),
    ("a #b", '"a #b"'),
    (" lead", '" lead"'),
    ("trail ", '"trail "'),
    ("...", '"..."'),
    ("tab\there", '"tab\\there"'),
    ("line\nbreak", '"line\\nbreak"'),
    ("bell\x07", '"bell\\x07"'),
    ("ünïcode", "ünïcode"),
    ("resource:default/x", "resource:default/x"),
    ("https://example.com/a?b=c#d", "https://example.com/a?b=c#d"),
]


@pytest.mark.parametrize("value,expected", QUOTING, ids=[repr(q[0]) for q in QUOTING])
def test_quoting(value: str, expected: str) -> None:
    assert render_scalar(value) == expected


@pytest.mark.parametrize(
    "value,expected",
    [
        (Decimal("1.0"), "1.0"),
        (Decimal("1E+5"), "1.0e+5"),
        (1e-7, "0.0000001"),
        (Decimal("1.5E+40"), "1.5e+40"),
        (Decimal("-2.50"), "-2.50"),
        (0.5, "0.5"),
    ],
)
def test_numbers_have_a_dot_and_a_signed_exponent(value: Any, expected: str) -> None:
    assert render_number(value) == expected


def test_every_reader_reads_what_was_written() -> None:
    values: list[Any] = [v for v, _ in QUOTING] + [Decimal("1E+5"), 1e-7, True, None, 42]
    texts = [f"v: {render_scalar(v)}\nf: [{render_scalar(v, flow=True)}]\n" for v in values]
    for value, text, js in zip(values, texts, yaml_js_load_all(texts), strict=False):
        ruamel = YAML(typ="safe", pure=True).load(text)
        pyyaml_data = pyyaml.safe_load(text)
        for reader, data in (("ruamel", ruamel), ("PyYAML", pyyaml_data), ("npm yaml", js[0])):
            assert same_value(data["v"], value), (reader, text)
            assert same_value(data["f"][0], value), (reader, text)


def test_the_quick_string_test_agrees_with_ruamel_resolvers() -> None:
    """Every short plain scalar over the characters that start numbers, nulls and booleans."""
    import itertools

    from ruamel.yaml.nodes import ScalarNode

    from gitops_writer.yaml.scalars import TAG_PREFIX, implicit_tag, resolver

    for length in range(1, 4):
        for letters in itertools.product("./0123456789iInNaAfx-+e_~:E", repeat=length):
            text = "".join(letters)
            for version in ((1, 1), (1, 2)):
                tag = str(resolver(version).resolve(ScalarNode, text, (True, False)))
                assert implicit_tag(text, version) == tag.removeprefix(TAG_PREFIX), (text, version)
