"""request -> remove restores every byte, over generated GitOps repositories in varied styles."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
def repositories(draw: st.DrawFn) -> dict[str, str]:
    existing = draw(st.lists(names, unique=True, max_size=4))
    if draw(st.booleans()):
        existing.sort()
    indent = draw(st.sampled_from([2, 4]))
    pad = " " * indent
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    header = ['version: "1.0"'] + ([f'last_updated: "{LAST_UPDATED}"'] if draw(st.booleans()) else [])
    if existing:
        entries = ["repositories:"]
        for name in existing:
            entries += [
                f"{pad}{name}:",
                f"{pad * 2}metadata:",
                f"{pad * 3}id: REGISTRY_{name.upper().replace('-', '_')}",
                f"{pad * 3}owner: team-x",
                f"{pad * 3}status: active",
            ]
    else:
        entries = ["repositories: {}"]
    if draw(st.booleans()):
        entries.append(f"{pad}# add new entries above this line" if existing else "# end")
    catalog = newline.join(header + entries) + newline
    targets_style = draw(st.sampled_from(["indented", "flush", "flow"]))
    targets = [f"./resources/ecr/{name}.yaml" for name in existing]
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
    return {
        "envs/dev/terraform.tfvars": (FIXTURES / draw(st.sampled_from(TFVARS_SHAPES))).read_bytes().decode(),
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": catalog,
        "catalog/all-resources.yaml": location,
    }


@settings(
    max_examples=int(os.environ.get("GITOPS_WRITER_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=repositories(), name=names, risk=st.sampled_from(["low", "medium", "high"]), owner=names)
def test_request_then_remove_is_the_identity(
    tmp_path_factory, files: dict[str, str], name: str, risk: str, owner: str
) -> None:  # type: ignore[no-untyped-def]
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
    if created.changes.status == "unchanged":
        return  # the generated repository already held this registry in full
    apply(repo, flat_request("ecr", "remove", **fields), config)
    assert snapshot_of(repo) == before
    shutil.rmtree(repo)
