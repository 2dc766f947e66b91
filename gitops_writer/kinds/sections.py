"""A kind's own pull request sections: headed text and lists, each chosen by a JSON Schema condition.

    sections:
      - title: Approval Requirements
        when: {properties: {environment: {not: {const: dev}}}}
        items: ["**Non-dev environment**: requires platform approval"]
      - title: Purpose
        text: "> {purpose_description}"

Every section whose `when` holds over the request's fields (no `when`: always) is written under
`### <title>` after the fields table, in the order the kind lists them; sections with the same title
share one heading, their texts and items in order, so several conditions can fill one list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.schema import check_rule
from gitops_writer.kinds.setting import check_placeholders, refuse_unknown, string, strings
from gitops_writer.values import JSONObject, JSONValue

SECTION_KEYS = frozenset({"title", "when", "text", "items"})


@dataclass(frozen=True)
class Section:
    title: str
    when: JSONObject | None = None  # an object schema over the fields; None: always
    text: str = ""  # a paragraph, a template (values shown as code)
    items: tuple[str, ...] = ()  # list items, templates


def checked_sections(
    raw: object, where: str, properties: Mapping[str, JSONValue], known: tuple[str, ...]
) -> tuple[Section, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: must be a list of {{title, when, text, items}}")
    return tuple(_section(part, f"{where}[{index}]", properties, known) for index, part in enumerate(raw))


def _section(raw: JSONValue, at: str, properties: Mapping[str, JSONValue], known: tuple[str, ...]) -> Section:
    if not isinstance(raw, dict):
        raise ConfigError(f"{at}: must be {{title: TEXT, when: CONDITION, text: TEMPLATE, items: [TEMPLATE, ...]}}")
    refuse_unknown(raw, SECTION_KEYS, at)
    title = string(raw.get("title"), f"{at}.title")
    if "\n" in title or "#" in title[:1]:
        raise ConfigError(f"{at}.title: must be one line, without the heading's #")
    when = raw.get("when")
    if when is not None:
        check_rule(when, f"{at}.when", properties)
    text = "" if raw.get("text") is None else string(raw.get("text"), f"{at}.text")
    items = strings(raw["items"], f"{at}.items") if "items" in raw else ()
    if not text and not items:
        raise ConfigError(f"{at}: needs a text or items")
    for template, part in ((title, "title"), (text, "text"), *((item, "items") for item in items)):
        check_placeholders(template, f"{at}.{part}", known)
    return Section(title=title, when=dict(when) if isinstance(when, dict) else None, text=text, items=items)
