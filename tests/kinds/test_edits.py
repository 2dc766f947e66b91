"""kinds/edits.py: one edit of a kind checked into an EditTemplate, or refused with where and why."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.edits import checked_edit

KNOWN = ("name", "environment", "environments", "size")


def _edit(**data: Any) -> dict[str, Any]:
    return {"kind": "entry", "path": "envs/{environment}/a.yaml", "pointer": "/items/{name}", "value": "{size}", **data}


def test_an_entry_keeps_its_settings_and_gets_an_id_by_position() -> None:
    edit = checked_edit(_edit(keep=["owner"], stamp="/last_updated"), "e", 1, KNOWN)
    assert (edit.id, edit.edit_type, edit.path, edit.pointer, edit.value) == (
        "edit-2",
        "entry",
        "envs/{environment}/a.yaml",
        "/items/{name}",
        "{size}",
    )
    assert edit.keep == ("owner",) and edit.stamp == "/last_updated" and edit.per_environment


def test_a_file_edit_has_no_pointer_and_may_start_with_a_header() -> None:
    edit = checked_edit(
        {"kind": "file", "path": "./docs/{name}.yaml", "value": {"name": "{name}"}, "header": "# made\n---"},
        "e",
        0,
        KNOWN,
    )
    assert edit.path == "docs/{name}.yaml" and edit.pointer == "" and edit.header == "# made\n---\n"


def test_a_value_becomes_json_data_with_known_placeholders() -> None:
    value = {"name": "{name}", "sizes": [1, 2.5, True, None], "envs": ["{environments}"]}
    assert checked_edit(_edit(value=value), "e", 0, KNOWN).value == value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (["not", "a mapping"], r"^e: must be a mapping$"),
        (_edit(colour="red"), r"^e: unknown setting 'colour'"),
        (_edit(kind="patch"), r"^e\.kind: must be one of entry, file, item$"),
        ({"kind": "entry", "path": "a.yaml", "pointer": "/a"}, r"^e\.value: is required$"),
        (_edit(pointer="items"), r"^e\.pointer: a JSON pointer such as /map/\{name\} is required$"),
        (_edit(value={"a": {"b": "{nope}"}}), r"^e\.value\.a\.b: unknown placeholder \{nope\}"),
        (_edit(value={1: "x"}), r"^e\.value: a key: must be a non-empty string$"),
        (_edit(value=[{"a": "{environments}"}]), r"^e\.value\[0\]: \{environments\} repeats a string item, not dict$"),
        (_edit(value={"when": b"bytes"}), r"^e\.value\.when: unsupported value b'bytes'$"),
        (_edit(document=-1), r"^e\.document: must be a document index"),
        (_edit(path="a.tfvars", document=1), r"^e\.document: only a YAML file has several documents"),
        (_edit(path="a.txt"), r"^e\.path: must end with one of"),
        (_edit(path="../a.yaml"), r"^e\.path: '\.\./a\.yaml' is not a path inside the repository$"),
        (_edit(path=".github/workflows/{name}.yaml"), r"^e\.path: .*holds workflows"),
        (_edit(stamp="last_updated"), r"^e\.stamp: must be a JSON pointer to a date field"),
        (_edit(header="# a"), r"^e\.header: only a file edit starts a file$"),
        ({"kind": "file", "path": "a.yaml", "value": {}, "header": "key: 1"}, r"^e\.header: may hold only comments"),
    ],
)
def test_a_mistake_is_one_line_naming_the_setting(data: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        checked_edit(data, "e", 0, KNOWN)
