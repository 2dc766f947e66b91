"""gitops_writer.hcl.render: values written as HCL that looks hand-written and reads back exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_writer.hcl.render import Style, key_text, quote, render, scalar
from gitops_writer.values import JSONValue


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (25, "25"),
        (Decimal("1E+3"), "1.0e+3"),  # an exponent only after a fraction, as tree-sitter-hcl reads it
        (2.5, "2.5"),
        ('say "hi"\n', '"say \\"hi\\"\\n"'),
        ("${var.x} %{if}", '"$${var.x} %%{if}"'),  # never an interpolation or a directive
        ("$${x}", '"\\u0024$${x}"'),  # a `$` before `${` escaped: `$$${` would read ambiguously
    ],
)
def test_a_scalar_reads_back_as_itself(value: JSONValue, text: str) -> None:
    assert scalar(value) == text


def test_keys_are_bare_only_when_hcl_reads_them_as_their_own_name() -> None:
    assert key_text("orders_api-1", quoted=False) == "orders_api-1"
    assert [key_text(k, quoted=False) for k in ("true", "for", "1a", "a b")] == ['"true"', '"for"', '"1a"', '"a b"']
    assert key_text("orders", quoted=True) == quote("orders")


def test_an_object_aligns_its_equals_signs_as_terraform_fmt_does() -> None:
    value: JSONValue = {"scan": True, "retention_days": 30, "tags": {"team": "x"}}
    assert render(value, "", Style()) == (
        '{\n  scan           = true\n  retention_days = 30\n  tags = {\n    team = "x"\n  }\n}'
    )


def test_one_line_objects_and_lists_follow_the_style() -> None:
    value: JSONValue = {"a": [1, 2], "b": {"c": "d"}}
    assert render(value, "", Style(one_line=True)) == '{ a = [1, 2], b = { c = "d" } }'
    assert render([{"a": 1}], "", Style(align=False)) == "[\n  {\n    a = 1\n  },\n]"
