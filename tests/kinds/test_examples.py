"""examples/kinds/ against a copy of the seed repository: the data each seed workflow wrote, format-preserving."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML

from tests.requests.conftest import snapshot_of
from tests.terraform import read_back

ROOT = Path(__file__).resolve().parents[2]
KINDS = ROOT / "examples" / "kinds"
# ../shared/seed-repo from the main checkout, ../../shared/seed-repo from a worktree under wt/
SEED = next((p / "shared" / "seed-repo" for p in ROOT.parents[:2] if (p / "shared" / "seed-repo").is_dir()), ROOT)
RDS_CATALOG = "docs/20-contracts/resource-catalogs/rds-catalog.yaml"
RDS = [
    *("-f", "name=orders_db", "-f", "username=orders_user", "-f", "size=small", "-f", "environment=dev"),
    *("-f", "owner=app-team", "-f", "requester=amelia.park", "-f", "domain=delivery", "-f", "risk=medium"),
]


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    if SEED == ROOT:
        pytest.skip("the seed repository is not beside the project")
    target = tmp_path / "seed"
    shutil.copytree(SEED, target, ignore=shutil.ignore_patterns(".git"))
    return target


def request(seed: Path, kind: str, *args: str) -> subprocess.CompletedProcess[str]:
    config = KINDS / f"{kind}.yaml"
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", "request", kind, "--repo", str(seed), "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def yaml_load(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text())


@pytest.mark.slow
def test_rds_writes_what_create_rds_database_wrote(seed: Path) -> None:
    tfvars_before = (seed / "envs/dev-rds/terraform.tfvars").read_text()
    catalog_before = (seed / RDS_CATALOG).read_text()
    assert "databases: {}\n# Example structure:" in catalog_before
    done = request(seed, "rds", *RDS, "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    tfvars = (seed / "envs/dev-rds/terraform.tfvars").read_text()
    [read] = read_back([tfvars])
    assert read["application_databases"]["orders_db"] == {"database_name": "orders_db", "username": "orders_user"}
    assert read["application_databases"]["keycloak"] == {"database_name": "keycloak", "username": "keycloak_user"}
    assert tfvars.startswith(tfvars_before[: tfvars_before.index("  }\n}")])  # every byte before the edit kept
    catalog = (seed / RDS_CATALOG).read_text()
    assert yaml_load(seed / RDS_CATALOG)["databases"] == {  # type: ignore[index]
        "orders_db": {
            "metadata": {
                "id": "DATABASE_ORDERS_DB",
                "owner": "app-team",
                "requested_by": "amelia.park",
                "domain": "delivery",
                "risk": "medium",
                "environment": "dev",
                "status": "pending",
                "created_date": "2026-12-01",
            },
            "configuration": {
                "username": "orders_user",
                "size_tier": "small",
                "instance_class": "db.t3.micro",
                "secret_path": "goldenpath/dev/orders_db/postgres",
            },
        }
    }
    assert catalog.endswith(catalog_before[catalog_before.index("# Example structure:") :])  # the comments stay
    assert yaml_load(seed / RDS_CATALOG)["last_updated"] == "2026-12-01"  # type: ignore[index]


def test_rds_in_dev_allows_only_size_small(seed: Path) -> None:
    before = snapshot_of(seed)
    done = request(seed, "rds", *RDS, "-f", "size=large")
    assert done.returncode == 2
    assert done.stderr == "gitops-writer: error: size: dev environments are limited to size small\n"
    assert snapshot_of(seed) == before
    assert request(seed, "rds", *RDS, "-f", "name=Orders").stderr.startswith("gitops-writer: error: name: must be")


def test_rds_words_are_the_workflows(seed: Path) -> None:
    done = request(seed, "rds", *RDS, "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    assert '"branch": "database/create-orders_db"' in done.stdout


PAYMENTS_LOGS = [
    *("-f", "application=payments-api", "-f", "environment=prod", "-f", "purpose_type=logs"),
    *("-f", "purpose_description=Access logs of the payments API", "-f", "owner=app-team"),
    *("-f", "user=amelia.park", "-f", "cost_center=cc-42", "-f", "cost_alert_gb=250", "-f", "versioning=false"),
    *("-f", "retention_type=time-bounded", "-f", "retention_rationale=Kept for the audits", "-f", "expire_days=90"),
]


def test_s3_writes_the_bucket_request_contract(seed: Path) -> None:
    done = request(seed, "s3", *PAYMENTS_LOGS, "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    [written] = (seed / "docs/20-contracts/s3-requests/prod").iterdir()
    contract = yaml_load(written)
    assert contract == {
        "apiVersion": "goldenpath.io/v1",
        "kind": "S3BucketRequest",
        "id": "S3-0001",  # create-s3-bucket.yml's number: the seed has no contract yet
        "environment": "prod",
        "owner": "app-team",
        "application": "payments-api",
        "requester": "amelia.park",
        "spec": {
            "bucketName": "goldenpath-prod-payments-api-logs",
            "purpose": {"type": "logs", "description": "Access logs of the payments API"},
            "storageClass": "standard",
            "encryption": {"type": "sse-kms", "kmsKeyAlias": "alias/goldenpath-prod-s3"},
            "versioning": False,
            "publicAccess": "blocked",
            "retentionPolicy": {"type": "time-bounded", "rationale": "Kept for the audits"},
            "lifecycle": {"expireDays": 90},
            "accessLogging": {"enabled": True, "targetBucket": "goldenpath-prod-logs"},
            "costAlertGb": 250,
            "corsEnabled": False,
            "tags": {"costCenter": "cc-42"},
        },
    }
    assert written.name == "S3-0001.yaml"
    # the organisation's contract schema: its own format, whose properties and required are JSON Schema
    # of the contract read flat (the workflow writes all but the identity under spec:)
    org = YAML(typ="safe").load((seed / "schemas/requests/s3.schema.yaml").read_text())
    flat = {**{k: v for k, v in contract.items() if k != "spec"}, **contract["spec"]}
    schema = {"type": "object", "properties": org["properties"], "required": org["required"]}
    assert sorted(Draft202012Validator(schema).iter_errors(flat), key=str) == []
    assert set(flat) - {"apiVersion", "kind"} <= set(org["properties"])  # nothing the organisation does not know
    refused = request(seed, "s3", *PAYMENTS_LOGS, "-f", "cost_alert_gb=0")
    assert refused.returncode == 2 and "cost_alert_gb: must be at least 1" in refused.stderr  # the org's minimum
    twice = request(seed, "s3", *PAYMENTS_LOGS, "-f", "name=other-app")  # application is the workflow's name
    assert twice.stderr == "gitops-writer: error: name: is given twice ('application' is another name for name)\n"
    again = request(seed, "s3", *PAYMENTS_LOGS, "--date", "2026-12-01")
    assert again.returncode == 0 and again.stderr.endswith("is unchanged\n"), again.stderr
    dev = request(seed, "s3", *PAYMENTS_LOGS, "-f", "environment=dev", "--date", "2026-12-01")
    assert dev.returncode == 0, dev.stderr  # numbered after every environment's contracts, as the workflow's find
    assert [p.name for p in (seed / "docs/20-contracts/s3-requests/dev").iterdir()] == ["S3-0002.yaml"]
    removal = subprocess.run(
        [sys.executable, "-m", "gitops_writer", "remove-request", "s3", "--repo", str(seed), "--config",
         str(KINDS / "s3.yaml"), "-f", "name=payments-api", "-f", "environment=prod"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert removal.returncode == 0, removal.stderr  # found by name and environment, its number read back
    assert not (seed / "docs/20-contracts/s3-requests/prod/S3-0001.yaml").exists()


def test_s3_in_dev_has_no_kms_alias_and_refuses_days_without_a_lifecycle(seed: Path) -> None:
    base = [
        *("-f", "name=web-app", "-f", "environment=dev", "-f", "purpose_type=uploads", "-f", "owner=app-team"),
        *("-f", "purpose_description=User uploads of the web app", "-f", "requester=amelia.park"),
        *("-f", "cost_center=cc-1", "-f", "retention_rationale=Deleted with the account"),
    ]
    assert request(seed, "s3", *base).returncode == 0
    contract = yaml_load(seed / "docs/20-contracts/s3-requests/dev/S3-0001.yaml")
    spec = contract["spec"]  # type: ignore[index]
    assert spec["encryption"] == {"type": "sse-s3"} and spec["accessLogging"] == {"enabled": False}
    assert "lifecycle" not in spec and spec["versioning"] is True and spec["costAlertGb"] == 100
    refused = request(seed, "s3", *base, "-f", "expire_days=30", "-f", "purpose_type=logs")
    assert refused.returncode == 2 and "lifecycle days need retention_type" in refused.stderr
    assert request(seed, "s3", *base, "-f", "purpose_description=short").stderr.startswith(
        "gitops-writer: error: purpose_description: must be at least 10 characters long"
    )


def test_app_secret_writes_the_secret_request(seed: Path) -> None:
    done = request(
        seed,
        "app-secret",
        *("-f", "secret_name=db-credentials", "-f", "service_name=payments", "-f", "environment=dev"),
        *("-f", "secret_type=database-credentials", "-f", "owner=app-team", "-f", "domain=delivery"),
        *(
            "-f",
            "risk=medium",
            "-f",
            "rotation=standard",
            "-f",
            "k8s_secret_name=payments-db",
        ),
    )
    assert done.returncode == 0, done.stderr
    path = seed / "docs/20-contracts/secret-requests/payments/dev/SEC-0001.yaml"
    written = yaml_load(path)
    assert written["id"] == path.stem  # type: ignore[index]  # secret-request-pr.yml: filename must match id
    assert written == {
        "apiVersion": "goldenpath.io/v1",
        "kind": "SecretRequest",
        "id": "SEC-0001",
        "description": "Secret for payments service",  # the workflow's default, computed
        "owner": "app-team",
        "metadata": {"name": "db-credentials", "service": "payments", "environment": "dev", "domain": "delivery"},
        "spec": {
            "provider": "aws-secrets-manager",
            "secretType": "database-credentials",
            "risk": {"tier": "medium"},
            "rotation": {"rotationClass": "standard"},
            "lifecycle": {"status": "active", "recoveryWindowInDays": 7},  # medium risk's, derived
            "access": {"namespace": "default", "k8sSecretName": "payments-db"},
        },
    }
    refused = request(seed, "app-secret", "-f", "name=x1", "-f", "service=p1", "-f", "recovery_window=14")
    assert refused.returncode == 2 and "recovery_window: must be one of 0, 7, 30" in refused.stderr


def test_example_inputs_alias_every_workflow_input() -> None:
    """Each kind's fields plus its aliases cover the inputs of the seed workflow it replaces."""
    if SEED == ROOT:
        pytest.skip("the seed repository is not beside the project")
    from gitops_writer.kinds import load_config

    for name in ("rds", "s3", "app-secret"):
        kind = load_config(Path("/nonexistent"), KINDS / f"{name}.yaml").requests[name]
        assert kind.workflow is not None
        text = (SEED / kind.workflow).read_text()  # the S3 one is not valid YAML as a whole: read the trigger
        trigger = YAML(typ="safe").load(text[text.index("\non:") : text.index("\npermissions:")])
        inputs = trigger["on"]["workflow_dispatch"]["inputs"]
        missing = [i for i in inputs if i not in kind.properties and i not in kind.inputs]
        assert missing == [], (name, missing)


