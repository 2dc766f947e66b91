"""Two numbered requests published from one base take the same number; once the first is merged,
refresh renumbers the second, and both end merged with distinct ids (real git, the loopback GitHub)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.publish import PublishOptions
from gitops_writer.publish.refresh import RefreshOptions, refresh
from gitops_writer.requests.model import Request
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import EXAMPLE, full_clone, merge, publish_request
from tests.publish.support import Remote, Sleeps, seed_remote
from tests.requests.test_sequence import add_ticket_kind


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def development(seed: Path) -> None:
        import shutil

        shutil.copytree(EXAMPLE, seed, dirs_exist_ok=True)
        add_ticket_kind(seed)

    def main(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=development, main=main)


def ticket(name: str) -> Request:
    return Request("ticket", "create", {"name": name, "environment": "dev", "service": "pay"}, "2026-12-01")


def test_refresh_renumbers_the_request_whose_number_a_merged_one_took(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    work = full_clone(tmp_path, remote)
    alpha = publish_request(work, ticket("alpha"), options, sleeps)
    beta = publish_request(work, ticket("beta"), options, sleeps)
    assert alpha.number is not None and beta.number is not None
    assert api.pulls[alpha.number].title == api.pulls[beta.number].title.replace("beta", "alpha")
    assert "T-001" in api.pulls[beta.number].title  # the same base: the same number
    assert merge(remote, "ticket/create-alpha-dev")
    api.merge(alpha.number)
    report = refresh(work, RefreshOptions(options), sleep=sleeps)
    assert [pull.status for pull in report.pulls] == ["rebuilt"], report.to_json()
    pull = api.pulls[beta.number]
    assert pull.title == "Ticket T-002: beta" and "T-002" in pull.body and "T-001" not in pull.body
    assert merge(remote, "ticket/create-beta-dev")  # a clean merge, distinct files and ids
    api.merge(beta.number)
    catalog = YAML(typ="safe").load(remote.read("development", "docs/tickets.yaml"))
    assert catalog["tickets"] == {"alpha": {"id": "T-001", "service": "pay"}, "beta": {"id": "T-002", "service": "pay"}}
    assert "name: beta\n" in remote.read("development", "docs/tickets/T-002.yaml")
    assert "name: alpha\n" in remote.read("development", "docs/tickets/T-001.yaml")
    again = refresh(work, RefreshOptions(options), sleep=sleeps)
    assert again.pulls == ()
