"""kinds/setting.py: the checks of one setting's value, each naming where the setting is when it refuses it."""

from __future__ import annotations

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.setting import (
    branch,
    check_placeholders,
    generated_text,
    generated_texts,
    mapping,
    string,
    strings,
)


def test_a_mapping_holds_only_the_known_keys() -> None:
    assert mapping({"a": 1}, "x", frozenset({"a", "b"})) == {"a": 1}
    with pytest.raises(ConfigError, match=r"^x: unknown setting 'c' \(known: a, b\)$"):
        mapping({"a": 1, "c": 2}, "x", frozenset({"a", "b"}))
    with pytest.raises(ConfigError, match=r"^x: must map names to texts$"):
        mapping(["a"], "x", must="map names to texts")


@pytest.mark.parametrize("value", [None, 1, "", ["a"]])
def test_a_string_is_a_non_empty_text(value: object) -> None:
    with pytest.raises(ConfigError, match=r"^x: must be a non-empty string$"):
        string(value, "x")
    assert string("", "x", empty=True) == ""


@pytest.mark.parametrize("value", ["a", ["a", ""], ["a", 1], None])
def test_strings_are_a_list_of_non_empty_texts(value: object) -> None:
    with pytest.raises(ConfigError, match=r"^x: must be a list of strings$"):
        strings(value, "x")
    assert strings(["a", "b"], "x") == ("a", "b")


def test_a_placeholder_must_be_known_and_environments_only_where_a_list_fits() -> None:
    check_placeholders("{name}-{environment}", "x", ("name", "environment"))
    with pytest.raises(ConfigError, match=r"^x: unknown placeholder \{nmae\} \(known: name\)$"):
        check_placeholders("{nmae}", "x", ("name",))
    with pytest.raises(ConfigError, match=r"\{environments\} is a list"):
        check_placeholders("{environments}", "x", ("environments",))
    check_placeholders("{environments}", "x", ("environments",), environments_allowed=True)


@pytest.mark.parametrize("text", ["a\nb", "a\u2028b", "${{ github.token }}", "a }} b", "tab\there"])
def test_text_a_generated_file_would_read_as_code_is_refused(text: str) -> None:
    with pytest.raises(ConfigError, match="^x: holds a line break or another control character"):
        generated_text(text, "x")


def test_every_text_of_a_setting_is_checked_keys_included() -> None:
    value = {"ok": ["fine", {"deep": "too"}]}
    assert generated_texts(value, "x") is value
    with pytest.raises(ConfigError, match=r"^x\.ok\[1\]\.deep: holds"):
        generated_texts({"ok": ["fine", {"deep": "a\nb"}]}, "x")
    with pytest.raises(ConfigError, match=r"^x: holds"):
        generated_texts({"a\nb": 1}, "x")


def test_a_branch_is_a_git_branch_name() -> None:
    assert branch("main", "x") == "main"
    with pytest.raises(ConfigError, match=r"^x: 'a b' is not a valid git branch name"):
        branch("a b", "x")