def render_skeleton(text: str, values: dict[str, object]) -> str:
    """The seed's eks-request skeleton as it means to be rendered: Backstage's fetch:template renders its
    `${{ }}` and its tags, and would leave the `{{ }}` outputs as they are (no cookiecutterCompat)."""

    def shown(value: object) -> str:
        return ("true" if value else "false") if isinstance(value, bool) else str(value)

    text = text.replace("${{", "{{")
    text = re.sub(
        r"\s*\{%- if values\.(\w+) %\}(.*?)\s*\{%- endif %\}",
        lambda m: m.group(2) if values.get(m.group(1)) else "",
        text,
        flags=re.S,
    )
    text = re.sub(
        r"\s*\{%- for sg in values\.sshSourceSgIds %\}(.*?)\s*\{%- endfor %\}",
        lambda m: "".join(m.group(1).replace("{{ sg }}", str(sg)) for sg in values["sshSourceSgIds"]),  # type: ignore[attr-defined]
        text,
        flags=re.S,
    )
    return re.sub(r"\{\{ values\.(\w+) \}\}", lambda m: shown(values[m.group(1)]), text)


def test_eks_writes_what_the_templates_skeleton_renders(seed: Path) -> None:
    given = {
        "name": "build-42", "environment": "dev", "requester": "michael-deans", "build_id": "01-02-03-04",
        "description": "Ephemeral build cluster", "ssh_key_name": "ops-key", "ssh_break_glass": "true",
        "ssh_source_sg_ids": ["sg-0123abcd", "sg-0456beef"], "node_max": "6", "aws_lb_type": "alb",
    }  # fmt: skip
    args = [f"{key}={item}" for key, value in given.items() for item in (value if isinstance(value, list) else [value])]
    done = request(seed, "eks", *(arg for pair in args for arg in ("-f", pair)), "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    written = (seed / "docs/20-contracts/eks-requests/dev/EKS-0001.yaml").read_text()
    template = YAML(typ="safe").load((seed / "catalog/templates/eks-request.yaml").read_text())
    form = {k: v for page in template["spec"]["parameters"] for k, v in page["properties"].items()}
    values = {key: schema.get("default") for key, schema in form.items()}
    values.update(
        requestId="EKS-0001", clusterName="build-42", requester="michael-deans", buildId="01-02-03-04",
        description="Ephemeral build cluster", sshKeyName="ops-key", sshBreakGlass=True,
        sshSourceSgIds=["sg-0123abcd", "sg-0456beef"], nodeMax=6, awsLbType="alb",
    )  # fmt: skip
    skeleton = seed / "catalog/templates/skeletons/eks-request/${{ values.requestId }}.yaml"
    rendered = render_skeleton(skeleton.read_text(), values)
    assert written == rendered  # byte for byte: the skeleton's header, blank lines, quoting and order
    assert request(seed, "eks", *(arg for pair in args for arg in ("-f", pair))).stderr.endswith("unchanged\n")
