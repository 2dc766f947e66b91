"""gitops_writer.hcl.decode: literal HCL values as Terraform reads them; anything computed stays an Expression."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gitops_writer.errors import DuplicateKeyError, ParseError
from gitops_writer.hcl.decode import Expression, HclValue, decode
from gitops_writer.hcl.syntax import body_container, parse


def value_of(text: str) -> HclValue:
    src = f"x = {text}\n".encode()
    element = body_container(parse(src), src).elements[0]
    return decode(src, element.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("25", 25),
        ("-2.50", Decimal("-2.50")),
        ("1.5e3", Decimal("1.5e3")),
        ("true", True),
        ("null", None),
        ('"a\\tb \\u00e9 $${x} %%{y}"', "a\tb é ${x} %{y}"),
        ("<<-EOT\n    one\n      two\n  EOT", "one\n  two\n"),  # <<- takes off the least indent
        ('{ a = 1, "b c" = [2] }', {"a": 1, "b c": [2]}),
        ("var.region", Expression("var.region")),
        ('"${var.x}-y"', Expression('"${var.x}-y"')),
        ("-var.n", Expression("-var.n")),
        ("{ (var.k) = 1 }", {Expression("(var.k)"): 1}),
    ],
)
def test_a_value_decodes_as_terraform_reads_it(text: str, value: HclValue) -> None:
    assert value_of(text) == value


def test_an_object_holding_a_key_twice_is_refused_as_the_editors_refuse_it() -> None:
    with pytest.raises(DuplicateKeyError, match=r"^the object at line 1: 'a' is defined more than once \(lines 2, 3\)"):
        value_of("{\n  a = 1\n  a = 2\n}")


def test_an_unknown_escape_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        value_of('"\\q"')
