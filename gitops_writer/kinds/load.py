"""Loading the settings: the built-in kind files, then `.gitops-writer.yaml` (or `--config`) over them.

Merging, key by key: a top-level setting replaces the default. Under `requests:`, an entry for a
built-in kind overrides that kind's keys one by one: `fields.properties` merge by field name,
`derived`, `inputs`, `controls` and `remove` by key, and `edits` by `id` (a known id replaces that
edit, a new id adds one, `{id: ..., drop: true}` leaves one out); every other key is replaced. An
entry with a new name defines a new kind.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.build import build_kind
from gitops_writer.kinds.merge import legacy_shorthands, merge_kind
from gitops_writer.kinds.model import CheckIgnore, Config
from gitops_writer.kinds.reader import parse_settings, read_settings
from gitops_writer.kinds.setting import branch, generated_texts, mapping, refuse_unknown, string, strings

if TYPE_CHECKING:
    from gitops_writer.repo.files import TreeSource

CONFIG_FILE = ".gitops-writer.yaml"
DEFAULTS = "built-in defaults"  # the source of settings read from no file
DEFAULT_ENVIRONMENTS = ("dev", "test", "staging", "prod")
# Top-level settings; `domains`, `risks` and `risk_controls` are shorthands for the ECR kind's fields.
# publishing settings: read by publish/settings.py (notifications: notify/settings.py), handed over as they are
PUBLISHING_KEYS = frozenset(
    {"reviewers", "required_labels", "commit", "author", "committer", "delete_branch", "notifications"}
)
TOP_LEVEL = (
    frozenset({"base_branch", "environments", "domains", "risks", "risk_controls", "requests", "references", "check"})
    | PUBLISHING_KEYS
)
NEW_KIND_REQUIRED = ("title", "fields", "branch", "commit", "edits")
CHECK_KEYS = frozenset({"ignore"})
IGNORE_KEYS = frozenset({"rule", "paths", "reason"})


def builtin_kinds() -> dict[str, dict[str, object]]:
    """The kind files shipped in this package, by kind name (file stem)."""
    kinds: dict[str, dict[str, object]] = {}
    for entry in sorted(resources.files("gitops_writer.kinds").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            kinds[entry.name.removesuffix(".yaml")] = parse_settings(
                entry.read_text(encoding="utf-8"), f"built-in {entry.name}", trusted=True
            )
    return kinds


def load_config(repo: Path, explicit: Path | None = None, tree: TreeSource | None = None) -> Config:
    """The config `explicit` names, else REPO/.gitops-writer.yaml (read from `tree`, a commit's tree,
    when given), else the built-in kinds."""
    path = explicit or repo / CONFIG_FILE
    settings: dict[str, object] = {}
    source = DEFAULTS
    if explicit is None and tree is not None:
        data = tree.read(CONFIG_FILE)
        if data is not None:
            source = str(path)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ConfigError(f"config {path}: cannot read it (UnicodeDecodeError)") from None
            settings = parse_settings(text, f"config {path}")
    elif explicit is not None or os.path.lexists(path):
        source = str(path)
        settings = read_settings(path, explicit=explicit is not None)
    return build_config(settings, source)


def build_config(settings: Mapping[str, object], source: str = DEFAULTS) -> Config:
    """Settings as read from a config file (a mapping), merged over the built-in kinds and checked."""
    where = f"config {source}"
    refuse_unknown(settings, TOP_LEVEL, where)
    environments = strings(settings.get("environments", list(DEFAULT_ENVIRONMENTS)), f"{where}: environments")
    if not environments:
        raise ConfigError(f"{where}: environments: must be a list of strings")
    generated_texts(environments, f"{where}: environments")
    base_branch = branch(settings.get("base_branch", "development"), f"{where}: base_branch")
    kinds, origin = _merged_kinds(settings, source, where)
    built = {
        name: build_kind(name, data, f"{where}: requests.{name}", environments, origin[name])
        for name, data in kinds.items()
    }
    references = settings.get("references", "warn")
    if references not in ("warn", "strict"):
        raise ConfigError(f"{where}: references: must be warn or strict")
    return Config(
        source=source,
        base_branch=base_branch,
        environments=environments,
        requests=built,
        references=references,
        publishing={key: value for key, value in settings.items() if key in PUBLISHING_KEYS},
        check_ignores=_check_ignores(settings.get("check", {}), f"{where}: check"),
    )


def _merged_kinds(
    settings: Mapping[str, object], source: str, where: str
) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """The built-in kinds with the config's `requests:` merged over them, and where each kind came from."""
    kinds = builtin_kinds()
    legacy_shorthands(kinds["ecr"], settings, where)
    requests = settings.get("requests", {})
    if not isinstance(requests, Mapping):
        raise ConfigError(f"{where}: requests must map request kinds to their settings")
    origin = {name: "built-in" for name in kinds}
    for name, override in requests.items():
        if not isinstance(name, str) or not name.replace("-", "_").isidentifier():
            raise ConfigError(f"{where}: requests: {name!r} is not a kind name")
        override = mapping(override, f"{where}: requests.{name}")
        if name in kinds:
            kinds[name] = merge_kind(kinds[name], override, f"{where}: requests.{name}")
            origin[name] = f"built-in, overridden by {source}"
        else:
            missing = [key for key in NEW_KIND_REQUIRED if key not in override]
            if missing:
                raise ConfigError(
                    f"{where}: requests.{name}: a new kind needs {', '.join(NEW_KIND_REQUIRED)}; missing: "
                    f"{', '.join(missing)}"
                )
            kinds[name] = merge_kind({}, override, f"{where}: requests.{name}")
            origin[name] = source
    return kinds, origin


def _check_ignores(raw: object, where: str) -> tuple[CheckIgnore, ...]:
    """`check: ignore:`: each entry names a rule, optionally the paths it is limited to, and the reason."""
    from gitops_writer.kinds.rules import RULES

    entries = mapping(raw, where, CHECK_KEYS, must="be a mapping with ignore: [...]").get("ignore", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}.ignore: must be a list of {{rule, reason, paths}} entries")
    ignores = []
    for index, raw_entry in enumerate(entries):
        at = f"{where}.ignore[{index}]"
        entry = mapping(raw_entry, at, IGNORE_KEYS, must="be a mapping with rule, reason and optionally paths")
        rule = entry.get("rule")
        if rule not in RULES:
            raise ConfigError(f"{at}.rule: must be one of {', '.join(RULES)}")
        reason = string(entry.get("reason"), f"{at}.reason").strip()
        if not reason:
            raise ConfigError(f"{at}.reason: must say why the findings are accepted")
        ignores.append(CheckIgnore(rule, reason, strings(entry.get("paths", []), f"{at}.paths")))
    return tuple(ignores)
