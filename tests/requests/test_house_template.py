"""A file started from the house's own template file: Backstage's Nunjucks or this tool's placeholders,
and never a value turned into YAML structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.errors import ConfigError, ValidationError
from gitops_writer.requests.house_template import render_skeleton
from gitops_writer.values import JSONValue
from tests.kinds.test_examples import SEED, seed  # noqa: F401  (a fixture)

SKELETON = """\
# Contract
---
id: ${{ values.requestId }}
owner: ${{ values.owner }}
title: "Queue ${{ values.name }} of ${{ values.owner }}"
note: '${{ values.note }}'
size: {{ values.size }}
{%- if values.tier == 'premium' %}
replicas: 3
{%- elif values.tier == "basic" %}
replicas: 1
{%- else %}
replicas: 0
{%- endif %}
zones:
{%- for zone in values.zones %}
  - {{ zone }}
{%- endfor %}
{# a comment the file does not keep #}
"""
VALUES: dict[str, JSONValue] = {
    "requestId": "Q-001", "owner": "team-a", "name": "jobs", "note": "it's fine", "size": 3, "tier": "premium",
    "zones": ["a", "b"],
}  # fmt: skip


def rendered(text: str = SKELETON, **changed: JSONValue) -> str:
    values = {**VALUES, **changed}
    return render_skeleton(text, "skeleton.yaml", values.get, frozenset(VALUES))[0]


def test_the_house_nunjucks_renders_as_backstage_means_it() -> None:
    assert rendered() == (
        "# Contract\n---\nid: Q-001\nowner: team-a\ntitle: \"Queue jobs of team-a\"\nnote: 'it''s fine'\nsize: 3\n"
        "replicas: 3\nzones:\n  - a\n  - b\n\n"
    )
    assert "replicas: 1\n" in rendered(tier="basic") and "replicas: 0\n" in rendered(tier=None)
    assert "zones:\n\n" in rendered(zones=[])  # nothing to list: the skeleton's key, empty (null)


@pytest.mark.parametrize(
    ("changed", "line"),
    [
        ({"owner": "a: b\nkind: Evil"}, 'owner: "a: b\\nkind: Evil"'),  # a whole plain scalar: quoted, escaped
        ({"owner": "true"}, 'owner: "true"'),  # a text stays a text
        ({"name": 'x" , "evil": "1'}, 'title: "Queue x\\" , \\"evil\\": \\"1 of team-a"'),  # escaped in quotes
        ({"owner": ["a", "b"]}, "owner: [a, b]"),  # a list field's value is a list where it is a whole value
    ],
)
def test_a_value_never_becomes_structure(changed: dict[str, JSONValue], line: str) -> None:
    text = rendered(**changed)
    assert f"\n{line}\n" in text
    data = YAML(typ="safe").load(text)
    assert set(data) == {"id", "owner", "title", "note", "size", "replicas", "zones"}


def test_a_value_that_cannot_stand_where_the_skeleton_puts_it_is_refused_naming_it() -> None:
    plain_text = "name: ecr-${{ values.name }}\n"
    assert rendered(plain_text) == "name: ecr-jobs\n"
    with pytest.raises(ValidationError, match="name: does not fit where skeleton.yaml writes it"):
        rendered(plain_text, name="jobs #not a comment")
    with pytest.raises(ValidationError, match="note: cannot be written inside the skeleton's single-quoted text"):
        rendered(note="a\ufeffb")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: ${{ values.name | upper }}\n", r"line 1: \$\{\{ values.name \| upper \}\} is not values.NAME"),
        ("{% include 'x' %}\n", "is a tag the tool does not render"),
        ("{% if values.name %}\na: 1\n", r"a \{% if %\} or \{% for %\} is not closed"),
        ("a: 1\n{% endfor %}\n", r"line 2: \{% endfor %\} has no \{% for %\} open"),
        ("a: ${{ values.name\n", r"line 1: \$\{\{ is not closed by \}\}"),
        ("a: 1\n" + "{{" * 60_000, r"line 2: \{\{ is not closed by \}\}"),  # at once, not after a while
        ("{% if values.name %}" * 3 + "a: 1\n", r"a \{% if %\} or \{% for %\} is not closed"),
        ("{% if values.name %}" * 5_000 + "{% endif %}" * 5_000, "line 1: tags nest more than 50 deep"),
        ("a: ${{ values.nmae }}\n", "names nmae, which is not one of the values the edit gives it"),
        ("a: 1\n---\nb: 2\n", "renders 2 YAML documents, not one"),
        ("a: [1\n", "is not YAML the tool reads"),
    ],
)
def test_a_skeleton_the_tool_cannot_render_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        rendered(text)


def test_our_own_placeholders_where_the_skeleton_has_no_nunjucks() -> None:
    text = "# {name}: its flow mapping stays\nid: {requestId}\nextra: {a: 1}\nowner: {owner}\n"
    assert rendered(text) == "# jobs: its flow mapping stays\nid: Q-001\nextra: {a: 1}\nowner: team-a\n"


def test_the_seeds_secret_skeleton_chooses_by_comparison(seed: Path) -> None:  # noqa: F811
    text = next((seed / "catalog/templates/skeletons/secret-request").iterdir()).read_text()
    names = ["requestId", "description", "owner", "secretName", "serviceName", "environment", "domain", "requester",
             "secretType", "risk", "rotationClass", "namespace", "k8sSecretName"]  # fmt: skip
    values: dict[str, JSONValue] = {name: f"v-{name.lower()}" for name in names}
    for risk, days in (("low", 0), ("medium", 7), ("high", 30)):
        values["risk"] = risk
        made = render_skeleton(text, "secret", values.get, frozenset(names))[1]
        assert made["spec"]["lifecycle"] == {"status": "active", "recoveryWindowInDays": days}  # type: ignore[index,call-overload]


def test_a_request_starts_its_file_from_the_skeleton_and_finds_it_again(tmp_path: Path) -> None:
    from gitops_writer.kinds import load_config
    from gitops_writer.requests.runner import apply
    from tests.requests.conftest import flat_request, snapshot_of
    from tests.requests.test_sequence import KIND, add_ticket_kind

    add_ticket_kind(tmp_path)
    skeleton = "templates/skeletons/ticket/${{ values.requestId }}.yaml"
    (tmp_path / skeleton).parent.mkdir(parents=True)
    (tmp_path / skeleton).write_text(
        "# Ticket\n---\nid: ${{ values.requestId }}\n\nspec:\n  ticket: ${{ values.ticket }}\n"
    )
    contract = KIND[KIND.index("      - id: contract") :]  # the contract alone records the number
    with_skeleton = (
        '      - id: contract\n        kind: file\n        path: "docs/tickets/{id}.yaml"\n'
        f'        skeleton: "{skeleton}"\n        value: {{requestId: "{{id}}", ticket: "{{name}}"}}\n'
    )
    (tmp_path / ".gitops-writer.yaml").write_text(KIND.replace(contract, with_skeleton))
    config, before = load_config(tmp_path), snapshot_of(tmp_path)
    made = apply(tmp_path, flat_request("ticket", "create", name="alpha", environment="dev", service="pay"), config)
    assert made.changes.status == "created"
    assert (tmp_path / "docs/tickets/T-001.yaml").read_text() == "# Ticket\n---\nid: T-001\n\nspec:\n  ticket: alpha\n"
    again = apply(tmp_path, flat_request("ticket", "create", name="alpha", environment="dev", service="pay"), config)
    assert again.changes.status == "unchanged"  # its record found where the skeleton writes the name
    beta = apply(tmp_path, flat_request("ticket", "create", name="beta", environment="dev", service="pay"), config)
    assert beta.request.values["id"] == "T-002"
    for name in ("alpha", "beta"):
        assert apply(tmp_path, flat_request("ticket", "remove", name=name, environment="dev"), config).changes.changed
    assert snapshot_of(tmp_path) == before


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"header": "# x\n"}, "only a file edit starts from a skeleton, which has its own header"),
        ({"skeleton": "../outside.yaml"}, "is not a path inside the repository"),
        ({"value": ["a"]}, "with a skeleton, maps each of the skeleton's values to a template"),
    ],
)
def test_a_bad_skeleton_setting_is_refused(edit: dict[str, object], message: str) -> None:
    from gitops_writer.kinds import build_config
    from tests.requests.test_sequence import KIND

    settings = YAML(typ="safe").load(KIND)
    contract = settings["requests"]["ticket"]["edits"][0]
    contract.pop("header")
    contract.update({"skeleton": "templates/t.yaml", "value": {"requestId": "{id}"}, **edit})
    with pytest.raises(ConfigError, match=message):
        build_config(settings)
