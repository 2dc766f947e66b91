"""A kind's own pull request sections, each chosen by a JSON Schema condition over the fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import build_config, load_config
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import apply, prepare
from tests.kinds.test_examples import KINDS, seed  # noqa: F401  (a fixture)

KIND = """\
requests:
  queue:
    title: Queue
    fields:
      properties:
        name: {title: Name, type: string}
        environment: {title: Environment, type: string}
        public: {title: Public, type: boolean, default: false}
        notes: {title: Notes, type: string}
    id: "Q_{name_id}"
    branch: "queue/create-{name}"
    commit: "queue: create {name}"
    labels: [queue]
    controls_field: environment
    controls: {prod: ["Two reviews."]}
    sections:
      - title: Approval
        when: {properties: {environment: {not: {const: dev}}}}
        items: ["Platform approval for {environment}."]
      - title: Approval
        when: {properties: {public: {const: true}}}
        items: ["A public-access exception is attached."]
      - title: Notes
        when: {required: [notes]}
        text: "> {notes}"
      - {title: Next steps, items: [Review, Merge]}
    edits:
      - {id: file, kind: file, path: "queues/{name}.yaml", value: {name: "{name}"}}
"""


def body(tmp_path: Path, settings: dict[str, Any] | None = None, **fields: object) -> str:
    config = build_config(settings or YAML(typ="safe").load(KIND))
    given = {"name": "jobs", "environment": "dev", **fields}
    return prepare(tmp_path, Request("queue", "create", given, "2026-12-01"), config).publish.pr_body


def test_every_section_that_holds_is_written_and_one_title_gathers_its_items(tmp_path: Path) -> None:
    both = body(tmp_path, environment="prod", public=True, notes="Nightly\n### not a heading")
    assert (
        "### Controls for prod environment\n\n- Two reviews.\n\n"  # the old controls_field still works
        "### Approval\n\n- Platform approval for `prod`.\n- A public-access exception is attached.\n\n"
        "### Notes\n\n> `Nightly ### not a heading`\n\n"  # a value is code on one line, never markup
        "### Next steps\n\n- Review\n- Merge\n\n### Changes\n"
    ) in both
    dev = body(tmp_path)
    assert "### Approval" not in dev and "### Notes" not in dev and "### Next steps\n\n- Review\n- Merge\n" in dev
    config = build_config(YAML(typ="safe").load(KIND))
    apply(tmp_path, Request("queue", "create", {"name": "jobs", "environment": "dev"}, "2026-12-01"), config)
    removal = prepare(tmp_path, Request("queue", "remove", {"name": "jobs", "environment": "dev"}, ""), config)
    assert "### Next steps" not in removal.publish.pr_body  # a pull request that creates, only


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"title": "A", "items": ["x"], "if": {}}, r"sections\[0\]: unknown setting 'if'"),
        ({"title": "A", "when": {"properties": {"size": {"const": 1}}}, "items": ["x"]}, "size is not a field"),
        ({"title": "A"}, r"sections\[0\]: needs a text or items"),
        ({"title": "A", "text": "{missing}"}, r"sections\[0\]\.text: unknown placeholder \{missing\}"),
        ({"title": "# A", "text": "x"}, "must be one line, without the heading's #"),
    ],
)
def test_a_bad_section_is_refused_naming_it(section: dict[str, Any], message: str) -> None:
    settings = YAML(typ="safe").load(KIND)
    settings["requests"]["queue"]["sections"] = [section]
    with pytest.raises(ConfigError, match=message):
        build_config(settings)


def test_the_s3_kind_writes_the_workflows_approval_requirements(seed: Path) -> None:  # noqa: F811
    config = load_config(seed, KINDS / "s3.yaml")
    fields = {
        "name": "payments-api", "purpose_description": "Assets of the web shop", "owner": "app-team",
        "requester": "amelia.park", "cost_center": "cc-42", "retention_rationale": "Kept for the audits",
    }  # fmt: skip

    def approval(**more: str) -> str:
        made = prepare(seed, Request("s3", "create", {**fields, **more}, "2026-12-01"), config).publish.pr_body
        return made[made.index("### Approval Requirements") : made.index("### Purpose")]

    assert approval(environment="prod", purpose_type="static-assets") == (
        "### Approval Requirements\n\n- ⚠️ **Non-dev environment** - requires platform approval\n"
        "- ⚠️ **Static assets** - requires CDN/public access review\n\n"
    )
    assert approval(environment="test", purpose_type="logs", public_access="exception-approved") == (
        "### Approval Requirements\n\n- ⚠️ **Public access exception** - requires platform approval\n\n"
    )
    assert approval(environment="dev", purpose_type="logs") == (
        "### Approval Requirements\n\n- ✅ Auto-approval eligible (dev environment, blocked access)\n\n"
    )
