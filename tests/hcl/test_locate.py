"""locate_item on HCL lists: the same rule as for YAML lists."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import NotFoundError
from gitops_writer.hcl import HclEditor


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ('subnets = ["a", "c", "e"]\n', "c", (1, 2)),
        ('subnets = ["a", "c", "e"]\n', "b", (None, 1)),
        ('subnets = ["a", "c", "e"]\n', "0", (None, 0)),
        ('subnets = ["a", "c", "e"]\n', "z", (None, 3)),
        ('subnets = ["e", "a"]\n', "b", (None, 2)),  # unsorted: the end
        ('subnets = ["a", 2]\n', 2, (1, 2)),  # not all strings: the end
        ("subnets = []\n", "a", (None, 0)),
    ],
)
def test_locate_item(text: str, value: Any, expected: tuple) -> None:
    assert HclEditor().locate_item(text, ["subnets"], value) == expected


def test_no_list_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        HclEditor().locate_item('subnets = "a"\n', ["subnets"], "a")
