"""Every fixture in fixtures/tfvars: snapshots of the edited file and the dry-run diff, checked by Terraform."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.diff import unified_diff
from gitops_writer.errors import ConflictError
from gitops_writer.hcl import HclEditor
from gitops_writer.repo.files import FileChange
from tests import terraform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tfvars"
ENTRY = {"metadata": {"id": "REGISTRY_PAYMENTS_API", "owner": "team-payments", "risk": "low"}}

# fixture -> (pointer, value); None means remove
EDITS: dict[str, list[tuple[str, Any]]] = {
    "sorted-map.tfvars": [("/ecr_repositories/payments-api", ENTRY), ("/tags/Owner", "platform")],
    "inline-empty.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "commented-only.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "crlf.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "tabs.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "no-final-newline.tfvars": [("/ecr_repositories/payments-api", ENTRY), ("/ecr_repositories/alpha", None)],
    "one-line-entries.tfvars": [("/ecr_repositories/bravo", ENTRY), ("/subnets/c", "10.0.3.0/24")],
    "flat-aligned.tfvars": [("/image_tags/scheduler", "0.9.0"), ("/image_tags/nightly-reports", None)],
    "four-space.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "colon-separators.tfvars": [("/ecr_repositories/payments-api", ENTRY)],
    "block-comments.tfvars": [
        ("/ecr_repositories/payments-api", ENTRY),
        ("/ecr_repositories/ledger/metadata/risk", "medium"),
    ],
    "unsorted-bare-keys.tfvars": [("/ecr_repositories/payments-api", ENTRY), ("/ecr_repositories/zulu", None)],
}


def _edit(text: str, pointer: str, value: Any) -> str:
    tokens = tuple(pointer[1:].split("/"))
    return HclEditor().remove(text, tokens) if value is None else HclEditor().set(text, tokens, value)


def _expected(data: dict[str, Any], pointer: str, value: Any) -> None:
    *parents, last = pointer[1:].split("/")
    for token in parents:
        data = data.setdefault(token, {})
    if value is None:
        del data[last]
    else:
        data[last] = json.loads(json.dumps(value))


def test_every_fixture_has_edits() -> None:
    assert sorted(EDITS) == sorted(p.name for p in FIXTURES.glob("*.tfvars") if p.name != "duplicate-keys.tfvars")


@pytest.mark.parametrize(("name", "pointer", "value"), [(n, p, v) for n, edits in EDITS.items() for p, v in edits])
def test_fixture_edit(name: str, pointer: str, value: Any, snapshot: Any) -> None:
    before = (FIXTURES / name).read_bytes().decode()
    after = _edit(before, pointer, value)
    assert after == snapshot(name="file")
    assert unified_diff([FileChange(f"fixtures/tfvars/{name}", before, after)]) == snapshot(name="diff")
    if value is not None:  # set, then remove: every original byte comes back for a new key
        existed = True
        try:
            HclEditor().get(before, tuple(pointer[1:].split("/")))
        except Exception:
            existed = False
        if not existed and pointer.count("/") == 2:
            assert HclEditor().remove(after, tuple(pointer[1:].split("/"))) == before


@pytest.mark.slow
def test_terraform_reads_every_edit_as_intended() -> None:
    befores, afters, expectations = [], [], []
    for name, edits in EDITS.items():
        for pointer, value in edits:
            before = (FIXTURES / name).read_bytes().decode()
            befores.append(before)
            afters.append(_edit(before, pointer, value))
            expectations.append((pointer, value))
    read_before, read_after = terraform.read_back(befores), terraform.read_back(afters)
    for old, new, (pointer, value) in zip(read_before, read_after, expectations, strict=False):
        _expected(old, pointer, value)
        assert new == old, pointer


@pytest.mark.slow
def test_fmt_clean_fixtures_stay_fmt_clean() -> None:
    cases = [(n, (FIXTURES / n).read_bytes().decode()) for n in EDITS]
    clean = terraform.fmt_clean([text for _, text in cases])
    edited = [_edit(text, p, v) for (name, text), ok in zip(cases, clean, strict=False) if ok for p, v in EDITS[name]]
    assert sum(clean) >= 6, "too few fmt-clean fixtures to mean anything"
    assert all(terraform.fmt_clean(edited))


def test_duplicate_keys_refused() -> None:
    text = (FIXTURES / "duplicate-keys.tfvars").read_text()
    with pytest.raises(ConflictError, match="more than once"):
        HclEditor().set(text, ("ecr_repositories", "alpha"), ENTRY)
    with pytest.raises(ConflictError, match="more than once"):
        HclEditor().set(text, ("ecr_repositories", "beta"), ENTRY)
