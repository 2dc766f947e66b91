"""gitops_writer.requests.record: the request recorded in a pull request body and a commit, read back."""

from __future__ import annotations

import pytest

from gitops_writer.requests.model import Request
from gitops_writer.requests.record import MARKER, REQUEST_TRAILER, body_records, read_record

RECORD = '{"action":"create","date":"2026-12-07","fields":{"name":"orders"},"kind":"ecr"}'
SPREAD = RECORD.replace(",", ",\n")
REQUEST = Request(kind="ecr", action="create", fields={"name": "orders"}, date="2026-12-07")


@pytest.mark.parametrize(
    "text",
    [
        f"A body.\n\n<!-- {MARKER} {RECORD} -->\n",
        f"Add orders\n\n{REQUEST_TRAILER}: {RECORD}\n",
        f"<!-- {MARKER} {SPREAD} -->",  # spread over lines by a hand edit: still one
    ],
)
def test_a_record_reads_back_from_a_body_or_a_commit(text: str) -> None:
    assert read_record(text) == REQUEST


def test_the_last_readable_record_wins_and_a_broken_one_is_passed_over() -> None:
    other = RECORD.replace("orders", "billing")
    text = f"<!-- {MARKER} {RECORD} -->\n<!-- {MARKER} {other} -->\n<!-- {MARKER} {{not json}} -->"
    assert read_record(text) == Request(kind="ecr", action="create", fields={"name": "billing"}, date="2026-12-07")
    assert body_records(text) == 3


@pytest.mark.parametrize(
    "record",
    [
        '{"action":"delete","fields":{},"kind":"ecr"}',  # not an action
        '{"action":"create","fields":[],"kind":"ecr"}',  # fields not a mapping
        '{"action":"create","fields":{}}',  # no kind
    ],
)
def test_a_record_that_is_not_a_request_is_no_record(record: str) -> None:
    assert read_record(f"<!-- {MARKER} {record} -->") is None


@pytest.mark.parametrize("wrap", [f"<!-- {MARKER} {{}} -->", f"{REQUEST_TRAILER}: {{}}"])
def test_a_record_nested_too_deep_is_no_record(wrap: str) -> None:
    deep = '{"kind":' + "[" * 100_000 + "}"
    assert read_record(wrap.replace("{}", deep)) is None
