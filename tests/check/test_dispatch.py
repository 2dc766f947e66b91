"""`check` knows the form contract: each way a template's field cannot reach the workflow as it expects is one
finding, with the file and line (check/dispatch.py, and the kind's requester rule in check/drift.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gitops_writer.check.dispatch import Sent, read_sent, sent_parameter
from tests.fit.support import gw

TEMPLATE = "catalog/templates/ecr-request.yaml"
WORKFLOW = ".github/workflows/create-ecr-registry.yml"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("value", "read"),
    [
        ("${{ parameters.name }}", Sent("name", (), None)),
        ("${{parameters.owner|parseEntityRef|pick('name')}}", Sent("owner", ("parseEntityRef", "pick('name')"), None)),
        (
            "${{ parameters.owner | parseEntityRef | pick('name') if parameters.owner else '' }}",
            Sent("owner", ("parseEntityRef", "pick('name')"), "''"),
        ),
        ('${{ parameters.tags | join(", |") | default("") }}', Sent("tags", ('join(", |")', 'default("")'), None)),
        ("${{ parameters.owner | parseEntityRef if parameters.other else '' }}", None),
        ("${{ parameters.a }}-${{ parameters.b }}", None),
        ("${{ parameters.a + 1 }}", None),
    ],
)
def test_a_sent_value_is_read_as_its_parameter_filters_and_guard(value: str, read: Sent | None) -> None:
    assert read_sent(value) == read
    assert sent_parameter(value) == ("name" if value == "${{ parameters.name }}" else None)


def _line(path: Path, text: str) -> int:
    return next(n for n, row in enumerate(path.read_text().splitlines(), 1) if text in row)


def _enum_on_the_picker(repo: Path) -> tuple[str, str, str]:
    _replace(
        repo / TEMPLATE,
        "          ui:field: OwnerPicker\n",
        "          enum: [team-a]\n          ui:field: OwnerPicker\n",
    )
    return TEMPLATE, "        owner:", "owner is an OwnerPicker with an enum"


def _user_entity(repo: Path) -> tuple[str, str, str]:
    _replace(repo / TEMPLATE, "user.ref | parseEntityRef | pick('name')", "user.entity.metadata.name")
    return TEMPLATE, "user: ${{ user.entity", "sends user from user.entity, which is empty"


def _typed_requester(repo: Path) -> tuple[str, str, str]:
    _replace(
        repo / TEMPLATE,
        "        domain:\n",
        "        requester:\n          title: You\n          type: string\n          pattern: ^[a-z0-9-]+$\n"
        "        domain:\n",
    )
    return TEMPLATE, "        requester:", "requester refuses the Backstage user 'amelia.park'"


def _parsed_plain_name(repo: Path) -> tuple[str, str, str]:
    _replace(repo / TEMPLATE, "domain: ${{ parameters.domain }}", "domain: ${{ parameters.domain | parseEntityRef }}")
    return TEMPLATE, "domain: ${{ parameters.domain |", "sends domain through parseEntityRef"


def _raw_ref(repo: Path) -> tuple[str, str, str]:
    _replace(repo / TEMPLATE, "${{ parameters.owner | parseEntityRef | pick('name') }}", "${{ parameters.owner }}")
    return TEMPLATE, "owner: ${{ parameters.owner }}", "sends owner as the entity ref OwnerPicker gives"


def _optional_picker(repo: Path) -> None:
    _replace(repo / TEMPLATE, "        - environment\n        - owner\n", "        - environment\n")


def _unguarded_optional_picker(repo: Path) -> tuple[str, str, str]:
    _optional_picker(repo)
    return TEMPLATE, "owner: ${{ parameters.owner |", "owner is optional: left empty, the expression cannot render"


def _too_many_inputs(repo: Path) -> tuple[str, str, str]:
    extra = "".join(f"      extra_{i}:\n        type: string\n" for i in range(20))
    _replace(repo / WORKFLOW, "      registry_name:\n", extra + "      registry_name:\n")
    return WORKFLOW, "    inputs:", "declares 27 workflow_dispatch inputs, more than the 25 GitHub accepts"


def _requester_rule(repo: Path) -> tuple[str, str, str]:
    (repo / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    fields:\n      properties:\n"
        "        requester: {type: string, pattern: '^[a-z0-9-]+$'}\n"
    )
    return ".gitops-writer.yaml", "requester:", "requester field refuses the Backstage user 'amelia.park'"


def test_the_generated_template_and_workflow_keep_the_contract(built: Path) -> None:
    done = gw("check", f"--repo={built}", "--json")
    assert done.code == 0 and done.findings == [], done.findings


@pytest.mark.parametrize(
    "fault",
    [
        _enum_on_the_picker,
        _user_entity,
        _typed_requester,
        _parsed_plain_name,
        _raw_ref,
        _unguarded_optional_picker,
        _too_many_inputs,
        _requester_rule,
    ],
)
def test_each_broken_hand_over_is_one_finding_with_file_and_line(
    built: Path, fault: Callable[[Path], tuple[str, str, str]]
) -> None:
    path, where, message = fault(built)
    done = gw("check", f"--repo={built}", "--json")
    found = [f for f in done.findings if message in f["message"]]
    assert len(found) == 1, done.findings
    assert (found[0]["path"], found[0]["line"], found[0]["severity"]) == (path, _line(built / path, where), "error")
    assert done.code == 1


def test_an_optional_picker_guarded_against_being_left_empty_keeps_the_contract(built: Path) -> None:
    _optional_picker(built)
    picked = "parameters.owner | parseEntityRef | pick('name')"
    _replace(built / TEMPLATE, f"${{{{ {picked} }}}}", f"${{{{ {picked} if parameters.owner else '' }}}}")
    done = gw("check", f"--repo={built}", "--json")
    assert done.code == 0 and done.findings == [], done.findings
