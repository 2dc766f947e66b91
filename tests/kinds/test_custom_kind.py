"""A kind defined only in a repository's `.gitops-writer.yaml`: integer and boolean fields, a lookup and an
if/then rule, end to end through the CLI, the action entry and `--publish` against the loopback GitHub."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.actions.entry import build_argv, read_inputs
from tests.github_api import GitHubAPI
from tests.publish.support import Remote, seed_remote, shallow_clone
from tests.requests.conftest import EXAMPLE, snapshot_of
from tests.requests.test_publish_cli import actions_env, outputs  # noqa: F401  (a fixture, and a helper)
from tests.terraform import read_back

CONFIG = """\
requests:
  queue:
    title: Message Queue
    fields:
      properties:
        name: {title: Queue, type: string, pattern: "^[a-z][a-z0-9-]{2,30}$"}
        environment: {title: Environment, type: string}
        capacity: {title: Capacity, type: integer, minimum: 1, maximum: 1000, default: 10}
        pitr: {title: Point-in-time recovery, type: boolean, default: false}
        tier: {title: Tier, type: string, enum: [basic, premium]}
        notes: {title: Notes, type: string, maxLength: 80}
        zones: {title: Zones, type: array, items: {type: string, enum: [a, b, c]}, minItems: 1, uniqueItems: true}
        about: {title: About, type: string, default: "Queue {name} for {tier} work", maxLength: 40}
        retention: {title: Retention days, type: integer, minimum: 1, default: "{retention_of_tier}"}
      required: [tier]
      if: {properties: {environment: {const: prod}}, required: [environment]}
      then: {properties: {pitr: {const: true}}}
    derived:
      instance: {from: tier, map: {basic: q.small, premium: q.large}}
      arn: "arn:aws:sqs:eu-west-2:123:{name}"
      retention_of_tier: {from: tier, map: {basic: 7, premium: 30}}
    inputs: {queue_name: name, base_branch: null}
    id: "QUEUE_{name_id}"
    branch: "queue/create-{name}"
    commit: "queue: create {name} in {environment}"
    labels: [queue, "{environment}"]
    edits:
      - id: tfvars
        kind: entry
        path: "envs/{environment}/terraform.tfvars"
        pointer: "/queues/{name}"
        value: {capacity: "{capacity}", pitr: "{pitr}", instance: "{instance}", notes: "{notes}", zones: "{zones}"}
      - id: catalog
        kind: entry
        path: docs/queues.yaml
        pointer: "/queues/{name}"
        value:
          id: "{id}"
          arn: "{arn}"
          capacity: "{capacity}"
          zones: "{zones}"
          about: "{about}"
          retention: "{retention}"
          environments: "{environments}"
