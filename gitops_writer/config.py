"""The repository's layout: built-in defaults, overridden by `.gitops-writer.yaml` or `--config`."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gitops_writer.errors import ConfigError

CONFIG_FILE = ".gitops-writer.yaml"
PLACEHOLDERS = frozenset(
    {"name", "name_id", "environment", "owner", "requester", "domain", "risk", "date", "id", "action"}
)
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

DEFAULTS: dict[str, Any] = {
    "base_branch": "development",
    "environments": ["dev", "test", "staging", "prod"],
    "domains": [],  # empty: any lowercase slug
    "risks": ["low", "medium", "high"],
    "risk_controls": {
        "low": ["One approving review from the platform team.", "Images are scanned on push."],
        "medium": [
            "One approving review from the platform team and one from the owning team.",
            "Images are scanned on push; HIGH findings must be triaged before release.",
        ],
        "high": [
            "Security review required before merge.",
            "Images are scanned on push; CRITICAL and HIGH findings block release.",
            "Tags are immutable.",
        ],
    },
    "requests": {
        "ecr": {
            "title": "ECR Registry",
            "id": "REGISTRY_{name_id}",
            "branch": "registry/{action}-{name}",
            "commit": "registry: {action} {name} in {environment}",
            "labels": ["ecr-registry", "{environment}"],
            "edits": [
                {
                    "kind": "entry",
                    "path": "envs/{environment}/terraform.tfvars",
                    "pointer": "/ecr_repositories/{name}",
                    "value": {"metadata": {"id": "{id}", "owner": "{owner}", "risk": "{risk}"}},
                },
                {
                    "kind": "entry",
                    "path": "docs/20-contracts/resource-catalogs/ecr-catalog.yaml",
                    "pointer": "/repositories/{name}",
                    "value": {
                        "metadata": {
                            "id": "{id}",
                            "owner": "{owner}",
                            "requested_by": "{requester}",
                            "domain": "{domain}",
                            "risk": "{risk}",
                            "environment": "{environment}",
                            "status": "pending",
                            "created_date": "{date}",
                        }
                    },
                    "keep": ["/metadata/status", "/metadata/created_date"],
                    "stamp": "/last_updated",
                },
                {
                    "kind": "file",
                    "path": "catalog/resources/ecr/{name}.yaml",
                    "value": {
                        "apiVersion": "backstage.io/v1alpha1",
                        "kind": "Resource",
                        "metadata": {
                            "name": "ecr-{name}",
                            "description": "ECR repository {name} for {owner} in {environment}",
                            "tags": ["env-{environment}", "risk-{risk}"],
                            "annotations": {"gitops-writer.io/id": "{id}", "gitops-writer.io/risk": "{risk}"},
                        },
                        "spec": {
                            "type": "container-repository",
                            "owner": "{owner}",
                            "dependencyOf": ["resource:ecr-registry"],
                        },
                    },
                },
                {
                    "kind": "item",
                    "path": "catalog/all-resources.yaml",
                    "pointer": "/spec/targets",
                    "value": "./resources/ecr/{name}.yaml",
                },
            ],
        }
    },
}

EDIT_KINDS = {"entry", "item", "file"}


@dataclass(frozen=True)
class Edit:
    kind: str  # entry: a map entry; item: a list item; file: a whole YAML file
    path: str
    value: Any
    pointer: str = ""
    keep: tuple[str, ...] = ()  # entry fields whose existing values win (set by people after the request)
    stamp: str = ""  # a top-level date field set to the request date when the file changes, if present
    document: int = 0


@dataclass(frozen=True)
class RequestKind:
    name: str
    title: str
    id: str
    branch: str
    commit: str
    labels: tuple[str, ...]
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Config:
    source: str
    base_branch: str
    environments: tuple[str, ...]
    domains: tuple[str, ...]
    risks: tuple[str, ...]
    risk_controls: dict[str, tuple[str, ...]]
    requests: dict[str, RequestKind]


def load_config(repo: Path, explicit: Path | None = None) -> Config:
    path = explicit or repo / CONFIG_FILE
    data = copy.deepcopy(DEFAULTS)
    source = "built-in defaults"
    if explicit is not None or path.is_file():
        source = str(path)
        _merge(data, _read(path))
    return _build(data, source)


def _read(path: Path) -> dict[str, Any]:
    from ruamel.yaml import YAML, YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config {path}: cannot read it ({exc.__class__.__name__})") from None
    try:
        loaded = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise ConfigError(f"config {path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"config {path}: the top level must be a mapping")
    return loaded


def _merge(base: dict[str, Any], override: dict[str, Any]) -> None:
    for key, value in override.items():
        if key == "requests" and isinstance(value, dict) and isinstance(base.get(key), dict):
            for kind, settings in value.items():
                if isinstance(settings, dict) and isinstance(base[key].get(kind), dict):
                    base[key][kind].update(settings)
                else:
                    base[key][kind] = settings
        else:
            base[key] = value


def _build(data: dict[str, Any], source: str) -> Config:
    where = f"config {source}"
    known = set(DEFAULTS)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")
    risks = _strings(data["risks"], f"{where}: risks")
    controls = data["risk_controls"]
    if not isinstance(controls, dict):
        raise ConfigError(f"{where}: risk_controls must map each risk to a list of strings")
    requests = data["requests"]
    if not isinstance(requests, dict) or not requests:
        raise ConfigError(f"{where}: requests must map request kinds to their settings")
    return Config(
        source=source,
        base_branch=_string(data["base_branch"], f"{where}: base_branch"),
        environments=_strings(data["environments"], f"{where}: environments", nonempty=True),
        domains=_strings(data["domains"], f"{where}: domains"),
        risks=risks,
        risk_controls={r: _strings(controls.get(r, []), f"{where}: risk_controls.{r}") for r in risks},
        requests={k: _request_kind(k, v, f"{where}: requests.{k}") for k, v in requests.items()},
    )


def _request_kind(name: str, data: Any, where: str) -> RequestKind:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a mapping")
    fields = {"title", "id", "branch", "commit", "labels", "edits"}
    missing = sorted(fields - set(data))
    if missing:
        raise ConfigError(f"{where}: {missing[0]} is required")
    unknown = sorted(set(data) - fields)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r}")
    edits = data["edits"]
    if not isinstance(edits, list) or not edits:
        raise ConfigError(f"{where}.edits: must be a non-empty list")
    kind = RequestKind(
        name=name,
        title=_string(data["title"], f"{where}.title"),
        id=_template(data["id"], f"{where}.id"),
        branch=_template(data["branch"], f"{where}.branch"),
        commit=_template(data["commit"], f"{where}.commit"),
        labels=tuple(_template(label, f"{where}.labels") for label in _strings(data["labels"], f"{where}.labels")),
        edits=tuple(_edit(edit, f"{where}.edits[{i}]") for i, edit in enumerate(edits)),
    )
    return kind


def _edit(data: Any, where: str) -> Edit:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a mapping")
    allowed = {"kind", "path", "pointer", "value", "keep", "stamp", "document"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(allowed))})")
    kind = data.get("kind")
    if kind not in EDIT_KINDS:
        raise ConfigError(f"{where}.kind: must be one of {', '.join(sorted(EDIT_KINDS))}")
    if "value" not in data:
        raise ConfigError(f"{where}.value: is required")
    if kind != "file" and not str(data.get("pointer", "")).startswith("/"):
        raise ConfigError(f"{where}.pointer: a JSON pointer such as /map/{{name}} is required")
    _walk_templates(data["value"], f"{where}.value")
    document = data.get("document", 0)
    if not isinstance(document, int) or isinstance(document, bool) or document < 0:
        raise ConfigError(f"{where}.document: must be a document index (0, 1, ...)")
    return Edit(
        kind=kind,
        path=_template(data.get("path"), f"{where}.path"),
        value=data["value"],
        pointer=_template(data.get("pointer", ""), f"{where}.pointer") if kind != "file" else "",
        keep=tuple(_strings(data.get("keep", []), f"{where}.keep")),
        stamp=_string(data.get("stamp", ""), f"{where}.stamp", empty=True),
        document=document,
    )


def _walk_templates(value: Any, where: str) -> None:
    if isinstance(value, str):
        _template(value, where)
    elif isinstance(value, dict):
        for key, child in value.items():
            _template(key, where)
            _walk_templates(child, f"{where}.{key}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _walk_templates(child, f"{where}[{index}]")
    elif not (value is None or isinstance(value, (bool, int, float))):
        raise ConfigError(f"{where}: unsupported value {value!r}")


def _template(value: Any, where: str) -> str:
    text = _string(value, where)
    for placeholder in _PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")):
        if placeholder not in PLACEHOLDERS:
            raise ConfigError(
                f"{where}: unknown placeholder {{{placeholder}}} (known: {', '.join(sorted(PLACEHOLDERS))})"
            )
    return text


def _string(value: Any, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty):
        raise ConfigError(f"{where}: must be a non-empty string")
    return value


def _strings(value: Any, where: str, *, nonempty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) or (nonempty and not value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)


def fill(template: Any, fields: dict[str, str]) -> Any:
    """The template with every {placeholder} replaced; `{{`/`}}` stand for literal braces."""
    if isinstance(template, str):
        parts = template.split("{{")
        return "{".join(
            "}".join(_PLACEHOLDER.sub(lambda m: fields[m.group(1)], piece) for piece in part.split("}}"))
            for part in parts
        )
    if isinstance(template, dict):
        return {fill(k, fields): fill(v, fields) for k, v in template.items()}
    if isinstance(template, list):
        return [fill(v, fields) for v in template]
    return template
