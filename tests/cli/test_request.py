"""cli/request.py: a request's fields from the command line, -f pairs over a fields file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.cli.request import Asked, read_fields
from gitops_writer.errors import UsageError


def test_pairs_win_over_the_fields_file_and_a_repeated_field_is_its_texts(tmp_path: Path) -> None:
    given = tmp_path / "fields.json"
    given.write_text('{"name": "from-file", "capacity": 25, "zones": ["a"]}')

    fields = read_fields(["name=payments-api", "zones=b", "zones=c", "note=a=b"], str(given))

    assert fields == {"name": "payments-api", "capacity": 25, "zones": ("b", "c"), "note": "a=b"}


@pytest.mark.parametrize(
    ("pairs", "text", "message"),
    [
        (["no-equals-sign"], None, "-f 'no-equals-sign': write FIELD=VALUE"),
        ([" =value"], None, "write FIELD=VALUE"),
        ([], "[1, 2]", "must hold a JSON object of fields"),
        ([], "{not json", "not JSON"),
    ],
)
def test_what_is_no_field_is_a_usage_error(tmp_path: Path, pairs: list[str], text: str | None, message: str) -> None:
    given = None
    if text is not None:
        (tmp_path / "fields.json").write_text(text)
        given = str(tmp_path / "fields.json")
    with pytest.raises(UsageError, match=message):
        read_fields(pairs, given)


def test_a_fields_file_that_is_no_regular_file_is_refused_by_its_option() -> None:
    with pytest.raises(UsageError, match="--fields-file /dev/zero"):
        read_fields([], "/dev/zero")


def test_what_was_asked_becomes_a_request_of_either_action() -> None:
    asked = Asked("ecr", {"name": "payments-api"}, "2026-12-07")
    assert (asked.request("remove").action, asked.request("create").fields) == ("remove", {"name": "payments-api"})
