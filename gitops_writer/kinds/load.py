"""Loading the settings: the built-in kind files, then `.gitops-writer.yaml` (or `--config`) over them.

Merging, key by key: a top-level setting replaces the default. Under `requests:`, an entry for a
built-in kind overrides that kind's keys one by one: `fields.properties` merge by field name,
`derived`, `inputs`, `controls` and `remove` by key, and `edits` by `id` (a known id replaces that
edit, a new id adds one, `{id: ..., drop: true}` leaves one out); every other key is replaced. An
entry with a new name defines a new kind.
"""

from __future__ import annotations

import copy
import os
import posixpath
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gitops_writer.errors import ConfigError, GitopsWriterError, UsageError
from gitops_writer.formats import HCL_SUFFIXES, YAML_SUFFIXES
from gitops_writer.kinds.form import checked_form
from gitops_writer.kinds.model import (
    BUILT_INS,
    EDIT_KINDS,
    CheckIgnore,
    Config,
    Derived,
    EditTemplate,
    RequestKind,
    Rule,
    Words,
)
from gitops_writer.kinds.schema import check_rule, checked_fields
from gitops_writer.kinds.template import ENVIRONMENTS, computed, fill_text, path_problem, placeholders, placeholders_in
from gitops_writer.pointer import parse_pointer
from gitops_writer.refs import branch_problem
from gitops_writer.repo.reading import inside, read_text, refuse_deep_yaml

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
        "template",
        "workflow",
        "edits",
        "pr_title",
        "pr_body",
        "form",
    }
)
NEW_KIND_REQUIRED = ("title", "fields", "branch", "commit", "edits")
# Text a generated workflow or Backstage template holds: no line breaks or other control characters
# (which could end a line and start a YAML key), and no `${{`/`}}` (which GitHub and Backstage evaluate).
_UNSAFE_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|\$\{\{|\}\}")
_WORKFLOW_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml")
MAX_DEPTH = 64  # levels of nesting a config may have; the built-in kind needs 8
EDIT_KEYS = frozenset({"id", "kind", "path", "pointer", "value", "keep", "stamp", "document", "drop", "header"})
REMOVE_KEYS = frozenset({"branch", "commit", "labels", "pr_title", "pr_body"})
CHECK_KEYS = frozenset({"ignore"})
IGNORE_KEYS = frozenset({"rule", "paths", "reason"})


