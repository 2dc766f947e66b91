"""`gitops-writer init` reading the workflow and template a kind replaces: what they enforce, proposed in the
kind with where each came from, and every hostile value reported instead of copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from tests.fit.support import SEED, gw

WORKFLOW = ".github/workflows/create-ecr-registry.yml"
TEMPLATE = "catalog/templates/ecr-request.yaml"


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    if not SEED.is_dir():
        pytest.skip("the seed repository is not beside the project")
    return Path(shutil.copytree(SEED, tmp_path / "seed"))


def test_the_seed_workflow_gives_the_choices_and_labels_with_their_lines(seed: Path) -> None:
    done = gw("init", f"--repo={seed}")
    assert done.code == 0, done.err
    kind = yaml.safe_load(done.out)["requests"]["ecr"]
    owner, domain = kind["fields"]["properties"]["owner"], kind["fields"]["properties"]["domain"]
    assert owner["enum"] == [
        "platform-team", "security-team", "operations-team", "sre-team", "unknown", "app-team", "database-team",
    ]  # fmt: skip
    assert domain["enum"] == ["platform-core", "delivery", "observability", "governance", "security", "cost"]
    assert domain["pattern"] == "^[a-z][a-z0-9-]*$"  # the kind's own rules stay beside the choices
    assert kind["labels"] == ["ecr-registry", "platform-team", "{environment}"]
    assert "branch" not in kind and "commit" not in kind  # the kind's own already
    text = (seed / WORKFLOW).read_text().splitlines()
    assert text[19].strip() == "owner:" and text[340].strip() == "ecr-registry"
    assert f"        # enum: the options of input owner, {WORKFLOW}:20\n        owner:\n" in done.out
    assert f"    # the pull request step's labels, {WORKFLOW}:341, 342, 343\n    labels:\n" in done.out
    assert f"requester: the pattern ^[a-z0-9-]+$ (the workflow's validation, {WORKFLOW}:95) refuses the " in done.err
    assert f"domain: the enum of domain, {TEMPLATE}:49 also offers application, which the workflow does not" in done.err
    assert f"inferred: branch: {WORKFLOW}:336 writes the kind's own registry/create-{{name}}" in done.err
    assert (
        f"inferred: name: the pattern ^[a-z][a-z0-9-]*$ (the template's pattern, {TEMPLATE}:26) is the kind's"
        in done.err
    )
    assert (
        f"owner: the pattern ^[a-z0-9-]+$ (the workflow's validation, {WORKFLOW}:89) holds for every choice" in done.err
    )


def test_after_init_the_workflow_choices_are_the_kind_s(seed: Path) -> None:
    assert gw("init", f"--repo={seed}", "--write").code == 0
    base = ["ecr", "request", f"--repo={seed}", "--environment=dev", "--requester=amelia.park", "--risk=low"]
    refused = gw(*base, "--name=payments-api", "--owner=platform-team", "--domain=application", "--dry-run")
    assert refused.code == 2 and "domain" in refused.err
    done = gw(*base, "--name=payments-api", "--owner=unknown", "--domain=cost", "--date=2026-11-29")
    assert done.code == 0, done.err


def repository(root: Path, workflow: str, template: str | None = None) -> Path:
    (root / ".github/workflows").mkdir(parents=True)
    (root / WORKFLOW).write_text(workflow)
    if template is not None:
        (root / "catalog/templates").mkdir(parents=True)
        (root / TEMPLATE).write_text(template)
    return root


HOSTILE = """\
on:
  workflow_dispatch:
    inputs:
      registry_name: {required: true}
      owner: {type: choice, required: true, options: [team-a, "team\\nb", team-c, LONG]}
      user: {required: true}
      domain: {required: true}
      cost_center: {required: true}
      environment: {type: choice, options: [dev, prod]}
      risk: {type: choice, options: [low, high]}
env:
  WHO: ${{ inputs.user }}
jobs:
  propose:
    runs-on: ubuntu-latest
    steps:
      - run: |
          NAME="${{ inputs.registry_name }}"
          if ! echo "$NAME" | grep -q '^[a-z]\\{3,\\}$'; then
            exit 1
          fi
          if ! printf '%s' "${{ inputs.domain }}" | grep -Eq '^(a+)+$'; then exit 1; fi
          if ! echo "${{ inputs.domain }}" | grep -qE '^(ab$'; then exit 1; fi
          [[ "${{ inputs.domain }}" =~ ^[[:lower:]]{2,20}$ ]] || exit 1
          [[ $WHO =~ ^[a-z.]+$ ]] || { echo "bad user"; exit 1; }
          echo "${{ inputs.owner }}" | grep -qE "$ALLOWED" || exit 1
      - uses: peter-evans/create-pull-request@v6
        with:
          branch: "req/${{ inputs.registry_name }}..x"
          commit-message: "add $ID for ${{ inputs.registry_name }}"
          labels: |
            ecr, team-${{ inputs.domain }}
            ${{ secrets.TOKEN }}
            a-label-that-is-far-too-long-for-github-to-take-at-all
            ${{ inputs.risk }}-risk
