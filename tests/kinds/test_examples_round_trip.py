"""Each of the five kinds on a copy of the seed: the same request again is `unchanged`, and the request
then its removal (by name and environment only) restores every byte but the documented residues: the
catalog's `last_updated`, and in a working tree the empty folders a new file needed (git records none)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.kinds.test_examples import KINDS, seed  # noqa: F401  (a fixture)
from tests.requests.conftest import snapshot_of

# kind -> (its fields, beside name and environment)
REQUESTS: dict[str, list[str]] = {
    "ecr": ["owner=platform-team", "requester=michael-deans", "domain=delivery", "risk=low"],
    "rds": ["username=orders_user", "owner=app-team", "requester=amelia.park", "domain=delivery", "risk=medium"],
    "s3": [
        *("purpose_type=logs", "purpose_description=Access logs of the payments API", "owner=app-team"),
        *("requester=amelia.park", "cost_center=cc-42", "retention_rationale=Kept for the audits"),
    ],
    "app-secret": [
        *("service=payments", "secret_type=api-key", "owner=app-team", "domain=delivery"),
        *("risk=high", "rotation=standard", "k8s_secret_name=payments-api-key"),
    ],
    "eks": ["requester=michael-deans", "ssh_source_sg_ids=sg-0123abcd", "ssh_source_sg_ids=sg-0456beef"],
}
NAMES = {"ecr": "payments-api", "rds": "orders_db", "s3": "payments-api", "app-secret": "db-credentials",
         "eks": "build-42"}  # fmt: skip
# The residue a removal leaves on purpose: the governance catalog's last_updated records the latest change.
STAMPED = {"rds": "docs/20-contracts/resource-catalogs/rds-catalog.yaml",
           "ecr": "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"}  # fmt: skip


def run(repo: Path, verb: str, kind: str, *fields: str) -> subprocess.CompletedProcess[str]:
    config = [] if kind == "ecr" else ["--config", str(KINDS / f"{kind}.yaml")]
    args = [arg for field in fields for arg in ("-f", field)] + ["--date", "2027-03-04"]
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", verb, kind, "--repo", str(repo), *config, *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def folders(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_dir())


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(REQUESTS))
def test_request_again_is_unchanged_and_removal_restores_every_byte(seed: Path, kind: str) -> None:  # noqa: F811
    before, dirs = snapshot_of(seed), folders(seed)
    identity = [f"name={NAMES[kind]}", "environment=dev"]
    made = run(seed, "request", kind, *identity, *REQUESTS[kind])
    assert made.returncode == 0 and " is created (" in made.stderr, made.stderr
    assert snapshot_of(seed) != before
    again = run(seed, "request", kind, *identity, *REQUESTS[kind])
    assert again.returncode == 0 and again.stderr.endswith("is unchanged\n"), again.stderr
    removed = run(seed, "remove-request", kind, *identity)  # what identifies the request, nothing more
    assert removed.returncode == 0, removed.stderr
    after = snapshot_of(seed)
    stamped = STAMPED.get(kind)
    if stamped is not None:
        assert after[stamped] != before[stamped]
        assert after[stamped].replace(b'last_updated: "2027-03-04"', b"") == before[stamped].replace(
            before[stamped][before[stamped].index(b"last_updated:") :].split(b"\n")[0], b""
        )
        after[stamped] = before[stamped]
    assert after == before
    left = [folder for folder in folders(seed) if folder not in dirs]  # git records no folders: no trace in a commit
    assert all(not any((seed / folder).iterdir()) or folder + "/" in "".join(f + "/" for f in left) for folder in left)
    assert not any(path.is_file() for folder in left for path in (seed / folder).rglob("*"))