def builtin_kinds() -> dict[str, dict[str, Any]]:
    """The kind files shipped in this package, by kind name (file stem)."""
    kinds: dict[str, dict[str, Any]] = {}
    for entry in sorted(resources.files("gitops_writer.kinds").iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            kinds[entry.name.removesuffix(".yaml")] = _parse(
                entry.read_text(encoding="utf-8"), f"built-in {entry.name}", trusted=True
            )
    return kinds


def load_config(repo: Path, explicit: Path | None = None, tree: TreeSource | None = None) -> Config:
    """The config `explicit` names, else REPO/.gitops-writer.yaml (read from `tree`, a commit's tree,
    when given), else the built-in kinds."""
    path = explicit or repo / CONFIG_FILE
    settings: dict[str, Any] = {}
    source = DEFAULTS
    if explicit is None and tree is not None:
        data = tree.read(CONFIG_FILE)
        if data is not None:
            source = str(path)
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                raise ConfigError(f"config {path}: cannot read it (UnicodeDecodeError)") from None
            settings = _parse(text, f"config {path}")
    elif explicit is not None or os.path.lexists(path):
        source = str(path)
        settings = _read(path, explicit=explicit is not None)
    return build_config(settings, source)


def build_config(settings: Mapping[str, Any], source: str = DEFAULTS) -> Config:
    """Settings as read from a config file (a mapping), merged over the built-in kinds and checked."""
    where = f"config {source}"
    _refuse_unknown(settings, TOP_LEVEL, where)
    environments = _strings(settings.get("environments", list(DEFAULT_ENVIRONMENTS)), f"{where}: environments")
    if not environments:
        raise ConfigError(f"{where}: environments: must be a list of strings")
    _generated_texts(environments, f"{where}: environments")
    base_branch = _branch(settings.get("base_branch", "development"), f"{where}: base_branch")
    kinds = builtin_kinds()
    _legacy_shorthands(kinds["ecr"], settings, where)
    requests = settings.get("requests", {})
    if not isinstance(requests, Mapping):
        raise ConfigError(f"{where}: requests must map request kinds to their settings")
    origin = {name: "built-in" for name in kinds}
    for name, override in requests.items():
        if not isinstance(name, str) or not name.replace("-", "_").isidentifier():
            raise ConfigError(f"{where}: requests: {name!r} is not a kind name")
        if not isinstance(override, Mapping):
            raise ConfigError(f"{where}: requests.{name}: must be a mapping")
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


def _check_ignores(raw: Any, where: str) -> tuple[CheckIgnore, ...]:
    """`check: ignore:`: each entry names a rule, optionally the paths it is limited to, and the reason."""
    from gitops_writer.kinds.rules import RULES

    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must be a mapping with ignore: [...]")
    _refuse_unknown(raw, CHECK_KEYS, where)
    entries = raw.get("ignore", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}.ignore: must be a list of {{rule, reason, paths}} entries")
    ignores = []
    for index, entry in enumerate(entries):
        at = f"{where}.ignore[{index}]"
        if not isinstance(entry, Mapping):
            raise ConfigError(f"{at}: must be a mapping with rule, reason and optionally paths")
        _refuse_unknown(entry, IGNORE_KEYS, at)
        rule = entry.get("rule")
        if rule not in RULES:
            raise ConfigError(f"{at}.rule: must be one of {', '.join(RULES)}")
        reason = _string(entry.get("reason"), f"{at}.reason").strip()
        if not reason:
            raise ConfigError(f"{at}.reason: must say why the findings are accepted")
        ignores.append(CheckIgnore(rule, reason, _strings(entry.get("paths", []), f"{at}.paths")))
    return tuple(ignores)


def _legacy_shorthands(ecr: dict[str, Any], settings: Mapping[str, Any], where: str) -> None:
    properties = ecr["fields"]["properties"]
    if "domains" in settings:
        domains = _strings(settings["domains"], f"{where}: domains")
        if domains:
            properties["domain"] = {**properties["domain"], "enum": list(domains)}
    if "risks" in settings:
        properties["risk"] = {**properties["risk"], "enum": list(_strings(settings["risks"], f"{where}: risks"))}
    if "risk_controls" in settings:
        controls = settings["risk_controls"]
        if not isinstance(controls, Mapping):
            raise ConfigError(f"{where}: risk_controls must map each risk to a list of strings")
        ecr["controls"] = {**ecr.get("controls", {}), **controls}


def merge_kind(base: Mapping[str, Any], override: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A kind's settings with an override merged in, key by key (see the module's rules)."""
    _refuse_unknown(override, KIND_KEYS, where)
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


def build_kind(
    name: str, data: Mapping[str, Any], where: str, environments: tuple[str, ...], source: str = "built-in"
) -> RequestKind:
    fields = checked_fields(data.get("fields"), f"{where}.fields", environments, built_in=source == "built-in")
    properties: dict[str, Any] = fields["properties"]
    derived = _derived(data.get("derived", {}), f"{where}.derived", properties)
    known = (*properties, *derived, *BUILT_INS)

    def template(value: Any, at: str, *, environments_allowed: bool = False) -> str:
        text = _string(value, at)
        _check_placeholders(text, at, known, environments_allowed=environments_allowed)
        return text

    earlier: tuple[str, ...] = (*properties, "name_id", "date", "action")
    for key, item in derived.items():  # a derived value may use fields and the derived values before it
        for text in [item.template] if item.template is not None else [str(v) for v in item.table.values()]:
            _check_placeholders(text or "", f"{where}.derived.{key}", earlier)
        earlier = (*earlier, key)
    for key, schema in properties.items():  # a computed default may use other fields and derived values
        if computed(schema.get("default")):
            at = f"{where}.fields.properties.{key}.default"
            _check_placeholders(schema["default"], at, tuple(k for k in (*properties, *derived) if k != key))
    inputs = _inputs(data.get("inputs", {}), f"{where}.inputs", properties)
    remove = data.get("remove", {})
    if not isinstance(remove, Mapping):
        raise ConfigError(f"{where}.remove: must map branch, commit and labels to templates")
    _refuse_unknown(remove, REMOVE_KEYS, f"{where}.remove")

    def optional(value: Any, at: str) -> str:
        return "" if value is None else template(value, at)

    def branch_template(value: Any, at: str) -> str:
        text = template(value, at)
        _branch(fill_text(text, dict.fromkeys(known, "x")), at)  # its literal parts, as a branch name
        return text

    def label(value: Any, at: str) -> str:
        text = template(value, at)
        _generated_text(text, at)
        return text

    branch = branch_template(data.get("branch"), f"{where}.branch")
    commit = template(data.get("commit"), f"{where}.commit")
    labels = tuple(label(text, f"{where}.labels") for text in _strings(data.get("labels", []), f"{where}.labels"))
    remove_words = Words(
        branch=branch_template(
            remove.get("branch", f"{name}/remove-{{name}}-{{environment}}"), f"{where}.remove.branch"
        ),
        commit=template(
            remove.get("commit", f"{name}: remove {{name}} from {{environment}}"), f"{where}.remove.commit"
        ),
        labels=tuple(
            label(text, f"{where}.remove.labels")
            for text in _strings(remove.get("labels", [f"{name}-removal", "{environment}"]), f"{where}.remove.labels")
        ),
        title=optional(remove.get("pr_title"), f"{where}.remove.pr_title"),
        body=optional(remove.get("pr_body"), f"{where}.remove.pr_body"),
    )
    if remove_words.branch == branch and "action" not in placeholders(branch):
        raise ConfigError(f"{where}.remove.branch: must differ from the create branch, or use {{action}}")
    edits = data.get("edits")
    if not isinstance(edits, list) or not edits:
        raise ConfigError(f"{where}.edits: must be a non-empty list")
    built_edits = tuple(_edit(edit, f"{where}.edits[{i}]", i, known) for i, edit in enumerate(edits))
    ids = [edit.id for edit in built_edits]
    duplicate = next((i for i in ids if ids.count(i) > 1), None)
    if duplicate is not None:
        raise ConfigError(f"{where}.edits: two edits have the id {duplicate!r}")
    controls_field = _string(data.get("controls_field", "risk"), f"{where}.controls_field")
    controls = data.get("controls", {})
    rules = _rules(controls, f"{where}.controls", properties) if isinstance(controls, list) else ()
    if rules:
        controls = {}
    if not isinstance(controls, Mapping):
        raise ConfigError(
            f"{where}.controls: must map each value of {controls_field} to a list of strings, "
            "or be a list of {when: CONDITION, items: [...]}"
        )
    if controls and controls_field not in properties:
        raise ConfigError(f"{where}.controls_field: {controls_field} is not a field of the kind")
    _generated_texts(fields, f"{where}.fields")
    return RequestKind(
        name=name,
        title=_generated_text(_string(data.get("title", name), f"{where}.title"), f"{where}.title"),
        fields=fields,
        derived=derived,
        inputs=inputs,
        shown=_shown(data.get("shown"), f"{where}.shown", properties, known, bool(data.get("id"))),
        id=_id_template(data.get("id", "{name_id}"), f"{where}.id", known),
        branch=branch,
        commit=commit,
        labels=labels,
        remove=remove_words,
        controls={str(k): _strings(v, f"{where}.controls.{k}") for k, v in controls.items()},
        controls_field=controls_field,
        rules=rules,
        template=_optional_path(data.get("template"), f"{where}.template"),
        workflow=_workflow_path(data.get("workflow"), f"{where}.workflow"),
        edits=built_edits,
        source=source,
        pr_title=optional(data.get("pr_title"), f"{where}.pr_title"),
        pr_body=optional(data.get("pr_body"), f"{where}.pr_body"),
        form=checked_form(_generated_texts(data.get("form"), f"{where}.form"), f"{where}.form", properties),
    )


def _derived(raw: Any, where: str, properties: Mapping[str, Any]) -> dict[str, Derived]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must map each derived name to a template or {{from: FIELD, map: {{...}}}}")
    derived: dict[str, Derived] = {}
    for key, spec in raw.items():
        at = f"{where}.{key}"
        if not isinstance(key, str) or not key.isidentifier():
            raise ConfigError(f"{at}: not a placeholder name (letters, digits and '_')")
        if key in properties or key in BUILT_INS:
            raise ConfigError(f"{at}: {key} is already a field or a built-in placeholder")
        if isinstance(spec, str):
            derived[key] = Derived(template=spec)
        elif isinstance(spec, Mapping) and set(spec) == {"from", "map"}:
            source, table = spec["from"], spec["map"]
            if not isinstance(source, str) or source not in properties:
                raise ConfigError(f"{at}.from: {source!r} is not a field of the kind")
            if not isinstance(table, Mapping) or not table:
                raise ConfigError(f"{at}.map: must map the field's values to the derived values")
            derived[key] = Derived(lookup=source, table={_table_key(k): v for k, v in table.items()})
        else:
            raise ConfigError(f"{at}: must be a template string or {{from: FIELD, map: {{VALUE: RESULT, ...}}}}")
    return derived


def _table_key(key: Any) -> str:
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


def _inputs(raw: Any, where: str, properties: Mapping[str, Any]) -> dict[str, str]:
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{where}: must map workflow input names to field names")
    inputs: dict[str, str] = {}
    for key, target in raw.items():
        if target is not None and (not isinstance(target, str) or target not in properties):
            raise ConfigError(f"{where}.{key}: {target!r} is not a field of the kind (null: not a field)")
        inputs[str(key)] = target or ""
    if "base_branch" not in properties:  # every generated workflow's input for the PR's base, never a field
        inputs.setdefault("base_branch", "")
    return inputs


def _shown(
    raw: Any, where: str, properties: Mapping[str, Any], known: tuple[str, ...], has_id: bool
) -> tuple[tuple[str, str], ...]:
    if raw is None:
        rows = [(name, str(schema.get("title") or name)) for name, schema in properties.items()]
        if has_id:
            rows.append(("id", "ID"))
        return (*rows, ("date", "Date"))
    pairs: list[Any] = list(raw.items()) if isinstance(raw, Mapping) else raw
    if not isinstance(pairs, list):
        raise ConfigError(f"{where}: must be a list of [placeholder, label] pairs")
    rows = []
    for index, pair in enumerate(pairs):
        if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(isinstance(p, str) and p for p in pair)):
            raise ConfigError(f"{where}[{index}]: must be a [placeholder, label] pair")
        if pair[0] not in known:
            raise ConfigError(f"{where}[{index}]: unknown placeholder {pair[0]!r} (known: {', '.join(known)})")
        rows.append((pair[0], pair[1]))
    return tuple(rows)


def _edit(data: Any, where: str, index: int, known: tuple[str, ...]) -> EditTemplate:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: must be a mapping")
    _refuse_unknown(data, EDIT_KEYS, where)
    kind = data.get("kind")
    if kind not in EDIT_KINDS:
        raise ConfigError(f"{where}.kind: must be one of {', '.join(sorted(EDIT_KINDS))}")
    if "value" not in data:
        raise ConfigError(f"{where}.value: is required")
    if kind != "file" and not str(data.get("pointer", "")).startswith("/"):
        raise ConfigError(f"{where}.pointer: a JSON pointer such as /map/{{name}} is required")
    _check_value(data["value"], f"{where}.value", known, in_list=False)
    document = data.get("document", 0)
    if not isinstance(document, int) or isinstance(document, bool) or document < 0:
        raise ConfigError(f"{where}.document: must be a document index (0, 1, ...)")
    path = _string(data.get("path"), f"{where}.path")
    _check_placeholders(path, f"{where}.path", known)
    path = _edit_path(path, f"{where}.path")
    if document and not path.lower().endswith(YAML_SUFFIXES):
        raise ConfigError(f"{where}.document: only a YAML file has several documents; {path} has one")
    if not path.lower().endswith(YAML_SUFFIXES + HCL_SUFFIXES):
        raise ConfigError(f"{where}.path: must end with one of {', '.join(YAML_SUFFIXES + HCL_SUFFIXES)}")
    stamp = _string(data.get("stamp", ""), f"{where}.stamp", empty=True)
    if stamp and (not _is_pointer(stamp) or placeholders(stamp)):
        raise ConfigError(f"{where}.stamp: must be a JSON pointer to a date field, such as /last_updated")
    pointer = _string(data.get("pointer", ""), f"{where}.pointer", empty=True) if kind != "file" else ""
    _check_placeholders(pointer, f"{where}.pointer", known)
    return EditTemplate(
        id=_string(data.get("id", f"edit-{index + 1}"), f"{where}.id"),
        kind=kind,
        path=path,
        value=data["value"],
        pointer=pointer,
        keep=tuple(_strings(data.get("keep", []), f"{where}.keep")),
        stamp=stamp,
        document=document,
        header=_header(data.get("header"), f"{where}.header", kind),
    )


def _header(value: Any, where: str, kind: str) -> str:
    """A file edit's header: YAML comments, blank lines and `---`, each line ending with a line break."""
    if value is None:
        return ""
    text = _string(value, where)
    if kind != "file":
        raise ConfigError(f"{where}: only a file edit starts a file")
    lines = text.splitlines()
    if any(line.strip() and not line.lstrip().startswith("#") and line.rstrip() != "---" for line in lines):
        raise ConfigError(f"{where}: may hold only comments, blank lines and ---")
    return "".join(f"{line}\n" for line in lines)


def _check_value(value: Any, where: str, known: tuple[str, ...], *, in_list: bool) -> None:
    if isinstance(value, str):  # in a value, {environments} is a list, or in a longer text a comma-separated one
        _check_placeholders(value, where, known, environments_allowed=True)
    elif isinstance(value, Mapping):
        for key, child in value.items():
            _check_placeholders(_string(key, f"{where}: a key"), where, known)
            _check_value(child, f"{where}.{key}", known, in_list=False)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if ENVIRONMENTS in placeholders_in(child) and not isinstance(child, str):
                raise ConfigError(
                    f"{where}[{index}]: {{environments}} repeats a string item, not {type(child).__name__}"
                )
            _check_value(child, f"{where}[{index}]", known, in_list=True)
    elif not (value is None or isinstance(value, bool | int | float)):
        raise ConfigError(f"{where}: unsupported value {value!r}")


def _check_placeholders(text: str, where: str, known: tuple[str, ...], *, environments_allowed: bool = False) -> None:
    for placeholder in placeholders(text):
        if placeholder not in known:
            raise ConfigError(f"{where}: unknown placeholder {{{placeholder}}} (known: {', '.join(known)})")
        if placeholder == ENVIRONMENTS and not environments_allowed:
            raise ConfigError(
                f"{where}: {{environments}} is a list: use it as a whole value or in a list item, "
                "which is then repeated once per environment"
            )


def _rules(raw: list[Any], where: str, properties: Mapping[str, Any]) -> tuple[Rule, ...]:
    rules = []
    for index, rule in enumerate(raw):
        at = f"{where}[{index}]"
        if not isinstance(rule, Mapping) or set(rule) != {"when", "items"}:
            raise ConfigError(f"{at}: must be {{when: CONDITION, items: [TEXT, ...]}}")
        check_rule(rule["when"], f"{at}.when", properties)
        rules.append(Rule(when=dict(rule["when"]), items=_strings(rule["items"], f"{at}.items")))
    return tuple(rules)


def _id_template(value: Any, where: str, known: tuple[str, ...]) -> str:
    """The id's template: any placeholder, and one `{seq:N}` (N from 1 to 9), the request's number."""
    if not value:
        return ""
    text = _string(value, where)
    numbers = [name for name in placeholders(text) if re.fullmatch(r"seq:[1-9]", name)]
    if len(numbers) > 1:
        raise ConfigError(f"{where}: one {{seq:N}} at most")
    _check_placeholders(text, where, (*known, *numbers))
    return text


def _optional_path(value: Any, where: str) -> str | None:
    return None if value is None else _generated_text(_string(value, where), where)


def _workflow_path(value: Any, where: str) -> str | None:
    """A workflow's path; its file name is also the workflow's id and its concurrency group's prefix."""
    path = _optional_path(value, where)
    if path is not None and not _WORKFLOW_FILE.fullmatch(posixpath.basename(path)):
        raise ConfigError(f"{where}: the file name must be letters, digits, '.', '_' and '-', ending .yml or .yaml")
    return path


def _edit_path(path: str, where: str) -> str:
    """An edit's path template, `./` dropped, refused when it can only name a file no request may write."""
    problem = path_problem(fill_text(path, {name: "x" for name in placeholders(path)}))
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return "/".join(part for part in path.split("/") if part != ".")


def _is_pointer(text: str) -> bool:
    try:
        return bool(parse_pointer(text))
    except UsageError:
        return False


def _branch(value: Any, where: str) -> str:
    text = _generated_text(_string(value, where), where)
    problem = branch_problem(text)
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return text


def _generated_text(text: str, where: str) -> str:
    """Text that a generated workflow or template may hold, written there through the YAML renderer."""
    if _UNSAFE_TEXT.search(text):
        raise ConfigError(
            f"{where}: holds a line break or another control character, or '${{{{' or '}}}}', "
            "which no generated workflow or template may carry"
        )
    return text


def _generated_texts(value: Any, where: str) -> Any:
    """The setting, once every text in it (keys included) passed `_generated_text`."""
    if isinstance(value, str):
        _generated_text(value, where)
    elif isinstance(value, Mapping):
        for key, child in value.items():
            _generated_texts(key, where)
            _generated_texts(child, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for index, child in enumerate(value):
            _generated_texts(child, f"{where}[{index}]")
    return value


def _read(path: Path, *, explicit: bool) -> dict[str, Any]:
    """The config's settings; the repository's own is confined to it as every file of the tree is."""
    try:  # an explicit --config is the operator's choice, a link included
        real = path if explicit else inside(path.parent.resolve(), path.name, f"config {path}")[1]
        text = read_text(real, f"config {path}", follow=explicit)
    except GitopsWriterError as exc:
        raise ConfigError(str(exc)) from None
    return _parse(text, f"config {path}")


def _parse(text: str, where: str, *, trusted: bool = False) -> dict[str, Any]:
    from ruamel.yaml import YAML, YAMLError
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

    yaml = YAML(typ="safe")  # the C reader where ruamel.yaml.clib is installed
    try:
        refuse_deep_yaml(text)
        # Read as events before anything is built, and stopped at the first refusal: a few lines of
        # anchors and aliases can stand for billions of nodes (an alias bomb), and deep nesting makes
        # the reader quadratic and the builder overflow its stack. A config is shallow and short
        # enough to write out in full.
        depth = 0
        for event in () if trusted else yaml.parse(text):
            line = event.start_mark.line + 1
            if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
                raise ConfigError(
                    f"{where}: line {line}: YAML anchors and aliases (&name, *name) are not supported; "
                    "write the setting out in full"
                )
            depth += isinstance(event, CollectionStartEvent) - isinstance(event, CollectionEndEvent)
            if depth > MAX_DEPTH:
                raise ConfigError(f"{where}: line {line}: nested more than {MAX_DEPTH} levels deep")
        loaded = yaml.load(text)
    except YAMLError as exc:
        mark, context = getattr(exc, "problem_mark", None), getattr(exc, "context_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        while_doing = getattr(exc, "context", None)
        if context is not None and while_doing and (mark is None or context.line != mark.line):
            problem += f" ({while_doing} that starts at line {context.line + 1}, column {context.column + 1})"
        raise ConfigError(f"{where}: not valid YAML{at}: {problem}") from None
    except ValueError as exc:  # nested too deeply
        raise ConfigError(f"{where}: {exc}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{where}: the top level must be a mapping")
    return loaded


def _refuse_unknown(settings: Mapping[Any, Any], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(key) for key in set(settings) - known)
    if unknown:
        raise ConfigError(f"{where}: unknown setting {unknown[0]!r} (known: {', '.join(sorted(known))})")


def _string(value: Any, where: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not value and not empty):
        raise ConfigError(f"{where}: must be a non-empty string")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: must be a list of strings")
    return tuple(value)
