"""Request validation: every rule names its field, and every rejected request changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.errors import ValidationError
from gitops_writer.kinds import load_config
from gitops_writer.requests.model import Request, validate
from tests.requests.conftest import ECR_FIELDS


def ecr(**fields: object) -> Request:
    return Request(kind="ecr", action="create", fields=fields, date="2026-11-29")


def test_values_of_a_valid_request() -> None:
    valid = validate(ecr(**ECR_FIELDS), load_config(Path("/nonexistent")))
    assert valid.values["id"] == "REGISTRY_PAYMENTS_API"
    assert valid.values["name_id"] == "PAYMENTS_API"
    assert valid.fields == ECR_FIELDS
    with pytest.raises(TypeError):
        valid.fields["name"] = "x"  # type: ignore[index]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "name: is required"),  # an empty value is a field not given
        ("name", "a", "name: must be at least 2 characters long"),
        ("name", "a", "at least 2"),
        ("name", "Payments", "lower-case letter"),
        ("name", "1app", "lower-case letter"),
        ("name", "app_name", "lower-case letter"),
        ("name", "app.name", "lower-case letter"),
        ("name", "app-", "AWS ECR naming"),
        ("name", "a--b", "AWS ECR naming"),
        ("name", "a" * 60, "at most 59"),
        ("name", "app\n", "lower-case letter"),
        ("name", "ａpp", "lower-case letter"),
        ("name", "../etc", "lower-case letter"),
        ("name", "$(id)", "lower-case letter"),
        ("name", "-rf", "lower-case letter"),
        ("environment", "qa", "environment: must be one of dev, test, staging, prod"),
        ("environment", "dev/../prod", "environment: must be one of"),
        ("owner", "-team", "owner: must be a Backstage entity name"),
        ("owner", "team-", "owner: must be a Backstage entity name"),
        ("owner", "t" * 64, "owner: must be at most 63"),
        ("owner", "@org/team", "owner: must be a Backstage entity name"),
        ("owner", "team a", "owner: must be a Backstage entity name"),
        ("requester", "", "requester: is required"),
        ("requester", "j doe", "requester: must be a Backstage entity name"),
        ("requester", "`id`", "requester: must be a Backstage entity name"),
        ("requester", "amelia.park\n", "requester: must be a Backstage entity name"),
        ("domain", "Payments", "domain: must start"),
        ("domain", "pay ments", "domain: must start"),
        ("risk", "extreme", "risk: must be one of low, medium, high"),
        ("risk", "", "risk: is required"),
        ("risk", 1, "risk: must be a string"),
    ],
)
def test_rejected(field: str, value: object, message: str) -> None:
    with pytest.raises(
        ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")
    ) as info:
        validate(ecr(**{**ECR_FIELDS, field: value}), load_config(Path("/nonexistent")))
    assert info.value.field == field
    assert all(problem[0] == field for problem in info.value.problems)


@pytest.mark.parametrize("person", ["amelia.park", "team_a", "Team-Payments", "a", "j.doe-2"])
def test_backstage_user_and_group_names_pass(person: str) -> None:
    valid = validate(ecr(**{**ECR_FIELDS, "owner": person, "requester": person}), load_config(Path("/nonexistent")))
    assert valid.fields["requester"] == person


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("29-11-2026", "date: must be a date written YYYY-MM-DD"),
        ("2026-02-30", "date: 2026-02-30 is not a calendar date"),
        ("２０２６-01-01", "date: must be a date"),
    ],
)
def test_rejected_dates(date: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate(Request("ecr", "create", ECR_FIELDS, date=date), load_config(Path("/nonexistent")))


def test_every_violation_is_one_line_naming_its_field() -> None:
    bad = {**ECR_FIELDS, "owner": "-x", "risk": "extreme", "colour": "red"}
    del bad["domain"]
    with pytest.raises(ValidationError) as info:
        validate(ecr(**bad), load_config(Path("/nonexistent")))
    assert info.value.lines == [
        "owner: must be a Backstage entity name: letters, digits and '-', '_' or '.' between them",
        "domain: is required",
        "risk: must be one of low, medium, high",
        "colour: is not a field of the ecr kind (fields: name, environment, owner, requester, domain, risk)",
    ]


def test_unknown_kind_and_action() -> None:
    config = load_config(Path("/nonexistent"))
    with pytest.raises(ValidationError, match="kind: unknown request kind 'rds'"):
        validate(Request("rds", "create", ECR_FIELDS), config)
    with pytest.raises(ValidationError, match="action: must be create or remove"):
        validate(Request("ecr", "update", ECR_FIELDS), config)


def test_configured_domains(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text("domains: [payments, identity]\n")
    config = load_config(tmp_path)
    assert validate(ecr(**ECR_FIELDS), config).fields["domain"] == "payments"
    with pytest.raises(ValidationError, match="domain: must be one of payments, identity"):
        validate(ecr(**{**ECR_FIELDS, "domain": "data"}), config)


def test_remove_needs_only_name_and_environment() -> None:
    config = load_config(Path("/nonexistent"))
    request = Request(kind="ecr", action="remove", fields={"name": "payments-api", "environment": "dev"})
    assert validate(request, config).name == "payments-api"
    with pytest.raises(ValidationError, match="owner: must be a Backstage entity name"):  # given: checked
        validate(Request("ecr", "remove", {"name": "payments-api", "environment": "dev", "owner": "-x"}), config)
    with pytest.raises(ValidationError, match="colour: is not a field of the ecr kind"):
        validate(Request("ecr", "remove", {"name": "payments-api", "environment": "dev", "colour": "x"}), config)
    with pytest.raises(ValidationError, match="environment: is required"):
        validate(Request("ecr", "remove", {"name": "payments-api"}), config)


def test_workflow_input_names_are_aliases() -> None:
    given = {**ECR_FIELDS, "registry_name": ECR_FIELDS["name"], "user": "amelia.park", "base_branch": "development"}
    del given["name"], given["requester"]
    valid = validate(ecr(**given), load_config(Path("/nonexistent")))
    assert valid.fields["name"] == "payments-api" and valid.fields["requester"] == "amelia.park"
