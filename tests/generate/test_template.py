"""generate/template.py: a kind's Backstage template, field by field and as a whole document."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from gitops_writer.errors import UsageError
from gitops_writer.generate.template import (
    branch_filter,
    check_repository,
    parameter,
    render_template,
    sent,
    template_data,
    workflow_file,
)
from gitops_writer.kinds import RequestKind, load_config


@pytest.fixture
def ecr(tmp_path: Path) -> RequestKind:
    return load_config(tmp_path).requests["ecr"]


@pytest.mark.parametrize("repository", ["owner", "a/b/c", "-a/b", "a/b.git", "a/.", "a b/c"])
def test_a_repository_is_owner_slash_name(repository: str) -> None:
    with pytest.raises(UsageError, match="is not OWNER/NAME"):
        check_repository(repository)
    assert check_repository("acme/gitops") == ("acme", "gitops")


def test_a_field_becomes_a_form_parameter(ecr: RequestKind) -> None:
    name = parameter(ecr, "name", ecr.properties["name"])
    assert name["type"] == "string" and str(name["pattern"]).startswith("(?=^[a-z][a-z0-9-]*$)")  # its allOf, as one
    assert isinstance(name["maxLength"], int) and name["maxLength"] < 63  # the entity name's room, not only the field's
    owner = parameter(ecr, "owner", ecr.properties["owner"])
    assert owner["ui:field"] == "OwnerPicker" and "pattern" not in owner


def test_what_the_dispatch_sends_for_each_input(ecr: RequestKind) -> None:
    assert sent(ecr, "registry_name", "name", "main") == "${{ parameters.name }}"
    assert sent(ecr, "owner", "owner", "main") == "${{ parameters.owner | parseEntityRef | pick('name') }}"
    assert sent(ecr, "requester", "requester", "main") == "${{ user.ref | parseEntityRef | pick('name') }}"
    assert sent(ecr, "base_branch", None, "main") == "main"


def test_an_optional_owner_picker_left_empty_sends_nothing_rather_than_parsing_no_ref(ecr: RequestKind) -> None:
    optional = dataclasses.replace(ecr, fields={**ecr.fields, "required": ["name", "environment"]})
    picked = "parameters.owner | parseEntityRef | pick('name')"
    assert sent(optional, "owner", "owner", "main") == f"${{{{ {picked} if parameters.owner else '' }}}}"
    assert f"owner: ({picked} if parameters.owner else '')" in sent(optional, "payload", None, "main")
    assert sent(optional, "domain", "domain", "main") == '${{ parameters.domain | default("") }}'


def test_the_pull_request_link_filters_by_a_branch_of_form_fields(ecr: RequestKind) -> None:
    assert branch_filter(ecr, set(ecr.properties)) is not None
    assert branch_filter(ecr, set()) is None
    assert workflow_file(ecr) == "create-ecr-registry.yml"
    braces = dataclasses.replace(ecr, branch="req/{{x}}-{name}")  # `{{x}}` is literal text, not a field
    assert branch_filter(braces, {"name"}) == "req%2F%7Bx%7D-${{ parameters.name }}"


def test_the_template_is_a_scaffolder_template_asking_for_every_field_but_the_requester(ecr: RequestKind) -> None:
    data = template_data(ecr, "acme/gitops", "main")
    assert yaml.safe_load(render_template(ecr, "acme/gitops", "main")) == data
    spec = data["spec"]
    assert isinstance(spec, dict)
    (page,) = spec["parameters"]
    assert isinstance(page, dict) and isinstance(page["properties"], dict)
    assert set(page["properties"]) == set(ecr.properties) - {"requester"}
    assert page["properties"]["name"]["ui:autofocus"] is True
