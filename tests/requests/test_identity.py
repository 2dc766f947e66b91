"""request -> remove restores every byte, over generated GitOps repositories in varied styles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitops_writer.hcl import HclEditor
from gitops_writer.kinds import load_config
from gitops_writer.requests.runner import apply
from tests.requests.conftest import flat_request, snapshot_of

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tfvars"
TFVARS_SHAPES = sorted(
    p.name
    for p in FIXTURES.glob("*.tfvars")
    if "ecr_repositories" in p.read_text() and p.name != "duplicate-keys.tfvars"
)
names = st.from_regex(r"[a-z][a-z0-9]{1,6}(-[a-z0-9]{1,5})?", fullmatch=True)
LAST_UPDATED = "2026-11-02"


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[dict[str, str], str]:
    """A repository, and a name it does not hold anywhere (a request for a name it holds with other
    values is refused, and one it holds in full is unchanged: neither is a request to undo)."""
    tfvars = (FIXTURES / draw(st.sampled_from(TFVARS_SHAPES))).read_bytes().decode()
    held = set(HclEditor().get(tfvars, ("ecr_repositories",)))
    name = draw(names.filter(lambda n: n not in held))
    existing = draw(st.lists(names.filter(lambda n: n not in held and n != name), unique=True, max_size=4))
    if draw(st.booleans()):
        existing.sort()
    indent = draw(st.sampled_from([2, 4]))
    pad = " " * indent
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    header = ['version: "1.0"'] + ([f'last_updated: "{LAST_UPDATED}"'] if draw(st.booleans()) else [])
    if existing:
        entries = ["repositories:"]
        for other in existing:
            entries += [
                f"{pad}{other}:",
                f"{pad * 2}metadata:",
                f"{pad * 3}id: REGISTRY_{other.upper().replace('-', '_')}",
                f"{pad * 3}owner: team-x",
                f"{pad * 3}status: active",
            ]
    else:
        entries = ["repositories: {}"]
    if draw(st.booleans()):
        entries.append(f"{pad}# add new entries above this line" if existing else "# end")
    catalog = newline.join(header + entries) + newline
    targets_style = draw(st.sampled_from(["indented", "flush", "flow"]))
    targets = [f"./resources/ecr/{other}.yaml" for other in existing]
    if targets_style == "flow" or not targets:
        target_lines = ["  targets: [" + ", ".join(targets) + "]"]
    else:
        dash = "    - " if targets_style == "indented" else "  - "
        target_lines = ["  targets:"] + [dash + t for t in targets]
    location = (
        newline.join(
            ["apiVersion: backstage.io/v1alpha1", "kind: Location", "metadata:", "  name: all", "spec:", *target_lines]
        )
        + newline
    )
    files = {
        "envs/dev/terraform.tfvars": tfvars,
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": catalog,
        "catalog/all-resources.yaml": location,
    }
    return files, name


@settings(
    max_examples=int(os.environ.get("GITOPS_WRITER_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios(), risk=st.sampled_from(["low", "medium", "high"]), owner=names)
def test_request_then_remove_is_the_identity(
    tmp_path_factory, scenario: tuple[dict[str, str], str], risk: str, owner: str
) -> None:  # type: ignore[no-untyped-def]
    files, name = scenario
    repo = tmp_path_factory.mktemp("repo")
    for relative, text in files.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_bytes(text.encode())
    before = snapshot_of(repo)
    config = load_config(repo)
    fields = dict(name=name, environment="dev", date=LAST_UPDATED)
    created = apply(
        repo,
        flat_request("ecr", "create", owner=owner, requester="jdoe", domain="payments", risk=risk, **fields),
        config,
    )
    assert created.changes.status != "unchanged"
    apply(repo, flat_request("ecr", "remove", **fields), config)
    assert snapshot_of(repo) == before
    shutil.rmtree(repo)


@pytest.mark.parametrize(
    ("tfvars", "left"),
    [
        # terraform fmt aligns the `=` of the now one-line empty map with its neighbour's
        ("x = 1\n", "x                = 1\necr_repositories = {}\n"),
        ("", "ecr_repositories = {}\n"),  # an empty environment file takes its first attribute unquoted
    ],
    ids=["one-attribute", "empty"],
)
def test_what_a_removal_leaves_where_the_request_made_the_map(tmp_path, tfvars: str, left: str) -> None:  # type: ignore[no-untyped-def]
    """The shapes the README names: the map a request had to create stays, empty, after its removal."""
    files = {
        "envs/dev/terraform.tfvars": tfvars,
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": 'version: "1.0"\nrepositories:\n',
        "catalog/all-resources.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nspec:\n  targets: []\n",
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    config = load_config(tmp_path)
    fields = dict(name="payments-api", environment="dev", date=LAST_UPDATED)
    apply(
        tmp_path,
        flat_request("ecr", "create", owner="o", requester="jdoe", domain="payments", risk="low", **fields),
        config,
    )
    apply(tmp_path, flat_request("ecr", "remove", **fields), config)
    after = {relative: (tmp_path / relative).read_text() for relative in files}
    assert after == {
        "envs/dev/terraform.tfvars": left,
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": 'version: "1.0"\nrepositories: {}\n',
        "catalog/all-resources.yaml": files["catalog/all-resources.yaml"],
    }
