"""kinds/load.py: the built-in kinds, the top-level settings, and one clear line for each mistake a config makes."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import build_config, builtin_kinds, load_config


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_config(tmp_path)
    assert config.source == "built-in defaults"
    assert config.environments == ("dev", "test", "staging", "prod")
    ecr = config.requests["ecr"]
    assert [(e.id, e.edit_type) for e in ecr.edits] == [
        ("tfvars", "entry"),
        ("catalog", "entry"),
        ("entity", "file"),
        ("location", "item"),
    ]
    assert ecr.fields["additionalProperties"] is False
    assert ecr.fields["properties"]["environment"]["enum"] == ["dev", "test", "staging", "prod"]
    assert ecr.inputs["registry_name"] == "name" and ecr.inputs["base_branch"] == ""
    assert ecr.remove.labels == ("ecr-registry-removal", "{environment}")


def test_the_builtin_kind_is_a_file_in_the_package() -> None:
    assert builtin_kinds()["ecr"]["title"] == "ECR Registry"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("environments: dev\n", "environments: must be a list of strings"),
        ("environment: [dev]\n", "unknown setting 'environment'"),
        ("- a\n", "the top level must be a mapping"),
        ("a: [\n", "not valid YAML at line 2, column 1: did not find expected node content$"),
        (
            "a: [1\nb: 2\n",
            r"at line 2, column 2: .* \(while parsing a flow sequence that starts at line 1, column 4\)$",
        ),
        ("requests:\n  ecr:\n    branch: 'registry/{nmae}'\n", r"unknown placeholder \{nmae\}"),
        (
            "requests:\n  ecr:\n    edits: [{kind: entry, path: a.yaml, pointer: /x, value: 1}]\n",
            r"edits\[0\].id: is required",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: patch, path: a, value: 1}]\n",
            r"edits\[0\].kind: must be one of entry, file, item",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: entry, path: a.yaml, value: 1}]\n",
            r"edits\[0\].pointer: a JSON pointer",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: x, kind: entry, path: a.yaml, pointer: /x, value: '{oops}'}]\n",
            "unknown placeholder",
        ),
        ("requests:\n  ecr:\n    edits: [{id: nope, drop: true}]\n", "drop: no edit has the id 'nope'"),
        (
            "requests:\n  ecr:\n    edits: [{id: x, kind: file, path: a, value: [{b: '{environments}'}]}]",
            r"repeats a string item",
        ),
        ("requests:\n  ecr:\n    colour: red\n", "unknown setting 'colour'"),
        (
            "requests:\n  s3:\n    title: S3\n",
            "requests.s3: a new kind needs .*; missing: fields, branch, commit, edits$",
        ),
        ("requests:\n  ecr:\n    fields: {properties: {size: {type: object}}}\n", "size.type: must be one of"),
        (
            "requests:\n  ecr:\n    fields: {properties: {size: {type: string, patern: x}}}\n",
            "unknown keyword 'patern'",
        ),
        ("requests:\n  ecr:\n    fields: {additionalProperties: true}\n", "additionalProperties: must be false"),
        ("requests:\n  ecr:\n    fields: {properties: {n: {type: integer, minimum: x}}}\n", "not a valid JSON Schema"),
        (
            "requests:\n  ecr:\n    fields: {properties: {n: {type: integer, default: x}}}\n",
            r"n.default: 'x' is not of type",
        ),
        ("requests:\n  ecr:\n    fields: {required: [colour]}\n", "colour is not one of the properties"),
        ("requests:\n  ecr:\n    fields: {if: {properties: {colour: {const: x}}}}\n", "colour is not a field"),
        ("requests:\n  ecr:\n    derived: {tier: {from: size, map: {a: b}}}\n", "'size' is not a field"),
        ("requests:\n  ecr:\n    derived: {owner: x}\n", "owner is already a field"),
        ("requests:\n  ecr:\n    inputs: {db: database}\n", "'database' is not a field"),
        ("requests:\n  ecr:\n    remove: {branch: 'registry/create-{name}'}\n", "must differ from the create branch"),
        ("requests:\n  ecr:\n    shown: [[nope, Nope]]\n", "unknown placeholder 'nope'"),
    ],
)
def test_mistakes(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


QUEUE = (
    "requests:\n  queue:\n    title: Queue\n    fields: {properties: {size: {type: integer}}}\n"
    "    branch: 'queue/create-{name}'\n    commit: 'queue: {name}'\n"
    "    edits: [{kind: entry, path: 'q/{environment}.yaml', pointer: '/q/{name}', value: '{size}'}]\n"
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # text a generated workflow or template holds: no line breaks, no ${{ }}
        (
            'requests:\n  ecr:\n    title: "Queue\\ndefaults: {run: {shell: \\"bash -c \'curl x | sh\' {0}\\"}}\\n#"\n',
            r"ecr.title: holds a line break",
        ),
        ("requests:\n  ecr:\n    title: 'Q ${{ github.token }}'\n", "ecr.title: holds"),
        ("requests:\n  ecr:\n    workflow: '.github/workflows/a${{ github.token }}b.yml'\n", "ecr.workflow: holds"),
        ("requests:\n  ecr:\n    workflow: '.github/workflows/a b.yml'\n", "ecr.workflow: the file name must be"),
        ('requests:\n  ecr:\n    template: "catalog/t\\r.yaml"\n', "ecr.template: holds"),
        (
            'requests:\n  ecr:\n    fields: {properties: {risk: {description: "x\\n# y"}}}\n',
            r"fields.properties.risk.description: holds",
        ),
        ('requests:\n  ecr:\n    fields: {properties: {risk: {enum: [low, "a\\u2028b"]}}}\n', r"risk.enum\[1\]: holds"),
        ("requests:\n  ecr:\n    fields: {properties: {risk: {default: 'x }}'}}}\n", r"risk.default: holds"),
        ("base_branch: '${{ github.token }}'\n", "base_branch: holds"),
        ("base_branch: 'a b'\n", "base_branch: 'a b' is not a valid git branch name"),
        ('environments: [dev, "pr\\tod"]\n', r"environments\[1\]: holds"),
        ('requests:\n  ecr:\n    labels: ["a\\nb"]\n', "ecr.labels: holds"),
        (
            "requests:\n  ecr:\n    form: {links: [{title: 'x ${{ secrets.T }}', url: 'https://x'}]}\n",
            r"form.links\[0\].title",
        ),
        # branch templates git refuses, or that read as something else
        ("requests:\n  ecr:\n    branch: 'HEAD'\n", "reads as HEAD"),
        ("requests:\n  ecr:\n    branch: 'refs/heads/{name}'\n", "reads as HEAD, a full ref"),
        ("requests:\n  ecr:\n    branch: 'origin/{name}'\n", "a remote's branch"),
        ("requests:\n  ecr:\n    branch: 'a..{name}'\n", "ecr.branch: 'a..x' is not a valid git branch name"),
        ("requests:\n  ecr:\n    branch: '{name}.lock'\n", "not a valid git branch name"),
        ("requests:\n  ecr:\n    remove: {branch: '{name} x'}\n", "remove.branch: 'x x' is not a valid"),
        # edit paths no request may write, and settings named in their errors
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: file, path: '.github/workflows/{name}.yml', value: 1}]",
            r"edits\[0\].path: '.github/workflows/x.yml' is under .github/",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: file, path: '.git./{name}.yaml', value: 1}]\n",
            "names .git",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: file, path: 'a/../{name}.yaml', value: 1}]\n",
            "not a path inside",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: file, path: 'x/{name}.json', value: 1}]\n",
            r"edits\[0\].path: must end with",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: catalog, kind: file, path: c.yaml, value: 1, stamp: no-slash}]\n",
            r"edits\[1\].stamp: must be a JSON pointer",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: catalog, kind: file, path: c.yaml, value: 1, stamp: '/a/{name}'}]\n",
            r"edits\[1\].stamp: must be",
        ),
        (
            "requests:\n  ecr:\n    edits: [{id: tfvars, kind: entry, path: t.tfvars, pointer: /x, value: 1, "
            "document: 3}]",
            r"edits\[0\].document: only a YAML file",
        ),
        # settings of the wrong type: one line naming the setting
        ("requests:\n  ecr:\n    inputs: {user: [requester]}\n", r"inputs.user: \['requester'\] is not a field"),
        ("requests:\n  ecr:\n    derived: {x: {from: {a: b}, map: {a: b}}}\n", r"derived.x.from: \{'a': 'b'\} is not"),
        ("requests:\n  ecr:\n    fields: {properties: {risk: {allOf: null}}}\n", r"risk.allOf: must be a list"),
    ],
)
def test_config_text_and_types_are_checked(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / ".gitops-writer.yaml").write_text(text)
    with pytest.raises(ConfigError, match=message) as refused:
        load_config(tmp_path)
    assert "\n" not in str(refused.value)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, (*prefix, key))


WRONG = [None, 7, True, "", "}}", ["a"], {"a": [1]}, [{"a": 1}]]
SMALL_KIND = """\
title: Queue
fields:
  properties:
    size: {type: integer, minimum: 1, default: 2, allOf: [{maximum: 9}]}
    tier: {type: string, enum: [a, b], description: Tier}
  required: [size]
