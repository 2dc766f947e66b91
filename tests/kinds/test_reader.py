"""kinds/reader.py: a config file is read confined to its repository, as a regular file, and its YAML refused at the
first anchor, alias or deep nesting, before anything is built."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import load_config


def test_explicit_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.yaml: no such file"):
        load_config(tmp_path, tmp_path / "missing.yaml")


def test_a_config_linked_out_of_the_repository_is_never_read(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("requests:\n  ecr:\n    title: secret title\n")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo/.gitops-writer.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(ConfigError, match="resolves outside the repository") as info:
        load_config(tmp_path / "repo")
    assert "secret" not in str(info.value)
    explicit = load_config(tmp_path / "repo", tmp_path / "repo/.gitops-writer.yaml")  # the operator's own choice
    assert explicit.requests["ecr"].title == "secret title"


def test_a_config_linked_inside_the_repository_is_read(tmp_path: Path) -> None:
    (tmp_path / "layout.yaml").write_text("requests:\n  ecr:\n    title: Linked\n")
    (tmp_path / ".gitops-writer.yaml").symlink_to("layout.yaml")
    assert load_config(tmp_path).requests["ecr"].title == "Linked"


@pytest.mark.parametrize("make", ["fifo", "device"])
def test_a_config_that_is_no_regular_file_is_refused_without_blocking(tmp_path: Path, make: str) -> None:
    if make == "fifo":
        os.mkfifo(tmp_path / ".gitops-writer.yaml")
    else:
        (tmp_path / ".gitops-writer.yaml").symlink_to("/dev/zero")
    with pytest.raises(ConfigError, match="is not a regular file|resolves outside"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="is not a regular file"):
        load_config(tmp_path, Path("/dev/zero"))


def test_a_config_nested_too_deeply_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text("requests: " + "[" * 100_000 + "\n")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(tmp_path)


def test_yaml_anchors_and_aliases_are_refused_before_anything_is_built(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    (tmp_path / ".gitops-writer.yaml").write_text("\n".join(lines) + "\n")
    started = time.monotonic()
    with pytest.raises(ConfigError, match="line 1: YAML anchors and aliases"):
        load_config(tmp_path)
    (tmp_path / ".gitops-writer.yaml").write_text("environments: [dev]\nlabels: [x]\nbase_branch: *b\n")
    with pytest.raises(ConfigError, match=r"line 3, column 14: alias \*b has no anchor before it$"):
        load_config(tmp_path)
    (tmp_path / ".gitops-writer.yaml").write_text("environments: [dev]\nlabels: &b [x]\nbase_branch: *b\n")
    with pytest.raises(ConfigError, match="line 2: YAML anchors and aliases"):
        load_config(tmp_path)
    (tmp_path / ".gitops-writer.yaml").write_text("requests: {ecr: {title: " + "[" * 100_000 + "]" * 100_000 + "}}\n")
    with pytest.raises(ConfigError, match="nested (more than 64 levels deep|too deeply)"):
        load_config(tmp_path)
    assert time.monotonic() - started < 2


def test_text_is_read_as_settings_or_refused_with_its_line() -> None:
    from gitops_writer.kinds.reader import parse_settings

    assert parse_settings("a: [1, 2]\n", "c") == {"a": [1, 2]}
    read = parse_settings("a: 1.0\nb: 1.5\nc: '2024-01-01'\nd: 0x10\ne: ~\nf: yes\n", "c")
    assert read == {"a": 1, "b": 1.5, "c": "2024-01-01", "d": 16, "e": None, "f": "yes"}
    assert [type(read[key]) for key in "ab"] == [int, float]
    with pytest.raises(ConfigError, match=r"^c: line 2: '2024-01-01' reads as a timestamp; quote it if it is text$"):
        parse_settings("a: 1\nb: 2024-01-01\n", "c")
    with pytest.raises(ConfigError, match=r"^c: line 3: 'a' is set twice$"):
        parse_settings("a: 1\nb: 2\na: 3\n", "c")
    with pytest.raises(ConfigError, match=r"^c: line 3: a config is one YAML document$"):
        parse_settings("a: 1\n---\nb: 2\n", "c")
    assert parse_settings("", "c") == {} and parse_settings("# nothing\n", "c") == {}
    with pytest.raises(ConfigError, match=r"^c: the top level must be a mapping$"):
        parse_settings("- a\n", "c")
    with pytest.raises(
        ConfigError, match=r"^c: not valid YAML at line 2, column 1: did not find expected node content$"
    ):
        parse_settings("a: [1,\n", "c")
    with pytest.raises(
        ConfigError, match=r"end of stream \(while scanning a quoted scalar that starts at line 1, column 4\)$"
    ):
        parse_settings('a: "open\nb: 1\n', "c")
