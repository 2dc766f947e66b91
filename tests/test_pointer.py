"""RFC 6901 JSON Pointers: the escapes, in the order the RFC gives them."""

from __future__ import annotations

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.pointer import Change, changed, format_pointer, parse_index, parse_pointer


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", ()),
        ("/", ("",)),
        ("/a/b", ("a", "b")),
        ("/a~1b", ("a/b",)),
        ("/m~0n", ("m~n",)),
        ("/a~01", ("a~1",)),  # ~1 is unescaped first: ~01 is `~1`, not `/`
        ("/a~10", ("a/0",)),
        ("/~0~1~01", ("~/~1",)),
    ],
)
def test_parse_and_format_round_trip(text: str, tokens: tuple[str, ...]) -> None:
    assert parse_pointer(text) == tokens
    assert format_pointer(tokens) == text


@pytest.mark.parametrize("text", ["a", "/a~", "/a~2", "/~x"])
def test_malformed_pointers(text: str) -> None:
    with pytest.raises(UsageError, match="invalid JSON pointer"):
        parse_pointer(text)


@pytest.mark.parametrize("token", ["01", "-1", "1.0", "١", " 1"])
def test_malformed_indexes(token: str) -> None:
    with pytest.raises(UsageError, match="invalid list index"):
        parse_index(token, 3, allow_append=True, where="/l")


def test_append_token() -> None:
    assert parse_index("-", 3, allow_append=True, where="/l") == 3
    with pytest.raises(UsageError, match="append"):
        parse_index("-", 3, allow_append=False, where="/l")


@pytest.mark.parametrize(
    ("tokens", "value", "change", "expected"),
    [
        (["a", "b"], 2, "set", {"a": {"b": 2}, "l": [1, 2]}),
        (["n", "m"], 3, "set", {"a": {"b": 1}, "l": [1, 2], "n": {"m": 3}}),  # missing parents are made
        (["l", "2"], 3, "set", {"a": {"b": 1}, "l": [1, 2, 3]}),  # one past the end appends
        (["l", "0"], 0, "insert", {"a": {"b": 1}, "l": [0, 1, 2]}),
        (["l", "1"], None, "remove", {"a": {"b": 1}, "l": [1]}),
        (["a"], None, "remove", {"l": [1, 2]}),
        ([], 5, "set", 5),
    ],
)
def test_changed_is_the_data_an_edit_intends(
    tokens: list[str], value: object, change: Change, expected: object
) -> None:
    assert changed({"a": {"b": 1}, "l": [1, 2]}, tokens, value, change) == expected
