"""Hostile input: every crafted value ends in a correct, escaped edit or in one clear refusal.

The strings below come from the places a request passes through: HCL and YAML syntax, shells,
Markdown and HTML in the PR body, git ref syntax and paths.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml as pyyaml
from ruamel.yaml import YAML

from gitops_writer.errors import GitopsWriterError, UsageError, ValidationError
from gitops_writer.hcl import HclEditor
from gitops_writer.kinds import load_config
from gitops_writer.requests.runner import apply
from gitops_writer.values import parse_json_value
from gitops_writer.yaml import YamlEditor
from tests import terraform
from tests.backstage_node import yaml_js_load_all
from tests.requests.conftest import ECR_REQUEST, EXAMPLE, flat_request, snapshot_of

HOSTILE = [
    '"\n}\nadmin = true\n#',  # HCL: close the string and the map, add an attribute
    '" }\nadmin = true # ',
    '${file("/etc/passwd")}',
    "%{ for x in y }${x}%{ endfor }",
    "$${already-escaped}",
    "<<EOT\nx\nEOT",
    "/* not a comment */",
    "key: value",  # YAML: a mapping in disguise
    "&anchor",
    "*alias",
    "!!python/object/apply:os.system ['id']",
    "- item",
    "? complex",
    "# comment",
    "value # trailing",
    "---",
    "...",
    "|\n  block",
    "yes",
    "on",
    "~",
    "null",
    "0o17",
    "1e3",
    ".inf",
    "2026-11-29",
    "  leading and trailing  ",
    "\t",
    "",
    "$(id)",  # shells
    "`id`",
    "; rm -rf / ;",
    "a && b || c",
    "<!-- hidden -->",  # Markdown and HTML in a PR body
    "<script>alert(1)</script>",
    "@org/team",
    "[link](https://example.invalid)",
    "| table | row |",
    "refs/heads/../../main",  # git refs and paths
    "a..b",
    "a~1^2:c",
    "@{-1}",
    "-delete",
    "../../etc/passwd",
    "/etc/passwd",
    "C:\\Windows\\system32",
    "line\r\nbreak",
    "unicode: é ü 日本 🚀 \u2028 \u200b",
    "\x01\x07\x1b[31m",
    "quote ' and \" and \\ backslash",
    "x" * 100_000,
]


def test_the_suite_is_large() -> None:
    assert len(HOSTILE) >= 50


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hcl_values_and_keys_are_escaped(value: str) -> None:
    text = "m = {\n  a = 1\n}\n"
    as_value = HclEditor().set(text, ("m", "v"), value)
    assert HclEditor().get(as_value, ("m", "v")) == value
    assert HclEditor().get(as_value, ("m",)).keys() == {"a", "v"}
    as_key = HclEditor().set(text, ("m", value), 1)
    assert HclEditor().get(as_key, ("m",)) == {"a": 1, value: 1}


@pytest.mark.slow
def test_terraform_reads_every_hostile_value_exactly() -> None:
    texts = [HclEditor().set("m = {}\n", ("m", "key" + str(i)), value) for i, value in enumerate(HOSTILE)]
    texts += [HclEditor().set("m = {}\n", ("m", value), i) for i, value in enumerate(HOSTILE) if value]
    for read, text in zip(terraform.read_back(texts), texts, strict=False):
        assert read == {"m": HclEditor().get(text, ("m",))}
        assert len(read["m"]) == 1


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_yaml_values_and_keys_stay_strings(value: str) -> None:
    text = "spec:\n  a: 1\n"
    cases = [(YamlEditor().set(text, ("spec", "v"), value), {"a": 1, "v": value})]
    if len(value) <= 1000:
        cases.append((YamlEditor().set(text, ("spec", value), "x"), {"a": 1, value: "x"}))
    else:  # YAML caps implicit keys at 1024 characters
        with pytest.raises(GitopsWriterError, match="longer than 1000"):
            YamlEditor().set(text, ("spec", value), "x")
    for edited, expected in cases:
        assert YAML(typ="safe", pure=True).load(edited)["spec"] == expected
        assert pyyaml.safe_load(edited)["spec"] == expected


@pytest.mark.slow
def test_npm_yaml_reads_every_hostile_value_exactly() -> None:
    texts = [YamlEditor().set("spec: {}\n", ("spec", "v"), value) for value in HOSTILE]
    for value, documents in zip(HOSTILE, yaml_js_load_all(texts), strict=False):
        assert documents == [{"spec": {"v": value}}]


ALLOWED = {  # the documented rule of each field: a value that follows it is a legitimate request
    "name": r"[a-z][a-z0-9]*(-[a-z0-9]+)*",
    "owner": r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]",  # Backstage entity names
    "requester": r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]",
    "domain": r"[a-z][a-z0-9-]*",
    "risk": r"low|medium|high",
    "environment": r"dev|test|staging|prod",
    "date": r"|\d{4}-\d{2}-\d{2}",
}


@pytest.mark.parametrize("field", sorted(ALLOWED))
@pytest.mark.parametrize("value", HOSTILE[:50], ids=range(50))
def test_hostile_request_fields(tmp_path: Path, field: str, value: str) -> None:
    """Refused with the field named, or (when the value follows the field's rule) written as a plain string."""
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    before = snapshot_of(repo)
    try:
        apply(repo, flat_request("ecr", "create", **{**ECR_REQUEST, field: value}), load_config(repo))
    except ValidationError as refused:
        assert refused.field == field
        assert all(f == field and "\n" not in rule for f, rule in refused.problems)
        assert snapshot_of(repo) == before
        return
    assert re.fullmatch(ALLOWED[field], value), f"{value!r} was accepted as {field}"
    catalog = pyyaml.safe_load((repo / "docs/20-contracts/resource-catalogs/ecr-catalog.yaml").read_text())
    name = value if field == "name" else ECR_REQUEST["name"]
    metadata = catalog["repositories"][name]["metadata"]
    for key, written in metadata.items():
        assert isinstance(written, str), (key, written)
    # the bundled catalog's entries say `environment: dev`, and a new entry takes their shape
    assert metadata["environment"] == (ECR_REQUEST["environment"] if field != "environment" else value)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../outside.yaml", "not a path inside the repository"),
        ("/etc/hostname.yaml", "not a path inside the repository"),
        ("envs/../../x.yaml", "not a path inside the repository"),
        ("a\\..\\b.yaml", "not a path inside the repository"),
    ],
)
def test_configured_paths_cannot_leave_the_repository(tmp_path: Path, path: str, message: str) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EXAMPLE, repo)
    (repo / ".gitops-writer.yaml").write_text(
        "requests:\n  ecr:\n    edits:\n      - {id: location, kind: item, path: '"
        + path
        + "', pointer: /x, value: '{name}'}\n"
    )
    with pytest.raises(GitopsWriterError, match=message):
        apply(repo, flat_request("ecr", "create", **ECR_REQUEST), load_config(repo))
    assert not (tmp_path / "outside.yaml").exists()


def test_json_nested_50000_deep_is_refused() -> None:
    with pytest.raises(UsageError, match="nested deeper"):
        parse_json_value("[" * 50_000 + "]" * 50_000)
    with pytest.raises(UsageError, match="nested deeper"):
        parse_json_value('{"a":' * 50_000 + "1" + "}" * 50_000)


@pytest.mark.parametrize("value", ['"\\ud800"', '"a\\u0000b"', "NaN", "Infinity", "[1,]", "{'a': 1}"])
def test_json_values_no_file_can_hold_are_refused(value: str) -> None:
    with pytest.raises(UsageError):
        parse_json_value(value)


def test_huge_values_round_trip() -> None:
    value: dict[str, Any] = {"blob": "é" * 100_000, "list": list(range(10_000))}
    text = HclEditor().set("m = {}\n", ("m", "big"), value)
    assert HclEditor().get(text, ("m", "big")) == value
    text = YamlEditor().set("m: {}\n", ("m", "big"), value)
    assert json.loads(json.dumps(YamlEditor().get(text, ("m", "big")))) == value
