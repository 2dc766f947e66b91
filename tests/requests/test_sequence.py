"""Numbered ids: `{seq:3}` takes the next number, a request keeps its own, a removed one's is not given again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.errors import ConfigError, ValidationError
from gitops_writer.kinds import build_config, load_config
from gitops_writer.requests.runner import apply
from tests.publish.support import git
from tests.requests.conftest import EXAMPLE, flat_request, snapshot_of

KIND = """\
requests:
  ticket:
    title: Ticket
    fields:
      properties:
        name: {title: Name, type: string}
        environment: {title: Environment, type: string}
        service: {title: Service, type: string}
        about: {title: About, type: string, default: "Secret for {service} service"}
      required: [service]
    id: "T-{seq:3}"
    branch: "ticket/create-{name}-{environment}"
    commit: "ticket: create {name} in {environment}"
    labels: [ticket]
    pr_title: "Ticket {id}: {name}"
    edits:
      - id: contract
        kind: file
        path: "docs/tickets/{id}.yaml"
        header: |
          # Ticket contract: written by the ticket request, reviewed in its pull request.
          ---
        value: {id: "{id}", name: "{name}", environment: "{environment}", about: "{about}"}
      - id: catalog
        kind: entry
        path: docs/tickets.yaml
        pointer: "/tickets/{name}"
        value: {id: "{id}", service: "{service}"}
"""


def add_ticket_kind(root: Path) -> None:
    (root / ".gitops-writer.yaml").write_text(KIND)
    (root / "docs/tickets").mkdir(parents=True, exist_ok=True)
    (root / "docs/tickets/README.md").write_text("One file per ticket, T-NNN.yaml.\n")
    (root / "docs/tickets.yaml").write_text("# tickets\ntickets: {}\n")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "gitops-repo"
    shutil.copytree(EXAMPLE, target)
    add_ticket_kind(target)
    git(target, "init", "-q")
    commit(target, "base")
    return target


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-q", "-m", message)


def ticket(repo: Path, name: str, action: str = "create") -> object:
    fields = {"service": "pay"} if action == "create" else {}
    return apply(repo, flat_request("ticket", action, name=name, environment="dev", **fields), load_config(repo))


def test_numbers_follow_the_highest_and_a_request_keeps_its_own(repo: Path) -> None:
    before = snapshot_of(repo)
    first = ticket(repo, "alpha")
    assert first.request.values["id"] == "T-001"  # type: ignore[attr-defined]
    assert first.publish.pr_title == "Ticket T-001: alpha"  # type: ignore[attr-defined]
    assert ticket(repo, "beta").request.values["id"] == "T-002"  # type: ignore[attr-defined]
    text = (repo / "docs/tickets/T-001.yaml").read_text()
    assert text.startswith(
        "# Ticket contract: written by the ticket request, reviewed in its pull request.\n---\nid: T-001\n"
    )
    contract = YAML(typ="safe").load(text)
    assert contract == {"id": "T-001", "name": "alpha", "environment": "dev", "about": "Secret for pay service"}
    again = ticket(repo, "alpha")  # found by its name, never given a new number
    assert again.changes.status == "unchanged" and again.request.values["id"] == "T-001"  # type: ignore[attr-defined]
    for name in ("beta", "alpha"):
        assert ticket(repo, name, "remove").changes.status == "removed"  # type: ignore[attr-defined]
    assert snapshot_of(repo) == before


def test_a_removed_requests_number_is_not_given_again_while_the_history_holds_it(repo: Path) -> None:
    ticket(repo, "alpha")
    ticket(repo, "beta")
    commit(repo, "two tickets")
    ticket(repo, "beta", "remove")
    commit(repo, "beta removed")
    assert ticket(repo, "gamma").request.values["id"] == "T-003"  # type: ignore[attr-defined]
    assert sorted(p.name for p in (repo / "docs/tickets").glob("T-*")) == ["T-001.yaml", "T-003.yaml"]


def test_a_number_in_the_kinds_files_counts_too(repo: Path) -> None:
    (repo / "docs/tickets.yaml").write_text("# tickets\n# T-041 was filed by hand\ntickets: {}\n")
    assert ticket(repo, "alpha").request.values["id"] == "T-042"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("id_template", "message"),
    [("T-{seq:3}-{seq:2}", "one {seq:N} at most"), ("T-{seq:0}", "unknown placeholder {seq:0}"), (None, "")],
)
def test_bad_numbered_ids_and_headers_are_refused(id_template: str | None, message: str) -> None:
    settings = YAML(typ="safe").load(KIND)
    if id_template is None:  # a header of anything but comments and ---
        settings["requests"]["ticket"]["edits"][0]["header"] = "kind: Oops\n"
        id_template, message = (
            settings["requests"]["ticket"]["id"],
            "header: may hold only comments, blank lines and ---",
        )
    settings["requests"]["ticket"]["id"] = id_template
    with pytest.raises(ConfigError, match=message.replace("{", r"\{").replace("}", r"\}")):
        build_config(settings)


def test_a_field_the_path_names_tells_records_apart_and_a_removal_reads_it_from_the_path(repo: Path) -> None:
    per_service = KIND.replace("/{id}.yaml", "/{service}/{id}.yaml").replace(
        '"/tickets/{name}"', '"/tickets/{service}-{name}"'
    )
    (repo / ".gitops-writer.yaml").write_text(per_service)
    config = load_config(repo)
    before = snapshot_of(repo)
    for service in ("pay", "orders"):
        made = apply(repo, flat_request("ticket", "create", name="alpha", environment="dev", service=service), config)
        assert made.changes.status == "created"  # another service's alpha is not this request
    assert sorted(p.relative_to(repo / "docs/tickets").as_posix() for p in (repo / "docs/tickets").rglob("T-*")) == [
        "orders/T-002.yaml",
        "pay/T-001.yaml",
    ]
    with pytest.raises(ValidationError, match="alpha in dev is recorded in 2 places: give service to say which"):
        apply(repo, flat_request("ticket", "remove", name="alpha", environment="dev"), config)
    (repo / "docs/tickets/orders/T-002.yaml").unlink()
    (repo / "docs/tickets/orders").rmdir()
    removal = apply(repo, flat_request("ticket", "remove", name="alpha", environment="dev"), config)
    assert removal.changes.status == "removed" and removal.request.fields["service"] == "pay"
    assert removal.request.values["id"] == "T-001"  # its own number, read back
    assert not (repo / "docs/tickets/pay/T-001.yaml").exists()
    assert snapshot_of(repo) == {**before, "docs/tickets.yaml": (repo / "docs/tickets.yaml").read_bytes()}
    assert "orders-alpha" in (repo / "docs/tickets.yaml").read_text()  # what the test took out by hand, only