"""


def test_a_hostile_workflow_is_read_and_only_what_passes_is_proposed(tmp_path: Path) -> None:
    done = gw("init", f"--repo={repository(tmp_path, HOSTILE.replace('LONG', 'x' * 201))}")
    assert done.code == 0, done.err
    kind = yaml.safe_load(done.out)["requests"]["ecr"]
    properties = kind["fields"]["properties"]
    assert properties["owner"]["enum"] == ["team-a", "team-c"]
    assert "owner: the choice 'team\\nb' (the options of input owner, " in done.err
    assert f"owner: the choice '{'x' * 60}' (the options of input owner, {WORKFLOW}:5) is longer than 200" in done.err
    assert properties["name"]["allOf"][-1] == {"pattern": "^[a-z]{3,}$"}  # grep's basic expression, translated
    assert properties["domain"]["allOf"] == [{"pattern": "^[a-z]{2,20}$"}]  # the bracket class, spelled out
    assert f"# pattern ^[a-z]{{2,20}}$: the workflow's validation, {WORKFLOW}:24" in done.out
    assert f"# pattern ^[a-z]{{3,}}$: the workflow's validation, {WORKFLOW}:19" in done.out
    assert "domain: the pattern ^(a+)+$" in done.err and "(catastrophic backtracking); not copied" in done.err
    assert (
        f"domain: the pattern ^(ab$ (the workflow's validation, {WORKFLOW}:23) is not a valid regular expression"
        in done.err
    )
    assert (
        f"requester: the pattern ^[a-z.]+$ (the workflow's validation, {WORKFLOW}:25)" in done.err
        and "refuses the Backstage user 'daniel-deans'" in done.err
    )
    assert f"workflow: {WORKFLOW}:26 tests an input in a way init cannot read" in done.err
    assert f"workflow: input cost_center ({WORKFLOW}:8) is no field of the kind; not learned" in done.err
    assert "environment: the options of input environment" in done.err and "lists dev, prod" in done.err
    assert "is not a valid git branch name; not copied" in done.err
    assert "holds a shell variable, which Actions does not expand" in done.err
    assert kind["labels"] == ["ecr", "team-{domain}", "{risk}-risk"]
    assert "uses ${{ secrets.TOKEN }}, which is no field of the kind; left out" in done.err
    assert "is 54 characters long; GitHub takes at most 50; left out" in done.err
    assert "branch" not in kind and "commit" not in kind and "enum" not in properties.get("environment", {})
    assert gw("init", f"--repo={tmp_path}", "--write").code == 0
    assert gw("check", f"--repo={tmp_path}", "--kind=ecr").code in (0, 1)  # the written kind loads


TEMPLATE_ONLY = """\
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata: {name: ecr-request}
spec:
  owner: platform-team
  type: service
  parameters:
    - required: [name, tier]
      properties:
        name: {type: string, pattern: '^[a-z]{4,}$'}
        tier: {type: string, enum: [gold, silver]}
        domain: {type: string, enum: [payments, search]}
  steps:
    - id: dispatch
      action: github:actions:dispatch
      input:
        workflowId: create-ecr-registry.yml
        workflowInputs:
          registry_name: ${{ parameters.name }}
          business_domain: ${{ parameters.domain }}
          odd.name: ${{ parameters.domain }}
"""

TWO_INPUTS = """\
on:
  workflow_dispatch:
    inputs:
      registry_name: {required: true}
      business_domain: {required: true}
      odd.name: {required: false}
jobs: {}
"""


def test_the_template_gives_patterns_choices_and_the_input_it_sends_a_field_as(tmp_path: Path) -> None:
    done = gw("init", f"--repo={repository(tmp_path, TWO_INPUTS, TEMPLATE_ONLY)}")
    assert done.code == 0, done.err
    kind = yaml.safe_load(done.out)["requests"]["ecr"]
    assert kind["inputs"] == {"business_domain": "domain", "odd.name": "domain"}  # sent as the template's domain
    assert kind["fields"]["properties"]["domain"]["enum"] == ["payments", "search"]
    assert kind["fields"]["properties"]["name"]["allOf"][-1] == {"pattern": "^[a-z]{4,}$"}
    assert f"# pattern ^[a-z]{{4,}}$: the template's pattern, {TEMPLATE}:10" in done.out
    assert "template: parameter tier" not in done.err  # a form-only parameter is the template's business
    assert f"{WORKFLOW} has no peter-evans/create-pull-request step" in done.err


def test_a_workflow_that_is_not_yaml_is_said_and_nothing_is_learned_from_it(tmp_path: Path) -> None:
    root = repository(tmp_path, "on: [\n")
    done = gw("init", f"--repo={root}")
    assert done.code == 0, done.err
    assert f"not inferred: workflow: {WORKFLOW} is not a workflow_dispatch workflow init can read" in done.err
    assert yaml.safe_load(done.out) == {}


def test_a_file_name_with_a_line_break_cannot_end_its_comment(tmp_path: Path) -> None:
    root = repository(tmp_path, HOSTILE)
    weird = root / "catalog/resources/ecr"
    weird.mkdir(parents=True)
    (weird / "x\nrequests: {}.yaml").write_text("apiVersion: v1\nkind: Resource\nmetadata: {name: x}\n")
    done = gw("init", f"--repo={root}")
    assert done.code == 0, done.err
    assert all(line.startswith(("#", " ", "requests:")) for line in done.out.splitlines())
