"""The Backstage template, the dispatch workflow, the action and CI agree with each other and with the CLI."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from gitops_writer.actions.entry import VARIABLES
from tests.action.conftest import FIXTURE, ROOT

TEMPLATE = ROOT / "examples" / "backstage" / "ecr-request.yaml"
WORKFLOW = ROOT / "examples" / "workflows" / "create-ecr-registry.yml"
REFRESH = ROOT / "examples" / "workflows" / "refresh-requests.yml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
ACTION = ROOT / "action.yml"
PINS = {  # the only third-party actions, at the commits the reference pins
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "hashicorp/setup-terraform": ("dfe3c3f87815947d99a8997f908cb6525fc44e9e", "v4.0.1"),
    "aws-actions/configure-aws-credentials": ("e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"),
    # the release workflow's: each SHA is the commit its release tag points to
    "actions/attest-build-provenance": ("a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", "v4.1.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "pypa/gh-action-pypi-publish": ("ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e", "v1.13.0"),
    # the action's venv cache: the commit actions/cache's v5.0.5 tag points to
    "actions/cache/restore": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
    "actions/cache/save": ("27d5ce7f107fe9357f9df03efb73ab90386fccae", "v5.0.5"),
}


def load(path: Path) -> Any:
    return yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # every scalar a string, as the runner reads it


def steps(path: Path) -> Iterator[dict[str, Any]]:
    document = load(path)
    if "runs" in document:
        yield from document["runs"]["steps"]
    for job in (document.get("jobs") or {}).values():
        yield from job["steps"]


def template() -> dict[str, Any]:
    return yaml.safe_load(TEMPLATE.read_text())  # type: ignore[no-any-return]


def test_backstage_accepts_the_template(backstage_validate: Callable[[str], None]) -> None:
    backstage_validate(TEMPLATE.read_text())


def test_the_template_dispatches_the_workflow_with_exactly_its_inputs() -> None:
    [step] = template()["spec"]["steps"]
    assert step["action"] == "github:actions:dispatch"
    assert (step["input"]["workflowId"], step["input"]["branchOrTagName"]) == (WORKFLOW.name, "main")
    sent = step["input"]["workflowInputs"]
    declared = load(WORKFLOW)["on"]["workflow_dispatch"]["inputs"]
    assert set(sent) == set(declared)
    assert sent["base_branch"] == declared["base_branch"]["default"] == "development"
    assert sent["user"] == "${{ user.ref | parseEntityRef | pick('name') }}"  # users with no catalog entity too
    assert sent["owner"] == "${{ parameters.owner | parseEntityRef | pick('name') }}"  # a group name, not a ref


def test_the_form_offers_what_the_workflow_and_the_cli_accept() -> None:
    form = template()["spec"]["parameters"][0]["properties"]
    declared = load(WORKFLOW)["on"]["workflow_dispatch"]["inputs"]
    assert form["environment"]["enum"] == declared["environment"]["options"] == ["dev", "test", "staging", "prod"]
    assert form["risk"]["enum"] == declared["risk"]["options"] == ["low", "medium", "high"]
    pattern = form["name"]["pattern"]  # the kind's two name rules, as lookaheads: what the CLI accepts
    assert [bool(re.fullmatch(pattern, n)) for n in ("payments-api", "a1", "Payments", "a--b", "a-", "1a")] == [
        True,
        True,
        False,
        False,
        False,
        False,
    ]
    assert (form["name"]["minLength"], form["name"]["maxLength"]) == (2, 59)
    assert form["owner"]["ui:field"] == "OwnerPicker"


@pytest.mark.parametrize(("length", "accepted"), [(59, True), (60, False)])
def test_the_longest_name_the_form_allows_is_the_longest_the_cli_accepts(length: int, accepted: bool) -> None:
    name = "a" * length
    assert bool(re.fullmatch(template()["spec"]["parameters"][0]["properties"]["name"]["pattern"], name))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "gitops_writer",
            "ecr",
            "request",
            f"--repo={FIXTURE}",
            f"--name={name}",
            "--environment=dev",
            "--owner=team-a",
            "--requester=jdoe",
            "--domain=payments",
            "--risk=low",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode == 0) == accepted, done.stderr


def test_the_output_links_the_runs_and_the_request_branch_pull_requests() -> None:
    links = {link["title"]: link["url"] for link in template()["spec"]["output"]["links"]}
    runs, pulls = links.values()
    assert runs.endswith(f"/actions/workflows/{WORKFLOW.name}")
    assert pulls.endswith("/pulls?q=is%3Apr+head%3Aregistry%2Fcreate-${{ parameters.name }}")
    assert runs.rsplit("/actions/", 1)[0] == pulls.rsplit("/pulls", 1)[0]  # the same repository


def test_the_workflow_passes_every_request_input_to_the_action_with_least_privilege() -> None:
    workflow = load(WORKFLOW)
    assert workflow["permissions"] == {}
    job, plan = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert plan["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
    assert workflow["concurrency"]["group"].endswith("${{ inputs.registry_name }}")
    [checkout, action, _report] = job["steps"]
    assert checkout["with"]["persist-credentials"] == "false"
    declared = load(ACTION)["inputs"]
    assert action["with"] == {
        "kind": "ecr",
        "fields": "${{ toJSON(inputs) }}",
        "base-branch": "${{ inputs.base_branch }}",
    }
    assert set(action["with"]) <= set(declared)
    # no input is required by itself any more (kind + fields serve any kind)
    assert not {name for name, spec in declared.items() if spec.get("required") == "true"}
    assert "GITHUB_TOKEN" in WORKFLOW.read_text() and "create-github-app-token" in WORKFLOW.read_text()


def test_every_action_input_reaches_the_entry_as_its_own_variable() -> None:
    action = load(ACTION)
    [request] = [step for step in action["runs"]["steps"] if step.get("id") == "request"]
    passed = {name: f"${{{{ inputs.{name} }}}}" for name in VARIABLES}
    assert {request["env"][variable]: name for name, variable in VARIABLES.items()} == {v: k for k, v in passed.items()}
    assert set(action["inputs"]) == set(VARIABLES) | {"python-version"}
    assert set(action["outputs"]) == {
        "pull-request-url",
        "pull-request-number",
        "pull-request-operation",
        "branch",
        "head-sha",
        "commit-verified",
    }


@pytest.mark.parametrize("path", [ACTION, WORKFLOW, REFRESH, CI, RELEASE], ids=lambda p: p.name)
def test_no_expression_is_ever_spliced_into_a_script(path: Path) -> None:
    for step in steps(path):
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("path", [ACTION, WORKFLOW, REFRESH, CI, RELEASE], ids=lambda p: p.name)
def test_third_party_actions_are_pinned_to_the_reference_commits(path: Path) -> None:
    lines = path.read_text().splitlines()
    for line in lines:
        match = re.match(r"\s*(?:- )?uses: (\S+)(.*)$", line)
        if not match or match[1].startswith("./"):
            continue
        name, _, ref = match[1].partition("@")
        if name in PINS:
            assert (ref, match[2].strip()) == (PINS[name][0], f"# {PINS[name][1]}"), line
        else:  # the example's reference to this action: a full SHA too
            assert name.endswith("/gitops-writer") and re.fullmatch(r"[0-9a-f]{40}", ref), line


def test_ci_runs_the_suite_and_dry_runs_the_action_on_the_example_repository() -> None:
    ci = load(CI)
    assert set(ci["on"]) == {"push", "pull_request"}
    assert ci["permissions"] == {"contents": "read"}
    test_job, dry_run_job = ci["jobs"].values()
    assert any(step.get("run") == "bash .ci/run" for step in test_job["steps"])
    [action] = [step for step in dry_run_job["steps"] if step.get("uses") == "./"]
    assert action["with"]["dry-run"] == "true"
    assert action["with"]["working-directory"] == str(FIXTURE.relative_to(ROOT))
    for job in ci["jobs"].values():
        assert "permissions" not in job  # nothing beyond the workflow's read-only default
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] == "false"


@pytest.mark.parametrize("path", [ACTION, WORKFLOW, REFRESH, CI, RELEASE], ids=lambda p: p.name)
def test_every_script_parses_as_bash(path: Path, tmp_path: Path) -> None:
    """The install step is the one script the end-to-end tests replace; bash still reads every one."""
    for index, step in enumerate(steps(path)):
        if "run" in step:
            script = tmp_path / f"{index}.sh"
            script.write_text(step["run"])
            done = subprocess.run(["bash", "--noprofile", "--norc", "-n", str(script)], capture_output=True, text=True)
            assert done.returncode == 0, f"{step.get('name')}: {done.stderr}"


def test_the_refresh_workflow_runs_on_every_push_to_development_one_run_at_a_time() -> None:
    workflow = load(REFRESH)
    assert workflow["on"]["push"]["branches"] == ["development"]
    assert workflow["permissions"] == {}
    assert workflow["concurrency"] == {"group": "gitops-writer-refresh", "cancel-in-progress": "false"}
    [job] = workflow["jobs"].values()
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    gitops, tool, _python, _install, run = job["steps"]
    assert (gitops["with"]["fetch-depth"], gitops["with"]["persist-credentials"]) == ("0", "false")
    assert tool["with"]["persist-credentials"] == "false"
    assert re.fullmatch(r"[0-9a-f]{40}", tool["with"]["ref"]) and tool["with"]["repository"].endswith("/gitops-writer")
    command = run["run"].split()
    assert command[1:5] == ["refresh", "--repo", gitops["with"]["path"], "--base-branch"]
    assert command[5] == workflow["on"]["push"]["branches"][0]


def test_the_plan_job_plans_exactly_the_requested_commit_and_writes_the_plan_section() -> None:
    workflow = load(WORKFLOW)
    request, plan = workflow["jobs"]["request"], workflow["jobs"]["plan"]
    assert plan["needs"] == "request" and plan["if"] == "needs.request.outputs.pull-request-number != ''"
    assert request["outputs"]["head-sha"] == "${{ steps.gitops-writer.outputs.head-sha }}"
    checkout, tool, *_ = plan["steps"]
    assert checkout["with"] == {"ref": "${{ needs.request.outputs.head-sha }}", "persist-credentials": "false"}
    [action] = [step for step in request["steps"] if step.get("id") == "gitops-writer"]
    assert tool["with"]["ref"] == action["uses"].split("@")[1]  # the same gitops-writer as the action
    [planned] = [step for step in plan["steps"] if step.get("id") == "plan"]
    assert '-target="module.ecr_repositories[\\"$GW_NAME\\"]"' in planned["run"]
    [section] = [step for step in plan["steps"] if "pr section" in step.get("run", "")]
    assert "--name plan --body-file plan.md" in section["run"] and '--branch "$GW_BRANCH"' in section["run"]
    assert section["env"]["GW_BRANCH"] == "${{ needs.request.outputs.branch }}"
    for step in plan["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]  # inputs reach scripts only through env


@pytest.mark.parametrize("path", [WORKFLOW, REFRESH], ids=lambda p: p.name)
def test_the_example_jobs_install_what_the_action_installs_hash_pinned(path: Path) -> None:
    action_install = next(s["run"] for s in steps(ACTION) if s.get("id") == "install")
    installs = [s["run"] for s in steps(path) if "pip install" in s.get("run", "")]
    assert installs
    for script in installs:
        assert script.count("pip install") == 2  # the locks, then gitops-writer alone
        first, second = script.split("pip install")[1:]
        assert "--require-hashes" in first and "--no-deps" in second and "--no-build-isolation" in second
        for lock in ("requirements/action.txt", "requirements/build.txt"):
            assert lock in first and lock in action_install
