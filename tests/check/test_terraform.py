"""check/terraform.py: the map a kind writes into an environment's tfvars is a variable that environment declares."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.check.scan import Snapshot
from gitops_writer.check.terraform import declared_variables, terraform
from gitops_writer.kinds import load_config


def _repo(root: Path, files: dict[str, str]) -> Snapshot:
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return Snapshot(root)


def test_the_variables_a_folder_declares_are_read_from_its_own_tf_files(tmp_path: Path) -> None:
    snapshot = _repo(
        tmp_path,
        {
            "envs/dev/variables.tf": 'variable "ecr_repositories" {\n  type = map(any)\n}\nlocals {\n  x = 1\n}\n',
            "envs/dev/modules/more.tf": 'variable "not_this_folders" {}\n',
            "envs/prod/terraform.tfvars": "a = 1\n",
        },
    )
    assert declared_variables(snapshot, "envs/dev") == {"ecr_repositories"}
    assert declared_variables(snapshot, "envs/prod") is None  # no .tf file: nothing to say


def test_an_undeclared_map_is_one_finding_on_its_assignment_per_environment(tmp_path: Path) -> None:
    snapshot = _repo(
        tmp_path,
        {
            "envs/dev/variables.tf": 'variable "other" {}\n',
            "envs/dev/terraform.tfvars": 'region = "x"\necr_repositories = {}\n',
            "envs/test/variables.tf": 'variable "ecr_repositories" {}\n',
        },
    )
    edits = load_config(tmp_path, None).requests["ecr"].edits

    (finding,) = terraform(snapshot, "ecr", edits, ("dev", "test", "staging"))

    assert (finding.path, finding.line, finding.check) == ("envs/dev/terraform.tfvars", 2, "terraform")
    assert "envs/dev/*.tf declare no variable 'ecr_repositories'" in finding.message
