"""check/consistency.py: a resource one edit of a kind holds, every other edit of the kind holds too."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.consistency import consistency
from tests.check.support import HALF_MADE, found_in


def test_each_record_a_resource_lacks_is_one_finding_where_it_is_found(tmp_path: Path) -> None:
    found = [(f.path, f.line, f.message) for f in consistency("ecr", found_in(tmp_path, HALF_MADE))]

    assert found == [
        (
            "envs/dev/terraform.tfvars",
            2,
            "ecr payments-api has no catalog entry "
            "(docs/20-contracts/resource-catalogs/ecr-catalog.yaml /repositories/payments-api)",
        ),
        (
            "envs/dev/terraform.tfvars",
            2,
            "ecr payments-api has no Location target "
            "(./resources/ecr/payments-api.yaml in catalog/all-resources.yaml /spec/targets)",
        ),
    ]
