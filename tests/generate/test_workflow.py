"""generate/workflow.py: a kind's workflow_dispatch workflow, pinned to a commit of the action."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from gitops_writer.errors import UsageError
from gitops_writer.generate.fields import Input
from gitops_writer.generate.workflow import (
    action_from_direct_url,
    check_action,
    render_workflow,
    workflow_data,
    workflow_input,
)
from gitops_writer.kinds import load_config
from gitops_writer.values import JSONObject, JSONValue

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "kinds"
SHA = "0123456789abcdef0123456789abcdef01234567"


@pytest.mark.parametrize("action", ["acme/gitops-writer@v1", "acme/gitops-writer", f"acme@{SHA}"])
def test_the_action_is_pinned_to_a_full_commit(action: str) -> None:
    with pytest.raises(UsageError, match="full 40-character commit SHA"):
        check_action(action)
    with pytest.raises(UsageError, match="release name"):
        check_action(f"acme/gitops-writer@{SHA}", "v1 # x")
    assert check_action(f"acme/gitops-writer@{SHA}", "v1.2.0") == f"acme/gitops-writer@{SHA}"


def test_an_installation_from_a_github_commit_names_its_action() -> None:
    direct = {
        "url": "https://github.com/acme/gitops-writer.git",
        "vcs_info": {"commit_id": SHA, "requested_revision": "v1.2.0"},
    }
    assert action_from_direct_url(json.dumps(direct), "1.0.0") == (f"acme/gitops-writer@{SHA}", "v1.2.0")
    direct["vcs_info"] = {"commit_id": SHA}
    assert action_from_direct_url(json.dumps(direct), "1.0.0") == (f"acme/gitops-writer@{SHA}", "v1.0.0")
    assert action_from_direct_url(json.dumps({"url": "file:///src"}), "1.0.0") is None
    assert action_from_direct_url("not json", "1.0.0") is None


@pytest.mark.parametrize(
    ("schema", "required", "wanted"),
    [
        ({"type": "string", "enum": ["a", 1]}, True, {"type": "choice", "options": ["a", "1"]}),
        ({"type": "integer"}, True, {"type": "number"}),
        ({"type": "integer"}, False, {"type": "string"}),  # optional with no default: a text left empty
        ({"type": "boolean", "default": False}, False, {"type": "boolean", "default": False}),
        ({"type": "array", "default": ["a"]}, False, {"type": "string", "default": '["a"]'}),
    ],
)
def test_a_field_becomes_a_dispatch_input(schema: dict[str, object], required: bool, wanted: dict[str, object]) -> None:
    out = workflow_input(Input("f", "f", schema, required), "main")
    assert {key: out[key] for key in wanted} == wanted and out["required"] is required
    assert out["description"] == ('f (a JSON list, e.g. ["a", "b"])' if schema["type"] == "array" else "f")


def test_the_workflow_runs_the_pinned_action_with_no_default_permissions(tmp_path: Path) -> None:
    ecr = load_config(tmp_path).requests["ecr"]
    data = workflow_data(ecr, "main", f"acme/gitops-writer@{SHA}", "v1.2.0")
    assert data["permissions"] == {}
    assert yaml.safe_load(render_workflow(ecr, "main", f"acme/gitops-writer@{SHA}", "v1.2.0")) == data
    assert f"acme/gitops-writer@{SHA} # v1.2.0" in render_workflow(ecr, "main", f"acme/gitops-writer@{SHA}", "v1.2.0")


def _checkout(data: JSONObject) -> JSONValue:
    job = data["jobs"]["request"]
    return job["steps"][0]["with"]


def test_a_numbered_kind_checks_out_the_whole_history_and_others_only_the_tip(tmp_path: Path) -> None:
    s3 = load_config(tmp_path, EXAMPLES / "s3.yaml").requests["s3"]
    ecr = load_config(tmp_path).requests["ecr"]
    action = f"acme/gitops-writer@{SHA}"
    assert _checkout(workflow_data(s3, "main", action, "v1.2.0")) == {"fetch-depth": 0, "persist-credentials": False}
    assert _checkout(workflow_data(ecr, "main", action, "v1.2.0")) == {"persist-credentials": False}
