"""A kind only a temporary config defines, with a numbered id (`{seq:3}`), a list field and a default
built from another field, end to end: the CLI, the action entry and `--publish`, on a real bare remote
with the loopback GitHub. The kind and its files live on the base branch only (the checkout is main),
so every number is read from the base branch's tree, never from the checkout."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.github_api import GitHubAPI
from tests.publish.refresh_support import full_clone, merge
from tests.publish.support import Remote, seed_remote, shallow_clone
from tests.requests.test_publish_cli import actions_env, outputs  # noqa: F401  (a fixture, and a helper)

CONFIG = """\
requests:
  ticket:
    title: Ticket
    fields:
      properties:
        name: {title: Name, type: string, pattern: "^[a-z][a-z0-9-]{1,30}$"}
        environment: {title: Environment, type: string}
        service: {title: Service, type: string}
        about: {title: About, type: string, default: "Ticket of the {service} service"}
        zones: {title: Zones, type: array, items: {type: string, enum: [a, b, c]}, minItems: 1, uniqueItems: true}
      required: [service, zones]
    id: "T-{seq:3}"
    branch: "ticket/{action}-{name}-{environment}"
    commit: "ticket: {action} {id} ({name})"
    labels: [ticket, "{environment}"]
    pr_title: "Ticket {id}: {name}"
    remove: {branch: "ticket/remove-{name}-{environment}", commit: "ticket: remove {id}", labels: [ticket-removal]}
    edits:
      - id: contract
        kind: file
        path: "docs/tickets/{environment}/{id}.yaml"
        header: "# Ticket contract\\n---\\n"
        value: {id: "{id}", name: "{name}", service: "{service}", about: "{about}", zones: "{zones}"}
"""
FIELDS = ["-f", "service=pay", "-f", "zones=c", "-f", "zones=a"]


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def development(seed: Path) -> None:
        (seed / ".gitops-writer.yaml").write_text(CONFIG)
        (seed / "docs/tickets/dev").mkdir(parents=True)
        (seed / "docs/tickets/dev/T-007.yaml").write_text("# Ticket contract\n---\nid: T-007\nname: old\n")

    def main(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=development, main=main)


def cli(clone: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args, "--repo", str(clone), "--date", "2026-12-01"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def action(clone: Path, env: dict[str, str], fields: dict[str, object]) -> subprocess.CompletedProcess[str]:
    inputs = {
        "GW_KIND": "ticket",
        "GW_FIELDS": json.dumps(fields),
        "GW_DRY_RUN": "false",
        "GW_TOKEN": env["GITHUB_TOKEN"],
    }
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer.actions.entry"],
        env={**env, **inputs, "GW_WORKING_DIRECTORY": str(clone), "GW_BASE_BRANCH": "development"},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("checkout", ["shallow", "full"])
def test_numbered_list_and_computed_default_through_the_cli_the_action_and_publish(
    tmp_path: Path,
    remote: Remote,
    api: GitHubAPI,
    actions_env: dict[str, str],  # noqa: F811
    checkout: str,
) -> None:
    clone = shallow_clone(tmp_path, remote) if checkout == "shallow" else full_clone(tmp_path, remote)
    made = cli(
        clone, actions_env, "request", "ticket", "-f", "name=alpha", "-f", "environment=dev", *FIELDS, "--publish"
    )
    assert made.returncode == 0, made.stderr
    first = api.pulls[1]
    assert first.title == "Ticket T-008: alpha"  # after the base branch's T-007, the checkout holding none
    contract = remote.read("ticket/create-alpha-dev", "docs/tickets/dev/T-008.yaml")
    assert contract.startswith("# Ticket contract\n---\nid: T-008\n")
    assert YAML(typ="safe").load(contract) == {
        "id": "T-008", "name": "alpha", "service": "pay", "about": "Ticket of the pay service", "zones": ["c", "a"],
    }  # fmt: skip
    assert "`c, a`" in first.body  # the list, shown in the pull request body
    again = cli(
        clone, actions_env, "request", "ticket", "-f", "name=alpha", "-f", "environment=dev", *FIELDS, "--publish"
    )
    assert again.returncode == 0 and again.stdout.startswith("unchanged: "), again.stderr
    assert merge(remote, "ticket/create-alpha-dev")
    api.merge(1)

    fields = {"name": "beta", "environment": "dev", "service": "orders", "zones": ["b"], "about": ""}
    through_action = action(clone, actions_env, fields)  # the action's fields: a JSON list, an empty value
    assert through_action.returncode == 0, through_action.stderr
    second = api.pulls[2]
    assert second.title == "Ticket T-009: beta"  # the merged T-008 is on the base branch now
    beta = YAML(typ="safe").load(remote.read("ticket/create-beta-dev", "docs/tickets/dev/T-009.yaml"))
    assert beta["zones"] == ["b"] and beta["about"] == "Ticket of the orders service"
    assert outputs(actions_env["GITHUB_OUTPUT"])["branch"] == "ticket/create-beta-dev"

    removal = cli(
        clone, actions_env, "remove-request", "ticket", "-f", "name=alpha", "-f", "environment=dev", "--publish"
    )
    assert removal.returncode == 0, removal.stderr  # found by name and environment on the base branch
    third = api.pulls[3]
    assert third.title == "Remove Ticket: alpha (dev)" and third.labels == ["ticket-removal"]
    assert files(remote, "ticket/remove-alpha-dev") == ["docs/tickets/dev/T-007.yaml"]
    assert merge(remote, "ticket/remove-alpha-dev")
    api.merge(3)
    gamma = cli(
        clone, actions_env, "request", "ticket", "-f", "name=gamma", "-f", "environment=dev", *FIELDS, "--publish"
    )
    assert gamma.returncode == 0, gamma.stderr
    # T-008 was removed: not given again where the base branch's history is fetched (fetch-depth: 0);
    # a shallow checkout fetches only the base's tip, where nothing holds it any more
    assert api.pulls[4].title == ("Ticket T-009: gamma" if checkout == "full" else "Ticket T-008: gamma")


def files(remote: Remote, ref: str) -> list[str]:
    listed = subprocess.run(
        ["git", "--git-dir", str(remote.bare), "ls-tree", "-r", "--name-only", ref, "docs/tickets"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return listed.stdout.split()
