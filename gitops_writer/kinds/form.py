"""A kind's `form:`: how its Backstage form looks, which changes the form only, never what a request accepts.

    form:
      title: Request a Platform RDS database      # the template's title, description and tags
      description: One database on the shared instance.
      tags: [aws, rds]
      pages:                                       # which fields go on which page, in this order
        - {title: Database, fields: [name, environment, owner]}
        - {title: Configuration, description: Sizing, fields: [size]}
      fields:                                      # react-jsonschema-form ui:* keywords per field
        risk: {ui:help: "High: PII", ui:widget: radio}
      links:                                       # more output links after the runs and the PR
        - {title: Runbook, url: "https://wiki.example.com/rds", icon: docs}

Without pages every field is on one page titled by the kind. Validation stays the kind's `fields`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.setting import strings
from gitops_writer.values import JSONValue

FORM_KEYS = ("title", "description", "tags", "pages", "fields", "links")
PAGE_KEYS = ("title", "description", "fields")
LINK_KEYS = ("title", "url", "icon")
# Filled by Backstage from the signed-in user, never asked for on a page.
SIGNED_IN = ("requester",)
_UI_KEY = re.compile(r"ui:[A-Za-z]+")
# The form's pickers are generate's to choose: they decide what the dispatch sends.
_NOT_UI = ("ui:field",)
_TAG = re.compile(r"[a-z0-9:+#]+(?:-[a-z0-9:+#]+)*")  # Backstage's tag rule (catalog-model)
_URL = re.compile(r"https?://[^\s]+")


@dataclass(frozen=True)
class Page:
    title: str
    fields: tuple[str, ...]
    description: str = ""


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    icon: str = ""


@dataclass(frozen=True)
class Form:
    title: str = ""
    description: str = ""
    tags: tuple[str, ...] = ()
    pages: tuple[Page, ...] = ()
    ui: Mapping[str, Mapping[str, JSONValue]] = field(default_factory=dict)  # field -> its ui:* keywords
    links: tuple[Link, ...] = ()


def checked_form(raw: object, where: str, properties: Mapping[str, object]) -> Form:
    """The `form:` setting, checked against the kind's fields."""
    if raw is None:
        return Form()
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must be a mapping of {', '.join(FORM_KEYS)}")
    _known(raw, FORM_KEYS, where)
    asked = [name for name in properties if name not in SIGNED_IN]
    tags = strings(raw.get("tags", []), f"{where}.tags")
    for tag in tags:
        if len(tag) > 63 or not _TAG.fullmatch(tag):
            raise ConfigError(f"{where}.tags: {tag!r} is not a Backstage tag (a-z, 0-9, ':', '+', '#', single '-')")
    return Form(
        title=_text(raw.get("title", ""), f"{where}.title"),
        description=_text(raw.get("description", ""), f"{where}.description"),
        tags=tags,
        pages=_pages(raw.get("pages"), f"{where}.pages", asked),
        ui=_ui(raw.get("fields", {}), f"{where}.fields", asked),
        links=_links(raw.get("links", []), f"{where}.links"),
    )


def _pages(raw: object, where: str, asked: Sequence[str]) -> tuple[Page, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        raise ConfigError(f"{where}: must be a list of pages ({{title: ..., fields: [...]}})")
    pages = []
    placed: dict[str, int] = {}
    for index, (at, page) in enumerate(_entries(raw, where, PAGE_KEYS)):
        title = _text(page.get("title"), f"{at}.title", required=True)
        names = strings(page.get("fields"), f"{at}.fields")
        if not names:
            raise ConfigError(f"{at}.fields: must name the page's fields")
        for name in names:
            if name in SIGNED_IN:
                raise ConfigError(f"{at}.fields: {name} is the signed-in user, filled in by Backstage, not asked for")
            if name not in asked:
                raise ConfigError(f"{at}.fields: {name!r} is not a field of the kind")
            if name in placed:
                raise ConfigError(f"{at}.fields: {name} is already on page {placed[name] + 1}")
            placed[name] = index
        pages.append(Page(title, names, _text(page.get("description", ""), f"{at}.description")))
    missing = [name for name in asked if name not in placed]
    if missing:
        raise ConfigError(f"{where}: the field {missing[0]} is on no page (every field the form asks for must be)")
    return tuple(pages)


def _ui(raw: object, where: str, asked: Sequence[str]) -> dict[str, dict[str, JSONValue]]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must map field names to their ui:* keywords")
    ui: dict[str, dict[str, JSONValue]] = {}
    for name, keywords in raw.items():
        at = f"{where}.{name}"
        if name not in asked:
            raise ConfigError(f"{at}: not a field the form asks for")
        if not isinstance(keywords, Mapping) or not keywords:
            raise ConfigError(f"{at}: must map ui:* keywords (ui:help, ui:widget, ...) to their values")
        for key in keywords:
            if not isinstance(key, str) or not _UI_KEY.fullmatch(key):
                raise ConfigError(f"{at}: {key!r} is not a ui:* keyword; validation belongs in the kind's fields")
            if key in _NOT_UI:
                raise ConfigError(f"{at}: {key} is chosen by generate, which knows what the dispatch must send")
        ui[name] = dict(keywords)
    return ui


def _links(raw: object, where: str) -> tuple[Link, ...]:
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: must be a list of {{title, url, icon}}")
    links = []
    for at, link in _entries(raw, where, LINK_KEYS):
        url = _text(link.get("url"), f"{at}.url", required=True)
        if not _URL.fullmatch(url):
            raise ConfigError(f"{at}.url: must be an http(s) URL")
        title = _text(link.get("title"), f"{at}.title", required=True)
        links.append(Link(title, url, _text(link.get("icon", ""), f"{at}.icon")))
    return tuple(links)


def _entries(raw: list[object], where: str, keys: Sequence[str]) -> Iterator[tuple[str, Mapping[str, object]]]:
    """Each item of a list of mappings, with where it is, its keys checked."""
    for index, item in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(item, Mapping):
            raise ConfigError(f"{at}: must be a mapping of {', '.join(keys)}")
        _known(item, keys, at)
        yield at, item


def _known(raw: Iterable[object], known: Sequence[str], where: str) -> None:
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(known)})")


def _text(value: object, where: str, *, required: bool = False) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{where}: must be {'a non-empty' if required else 'a'} string")
    return value
