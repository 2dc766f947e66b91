"""Merging a repository's `requests:` entry over a built-in kind's settings, key by key (see load.py's rules)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.setting import refuse_unknown, strings

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


def legacy_shorthands(ecr: dict[str, Any], settings: Mapping[str, Any], where: str) -> None:
    """`domains`, `risks` and `risk_controls`: the top-level shorthands for the ECR kind's fields."""
    properties = ecr["fields"]["properties"]
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
        ecr["controls"] = {**ecr.get("controls", {}), **controls}


def merge_kind(base: Mapping[str, Any], override: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A kind's settings with an override merged in, key by key (see the module's rules)."""
    refuse_unknown(override, KIND_KEYS, where)
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        value = copy.deepcopy(value)
        if key == "fields" and isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            fields = dict(merged[key])
            for part, setting in value.items():
                if part == "properties" and isinstance(setting, Mapping):
                    fields["properties"] = {**fields.get("properties", {}), **setting}
                else:
                    fields[part] = setting
            merged[key] = fields
        elif key in ("derived", "inputs", "controls", "remove") and isinstance(value, Mapping):
            existing = merged.get(key)
            merged[key] = {**(existing if isinstance(existing, Mapping) else {}), **value}
        elif key == "edits" and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = _merge_edits(merged[key], value, f"{where}.edits")
        else:
            merged[key] = value
    return merged


def _merge_edits(base: list[Any], override: list[Any], where: str) -> list[Any]:
    edits = list(base)
    ids = [edit.get("id") for edit in edits]
    for index, edit in enumerate(override):
        if not isinstance(edit, Mapping):
            raise ConfigError(f"{where}[{index}]: must be a mapping")
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
