"""One keep-it-sorted rule: the same placement for tfvars keys, YAML keys and list items."""

from __future__ import annotations

import pytest

from gitops_writer.hcl import HclEditor
from gitops_writer.ordering import sorted_position
from gitops_writer.yaml import YamlEditor


@pytest.mark.parametrize(
    ("existing", "new", "position"),
    [
        pytest.param(["a", "c"], "b", 1, id="sorted"),
        pytest.param(["a", "c"], "0", 0, id="first"),
        pytest.param(["a", "c"], "d", 2, id="last"),
        pytest.param(["a", "b"], "b", 2, id="equal-goes-after"),
        pytest.param(["Alpha", "beta", "Gamma"], "delta", 2, id="sorted-ignoring-case"),
        pytest.param(["B", "a"], "c", 2, id="exact-order-first-then-case-but-neither-holds"),
        pytest.param(["b", "a"], "c", 2, id="unsorted-appends"),
        pytest.param(["b"], "a", 1, id="one-entry-shows-no-order"),
        pytest.param([], "a", 0, id="empty"),
        pytest.param(["a", 1], "b", 2, id="not-all-strings"),
        pytest.param(["a", "c"], 2, 2, id="new-not-a-string"),
    ],
)
def test_sorted_position(existing: list[object], new: object, position: int) -> None:
    assert sorted_position(existing, new) == position


@pytest.mark.parametrize(
    ("keys", "new", "after"),
    [
        pytest.param(["Alpha", "beta", "Gamma"], "delta", "beta", id="case-insensitive"),
        pytest.param(["b"], "a", "b", id="one-key"),
        pytest.param(["a", "c"], "b", "a", id="sorted"),
    ],
)
def test_every_format_places_a_new_key_alike(keys: list[str], new: str, after: str) -> None:
    hcl = "m = {\n" + "".join(f'  "{k}" = 1\n' for k in keys) + "}\n"
    yaml = "m:\n" + "".join(f"  {k}: 1\n" for k in keys) + "n: 0\n"
    hcl_lines = HclEditor().set(hcl, ["m", new], 1).splitlines()
    yaml_lines = YamlEditor().set(yaml, ["m", new], 1).splitlines()
    hcl_keys = [line.split('"')[1] for line in hcl_lines if line.startswith('  "')]
    yaml_keys = [line.strip().split(":")[0] for line in yaml_lines if line.startswith("  ")]
    assert hcl_keys == yaml_keys
    assert hcl_keys.index(new) == hcl_keys.index(after) + 1
