"""What a workflow requires, proposed for a kind that does not require it yet."""

from __future__ import annotations

from pathlib import Path

import yaml

from gitops_writer.init import infer, render_config
from gitops_writer.kinds import build_config

WORKFLOW = """\
on:
  workflow_dispatch:
    inputs:
      registry_name: {required: true}
      domain: {required: true}
      risk: {required: false}
jobs: {}
"""


def test_an_input_the_workflow_requires_becomes_required_with_its_line(tmp_path: Path) -> None:
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/create-ecr-registry.yml").write_text(WORKFLOW)
    optional = ["name", "environment", "owner", "requester", "risk"]
    config = build_config({"requests": {"ecr": {"fields": {"required": optional}}}})
    inference = infer(tmp_path, "ecr", config.requests["ecr"], config.environments)
    assert inference.settings == {"fields": {"required": [*optional, "domain"]}}
    text = render_config([inference])
    assert (
        "    fields:\n      # domain: input domain is required, .github/workflows/create-ecr-registry.yml:5\n" in text
    )
    assert yaml.safe_load(text)["requests"]["ecr"]["fields"]["required"][-1] == "domain"
    assert "required: domain, as the workflow or template requires them" in inference.notes
