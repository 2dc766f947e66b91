from __future__ import annotations

import json
from pathlib import Path

import pytest

from gitops_writer.actions.workflow import report_to_actions
from gitops_writer.publish import PublishResult

CREATED = PublishResult(
    "created",
    "registry/create-gamma",
    "development",
    number=7,
    url="https://github.com/acme/infra/pull/7",
    head_sha="a" * 40,
    title="Create ECR Registry: gamma (dev)",
    files=("registries.txt",),
)


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` or `name<<DELIMITER` ... `DELIMITER`."""
    outputs: dict[str, str] = {}
    lines = iter(text.split("\n"))
    for line in lines:
        if not line:
            continue
        if "<<" in line:
            name, delimiter = line.split("<<", 1)
            value = []
            for inner in lines:
                if inner == delimiter:
                    break
                value.append(inner)
            else:
                raise AssertionError(f"{name}: delimiter {delimiter} never closes")
            outputs[name] = "\n".join(value)
        else:
            name, _, value_text = line.partition("=")
            outputs[name] = value_text
    return outputs


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (
            CREATED,
            {
                "pull-request-number": "7",
                "pull-request-url": "https://github.com/acme/infra/pull/7",
                "pull-request-operation": "created",
                "branch": "registry/create-gamma",
                "head-sha": "a" * 40,
                "commit-verified": "false",
            },
        ),
        (
            PublishResult(
                "none", "registry/create-beta", "development", reason="development already holds these changes"
            ),
            {
                "pull-request-number": "",
                "pull-request-url": "",
                "pull-request-operation": "none",
                "branch": "registry/create-beta",
                "head-sha": "",
                "commit-verified": "false",
            },
        ),
    ],
    ids=["created", "none"],
)
def test_github_output_carries_the_six_outputs(result: PublishResult, expected: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.write_text("earlier=step\n")
    report_to_actions(result, {"GITHUB_OUTPUT": str(out)})
    assert parse_outputs(out.read_text()) == {"earlier": "step", **expected}


def test_step_summary_links_the_pull_request_and_lists_the_files(tmp_path: Path) -> None:
    summary = tmp_path / "summary"
    warned = PublishResult(**{**CREATED.__dict__, "warnings": ("labels dev were not added: 403",)})
    report_to_actions(warned, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert summary.read_text() == (
        "### gitops-writer: pull request opened\n\n"
        "[#7 Create ECR Registry: gamma (dev)](https://github.com/acme/infra/pull/7)\n\n"
        f"Branch `registry/create-gamma` into `development` at `{'a' * 12}`.\n\n"
        "Changed files:\n- `registries.txt`\n\n"
        "> **Warning:** labels dev were not added: 403\n"
    )


def test_warnings_become_annotations_only_under_actions(capsys: pytest.CaptureFixture[str]) -> None:
    warned = PublishResult("unchanged", "b", "development", warnings=("labels x were not added: a, b\nc",))
    report_to_actions(warned, {})
    assert capsys.readouterr().out == ""
    report_to_actions(warned, {"GITHUB_ACTIONS": "true"})
    assert capsys.readouterr().out == "::warning title=gitops-writer publish::labels x were not added: a, b%0Ac\n"


def test_nothing_is_written_outside_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path / "home")
    report_to_actions(CREATED, {"GITHUB_OUTPUT": "", "GITHUB_STEP_SUMMARY": ""})
    assert list(Path.cwd().iterdir()) == [] and capsys.readouterr().out == ""


def test_json_for_scripts() -> None:
    assert json.loads(CREATED.to_json()) == {
        "operation": "created",
        "number": 7,
        "url": "https://github.com/acme/infra/pull/7",
        "branch": "registry/create-gamma",
        "base_branch": "development",
        "head_sha": "a" * 40,
        "title": "Create ECR Registry: gamma (dev)",
        "files": ["registries.txt"],
        "reason": "",
        "warnings": [],
        "commit_verified": False,
    }
