"""A request costs the same wherever its entry lands: one parse per file, and no whole-document or
whole-list conversion, whether the new entry sorts first, in the middle, last, or goes into an
unsorted map and list."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

import gitops_writer.yaml.trees as yaml_trees
from gitops_writer.kinds import load_config
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import prepare
from gitops_writer.yaml import decode as yaml_decode
from gitops_writer.yaml import outline

ENTRIES = 600  # every file above the size whose parse is kept for the next edit


def _repository(root: Path, *, shuffled: bool, stamped: bool = True) -> Path:
    """The default layout with an entity file per registry, as the tool writes them (each names the
    registry resource it depends on), and a catalog with or without its `last_updated` stamp."""
    names = [f"app-{i:06d}" for i in range(ENTRIES)]
    if shuffled:
        random.Random(7).shuffle(names)
    tfvars = ['environment = "dev"', "", "ecr_repositories = {"]
    catalog = ['version: "1.0"', *(['last_updated: "2026-11-02"'] if stamped else []), "repositories:"]
    location = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Location",
        "metadata:",
        "  name: all",
        "spec:",
        "  targets:",
    ]
    for name in names:
        tfvars += [f'  "{name}" = {{', "    metadata = {", f'      id = "R_{name}"', "    }", "  }"]
        catalog += [f"  {name}:", "    metadata:", f"      id: R_{name}", "      owner: team-a", "      risk: low"]
        location.append(f"    - ./resources/ecr/{name}.yaml")
        entity = root / f"catalog/resources/ecr/{name}.yaml"
        entity.parent.mkdir(parents=True, exist_ok=True)
        entity.write_text(
            "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n"
            f"  name: ecr-{name}\nspec:\n  type: container-repository\n  owner: team-a\n"
            "  dependencyOf:\n    - resource:ecr-registry\n"
        )
    tfvars.append("}")
    for relative, lines in {
        "envs/dev/terraform.tfvars": tfvars,
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": catalog,
        "catalog/all-resources.yaml": location,
    }.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("\n".join(lines) + "\n")
    return root


@pytest.mark.parametrize(
    ("name", "shuffled", "stamped"),
    [
        ("aaa-first", False, True),
        (f"app-{ENTRIES // 2:06d}-x", False, True),
        ("zzz-last", False, True),
        ("payments-api", True, True),
        (f"app-{ENTRIES // 2:06d}-x", False, False),
    ],
    ids=["first", "middle", "last", "unsorted", "catalog-without-last_updated"],
)
def test_one_parse_per_file_and_no_whole_conversion(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hcl_parses: list[tuple[bytes, bool]],
    name: str,
    shuffled: bool,
    stamped: bool,
) -> None:
    repo = _repository(tmp_path, shuffled=shuffled, stamped=stamped)
    config = load_config(repo)  # read by the same YAML reader: not the request's files, so not counted
    yaml_parses: list[int] = []
    converted: list[object] = []
    parse_yaml, convert = yaml_trees.parse, yaml_decode._Converter.value

    entity_parses: list[str] = []

    def counting_yaml(text: str, *, pure: bool) -> Any:
        yaml_parses.append(len(text))
        if "kind: Resource" in text:
            entity_parses.append(text)
        return parse_yaml(text, pure=pure)

    def counting_conversion(self: object, node: object, depth: int) -> Any:
        converted.append(node)
        return convert(self, node, depth)  # type: ignore[arg-type]

    monkeypatch.setattr(yaml_trees, "parse", counting_yaml)
    monkeypatch.setattr(yaml_decode._Converter, "value", counting_conversion)
    read: list[int] = []  # the number of items of each collection the outline reader read

    def counting(read_items: Any) -> Any:
        return lambda collection: read.append(len(found := read_items(collection))) or found

    monkeypatch.setattr(outline, "_mapping_items", counting(outline._mapping_items))
    monkeypatch.setattr(outline, "_sequence_items", counting(outline._sequence_items))
    fields = dict(name=name, environment="dev", owner="team-payments", requester="jdoe", domain="payments")
    request = Request(kind="ecr", action="create", fields={**fields, "risk": "low"}, date="2026-11-29")
    prepared = prepare(repo, request, config)

    assert prepared.changes.status == "created" and len(prepared.changes.changes) == 5  # 4 written, 1 read:
    assert sum(change.changed for change in prepared.changes.changes) == 4  # the newest sibling entity, a model
    large = [size for size in yaml_parses if size > 5_000]
    assert len(large) == 2, f"whole YAML parses: {large}"  # the catalog and the Location, once each
    # the new entity and its newest sibling (its shape), and of the repository's only those that may
    # define a name it refers to: none
    assert len(entity_parses) == 2, f"entity files parsed: {len(entity_parses)}"
    # the tfvars once, then only incremental parses: the entries beside the edit, and the edit's check
    assert [incremental for _, incremental in hcl_parses].count(False) == 1
    assert len(converted) < 100, f"{len(converted)} YAML nodes converted"  # the new entries, not the files
    # both files read off their lines, and of their collections only those on the way to the edits
    assert ENTRIES in read and len(read) < 40, f"collections read: {read}"  # not one per entry
