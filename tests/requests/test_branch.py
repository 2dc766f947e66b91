from __future__ import annotations

import subprocess

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


@pytest.mark.parametrize("name", ["HEAD", "refs/heads/x", "origin/x", "heads/x", "remotes/origin/x", "Origin/x"])
def test_names_that_read_as_something_else_are_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="reads as HEAD, a full ref or a remote's branch"):
        check_branch(name)


NAMES = ["a", "a/b", "a.b", "a-b", "a_b", "é", "a{b}", "a$b", "a@b", "a#b", "a+b", "1", "a/b.c/d", "a,b"]
NAMES += ["", "a..b", "a@{b", "-a", "/a", "a/", "a.", "a.lock", "a/.b", "a b", "a~b", "a^b", "a:b", "a?b", "a*b"]
NAMES += ["a[b", "a\\b", "a//b", "@", "a\x7fb", "a\tb", ".a", "a/b.lock/c", "a.lock/b"]


@pytest.mark.parametrize("name", NAMES)
def test_what_git_refuses_is_refused(name: str) -> None:
    git = subprocess.run(["git", "check-ref-format", "--branch", name], capture_output=True, check=False)
    try:
        check_branch(name)
    except ValidationError:
        return
    assert git.returncode == 0, f"{name!r}: git refuses it, check_branch accepts it"