"""
FIELDS = ["-f", "name=jobs", "-f", "environment=dev", "-f", "capacity=25", "-f", "pitr=false", "-f", "tier=premium"]


def add_kind(root: Path) -> None:
    (root / ".gitops-writer.yaml").write_text(CONFIG)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs/queues.yaml").write_text("# queues of every environment\nqueues: {}\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "gitops-repo"
    shutil.copytree(EXAMPLE, target)
    add_kind(target)
    return target


def cli(
    repo: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args, "--repo", str(repo)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        input=input,
    )


def test_request_through_the_cli_types_every_value(repo: Path) -> None:
    done = cli(repo, "request", "queue", *FIELDS, "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "jobs in dev is created (2 files)\n"
    [tfvars] = read_back([(repo / "envs/dev/terraform.tfvars").read_text()])
    assert tfvars["queues"] == {"jobs": {"capacity": 25, "pitr": False, "instance": "q.large"}}
    catalog = YAML(typ="safe").load((repo / "docs/queues.yaml").read_text())
    assert catalog["queues"]["jobs"] == {
        "id": "QUEUE_JOBS",
        "arn": "arn:aws:sqs:eu-west-2:123:jobs",
        "capacity": 25,
        "about": "Queue jobs for premium work",  # computed defaults: from other fields,
        "retention": 30,  # and from a derived lookup, typed
        "environments": ["dev"],
    }
    assert cli(repo, "request", "queue", *FIELDS).stderr == "jobs in dev is unchanged\n"


def test_a_list_field_is_an_hcl_list_and_a_yaml_block_sequence(repo: Path, tmp_path: Path) -> None:
    done = cli(repo, "request", "queue", *FIELDS, "-f", "zones=c", "-f", "zones=a")
    assert done.returncode == 0, done.stderr
    tfvars = (repo / "envs/dev/terraform.tfvars").read_text()
    assert '"zones"    = ["c", "a"]\n' in tfvars  # the order given is kept
    assert read_back([tfvars])[0]["queues"]["jobs"]["zones"] == ["c", "a"]
    assert "    zones:\n      - c\n      - a\n    about:" in (repo / "docs/queues.yaml").read_text()
    again = tmp_path / "fields.json"
    again.write_text(json.dumps({"zones": ["c", "a"]}))
    assert cli(repo, "request", "queue", *FIELDS, "--fields-file", str(again)).stderr == "jobs in dev is unchanged\n"
    one = cli(repo, "request", "queue", *FIELDS, "-f", "zones=c", "--update")
    assert one.returncode == 0 and '"zones"    = ["c"]\n' in (repo / "envs/dev/terraform.tfvars").read_text()


@pytest.mark.parametrize(
    ("zones", "message"),
    [
        (["-f", "zones=a", "-f", "zones=a"], "zones: must not list an item twice"),
        (["-f", "zones=a", "-f", "zones=d"], "zones: item 2: must be one of a, b, c"),
        (["-f", "zones=[]"], "zones: must have at least 1 item"),
        (["-f", "zones=[a"], "zones: must be a JSON list, not '[a'"),
        (["-f", "zones=" + "[" * 100_000], "zones: must be a JSON list nested at most 1000 deep"),
        (
            ["-f", 'zones=["a", 1]'],
            "zones: item 2: must be a string, not 1",
        ),
    ],
)
def test_bad_lists_are_refused_naming_the_field(repo: Path, zones: list[str], message: str) -> None:
    before = snapshot_of(repo)
    done = cli(repo, "request", "queue", *FIELDS, *zones)
    assert done.returncode == 2 and done.stderr == f"gitops-writer: error: {message}\n", done.stderr
    assert snapshot_of(repo) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (["-f", "capacity=abc"], "capacity: must be an integer, not 'abc'"),
        (["-f", "capacity=0"], "capacity: must be at least 1"),
        (["-f", "pitr=maybe"], "pitr: must be true or false, not 'maybe'"),
        (["-f", "tier=gold"], "tier: must be one of basic, premium"),
        (["-f", "environment=prod"], "pitr: must be true (a rule of the kind: an if/then condition"),
        (["-f", "colour=red"], "colour: is not a field of the queue kind"),
    ],
)
def test_bad_values_are_refused_naming_the_field(repo: Path, changes: list[str], message: str) -> None:
    before = snapshot_of(repo)
    done = cli(repo, "request", "queue", *FIELDS, *changes)
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert snapshot_of(repo) == before


def test_fields_file_and_kinds_listing(repo: Path, tmp_path: Path) -> None:
    fields = tmp_path / "fields.json"
    fields.write_text(json.dumps({"queue_name": "jobs", "environment": "prod", "pitr": True, "tier": "basic"}))
    done = cli(repo, "request", "queue", "--fields-file", str(fields), "-f", "capacity=7", "--dry-run", "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["kind"] == "queue" and report["files"] == ["envs/prod/terraform.tfvars", "docs/queues.yaml"]
    assert re.search(r'\+ +"?capacity"? += 7\n', report["diff"]) and re.search(r'"?pitr"? += true', report["diff"])
    listing = json.loads(cli(repo, "kinds", "--json").stdout)
    queue = next(kind for kind in listing["kinds"] if kind["name"] == "queue")
    capacity = next(field for field in queue["fields"] if field["name"] == "capacity")
    assert capacity == {
        "name": "capacity",
        "type": "integer",
        "required": False,
        "title": "Capacity",
        "default": 10,
        "minimum": 1,
        "maximum": 1000,
    }
    assert "tier: string; required; one of basic, premium" in cli(repo, "kinds").stdout


def test_a_second_environment_then_removal_one_at_a_time(repo: Path) -> None:
    assert cli(repo, "request", "queue", *FIELDS).returncode == 0
    prod = cli(repo, "request", "queue", *FIELDS, "-f", "environment=prod", "-f", "pitr=true")
    assert prod.returncode == 0, prod.stderr
    catalog = YAML(typ="safe").load((repo / "docs/queues.yaml").read_text())
    assert catalog["queues"]["jobs"]["environments"] == ["dev", "prod"]
    assert cli(repo, "remove", "queue", "-f", "name=jobs", "-f", "environment=test").returncode == 1
    assert cli(repo, "remove", "queue", "-f", "name=jobs", "-f", "environment=dev").returncode == 0
    catalog = YAML(typ="safe").load((repo / "docs/queues.yaml").read_text())
    assert catalog["queues"]["jobs"]["environments"] == ["prod"]
    assert cli(repo, "remove", "queue", "-f", "name=jobs", "-f", "environment=prod").returncode == 0
    assert YAML(typ="safe").load((repo / "docs/queues.yaml").read_text()) == {"queues": {}}


def test_the_action_entry_resolves_fields_through_the_inputs_aliases(repo: Path, tmp_path: Path) -> None:
    workflow_inputs = {  # what ${{ toJSON(inputs) }} gives: booleans and numbers typed, empty optionals ""
        "base_branch": "development",
        "queue_name": "jobs",
        "environment": "dev",
        "capacity": 25,
        "pitr": False,
        "tier": "premium",
        "notes": "",
        "zones": ["a", "c"],  # a list field, from a Backstage form through the dispatch's JSON text
    }
    environ = {"GW_KIND": "queue", "GW_FIELDS": json.dumps(workflow_inputs, indent=2), "GW_DRY_RUN": "true"}
    inputs = read_inputs(environ)
    assert build_argv(inputs)[:3] == ["request", "queue", "--repo=."]
    assert "--field=capacity=25" in build_argv(inputs) and "--field=pitr=false" in build_argv(inputs)
    assert '--field=zones=["a", "c"]' in build_argv(inputs)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GW_"))}
    env.update(environ, GW_WORKING_DIRECTORY=str(repo), GITHUB_OUTPUT=str(tmp_path / "out"))
    before = snapshot_of(repo)
    done = subprocess.run(
        [sys.executable, "-m", "gitops_writer.actions.entry"], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert '"jobs" = {' in done.stdout and '"capacity" = 25' in done.stdout and '"zones"    = ["a", "c"]' in done.stdout
    assert "notes" not in done.stdout  # an empty optional workflow input is not given
    assert snapshot_of(repo) == before
    assert "branch<<" in (tmp_path / "out").read_text() and "queue/create-jobs" in (tmp_path / "out").read_text()


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def gitops_files(seed: Path) -> None:
        shutil.copytree(EXAMPLE, seed, dirs_exist_ok=True)
        add_kind(seed)

    def workflow(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=gitops_files, main=workflow)


def test_publish_opens_the_pull_request_with_the_request_recorded(
    tmp_path: Path,
    remote: Remote,
    api: GitHubAPI,
    actions_env: dict[str, str],  # noqa: F811
) -> None:
    clone = shallow_clone(tmp_path, remote)  # main: the kind is only on development, where it is read
    zones = ["-f", "zones=a", "-f", "zones=c"]
    done = cli(clone, "request", "queue", *FIELDS, *zones, "--date", "2026-12-01", "--publish", env=actions_env)
    assert done.returncode == 0, done.stderr
    assert outputs(actions_env["GITHUB_OUTPUT"])["branch"] == "queue/create-jobs"
    pull = api.pulls[1]
    assert pull.title == "Create Message Queue: jobs (dev)" and pull.labels == ["queue", "dev"]
    assert "| Capacity | `25` |" in pull.body and "| Point-in-time recovery | `false` |" in pull.body
    from gitops_writer.requests.record import read_record

    recorded = read_record(pull.body)
    assert recorded is not None and recorded.kind == "queue"
    assert dict(recorded.fields) == {
        "name": "jobs",
        "environment": "dev",
        "capacity": 25,
        "pitr": False,
        "tier": "premium",
        "zones": ["a", "c"],
        "about": "Queue jobs for premium work",  # computed defaults are recorded as they came out
        "retention": 30,
    }
    assert "| Zones | `a, c` |" in pull.body
    message = remote.read("queue/create-jobs", "docs/queues.yaml")
    assert "capacity: 25" in message
    commit = subprocess.run(
        ["git", "--git-dir", str(remote.bare), "log", "-1", "--format=%B", "queue/create-jobs"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Gitops-Writer-Kind: queue\n" in commit
    assert read_record(commit) == recorded


def test_an_empty_value_is_a_field_not_given_whichever_way_it_comes(repo: Path, tmp_path: Path) -> None:
    """`-f capacity=`, `"capacity": ""` in a fields file and in the action's fields: the default, 10."""
    given = {"name": "jobs", "environment": "dev", "pitr": False, "tier": "basic", "capacity": "", "notes": None}
    fields = tmp_path / "fields.json"
    fields.write_text(json.dumps(given))
    plain = ["-f", "name=jobs", "-f", "environment=dev", "-f", "pitr=false", "-f", "tier=basic", "-f", "capacity="]
    action = build_argv(read_inputs({"GW_KIND": "queue", "GW_FIELDS": json.dumps(given), "GW_DRY_RUN": "true"}))
    diffs = []
    for args in (["--fields-file", str(fields)], plain, action[3:-2], ["--fields-file", str(fields), "-f", "tier="]):
        done = cli(repo, "request", "queue", *args, "--dry-run", "--json")
        diffs.append((done.returncode, json.loads(done.stdout)["diff"] if done.returncode == 0 else done.stderr))
    assert diffs[0] == diffs[1] == diffs[2] and diffs[0][0] == 0
    assert re.search(r'"?capacity"? += 10\n', diffs[0][1]) and "notes" not in diffs[0][1]
    assert diffs[3] == (2, "gitops-writer: error: tier: is required\n")  # -f FIELD= takes back a fields file's value


