"""requests/nunjucks.py: the part of Nunjucks a house's skeletons use, parsed once and rendered with markers."""

from __future__ import annotations

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.requests.nunjucks import parse, render
from gitops_writer.values import JSONValue


def _render(text: str, **values: JSONValue) -> str:
    return render(parse(text, "skeleton.yaml"), values.get, lambda name, value: f"<{name}={value}>")


def test_both_output_styles_become_markers_never_the_value_itself() -> None:
    assert _render("a: ${{ values.x }}\nb: {{values.y}}\n", x="1", y=2) == "a: <x=1>\nb: <y=2>\n"


@pytest.mark.parametrize(
    ("condition", "values", "chosen"),
    [
        ("values.on", {"on": True}, "if"),
        ("values.on", {"on": ""}, "else"),
        ("values.on", {"on": []}, "if"),  # JavaScript's truth: an empty list is true
        ("not values.on", {"on": 0}, "if"),
        ("values.size == 'big'", {"size": "big"}, "if"),
        ('values.size != "big"', {"size": "big"}, "else"),
        ("values.count == 2", {"count": "2"}, "if"),  # a form's text compares with a number as Nunjucks does
        ("values.flag == true", {"flag": "true"}, "else"),  # but a text is not a boolean
        ("values.flag == true", {"flag": True}, "if"),
    ],
)
def test_a_condition_chooses_its_branch(condition: str, values: dict[str, JSONValue], chosen: str) -> None:
    assert _render(f"{{% if {condition} %}}if{{% else %}}else{{% endif %}}", **values) == chosen


def test_elif_is_tried_in_order() -> None:
    text = "{% if values.a %}a{% elif values.b %}b{% elif values.c %}c{% endif %}"
    assert [_render(text, a=a, b=b, c=True) for a, b in ((True, True), (False, True), (False, False))] == list("abc")
    assert _render(text, a=False, b=False, c=False) == ""


def test_a_for_renders_its_body_per_item_with_the_list_named() -> None:
    text = "{% for env in values.envs %}- {{ env }}\n{% endfor %}"
    assert _render(text, envs=["dev", "prod"]) == "- <envs=dev>\n- <envs=prod>\n"
    assert _render(text, envs="dev") == ""  # not a list: nothing to repeat
    inner = "{% for e in values.envs %}{% if e == 'prod' %}{{ e }}{% endif %}{% endfor %}"
    assert _render(inner, envs=["dev", "prod"]) == "<envs=prod>"


def test_dashes_trim_white_space_on_their_side_and_comments_vanish() -> None:
    assert _render("a  \n{%- if values.x -%}\n  b  {# note #}\n{%- endif %}\nc", x=True) == "ab  \nc"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x\n${{ values.x | upper }}", "skeleton.yaml line 2: ${{ values.x | upper }} is not values.NAME"),
        ("{{ item }}", "skeleton.yaml line 1: {{ item }} is not values.NAME"),
        ("{% if values.x %}open", "skeleton.yaml: a {% if %} or {% for %} is not closed"),
        ("{% endfor %}", "skeleton.yaml line 1: {% endfor %} has no {% for %} open"),
        ("{% if values.x %}{% endfor %}", "skeleton.yaml line 1: {% endfor %} has no {% for %} open"),
        ("{% else %}", "skeleton.yaml line 1: {% else %} has no {% if %} open"),
        ("{{ values.x %}", "skeleton.yaml line 1: {{ is not closed by }}"),
        ("a\n\n${{ values.x", "skeleton.yaml line 3: ${{ is not closed by }}"),
        ("{% set x = 1 %}", "skeleton.yaml line 1: {% set x = 1 %} is a tag the tool does not render"),
        ("{% if values.x == y %}{% endif %}", "skeleton.yaml line 1: {% if values.x == y %} is not values.NAME"),
        ("{% if not values.x == 1 %}{% endif %}", "is not values.NAME, not values.NAME or values.NAME == LITERAL"),
    ],
)
def test_anything_else_is_refused_naming_its_line(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(text, "skeleton.yaml")
    assert message in str(raised.value)
