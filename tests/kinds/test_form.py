"""A kind's `form:` (kinds/form.py): presentation only, checked against the kind's fields, one line per mistake."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import build_config
from gitops_writer.kinds.form import Form, Link, Page


def ecr_form(form: Any) -> Form:
    return build_config({"requests": {"ecr": {"form": form}}}).requests["ecr"].form


def test_a_kind_without_a_form_has_the_empty_one() -> None:
    assert build_config({}).requests["ecr"].form == Form()


def test_pages_ui_keywords_and_links_are_read() -> None:
    form = ecr_form(
        {
            "title": "Request a registry",
            "tags": ["aws", "ecr"],
            "pages": [
                {"title": "Registry", "fields": ["name", "environment", "owner"]},
                {"title": "Governance", "description": "Who and how risky", "fields": ["domain", "risk"]},
            ],
            "fields": {"risk": {"ui:widget": "radio", "ui:help": "High: security review"}},
            "links": [{"title": "Runbook", "url": "https://wiki.example.com/ecr"}],
        }
    )
    assert form.pages[1] == Page("Governance", ("domain", "risk"), "Who and how risky")
    assert form.ui == {"risk": {"ui:widget": "radio", "ui:help": "High: security review"}}
    assert form.links == (Link("Runbook", "https://wiki.example.com/ecr"),)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"colour": "blue"}, "form: unknown setting 'colour'"),
        ({"pages": [{"title": "A", "fields": ["name", "environment", "owner", "domain"]}]}, "risk is on no page"),
        (
            {"pages": [{"title": "A", "fields": ["name", "environment", "owner", "domain", "risk", "name"]}]},
            "name is already on page 1",
        ),
        (
            {"pages": [{"title": "A", "fields": ["name", "environment", "owner", "domain", "risk", "requester"]}]},
            "requester is the signed-in user",
        ),
        ({"pages": [{"title": "A", "fields": ["nme"]}]}, "'nme' is not a field of the kind"),
        ({"pages": [{"fields": ["name"]}]}, "pages[0].title: must be a non-empty string"),
        ({"fields": {"risk": {"pattern": "^x$"}}}, "'pattern' is not a ui:* keyword"),
        ({"fields": {"owner": {"ui:field": "EntityPicker"}}}, "ui:field is chosen by generate"),
        ({"fields": {"requester": {"ui:help": "you"}}}, "requester: not a field the form asks for"),
        ({"tags": ["Has Space"]}, "'Has Space' is not a Backstage tag"),
        ({"links": [{"title": "x", "url": "javascript:alert(1)"}]}, "links[0].url: must be an http(s) URL"),
    ],
)
def test_a_form_mistake_is_one_line_naming_where(form: Any, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as raised:
        ecr_form(form)
    assert message in str(raised.value) and "\n" not in str(raised.value)
