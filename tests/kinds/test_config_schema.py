"""gitops-writer.schema.json: what `generate config-schema` prints, accepting every example and refusing what the
loader refuses, key by key."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML, YAMLError

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import build_config, builtin_kinds
from gitops_writer.kinds.config_schema import config_schema

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "gitops-writer.schema.json"


def _load(text: str) -> Any:
    return YAML(typ="safe").load(text)


def examples() -> list[tuple[str, dict[str, Any]]]:
    found = [(f"examples/kinds/{p.name}", _load(p.read_text())) for p in sorted((ROOT / "examples/kinds").glob("*"))]
    readme = (ROOT / "README.md").read_text()
    for index, block in enumerate(re.findall(r"^( *)```yaml\n(.*?)^ *```", readme, re.S | re.M)):
        indent, text = block
        text = "\n".join(line.removeprefix(indent) for line in text.splitlines())
        if text.startswith("# .gitops-writer.yaml (under requests:)"):
            found.append((f"README yaml block {index}", {"requests": _load(text)}))
            continue
        try:
            loaded = _load(text)
        except YAMLError:  # an excerpt with '# ...' elisions, not a config
            assert not text.startswith("# .gitops-writer.yaml"), text
            continue
        if isinstance(loaded, dict) and ("requests" in loaded or "check" in loaded or text.startswith("# .gitops")):
            found.append((f"README yaml block {index}", loaded))
    found.extend((f"built-in {name}", {"requests": {name: data}}) for name, data in builtin_kinds().items())
    return found


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_file_is_what_generate_config_schema_prints() -> None:
    assert json.loads(SCHEMA_FILE.read_text()) == config_schema(), (
        "run: gitops-writer generate config-schema -o gitops-writer.schema.json"
    )


def test_there_are_examples_to_check() -> None:
    names = [name for name, _ in examples()]
    assert len([n for n in names if n.startswith("README")]) >= 3 and "built-in ecr" in names


@pytest.mark.parametrize(("name", "config"), examples(), ids=[name for name, _ in examples()])
def test_every_example_is_accepted_by_the_loader_and_the_schema(
    name: str, config: dict[str, Any], validator: jsonschema.Draft7Validator
) -> None:
    build_config(config)
    assert [e.message for e in validator.iter_errors(config)] == []


def _ecr_override() -> dict[str, Any]:
    return {"requests": {"ecr": copy.deepcopy(builtin_kinds()["ecr"])}}


def _typo(config: dict[str, Any], where: list[Any], key: str) -> dict[str, Any]:
    node: Any = config
    for step in where:
        node = node[step]
    node[key] = node.get(key.rstrip("x"), "x") if isinstance(node, dict) else None
    return config


# Each level with a key set of its own, a misspelt key at it: (path to the mapping, the misspelt key).
TYPOS = [
    ([], "base_brach"),
    (["requests", "ecr"], "titel"),
    (["requests", "ecr", "edits", 0], "pointr"),
    (["requests", "ecr", "remove"], "brnch"),
    (["requests", "ecr", "fields"], "propertes"),
    (["requests", "ecr", "fields", "properties", "name"], "patern"),
    (["check"], "ignores"),
    (["check", "ignore", 0], "reasn"),
    (["reviewers", "default"], "user"),
]


@pytest.mark.parametrize(("where", "key"), TYPOS, ids=[key for _, key in TYPOS])
def test_a_misspelt_key_is_refused_by_both(where: list[Any], key: str, validator: jsonschema.Draft7Validator) -> None:
    config = _ecr_override()
    config["requests"]["ecr"].setdefault("remove", {"branch": "ecr/remove-{name}-{environment}"})
    config["check"] = {"ignore": [{"rule": "drift", "reason": "the template is another team's"}]}
    config["reviewers"] = {"default": {"users": ["alice"]}}
    build_config(copy.deepcopy(config))  # valid before the typo
    assert list(validator.iter_errors(config)) == []
    _typo(config, where, key)
    errors = list(validator.iter_errors(config))
    assert errors and any(key in e.message for e in errors), [e.message for e in errors]
    with pytest.raises(ConfigError):
        from gitops_writer.publish.settings import publish_settings

        build_config(config)
        publish_settings(config)  # the publishing keys are read when publishing