def test_a_computed_default_gives_way_to_a_value_and_checks_what_it_makes(repo: Path) -> None:
    given = cli(repo, "request", "queue", *FIELDS, "-f", "about=Nightly jobs", "-f", "retention=3", "--dry-run")
    assert "about: Nightly jobs\n" in given.stdout and "retention: 3\n" in given.stdout, given.stderr
    basic = cli(repo, "request", "queue", *FIELDS, "-f", "tier=basic", "--dry-run")
    assert "about: Queue jobs for basic work\n" in basic.stdout and "retention: 7\n" in basic.stdout
    long_name = cli(repo, "request", "queue", *FIELDS, "-f", "name=jobs-of-every-night-and-day")
    assert long_name.returncode == 2
    assert long_name.stderr == "gitops-writer: error: about: must be at most 40 characters long\n"
    listing = json.loads(cli(repo, "kinds", "--json").stdout)
    about = next(f for k in listing["kinds"] if k["name"] == "queue" for f in k["fields"] if f["name"] == "about")
    assert about["default"] == "Queue {name} for {tier} work"
    form = YAML(typ="safe").load(cli(repo, "generate", "template", "queue", "--repository=acme/infra").stdout)
    assert "default" not in form["spec"]["parameters"][0]["properties"]["about"]  # the request computes it


