"""gitops_writer.verbs: get, set and remove on one file, under the tree's lock, written only when asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitops_writer.errors import NotFoundError, UsageError
from gitops_writer.verbs import get_value, remove_value, set_value

TFVARS = 'region = "eu-west-1"\n\necr_repositories = {\n  orders = { scan = true }\n}\n'


@pytest.fixture
def tfvars(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the working tree the lock and the journal belong to
    path = tmp_path / "terraform.tfvars"
    path.write_text(TFVARS)
    return path


def test_get_gives_the_value_as_json(tfvars: Path) -> None:
    assert get_value(tfvars, "/ecr_repositories/orders") == '{\n  "scan": true\n}'


def test_set_shows_the_diff_and_writes_only_when_asked(tfvars: Path) -> None:
    diff = set_value(tfvars, "/region", '"us-east-1"', overwrite=True, document=0, write=False)
    assert '-region = "eu-west-1"' in diff and '+region = "us-east-1"' in diff
    assert tfvars.read_text() == TFVARS
    assert set_value(tfvars, "/region", '"us-east-1"', overwrite=True, document=0, write=True) == diff
    assert get_value(tfvars, "/region") == '"us-east-1"'


def test_remove_writes_the_file_without_the_entry(tfvars: Path) -> None:
    remove_value(tfvars, "/ecr_repositories/orders", document=0, write=True)
    assert get_value(tfvars, "/ecr_repositories") == "{}"


def test_a_missing_file_and_a_bad_value_change_nothing(tfvars: Path) -> None:
    with pytest.raises(NotFoundError, match="missing.tfvars: no such file"):
        set_value(tfvars.with_name("missing.tfvars"), "/a", "1", overwrite=True, document=0, write=True)
    with pytest.raises(UsageError, match="not valid JSON"):
        set_value(tfvars, "/region", "us-east-1", overwrite=True, document=0, write=True)
    assert tfvars.read_text() == TFVARS
    assert not tfvars.with_name("missing.tfvars").exists()
