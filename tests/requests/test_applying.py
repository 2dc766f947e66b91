"""gitops_writer.requests.applying: a plan spliced into each file's text, in memory, once per file."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.errors import NotFoundError
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.applying import apply
from gitops_writer.requests.operations import (
    AddItem,
    CreateEntry,
    CreateFile,
    Plan,
    RemoveFile,
    RemoveItem,
    Stamp,
    UpdateEntry,
)

TFVARS = "ecr_repositories = {\n  billing = {\n    scan = true\n  }\n}\n"
CATALOG = "\ufefflast_updated: '2026-01-01'\nspec:\n  targets:\n    - ./a.yaml\n    - ./c.yaml\n"


@pytest.fixture
def files(tmp_path: Path) -> RepositoryFiles:
    (tmp_path / ".git").mkdir()
    (tmp_path / "dev.tfvars").write_text(TFVARS)
    (tmp_path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    (tmp_path / "old.yaml").write_text("a: 1\n")
    return RepositoryFiles(tmp_path)


def test_every_operation_of_a_file_lands_in_its_one_new_text(files: RepositoryFiles) -> None:
    plan = Plan(
        (
            CreateEntry("dev.tfvars", "/ecr_repositories/orders", {"scan": False}),
            UpdateEntry("dev.tfvars", "/ecr_repositories/billing/scan", False),
            AddItem("catalog.yaml", "/spec/targets", "./b.yaml"),
            AddItem("catalog.yaml", "/spec/targets", "./c.yaml"),  # there already: nothing to add
            RemoveItem("catalog.yaml", "/spec/targets", "./a.yaml"),
            Stamp("catalog.yaml", "/last_updated", "2026-12-07"),
            CreateFile("new.yaml", value={"kind": "Location", "spec": {"targets": []}}, header="# made\n"),
            RemoveFile("old.yaml"),
        )
    )
    changes = {change.path: change for change in apply(plan, files).changes}
    assert changes["dev.tfvars"].new == (
        "ecr_repositories = {\n  billing = {\n    scan = false\n  }\n  orders = {\n    scan = false\n  }\n}\n"
    )
    assert changes["catalog.yaml"].new == (
        "\ufefflast_updated: '2026-12-07'\nspec:\n  targets:\n    - ./b.yaml\n    - ./c.yaml\n"
    )  # the byte order mark kept, the date's quotes too
    assert changes["new.yaml"].new == "# made\nkind: Location\nspec:\n  targets: []\n"
    assert changes["old.yaml"].new is None
    assert (files.root / "old.yaml").exists()  # nothing is written before commit()


def test_an_edit_of_a_file_that_is_not_there_names_it(files: RepositoryFiles) -> None:
    with pytest.raises(NotFoundError, match="^missing.tfvars: no such file"):
        apply(Plan((UpdateEntry("missing.tfvars", "/a", 1),)), files)
