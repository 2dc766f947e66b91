"""A repository half made by the built-in ECR kind, read back by its edits."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.presence import Presence, presences
from gitops_writer.check.scan import Snapshot
from gitops_writer.kinds import load_config

ENTITY = "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: payments-api\nspec:\n  type: ecr\n"
HALF_MADE = {
    "envs/dev/terraform.tfvars": 'ecr_repositories = {\n  payments-api = {\n    owner = "team-a"\n  }\n}\n',
    "envs/test/terraform.tfvars": "ecr_repositories = {\n}\n",
    "catalog/resources/ecr/payments-api.yaml": ENTITY,
}


def found_in(root: Path, files: dict[str, str]) -> list[Presence]:
    """The built-in ECR kind's edits read back over a repository holding `files`, in dev and test."""
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return presences(Snapshot(root), load_config(root, None).requests["ecr"].edits, ("dev", "test"))
