"""The command line in-process, and a repository built only by this tool's own requests."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent.parent / "shared" / "seed-repo"  # /work/shared/seed-repo beside the worktrees
if not SEED.is_dir():
    SEED = ROOT.parent / "shared" / "seed-repo"
EXAMPLES = ROOT / "examples"
# The release the examples pin: visibly no real commit; an adopter writes the release's SHA and version.
ACTION = "--action=example-org/gitops-writer@" + "0" * 40
ACTION_VERSION = "--action-version=vX.Y.Z"
ENVIRONMENTS = ("dev", "test", "staging", "prod")

# A kind of typed fields, one workflow input each.
TEST_KIND = """\
requests:
  bucket:
    title: S3 Bucket
    fields:
      type: object
      properties:
        name: {type: string, title: Bucket name, pattern: "^[a-z][a-z0-9-]*$", maxLength: 40}
        environment: {type: string, title: Environment}
        retention_days: {type: integer, title: Retention, minimum: 1, maximum: 365, default: 30}
        versioning: {type: boolean, title: Versioning, default: true}
        tier: {type: string, enum: [standard, archive], description: Storage tier}
        regions: {type: array, title: Regions, items: {type: string, enum: [eu-west-2, us-east-1]}, uniqueItems: true}
      required: [name, environment, retention_days, tier]
    inputs: {bucket_name: name}
    branch: "bucket/create-{name}-{environment}"
    commit: "bucket: create {name} in {environment}"
    workflow: .github/workflows/create-bucket.yml
    template: catalog/templates/bucket-request.yaml
    edits:
      - id: tfvars
        kind: entry
        path: "envs/{environment}/terraform.tfvars"
        pointer: "/buckets/{name}"
        value: {retention: "{retention_days}", versioning: "{versioning}", tier: "{tier}"}
"""

# A kind of 30 fields: more than the 25 workflow_dispatch inputs GitHub accepts, so sent as one payload.
EXTRAS = 22
EKS = (
    """\
requests:
  eks:
    title: EKS Cluster
    workflow: .github/workflows/create-eks-cluster.yml
    fields:
      type: object
      properties:
        name: {type: string, title: Cluster name}
        environment: {type: string}
        owner: {type: string, title: Owner}
        requester: {type: string}
        num_nodes: {type: integer, minimum: 1, maximum: 50}
        spot: {type: boolean}
        tier: {type: string, enum: [general, compute]}
        zones: {type: array, items: {type: string, enum: [a, b, c]}, uniqueItems: true}
"""
    + "".join(f"        label_{i}: {{type: string, maxLength: 20}}\n" for i in range(1, EXTRAS + 1))
    + """\
      required: [owner, requester, num_nodes, spot, tier]
    form:
      pages:
        - {title: Cluster, fields: [name, environment, owner]}
        - {title: Nodes, description: How many and which, fields: [num_nodes, spot, tier, zones]}
        - title: Labels
          fields: ["""
    + ", ".join(f"label_{i}" for i in range(1, EXTRAS + 1))
    + """]
      fields:
        num_nodes:
          ui:help: One to fifty.
    branch: "eks/create-{name}-{environment}"
    commit: "eks: create {name} in {environment}"
    edits:
      - id: tfvars
        kind: entry
        path: "envs/{environment}/terraform.tfvars"
        pointer: "/eks_clusters/{name}"
        value:
          owner: "{owner}"
          requested_by: "{requester}"
          num_nodes: "{num_nodes}"
          spot: "{spot}"
          tier: "{tier}"
          zones: "{zones}"
          label_7: "{label_7}"
"""
)


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def findings(self) -> list[dict[str, Any]]:
        return json.loads(self.out)  # type: ignore[no-any-return]


def gw(*args: str) -> Run:
    from gitops_writer.cli.main import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else 1
    return Run(code, out.getvalue(), err.getvalue())


SKELETON = {
    "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": (
        'version: "1.0"\nlast_updated: "2026-11-01"\nrepositories: {}\n'
    ),
    "catalog/all-resources.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: all-resources\nspec:\n  targets:\n"
        "    - ./org.yaml\n    - ./resources/ecr-registry.yaml\n    - ./templates/ecr-request.yaml\n"
    ),
    "catalog/org.yaml": "".join(
        f"{'---' + chr(10) if i else ''}apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: {name}\n"
        "spec:\n  type: team\n  children: []\n"
        for i, name in enumerate(["platform-team", "team-a", "team-b"])
    ),
    "catalog/resources/ecr-registry.yaml": (
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: ecr-registry\n"
        "spec:\n  type: container-registry\n  owner: platform-team\n"
    ),
}
REQUESTS = [
    ("payments-api", "dev", "team-a", "medium"),
    ("identity-web", "prod", "team-b", "high"),
    ("audit-log", "staging", "team-a", "low"),
    ("zeta-worker", "test", "team-b", "low"),
]


def built_repository(target: Path) -> Path:
    """The skeleton, the example template and workflow, then four requests made with `ecr request`."""
    for relative, text in SKELETON.items():
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        (target / relative).write_text(text)
    for environment in ENVIRONMENTS:
        folder = target / "envs" / environment
        folder.mkdir(parents=True)
        (folder / "terraform.tfvars").write_text(f'environment = "{environment}"\n\necr_repositories = {{}}\n')
        (folder / "variables.tf").write_text(
            'variable "environment" {\n  type = string\n}\n\nvariable "ecr_repositories" {\n  type = map(any)\n}\n'
        )
    (target / "catalog/templates").mkdir(parents=True)
    shutil.copy(EXAMPLES / "backstage" / "ecr-request.yaml", target / "catalog/templates/ecr-request.yaml")
    (target / ".github/workflows").mkdir(parents=True)
    shutil.copy(
        EXAMPLES / "workflows" / "create-ecr-registry.yml", target / ".github/workflows/create-ecr-registry.yml"
    )
    for name, environment, owner, risk in REQUESTS:
        done = gw(
            "ecr", "request", f"--repo={target}", f"--name={name}", f"--environment={environment}",
            f"--owner={owner}", "--requester=jdoe", "--domain=payments", f"--risk={risk}", "--date=2026-11-29",
        )  # fmt: skip
        assert done.code == 0, done.err
    return target
