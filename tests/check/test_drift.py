"""check/drift.py: a kind against its committed template and workflow: the fields and the values each accepts."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.drift import kind_drift
from gitops_writer.check.scan import Snapshot
from gitops_writer.kinds import load_config


def _drift(built: Path) -> list[tuple[str, str]]:
    kind = load_config(built, None).requests["ecr"]
    return [(f.path, f.message) for f in kind_drift(Snapshot(built), kind)]


def test_what_generate_wrote_agrees_with_the_kind(built: Path) -> None:
    assert _drift(built) == []


def test_a_choice_the_kind_refuses_and_one_it_accepts_but_the_workflow_leaves_out_are_findings(built: Path) -> None:
    workflow = built / ".github/workflows/create-ecr-registry.yml"
    text = workflow.read_text()
    workflow.write_text(text.replace("          - staging\n", "          - qa\n", 1))

    assert _drift(built) == [
        (
            ".github/workflows/create-ecr-registry.yml",
            "kind ecr: the workflow's input environment offers qa, which the kind's field environment refuses",
        ),
        (
            ".github/workflows/create-ecr-registry.yml",
            "kind ecr: the workflow's input environment does not offer staging, which the kind's field environment "
            "accepts",
        ),
    ]
