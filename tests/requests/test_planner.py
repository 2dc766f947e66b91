"""A request's plan is data read off the files; applying it parses each file once to read and once to verify."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import gitops_writer.yaml.editor as yaml_editor
import gitops_writer.yaml.syntax as yaml_syntax
import gitops_writer.yaml.trees as yaml_trees
import gitops_writer.yaml.window as yaml_window
from gitops_writer.kinds import load_config
from gitops_writer.repo import RepositoryFiles
from gitops_writer.repo.files import BOM
from gitops_writer.requests.model import Request, validate
from gitops_writer.requests.operations import (
    AddItem,
    CreateEntry,
    CreateFile,
    Stamp,
)
from gitops_writer.requests.planner import plan
from gitops_writer.requests.runner import prepare
from tests.requests.conftest import snapshot_of

FIELDS = dict(name="payments-api", environment="dev", owner="team-payments", requester="jdoe", domain="payments")
CREATE = Request("ecr", "create", {**FIELDS, "risk": "medium"}, date="2026-11-29")
TFVARS, CATALOG = "envs/dev/terraform.tfvars", "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
ENTITY, LOCATION = "catalog/resources/ecr/payments-api.yaml", "catalog/all-resources.yaml"


def test_a_request_plans_operations_and_edits_nothing(repo: Path) -> None:
    before = snapshot_of(repo)
    config = load_config(repo)
    files = RepositoryFiles(repo)
    planned = plan(files, validate(CREATE, config), config.environments)

    assert [(type(op), op.file, op.pointer) for op in planned.operations] == [
        (CreateEntry, TFVARS, "/ecr_repositories/payments-api"),
        (CreateEntry, CATALOG, "/repositories/payments-api"),
        (CreateFile, ENTITY, ""),
        (AddItem, LOCATION, "/spec/targets"),
        (Stamp, CATALOG, "/last_updated"),
    ]
    assert planned.operations[3].value == "./resources/ecr/payments-api.yaml"
    assert planned.operations[4].value == "2026-11-29"
    assert planned.environments == ("dev",)
    assert not any(change.changed for change in files.changes())  # read, not edited
    assert snapshot_of(repo) == before


@pytest.mark.parametrize(
    ("name", "environments", "shown"),
    [
        pytest.param(
            "identity-web",
            (),
            [
                "envs/dev/terraform.tfvars: removed /ecr_repositories/identity-web",
                f"{CATALOG}: removed /repositories/identity-web",
                "catalog/resources/ecr/identity-web.yaml: deleted",
                f"{LOCATION}: removed ./resources/ecr/identity-web.yaml from /spec/targets",
            ],
            id="last-environment",
        ),
        pytest.param(
            "billing-api",
            ("staging",),
            [
                'catalog/resources/ecr/billing-api.yaml: removed "env-dev" from /metadata/tags',
                "envs/dev/terraform.tfvars: removed /ecr_repositories/billing-api",
            ],
            id="staying-in-another",
        ),
    ],
)
def test_a_removal_plans_the_opposite(repo: Path, name: str, environments: tuple[str, ...], shown: list[str]) -> None:
    config = load_config(repo)
    removal = Request("ecr", "remove", {"name": name, "environment": "dev"}, date="2026-11-29")
    planned = plan(RepositoryFiles(repo), validate(removal, config), config.environments)

    assert planned.environments == environments
    assert [f"{op.file}: {op.line}" for op in planned.shown] == shown  # updates before removals
    stamps = [op for op in planned.operations if isinstance(op, Stamp)]
    assert [(op.file, op.value) for op in stamps] == ([(CATALOG, "2026-11-29")] if not environments else [])


def test_a_dry_run_parses_each_file_once_to_read_and_once_to_verify(
    repo: Path, monkeypatch: pytest.MonkeyPatch, hcl_parses: list[tuple[bytes, bool]]
) -> None:
    parsed: list[str] = []  # every text given to a parser, whole or a window of it

    def counting(parse: Any) -> Any:
        def parse_counted(text: str | bytes, *args: Any, **kwargs: Any) -> Any:
            parsed.append(text.decode("utf-8") if isinstance(text, bytes) else text)
            return parse(text, *args, **kwargs)

        return parse_counted

    for module in (yaml_editor, yaml_window, yaml_trees):
        monkeypatch.setattr(module, "parse_documents", counting(module.parse_documents))
    monkeypatch.setattr(yaml_syntax, "parse", counting(yaml_syntax.parse))  # what checks read whole

    prepared = prepare(repo, CREATE, load_config(repo))

    changed = [change for change in prepared.changes.changes if change.changed]
    old_tfvars = next(change.old for change in changed if change.path == TFVARS)
    # an incremental parse of the text read parses in what its outline left out: not another read
    parsed += [src.decode() for src, incremental in hcl_parses if not (incremental and src.decode() == old_tfvars)]
    assert sorted(change.path for change in changed) == sorted([TFVARS, CATALOG, ENTITY, LOCATION])
    reads: Counter[str] = Counter()
    verifies: Counter[str] = Counter()
    for text in parsed:
        for change in changed:
            old, new = (change.old or "").removeprefix(BOM), (change.new or "").removeprefix(BOM)
            if text == old:
                reads[change.path] += 1
            elif text and text in new:  # the new text, or the window of it around a splice
                verifies[change.path] += 1
    operations = Counter(op.file for op in prepared.changes.plan.operations)
    assert reads == {TFVARS: 1, CATALOG: 1, LOCATION: 1}  # the new entity is not read, it is made
    assert all(verifies[path] == 1 for path in (TFVARS, ENTITY, LOCATION)), verifies
    assert verifies[CATALOG] == operations[CATALOG] == 2  # the entry and the date, each verified in its window
