"""RFC 6901 JSON Pointers: the escapes, in the order the RFC gives them."""

from __future__ import annotations

import pytest

from gitops_writer.errors import UsageError
from gitops_writer.pointer import format_pointer, parse_index, parse_pointer


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
