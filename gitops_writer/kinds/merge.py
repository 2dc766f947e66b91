"""Merging a repository's `requests:` entry over a built-in kind's settings, key by key (see load.py's rules)."""

from __future__ import annotations

import copy
from collections.abc import Mapping

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.setting import mapping, refuse_unknown, strings

KIND_KEYS = frozenset(
    {
        "title",
        "fields",
        "derived",
        "inputs",
        "shown",
        "id",
        "branch",
        "commit",
        "labels",
        "remove",
        "controls",
        "controls_field",
        "sections",
        "template",
        "workflow",
        "edits",
        "pr_title",
        "pr_body",
        "form",
    }
)


def legacy_shorthands(ecr: dict[str, object], settings: Mapping[str, object], where: str) -> None:
    """`domains`, `risks` and `risk_controls`: the top-level shorthands for the ECR kind's fields."""
    fields = ecr["fields"]
    assert isinstance(fields, dict)  # the built-in kind's, read from the package
    properties = fields["properties"]
    assert isinstance(properties, dict)
    if "domains" in settings:
        domains = strings(settings["domains"], f"{where}: domains")
        if domains:
            properties["domain"] = {**properties["domain"], "enum": list(domains)}
    if "risks" in settings:
        properties["risk"] = {**properties["risk"], "enum": list(strings(settings["risks"], f"{where}: risks"))}
    if "risk_controls" in settings:
        controls = settings["risk_controls"]
        if not isinstance(controls, Mapping):
            raise ConfigError(f"{where}: risk_controls must map each risk to a list of strings")
        existing = ecr.get("controls", {})
        ecr["controls"] = {**(existing if isinstance(existing, Mapping) else {}), **controls}


def merge_kind(base: Mapping[str, object], override: Mapping[str, object], where: str) -> dict[str, object]:
    """A kind's settings with an override merged in, key by key (see the module's rules)."""
    refuse_unknown(override, KIND_KEYS, where)
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        value = copy.deepcopy(value)
        current = merged.get(key)
        if key == "fields" and isinstance(value, Mapping) and isinstance(current, Mapping):
            fields = dict(current)
            for part, setting in value.items():
                existing = fields.get("properties", {})
                if part == "properties" and isinstance(setting, Mapping) and isinstance(existing, Mapping):
                    fields["properties"] = {**existing, **setting}
                else:
                    fields[part] = setting
            merged[key] = fields
        elif key in ("derived", "inputs", "controls", "remove") and isinstance(value, Mapping):
            merged[key] = {**(current if isinstance(current, Mapping) else {}), **value}
        elif key == "edits" and isinstance(value, list) and isinstance(current, list):
            merged[key] = _merge_edits(current, value, f"{where}.edits")
        else:
            merged[key] = value
    return merged


def _merge_edits(base: list[Mapping[str, object]], override: list[object], where: str) -> list[Mapping[str, object]]:
    edits = list(base)
    ids = [edit.get("id") for edit in edits]
    for index, raw in enumerate(override):
        edit = mapping(raw, f"{where}[{index}]")
        if "id" not in edit:
            raise ConfigError(
                f"{where}[{index}].id: is required to override a built-in kind's edits "
                f"(known ids: {', '.join(str(i) for i in ids)}); a new id adds an edit"
            )
        if edit["id"] in ids:
            position = ids.index(edit["id"])
            if edit.get("drop") is True:
                del edits[position], ids[position]
            else:
                edits[position] = edit
        elif edit.get("drop") is True:
            raise ConfigError(f"{where}[{index}]: drop: no edit has the id {edit['id']!r}")
        else:
            edits.append(edit)
            ids.append(edit["id"])
    return edits