def test_a_computed_default_may_only_use_what_the_kind_has(repo: Path) -> None:
    config = repo / ".gitops-writer.yaml"
    config.write_text(CONFIG.replace('default: "Queue {name} for {tier} work"', 'default: "Queue {colour}"'))
    done = cli(repo, "kinds")
    assert done.returncode == 2 and "about.default: unknown placeholder {colour}" in done.stderr, done.stderr


def test_controls_chosen_by_conditions_several_at_once(repo: Path, tmp_path: Path) -> None:
    rules = """\
    controls:
      - when: {properties: {environment: {not: {const: dev}}}}
        items: ["Platform approval outside dev."]
      - when: {properties: {pitr: {const: false}}}
        items: ["No point-in-time recovery: say why."]
      - when: {properties: {tier: {const: premium}}, required: [tier]}
        items: ["Premium: cost owner signs off."]
"""
    (repo / ".gitops-writer.yaml").write_text(CONFIG.replace("    edits:\n", rules + "    edits:\n", 1))
    from gitops_writer.kinds import load_config
    from gitops_writer.requests.describe import pr_body
    from gitops_writer.requests.model import Request
    from gitops_writer.requests.runner import prepare

    def body(**changes: object) -> str:
        fields = {"name": "jobs", "environment": "dev", "pitr": False, "tier": "premium", **changes}
        prepared = prepare(repo, Request("queue", "create", fields, "2026-12-01"), load_config(repo))
        return pr_body(prepared.request, prepared.changes)

    dev = body()
    assert "### Controls\n\n- No point-in-time recovery: say why.\n- Premium: cost owner signs off.\n" in dev
    assert "Platform approval" not in dev
    prod = body(environment="prod", pitr=True, tier="basic")
    assert "### Controls\n\n- Platform approval outside dev.\n\n" in prod
    bad = CONFIG.replace(
        "    edits:\n",
        "    controls:\n      - when: {properties: {colour: {const: red}}}\n        items: [x]\n    edits:\n",
        1,
    )
    (repo / ".gitops-writer.yaml").write_text(bad)
    done = cli(repo, "kinds")
    assert done.returncode == 2 and "controls[0].when.properties: colour is not a field of the kind" in done.stderr


