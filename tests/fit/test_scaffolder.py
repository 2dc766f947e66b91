"""Every template `generate` writes, run by Backstage's own scaffolder backend: the form's values, the dispatch
GitHub (loopback) accepts, the `inputs` GitHub builds from it, the action, and the request it makes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.action.conftest import _isolated, make_runner  # noqa: F401 (_isolated: the runner's environment)
from tests.action.expressions import Evaluator, interpolate
from tests.backstage_scaffolder import Scaffolder, inputs_context, node_or_skip
from tests.fit.support import ACTION, EKS, EXAMPLES, ROOT, SEED, TEST_KIND, gw
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, seed_remote, shallow_clone

pytestmark = pytest.mark.slow

AMELIA = "user:default/amelia.park"  # signed in, with no User entity in the catalog
OWNER_ENUM = """\
requests:
  ecr:
    fields:
      properties:
        owner: {title: Owner, type: string, enum: [platform-team, app-team]}
"""

# Kinds whose owner is an OwnerPicker the form may leave empty: one workflow input each, and as one payload.
OPTIONAL_OWNER = TEST_KIND.replace(
    "        tier: {type: string, enum",
    "        owner: {type: string, title: Owner}\n        tier: {type: string, enum",
).replace("value: {retention:", 'value: {owner: "{owner}", retention:')
OPTIONAL_OWNER_PAYLOAD = EKS.replace("required: [owner, requester", "required: [requester")


@dataclass(frozen=True)
class Case:
    """One kind: the repository its requests edit, its config, what the form sends, and what must come of it."""

    kind: str
    repository: Callable[[Path], None]  # writes the GitOps repository (and its .gitops-writer.yaml)
    values: Mapping[str, Any]  # what the form sends Backstage
    expected: Mapping[str, str]  # path -> text the request's branch must hold in it
    user: str = AMELIA
    needs_seed: bool = False
    sent: Mapping[str, Any] = field(default_factory=dict)  # dispatch inputs that must be exactly these


def _fixture(config: str | None) -> Callable[[Path], None]:
    def write(target: Path) -> None:
        shutil.copytree(ROOT / "fixtures" / "gitops-repo", target, dirs_exist_ok=True)
        if config is not None:
            (target / ".gitops-writer.yaml").write_text(config)

    return write


def _tfvars(text: str, config: str) -> Callable[[Path], None]:
    def write(target: Path) -> None:
        (target / "envs" / "dev").mkdir(parents=True)
        (target / "envs" / "dev" / "terraform.tfvars").write_text(text)
        (target / ".gitops-writer.yaml").write_text(config)

    return write


def _seed(kind: str) -> Callable[[Path], None]:
    def write(target: Path) -> None:
        shutil.copytree(SEED, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".git"))
        shutil.copy(EXAMPLES / "kinds" / f"{kind}.yaml", target / ".gitops-writer.yaml")

    return write


CASES = {
    "ecr": Case(
        "ecr",
        _fixture(None),
        {
            "name": "payments-api",
            "environment": "dev",
            "owner": "group:default/team-payments",  # what OwnerPicker sends
            "domain": "payments",
            "risk": "low",
        },
        {
            "envs/dev/terraform.tfvars": 'owner = "team-payments"',
            "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": "requested_by: amelia.park",
        },
        sent={"owner": "team-payments", "user": "amelia.park"},
    ),
    "owner-enum": Case(
        "ecr",
        _fixture(OWNER_ENUM),
        {"name": "orders", "environment": "dev", "owner": "app-team", "domain": "payments", "risk": "high"},
        {
            "envs/dev/terraform.tfvars": 'owner = "app-team"',
            "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": "requested_by: amelia.park",
        },
        sent={"owner": "app-team", "user": "amelia.park"},
    ),
    "eks-30-fields": Case(
        "eks",
        _tfvars("eks_clusters = {}\n", EKS),
        {
            "name": "blue",
            "environment": "dev",
            "owner": "group:default/platform-team",
            "num_nodes": 3,
            "spot": True,
            "tier": "compute",
            "zones": ["a", "c"],
            "label_7": "gpu",
        },
        {
            "envs/dev/terraform.tfvars": (
                '"blue" = {\n    owner        = "platform-team"\n    requested_by = "amelia.park"\n'
                '    num_nodes    = 3\n    spot         = true\n    tier         = "compute"\n'
                '    zones        = ["a", "c"]\n    label_7      = "gpu"\n  }'
            )
        },
    ),
    "bucket-typed-inputs": Case(
        "bucket",
        _tfvars("buckets = {}\n", TEST_KIND),
        {"name": "logs", "environment": "dev", "retention_days": 45, "versioning": False, "tier": "archive"},
        {
            "envs/dev/terraform.tfvars": (
                '"logs" = {\n    retention  = 45\n    versioning = false\n    tier       = "archive"\n  }'
            )
        },
        sent={"retention_days": "45", "versioning": "false"},
    ),
    "optional-owner": Case(  # the picker left empty: the form leaves the field out
        "bucket",
        _tfvars("buckets = {}\n", OPTIONAL_OWNER),
        {"name": "logs", "environment": "dev", "retention_days": 45, "versioning": False, "tier": "archive"},
        {"envs/dev/terraform.tfvars": '"logs" = {\n    retention  = 45\n    versioning = false\n'},
        sent={"owner": ""},
    ),
    "optional-owner-payload": Case(
        "eks",
        _tfvars("eks_clusters = {}\n", OPTIONAL_OWNER_PAYLOAD),
        {"name": "blue", "environment": "dev", "num_nodes": 3, "spot": True, "tier": "compute"},
        {"envs/dev/terraform.tfvars": '"blue" = {\n    requested_by = "amelia.park"\n    num_nodes    = 3\n'},
    ),
    "rds": Case(
        "rds",
        _seed("rds"),
        {
            "name": "orders_db",
            "environment": "dev",
            "username": "orders_user",
            "owner": "app-team",
            "domain": "delivery",
            "risk": "medium",
            "size": "small",
        },
        {
            "envs/dev-rds/terraform.tfvars": 'orders_db = {\n    database_name = "orders_db"',
            "docs/20-contracts/resource-catalogs/rds-catalog.yaml": "requested_by: amelia.park",
        },
        needs_seed=True,
    ),
    "s3": Case(
        "s3",
        _seed("s3"),
        {
            "name": "audit",
            "environment": "dev",
            "purpose_type": "logs",
            "purpose_description": "Audit logs",
            "owner": "security-team",
            "cost_center": "CC-1",
            "retention_rationale": "Kept as long as needed",
            "versioning": False,
        },
        {},
        needs_seed=True,
    ),
    "app-secret": Case(
        "app-secret",
        _seed("app-secret"),
        {
            "name": "stripe-key",
            "service": "payments-api",
            "environment": "dev",
            "secret_type": "api-key",
            "owner": "app-team",
            "domain": "delivery",
            "risk": "high",
            "rotation": "standard",
            "recovery_window": 7,
            "k8s_secret_name": "stripe-key",
        },
        {},
        needs_seed=True,
    ),
}


@dataclass(frozen=True)
class Generated:
    repository: Path  # the kind's GitOps repository, with the workflow under .github/workflows
    template: dict[str, Any]
    workflow: str
    workflow_file: str


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Generated]:
    node_or_skip()
    out = {}
    for name, case in CASES.items():
        if case.needs_seed and not SEED.is_dir():
            continue
        repository = tmp_path_factory.mktemp(name)
        case.repository(repository)
        template = gw("generate", "template", case.kind, f"--repo={repository}", f"--repository={REPOSITORY}")
        workflow = gw("generate", "workflow", case.kind, f"--repo={repository}", ACTION)
        assert template.code == 0 and workflow.code == 0, template.err + workflow.err
        data = yaml.safe_load(template.out)
        data["metadata"]["name"] = name  # one catalog holds every case's template
        workflow_file = data["spec"]["steps"][0]["input"]["workflowId"]
        (repository / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        (repository / ".github" / "workflows" / workflow_file).write_text(workflow.out)
        out[name] = Generated(repository, data, workflow.out, workflow_file)
    return out


@pytest.fixture(scope="module")
def scaffolder(generated: dict[str, Generated]) -> Iterator[Scaffolder]:
    jane = {"apiVersion": "backstage.io/v1alpha1", "kind": "User", "metadata": {"name": "jane.doe"}, "spec": {}}
    backend = Scaffolder([*(g.template for g in generated.values()), jane])
    yield backend
    backend.close()


def case_or_skip(name: str, generated: Mapping[str, Generated]) -> Generated:
    if name not in generated:
        pytest.skip("the seed repository is not beside the project")
    return generated[name]


def dispatched(scaffolder: Scaffolder, name: str, generated: Mapping[str, Generated]) -> dict[str, Any]:
    """Run the case's form in Backstage; the inputs GitHub accepted."""
    case, made = CASES[name], case_or_skip(name, generated)
    task = scaffolder.run(name, case.values, case.user, {made.workflow_file: made.workflow})
    assert task.status == "completed", (task.error, task.log)
    [dispatch] = task.dispatches
    assert (dispatch.status, dispatch.ref) == (204, "main"), dispatch.answer
    return dispatch.inputs


