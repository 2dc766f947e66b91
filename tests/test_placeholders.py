"""gitops_writer.placeholders: the one grammar of `{name}`, `{{`/`}}` and `{seq:N}`."""

from __future__ import annotations

import re

import pytest

from gitops_writer.placeholders import Placeholder, escape, exact, fill, names, parse, regex, sequence_width


@pytest.mark.parametrize(
    ("template", "pieces"),
    [
        ("", ()),
        ("plain", ("plain",)),
        ("{name}", (Placeholder("name"),)),
        ("app-{name}-{environment}", ("app-", Placeholder("name"), "-", Placeholder("environment"))),
        ("{{literal}}", ("{literal}",)),
        ("{{{name}}}", ("{", Placeholder("name"), "}")),  # left to right: `{{`, `{name}`, `}}`
        ("a } b {", ("a } b {",)),  # a lone brace is itself
        ("S3-{seq:4}", ("S3-", Placeholder("seq:4"))),
    ],
)
def test_a_template_reads_left_to_right(template: str, pieces: tuple[object, ...]) -> None:
    assert parse(template) == pieces


def test_names_exact_and_fill_agree_with_the_pieces() -> None:
    assert names("{a}-{{b}}-{c}") == ["a", "c"]
    assert exact("{a}") == "a"
    assert exact("{a}{b}") is None
    assert exact("{{a}}") is None
    assert fill("{{x}} {a}/{b}", str.upper) == "{x} A/B"


def test_a_regex_matches_what_the_template_fills_to() -> None:
    template = "r.{name}+{{x}}"
    pattern = regex(template, lambda name: f"(?P<{name}>[a-z]+)")
    filled = fill(template, lambda name: "orders")
    assert filled == "r.orders+{x}"
    match = re.fullmatch(pattern, filled)
    assert match is not None and match["name"] == "orders"
    assert re.fullmatch(pattern, "rXorders+{x}") is None  # the literal dot is escaped


@pytest.mark.parametrize(
    ("template", "width"), [("S3-{seq:4}", 4), ("{name}-{seq:1}", 1), ("{seq:0}", None), ("x", None)]
)
def test_the_sequence_width(template: str, width: int | None) -> None:
    assert sequence_width(template) == width


@pytest.mark.parametrize("text", ["plain", "a{b}c", "{{", "}x{", "{name}"])
def test_escaped_text_reads_back_as_itself(text: str) -> None:
    assert parse(escape(text)) == ((text,) if text else ())
