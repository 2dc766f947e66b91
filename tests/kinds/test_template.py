"""The placeholder engine: types kept, literal braces, optional fields left out, environments repeated."""

from __future__ import annotations

import pytest

from gitops_writer.errors import ValidationError
from gitops_writer.kinds import fill, placeholders
from gitops_writer.kinds.template import fill_path, fill_pointer, path_problem
from gitops_writer.pointer import parse_pointer


def test_literal_braces() -> None:
    assert fill("{{name}} is {name}", {"name": "x"}) == "{name} is x"
    assert placeholders("{{a}} {b} }}{c}{{") == ["b", "c"]


def test_a_whole_placeholder_keeps_its_type() -> None:
    values = {"capacity": 25, "pitr": False, "name": "a", "ratio": 0.5}
    assert fill({"c": "{capacity}", "p": "{pitr}", "r": "{ratio}"}, values) == {"c": 25, "p": False, "r": 0.5}
    assert fill("{name}-{capacity}-{pitr}", values) == "a-25-false"
    assert fill({"k-{name}": ["{name}", 1, None]}, values) == {"k-a": ["a", 1, None]}


def test_fields_not_given_are_left_out() -> None:
    values = {"days": None, "other": None, "name": "a"}
    assert fill({"name": "{name}", "days": "{days}"}, values) == {"name": "a"}
    assert fill({"name": "{name}", "lifecycle": {"days": "{days}", "x": "{other}"}}, values) == {"name": "a"}
    assert fill("days: {days}", values) == "days: "


def test_a_list_item_with_environments_repeats() -> None:
    values = {"environments": ["dev", "prod"], "risk": "low"}
    assert fill(["env-{environments}", "risk-{risk}"], values) == ["env-dev", "env-prod", "risk-low"]
    assert fill({"environments": "{environments}"}, values) == {"environments": ["dev", "prod"]}


POINTER_VALUES = ["a/b", "~1", "a~", "~0~1/", "/", "..", "", "é/ü", "a b", "-", "0"]


@pytest.mark.parametrize("value", POINTER_VALUES)
def test_a_value_fills_exactly_one_pointer_token(value: str) -> None:
    pointer = fill_pointer("/teams/{team}/x-{team}", {"team": value})
    assert parse_pointer(pointer) == ("teams", value, f"x-{value}")


@pytest.mark.parametrize(
    "value",
    [".github/workflows", "a/b", ".", "..", " a", "a ", "~", "~root", "a~b", "a\\b", "a\nb", "a\x00b", "a\u2028b"],
)
def test_a_path_value_stays_within_one_segment(value: str) -> None:
    with pytest.raises(ValidationError) as refused:
        fill_path("{team}/{name}.yaml", {"team": value, "name": "x"})
    assert refused.value.field == "team" and "cannot be part of a file name" in str(refused.value)


@pytest.mark.parametrize(
    ("team", "name"),
    [(".git", "config"), (".GIT", "x"), (".github", "x"), (".GitHub", "x"), ("ok", "x/../../y"), ("", "x")],
)
def test_a_path_cannot_name_git_or_github_or_leave_the_tree(team: str, name: str) -> None:
    with pytest.raises(ValidationError):
        fill_path("{team}/{name}.yaml", {"team": team, "name": name})


@pytest.mark.parametrize(
    "path",
    [".git /x.yaml", ".git./x.yaml", ".git. ./x.yaml", "a/.github/x.yaml", ".github/x.yaml", "/a.yaml", "a//b.yaml"],
)
def test_paths_no_request_may_write(path: str) -> None:
    assert path_problem(path) is not None
    with pytest.raises(ValidationError):
        fill_path(path, {})


def test_a_path_is_normalised_and_a_fine_value_kept() -> None:
    assert fill_path("./envs/./{env}/{name}.yaml", {"env": "dev", "name": "a.b-c_d"}) == "envs/dev/a.b-c_d.yaml"
    assert fill_path("{name}.gitignore.yaml", {"name": ".git-x"}) == ".git-x.gitignore.yaml"
