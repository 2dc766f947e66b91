"""Reading untrusted files: regular files only, never blocking, never through a final link, bounded."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from gitops_writer.errors import GitopsWriterError
from gitops_writer.repo import reading
from gitops_writer.repo.reading import (
    MAX_NESTING,
    TooDeep,
    loads_json,
    read_bytes,
    read_text,
    refuse_deep_hcl,
    refuse_deep_yaml,
)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        pytest.param(lambda p: os.mkfifo(p), "is not a regular file", id="fifo"),
        pytest.param(lambda p: p.symlink_to("/dev/zero"), "is a symlink", id="link-to-device"),
        pytest.param(lambda p: p.mkdir(), "is a directory", id="directory"),
        pytest.param(lambda p: None, "no such file", id="missing"),
    ],
)
def test_only_a_regular_file_is_read(tmp_path: Path, make: object, says: str) -> None:
    path = tmp_path / "file.yaml"
    make(path)  # type: ignore[operator]
    started = time.monotonic()
    with pytest.raises(GitopsWriterError, match=f"^shown: {says}"):
        read_bytes(path, "shown")
    assert time.monotonic() - started < 5, "a FIFO with no writer never blocks the read"


def test_a_device_the_operator_names_is_refused_too(tmp_path: Path) -> None:
    (tmp_path / "zero").symlink_to("/dev/zero")
    with pytest.raises(GitopsWriterError, match="not a regular file"):
        read_bytes(Path("/dev/zero"), follow=True)
    with pytest.raises(GitopsWriterError, match="not a regular file"):
        read_bytes(tmp_path / "zero", follow=True)


def test_a_link_is_followed_only_when_asked(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("{}")
    (tmp_path / "link.json").symlink_to(tmp_path / "real.json")
    assert read_text(tmp_path / "link.json", follow=True) == "{}"
    with pytest.raises(GitopsWriterError, match="symlink"):
        read_text(tmp_path / "link.json")


def test_a_file_larger_than_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "LIMIT", 10)
    (tmp_path / "ten").write_bytes(b"x" * 10)
    (tmp_path / "eleven").write_bytes(b"x" * 11)
    assert read_bytes(tmp_path / "ten") == b"x" * 10
    with pytest.raises(GitopsWriterError, match="larger than"):
        read_bytes(tmp_path / "eleven")


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "{" * (MAX_NESTING + 1),
        '{"a": ' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1),
        "[" * 999 + "]" * 999,  # within the limit, deeper than the interpreter's own recursion allows
    ],
    ids=["100k", "limit-plus-one", "objects", "recursion-limit"],
)
def test_json_nested_too_deep_is_a_value_error(text: str) -> None:
    with pytest.raises(TooDeep):
        loads_json(text)


def test_json_nested_too_deep_after_many_shallow_brackets_is_refused_on_its_line() -> None:
    shallow = '{"a": [' + ",".join(["[1]"] * 5_000) + "],\n"
    with pytest.raises(TooDeep) as info:
        loads_json(shallow + '"b": ' + "[" * MAX_NESTING + "]" * MAX_NESTING + "}")
    assert info.value.line == 2
    assert loads_json(shallow + '"b": [[]]}')["b"] == [[]]


def test_json_string_holding_an_escaped_line_break_hides_no_brackets() -> None:
    with pytest.raises(TooDeep):
        loads_json('["a\\\n", ' + "[" * MAX_NESTING + ' "]" ' + "]" * MAX_NESTING + "]")


def test_hcl_depth_counts_from_zero_after_unmatched_closings() -> None:
    with pytest.raises(TooDeep):
        refuse_deep_hcl(b")]}" * 2_000 + b"\nx = " + b"[" * (MAX_NESTING + 1))
    refuse_deep_hcl(b"x = {" + b"a = [1, (2)]\n" * 5_000 + b"}\n")


def test_json_brackets_inside_strings_do_not_count() -> None:
    text = '{"a": "' + "[" * 5_000 + '\\"' + "[" * 5_000 + '"}'
    assert loads_json(text) == {"a": "[" * 5_000 + '"' + "[" * 5_000}, "an escaped quote does not end the string"


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000,
        "a: " + "{b: " * (MAX_NESTING + 1),
        "- " * (MAX_NESTING + 1) + "x\n",
        "? " * (MAX_NESTING + 1) + "x\n",
        "a:\n" + "  [\n" * (MAX_NESTING // 2) + " " * (MAX_NESTING // 2 + 1) + "[\n",
    ],
    ids=["flow-100k", "flow-mappings", "block-sequences", "complex-keys", "indented-flow"],
)
def test_yaml_nested_too_deep_is_refused_before_parsing(text: str) -> None:
    started = time.monotonic()
    with pytest.raises(TooDeep):
        refuse_deep_yaml(text)
    assert time.monotonic() - started < 1


def test_yaml_within_the_limit_passes() -> None:
    refuse_deep_yaml("a: [1, [2, {b: c}]]\n" * 100_000)
    refuse_deep_yaml("- " * (MAX_NESTING - 1) + "x\n")
    refuse_deep_yaml("a: " + "[" * MAX_NESTING + "]" * MAX_NESTING + "\n" + "b: " + "[" * 10 + "]" * 10)
