"""The seed's own workflow steps, run where they can run (bash and Python, no network, no yq), against
what the example kinds write for the same inputs on another copy of the seed repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.kinds.test_examples import KINDS, ROOT, SEED

INPUTS = {
    "ecr": {"registry_name": "payments-api", "environment": "dev", "owner": "platform-team", "user": "michael-deans",
            "domain": "delivery", "risk": "low"},
    "rds": {"database_name": "orders_db", "username": "orders_user", "environment": "dev", "owner": "app-team",
            "user": "amelia.park", "domain": "delivery", "risk": "medium", "size": "small"},
    "app-secret": {"secret_name": "db-credentials", "service_name": "payments", "environment": "dev",
                   "secret_type": "api-key", "owner": "app-team", "domain": "delivery", "risk": "medium",
                   "rotation": "standard", "recovery_window": "7", "namespace": "default",
                   "k8s_secret_name": "payments-db", "description": ""},
}  # fmt: skip
WORKFLOWS = {"ecr": "create-ecr-registry.yml", "rds": "create-rds-database.yml", "app-secret": "request-app-secret.yml"}


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    if SEED == ROOT:
        pytest.skip("the seed repository is not beside the project")
    made = []
    for name in ("workflow", "tool"):
        shutil.copytree(SEED, tmp_path / name, ignore=shutil.ignore_patterns(".git"))
        made.append(tmp_path / name)
    return made[0], made[1]


def run_step(repo: Path, kind: str, step: str, outputs: dict[str, str]) -> None:
    """One step of the seed workflow as the runner runs it: `${{ }}` expanded where it stands, bash -e."""
    workflow = YAML(typ="safe").load((SEED / ".github/workflows" / WORKFLOWS[kind]).read_text())
    [found] = [s for job in workflow["jobs"].values() for s in job["steps"] if s.get("name") == step]

    def expand(text: str) -> str:
        def value(match: re.Match[str]) -> str:
            where, _, name = match.group(1).rpartition(".")
            return INPUTS[kind].get(name, "") if where == "inputs" else outputs[name]

        return re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", value, text)

    env = {**os.environ, **{key: expand(str(v)) for key, v in (found.get("env") or {}).items()}}
    env["GITHUB_OUTPUT"] = str(repo.parent / "github-output")
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", expand(found["run"])], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def tool(repo: Path, kind: str, *fields: str) -> None:
    config = [] if kind == "ecr" else ["--config", str(KINDS / f"{kind}.yaml")]
    args = [arg for field in fields for arg in ("-f", field)]
    done = subprocess.run(
        [sys.executable, "-m", "gitops_writer", "request", kind, "--repo", str(repo), *config, *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_ecr_tfvars_are_the_workflows_byte_for_byte(copies: tuple[Path, Path]) -> None:
    workflow, ours = copies
    run_step(workflow, "ecr", "Update Terraform tfvars", {"id": "REGISTRY_PAYMENTS_API"})
    fields = ["name=payments-api", "environment=dev", "owner=platform-team", "requester=michael-deans"]
    tool(ours, "ecr", *fields, "domain=delivery", "risk=low")
    tfvars = "envs/dev/terraform.tfvars"
    assert (ours / tfvars).read_bytes() == (workflow / tfvars).read_bytes()


def test_rds_tfvars_are_the_workflows_but_the_separator_the_map_uses(copies: tuple[Path, Path]) -> None:
    workflow, ours = copies
    run_step(workflow, "rds", "Update RDS Terraform tfvars", {"id": "DATABASE_ORDERS_DB"})
    given = {k: v for k, v in INPUTS["rds"].items() if k != "user"} | {"requester": INPUTS["rds"]["user"]}
    tool(ours, "rds", *(f"{k}={v}" for k, v in given.items()))
    tfvars = "envs/dev-rds/terraform.tfvars"
    # the workflow's text insert leaves a blank line and no comma; the map's own entries end with `},`
    expected = (workflow / tfvars).read_text().replace("  }\n\n  orders_db = {", "  },\n  orders_db = {")
    assert (ours / tfvars).read_text() == expected


def test_the_app_secret_contract_is_the_workflows_but_its_number(copies: tuple[Path, Path]) -> None:
    workflow, ours = copies
    run_step(workflow, "app-secret", "Create Secret Request YAML", {"id": "SEC-4242"})  # the epoch's last digits
    given = {k: v for k, v in INPUTS["app-secret"].items() if v and k != "recovery_window"}
    tool(ours, "app-secret", *(f"{k}={v}" for k, v in given.items()))  # the window: from the risk
    folder = "docs/20-contracts/secret-requests/payments/dev"
    theirs = YAML(typ="safe").load((workflow / folder / "SEC-4242.yaml").read_text())
    mine = YAML(typ="safe").load((ours / folder / "SEC-0001.yaml").read_text())
    assert mine == {**theirs, "id": "SEC-0001"}  # every field, typed alike; the number is the tool's