def action_inputs(made: Generated, sent: Mapping[str, Any]) -> dict[str, str]:
    """The `with:` of the workflow's gitops-writer step, evaluated as the runner does with GitHub's inputs."""
    workflow = yaml.load(made.workflow, Loader=yaml.BaseLoader)
    [step] = [s for s in workflow["jobs"]["request"]["steps"] if s.get("id") == "gitops-writer"]
    evaluator = Evaluator({"inputs": inputs_context(made.workflow, sent)})
    return {key: interpolate(value, evaluator) for key, value in step["with"].items()}


def publish_remote(tmp_path: Path, made: Generated) -> Remote:
    def base(seed: Path) -> None:
        shutil.copytree(made.repository, seed, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".github"))

    def development(seed: Path) -> None:
        (seed / "CHANGELOG.md").write_text("development moved on\n")

    def main(seed: Path) -> None:
        shutil.copytree(made.repository / ".github", seed / ".github")

    return seed_remote(tmp_path, base=base, development=development, main=main)


@pytest.mark.parametrize("name", list(CASES))
def test_backstage_runs_the_form_and_github_accepts_the_dispatch(
    name: str, scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    sent = dispatched(scaffolder, name, generated)
    assert all(isinstance(value, str) for value in sent.values()), sent
    for key, value in CASES[name].sent.items():
        assert sent[key] == value


@pytest.mark.parametrize("name", list(CASES))
def test_the_dispatched_inputs_make_the_request_dry_run_and_published(
    name: str, scaffolder: Scaffolder, generated: dict[str, Generated], tmp_path: Path, token: str
) -> None:
    case, made = CASES[name], case_or_skip(name, generated)
    given = action_inputs(made, dispatched(scaffolder, name, generated))
    remote = publish_remote(tmp_path, made)
    workspace = shallow_clone(tmp_path, remote, "workspace")
    with GitHubAPI(remote.bare, REPOSITORY, token) as api:
        dry = make_runner(workspace, tmp_path / "temp-dry", token=token, api_url=api.url).run(
            {**given, "dry-run": "true"}
        )
        assert not dry.failed, dry.log
        branch = dry.outputs["branch"]
        assert remote.sha(branch) is None
        for text in case.expected.values():
            assert all(line.strip() in dry.summary for line in text.splitlines()), dry.summary
        run = make_runner(workspace, tmp_path / "temp-publish", token=token, api_url=api.url).run(given)
        assert not run.failed, run.log
        assert run.outputs["branch"] == branch and run.outputs["pull-request-operation"] == "created"
        for path, text in case.expected.items():
            assert text in remote.read(branch, path)
    assert api.problems == []


def test_a_payload_keeps_its_types_and_holds_the_kind_s_fields_only(
    scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    made = generated["eks-30-fields"]
    task = scaffolder.run(
        "eks-30-fields",
        {**CASES["eks-30-fields"].values, "requester": "someone.else", "extra": "x"},
        AMELIA,
        {made.workflow_file: made.workflow},
    )
    assert task.status == "completed", task.error
    [dispatch] = task.dispatches
    assert set(dispatch.inputs) == {"base_branch", "payload"}
    payload = json.loads(dispatch.inputs["payload"])
    assert payload == {
        "name": "blue",
        "environment": "dev",
        "owner": "platform-team",
        "requester": "amelia.park",  # the signed-in user, whatever the values claimed
        "num_nodes": 3,
        "spot": True,
        "tier": "compute",
        "zones": ["a", "c"],
        "label_7": "gpu",
    }


def test_an_owner_with_an_enum_is_a_plain_select_backstage_holds_to_it(
    scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    made = generated["owner-enum"]
    owner = made.template["spec"]["parameters"][0]["properties"]["owner"]
    assert owner["enum"] == ["platform-team", "app-team"] and "ui:field" not in owner and "default" not in owner
    values = {**CASES["owner-enum"].values, "owner": "group:default/app-team"}
    task = scaffolder.run("owner-enum", values, AMELIA, {made.workflow_file: made.workflow})
    assert task.status == "refused" and "owner" in (task.error or ""), task
    assert task.dispatches == ()


def test_the_loopback_github_answers_dispatches_as_github_documents(
    scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    workflow = generated["ecr"].workflow
    accepted = dict(dispatched(scaffolder, "ecr", generated))
    assert scaffolder.answer(workflow, {"ref": "main", "inputs": accepted}) == (204, "")
    missing = {k: v for k, v in accepted.items() if k != "user"}
    assert scaffolder.answer(workflow, {"ref": "main", "inputs": missing}) == (
        422,
        "Required input 'user' not provided",
    )
    status, answer = scaffolder.answer(workflow, {"ref": "main", "inputs": {**accepted, "risk": "extreme"}})
    assert status == 422 and "'extreme'" in answer
    status, answer = scaffolder.answer(workflow, {"ref": "main", "inputs": {**accepted, "colour": "red"}})
    assert (status, answer) == (422, 'Unexpected inputs provided: ["colour"]')
    many = yaml.safe_load(workflow)
    many["on"]["workflow_dispatch"]["inputs"].update({f"x{i}": {"type": "string"} for i in range(20)})
    status, answer = scaffolder.answer(yaml.safe_dump(many), {"ref": "main", "inputs": accepted})
    assert status == 422 and "25" in answer


def test_a_multi_page_form_keeps_its_pages_and_presentation_and_backstage_runs_it(
    generated: dict[str, Generated], backstage_validate: Callable[[str], None]
) -> None:
    backstage_validate((EXAMPLES / "backstage" / "rds-request.yaml").read_text())
    pages = generated["eks-30-fields"].template["spec"]["parameters"]
    assert [page["title"] for page in pages] == ["Cluster", "Nodes", "Labels"]
    assert pages[1]["description"] == "How many and which" and pages[1]["required"] == ["num_nodes", "spot", "tier"]
    assert list(pages[2]["properties"]) == [f"label_{i}" for i in range(1, 23)]
    assert pages[1]["properties"]["num_nodes"] == {
        "title": "num_nodes", "type": "integer", "minimum": 1, "maximum": 50, "ui:help": "One to fifty."
    }  # fmt: skip
    # the task itself runs in test_backstage_runs_the_form_and_github_accepts_the_dispatch[eks-30-fields]


def test_a_user_with_a_catalog_entity_is_named_the_same_way(
    scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    made = generated["ecr"]
    task = scaffolder.run("ecr", CASES["ecr"].values, "user:default/jane.doe", {made.workflow_file: made.workflow})
    assert task.status == "completed", task.error
    assert task.dispatches[0].inputs["user"] == "jane.doe"


@pytest.mark.parametrize("name", ["optional-owner", "optional-owner-payload"])
@pytest.mark.parametrize(
    ("given", "owner"),
    [({}, ""), ({"owner": ""}, ""), ({"owner": "group:default/team-a"}, "team-a")],
    ids=["left-out", "empty", "picked"],
)
def test_an_optional_owner_picker_sends_the_picked_name_or_nothing(
    name: str, given: dict[str, str], owner: str, scaffolder: Scaffolder, generated: dict[str, Generated]
) -> None:
    made = generated[name]
    task = scaffolder.run(name, {**CASES[name].values, **given}, AMELIA, {made.workflow_file: made.workflow})
    assert task.status == "completed", (task.error, task.log)
    [dispatch] = task.dispatches
    assert dispatch.status == 204, dispatch.answer
    sent = json.loads(dispatch.inputs["payload"]) if "payload" in dispatch.inputs else dispatch.inputs
    assert sent["owner"] == owner