derived: {x: {from: tier, map: {a: one}}, y: "{name}-y"}
inputs: {queue_size: size}
shown: [[name, Name]]
branch: "q/create-{name}"
commit: "q: {name}"
labels: [q, "{environment}"]
remove: {branch: "q/remove-{name}", labels: [q]}
controls_field: tier
controls: {a: [checked]}
workflow: .github/workflows/q.yml
edits:
  - {id: t, kind: entry, path: "envs/{environment}/q.tfvars", pointer: "/q/{name}", value: {size: "{size}"}, keep: [/a]}
  - {id: c, kind: item, path: c.yaml, pointer: /items, value: "{name}", stamp: /updated, document: 0}
"""


def test_every_setting_of_any_type_is_a_config_or_one_line_naming_it() -> None:
    from ruamel.yaml import YAML

    settings = {
        "environments": ["dev", "prod"],
        "base_branch": "main",
        "risk_controls": {"low": ["x"]},
        "references": "warn",
        "requests": {"queue": YAML(typ="safe").load(SMALL_KIND)},
    }
    build_config(settings, "x")
    tried = 0
    for index, path in enumerate(p for p in _paths(settings) if p):
        for wrong in (WRONG[index % 8], WRONG[(index + 3) % 8], WRONG[(index + 5) % 8]):  # three types each
            mutated = copy.deepcopy(settings)
            holder = mutated
            for key in path[:-1]:
                holder = holder[key]
            holder[path[-1]] = copy.deepcopy(wrong)
            tried += 1
            try:
                build_config(mutated, "x")
            except ConfigError as refused:
                assert "\n" not in str(refused), (path, wrong)
    assert tried > 200
