"""kinds/schema.py: the built-in kinds' field schemas (not checked at run time) are valid JSON Schema,
and a default must meet its own field's schema."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import builtin_kinds, load_config
from gitops_writer.kinds.schema import checked_fields


@pytest.mark.parametrize("name", sorted(builtin_kinds()))
def test_every_built_in_kind_is_valid_json_schema(tmp_path: Any, name: str) -> None:
    Draft202012Validator.check_schema(load_config(tmp_path).requests[name].fields)


def test_a_default_the_field_refuses_is_refused_with_the_validators_words() -> None:
    raw = {"properties": {"size": {"type": "integer", "maximum": 3, "default": 4}}}
    with pytest.raises(ConfigError, match=r"^f.properties.size.default: 4 is greater than the maximum of 3$"):
        checked_fields(raw, "f", ("dev",))
    raw["properties"]["size"]["default"] = 3
    assert checked_fields(raw, "f", ("dev",))["properties"]["size"]["default"] == 3
