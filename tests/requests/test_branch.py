from __future__ import annotations

import pytest

from gitops_writer.errors import ValidationError
from gitops_writer.requests.model import check_branch


@pytest.mark.parametrize("name", ["registry/create-payments-api", "ecr/dev/a.b_c", "x"])
def test_valid(name: str) -> None:
    assert check_branch(name) == name


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a..b",
        "a@{b",
        "-a",
        "/a",
        "a/",
        "a.",
        "a.lock",
        "a/.b",
        "a b",
        "a~b",
        "a^b",
        "a:b",
        "a?b",
        "a*b",
        "a[b",
        "a\\b",
        "a//b",
        "@",
        "a\x00b",
        "a\nb",
    ],
)
def test_rejected(name: str) -> None:
    with pytest.raises(ValidationError, match="not a valid git branch name"):
        check_branch(name)
