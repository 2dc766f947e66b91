"""Patterns from workflows and templates: translated to ECMAScript, refused when they cannot be a kind's."""

from __future__ import annotations

import pytest

from gitops_writer.init.regex import PatternRefused, checked, from_posix


@pytest.mark.parametrize(
    ("posix", "basic", "ecma"),
    [
        ("^[a-z][a-z0-9-]*$", False, "^[a-z][a-z0-9-]*$"),
        ("^[[:lower:]][[:alnum:]_]*$", False, "^[a-z][a-zA-Z0-9_]*$"),
        (r"^[a-z]\{3,\}$", True, "^[a-z]{3,}$"),
        (r"^\(ab\)+c?$", True, r"^(ab)\+c\?$"),  # basic: escaped are operators, bare are literals
        (r"^[\.]$", False, r"^[\\.]$"),  # a bracket's backslash is a character of its own
        ("^[]a]$", False, r"^[\]a]$"),
    ],
)
def test_posix_expressions_read_as_ecmascript(posix: str, basic: bool, ecma: str) -> None:
    assert from_posix(posix, basic=basic) == ecma


@pytest.mark.parametrize(
    ("posix", "reason"),
    [("^[[:nope:]]$", "not a POSIX class"), (r"\<word\>", "word boundary"), ("^[a-z", "never closed")],
)
def test_what_json_schema_cannot_say_is_refused(posix: str, reason: str) -> None:
    with pytest.raises(PatternRefused, match=reason):
        from_posix(posix)


SAFE = [
    "^[a-z]+[0-9]+[a-z]+$",
    "^\\d+\\d+$",
    "^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "^[a-z]+(\\.[a-z]+)*$",
    "^(small|large)$",
    "(ab?)+",
    "^[a-z]{2,30}$",
    "^(a|b)+$",
]
CATASTROPHIC = [
    "^a*a*a*a*a*$",
    "^\\d+[0-9]*\\w+$",
    "^(a+)+$",
    "^([a-z]+-?)*$",
    "^(\\w+\\s?)+$",
    "(a|aa)+",
    "(.*a){12}",
    "(x+x+)+y",
    "(?=(a+)+)",
]


@pytest.mark.parametrize("pattern", SAFE)
def test_a_pattern_that_splits_its_text_one_way_is_kept(pattern: str) -> None:
    assert checked(pattern) == pattern


@pytest.mark.parametrize("pattern", CATASTROPHIC)
def test_a_repeated_repetition_is_refused_as_catastrophic(pattern: str) -> None:
    with pytest.raises(PatternRefused, match="catastrophic backtracking"):
        checked(pattern)


@pytest.mark.parametrize(
    ("pattern", "reason"),
    [("^(ab$", "not a valid regular expression"), ("a" * 501, "more than the 500"), ("a\nb", "control character")],
)
def test_a_pattern_that_is_no_pattern_is_refused(pattern: str, reason: str) -> None:
    with pytest.raises(PatternRefused, match=reason):
        checked(pattern)
