"""Request validation: every rule names its field, and every rejected request changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.config import load_config
from gitops_writer.errors import ValidationError
from gitops_writer.requests.model import Request, validate

GOOD = dict(
    kind="ecr",
    action="create",
    name="payments-api",
    environment="dev",
    owner="team-payments",
    requester="jdoe",
    domain="payments",
    risk="medium",
    date="2026-11-29",
)


def test_fields_of_a_valid_request() -> None:
    fields = validate(Request(**GOOD), load_config(Path("/nonexistent")))
    assert fields["id"] == "REGISTRY_PAYMENTS_API"
    assert fields["name_id"] == "PAYMENTS_API"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "name: is required"),
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
        ("owner", "Team", "owner: must hold only"),
        ("owner", "team_a", "owner: must hold only"),
        ("owner", "-team", "owner: must hold only"),
        ("owner", "t" * 64, "owner: must be at most 63"),
        ("owner", "@org/team", "owner: must hold only"),
        ("requester", "", "requester: is required"),
        ("requester", "j doe", "requester: must hold only"),
        ("requester", "`id`", "requester: must hold only"),
        ("domain", "Payments", "domain: must start"),
        ("domain", "pay ments", "domain: must start"),
        ("risk", "extreme", "risk: must be one of low, medium, high"),
        ("risk", "", "risk: must be one of"),
        ("date", "29-11-2026", "date: must be a date written YYYY-MM-DD"),
        ("date", "2026-02-30", "date: 2026-02-30 is not a calendar date"),
        ("date", "２０２６-01-01", "date: must be a date"),
    ],
)
def test_rejected(field: str, value: str, message: str) -> None:
    with pytest.raises(
        ValidationError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")
    ) as info:
        validate(Request(**{**GOOD, field: value}), load_config(Path("/nonexistent")))
    assert info.value.field == field


def test_configured_domains(tmp_path: Path) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text("domains: [payments, identity]\n")
    config = load_config(tmp_path)
    assert validate(Request(**GOOD), config)["domain"] == "payments"
    with pytest.raises(ValidationError, match="domain: must be one of payments, identity"):
        validate(Request(**{**GOOD, "domain": "data"}), config)


def test_remove_needs_only_name_and_environment() -> None:
    request = Request(kind="ecr", action="remove", name="payments-api", environment="dev", date="2026-11-29")
    assert validate(request, load_config(Path("/nonexistent")))["name"] == "payments-api"
