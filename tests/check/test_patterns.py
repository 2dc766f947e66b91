"""check/patterns.py: a kind's templates read backwards, to find what its placeholders stand for."""

from __future__ import annotations

import pytest

from gitops_writer.check.patterns import leaves_with, literal, matched, partial_fill, placeholders, template_regex


def test_placeholders_are_the_names_in_braces_and_doubled_braces_are_none() -> None:
    assert placeholders("{a}/{{b}}/{c}") == ("a", "c")


@pytest.mark.parametrize(
    ("template", "segment", "text", "name"),
    [
        ("envs/{environment}/{name}.yaml", True, "envs/dev/payments-api.yaml", "payments-api"),
        ("envs/{environment}/{name}.yaml", True, "envs/dev/sub/payments-api.yaml", None),  # one segment only
        ("catalog/{name}", False, "catalog/a/b", "a/b"),  # anywhere else, '/' too
        ("{name}.{name}", False, "a.a", "a"),  # the same placeholder twice: the same text twice
        ("{name}.{name}", False, "a.b", None),
        ("{{name}}/{name}", False, "{name}/x", "x"),  # doubled braces are literal braces
    ],
)
def test_a_template_matches_what_it_fills_to(template: str, segment: bool, text: str, name: str | None) -> None:
    match = template_regex(template, segment=segment).fullmatch(text)
    assert (matched(match, "name") if match else None) == name


def test_a_known_placeholder_matches_its_value_literally() -> None:
    pattern = template_regex("{environment}/{name}", {"environment": "a.b"})
    assert pattern.fullmatch("a.b/x") and not pattern.fullmatch("axb/x")


def test_a_placeholder_the_template_does_not_name_is_not_matched() -> None:
    match = template_regex("{name}").fullmatch("x")
    assert match is not None and matched(match, "environment") is None


def test_leaves_with_a_placeholder_are_found_with_their_pointer_tokens() -> None:
    value = {"a": ["in {environment}", "plain"], "b": {"c": "{environment}"}, "d": 3}
    assert list(leaves_with(value, "environment")) == [(("a", "0"), "in {environment}"), (("b", "c"), "{environment}")]


def test_partial_fill_fills_what_is_known_and_leaves_the_rest_as_written() -> None:
    assert partial_fill("{{x}} {name} {environment}", {"name": "n"}) == "{{x}} n {environment}"
    assert literal("{{x}}/a") == "{x}/a"