def test_a_fields_file_nested_too_deeply_is_one_usage_error(repo: Path, tmp_path: Path) -> None:
    fields = tmp_path / "fields.json"
    fields.write_text("[" * 100_000)
    done = cli(repo, "request", "queue", "--fields-file", str(fields), "--dry-run")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "nested too deeply" in done.stderr, done.stderr


@pytest.mark.parametrize("what", ["device", "fifo", "directory"])
def test_a_fields_file_that_is_no_regular_file_is_one_usage_error(repo: Path, tmp_path: Path, what: str) -> None:
    """Read as every file the tool takes: never blocking on a FIFO, never reading a device without end."""
    given = Path("/dev/zero") if what == "device" else tmp_path / "fields"
    if what == "fifo":
        os.mkfifo(given)
    elif what == "directory":
        given.mkdir()
    done = cli(repo, "request", "queue", "--fields-file", str(given), "--dry-run", timeout=20)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"gitops-writer: error: --fields-file {given}: is ")


def test_a_fields_file_on_stdin_is_read(repo: Path) -> None:
    given = json.dumps({"name": "jobs", "environment": "dev", "tier": "basic"})
    done = cli(repo, "request", "queue", "--fields-file", "-", "--dry-run", "--json", input=given)
    assert done.returncode == 0 and "jobs" in json.loads(done.stdout)["diff"], done.stderr
