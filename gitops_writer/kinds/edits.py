"""A kind's `edits:`: each one checked into an EditTemplate (its file, pointer, value and placeholders)."""

from __future__ import annotations

from collections.abc import Mapping

from gitops_writer.errors import ConfigError, UsageError
from gitops_writer.formats import HCL_SUFFIXES, YAML_SUFFIXES
from gitops_writer.kinds.model import EDIT_TYPES, EditTemplate
from gitops_writer.kinds.setting import check_placeholders, mapping, string, strings
from gitops_writer.kinds.template import ENVIRONMENTS, fill_text, path_problem, placeholders, placeholders_in
from gitops_writer.pointer import parse_pointer
from gitops_writer.values import JSONValue

EDIT_KEYS = frozenset(
    {"id", "kind", "path", "pointer", "value", "keep", "stamp", "document", "drop", "header", "skeleton"}
)


def checked_edit(raw: object, where: str, index: int, known: tuple[str, ...]) -> EditTemplate:
    data = mapping(raw, where, EDIT_KEYS)
    edit_type = data.get("kind")
    if edit_type not in EDIT_TYPES:
        raise ConfigError(f"{where}.kind: must be one of {', '.join(sorted(EDIT_TYPES))}")
    skeleton = _skeleton(data, where, edit_type)
    if "value" not in data and not skeleton:
        raise ConfigError(f"{where}.value: is required")
    if edit_type != "file" and not str(data.get("pointer", "")).startswith("/"):
        raise ConfigError(f"{where}.pointer: a JSON pointer such as /map/{{name}} is required")
    value = _checked_value(data.get("value"), f"{where}.value", known)
    document = data.get("document", 0)
    if not isinstance(document, int) or isinstance(document, bool) or document < 0:
        raise ConfigError(f"{where}.document: must be a document index (0, 1, ...)")
    path = string(data.get("path"), f"{where}.path")
    check_placeholders(path, f"{where}.path", known)
    path = _edit_path(path, f"{where}.path")
    if document and not path.lower().endswith(YAML_SUFFIXES):
        raise ConfigError(f"{where}.document: only a YAML file has several documents; {path} has one")
    if not path.lower().endswith(YAML_SUFFIXES + HCL_SUFFIXES):
        raise ConfigError(f"{where}.path: must end with one of {', '.join(YAML_SUFFIXES + HCL_SUFFIXES)}")
    stamp = string(data.get("stamp", ""), f"{where}.stamp", empty=True)
    if stamp and (not _is_pointer(stamp) or placeholders(stamp)):
        raise ConfigError(f"{where}.stamp: must be a JSON pointer to a date field, such as /last_updated")
    pointer = string(data.get("pointer", ""), f"{where}.pointer", empty=True) if edit_type != "file" else ""
    check_placeholders(pointer, f"{where}.pointer", known)
    return EditTemplate(
        id=string(data.get("id", f"edit-{index + 1}"), f"{where}.id"),
        edit_type=edit_type,
        path=path,
        value=value,
        pointer=pointer,
        keep=tuple(strings(data.get("keep", []), f"{where}.keep")),
        stamp=stamp,
        document=document,
        header=_header(data.get("header"), f"{where}.header", edit_type),
        skeleton=skeleton,
    )


def _skeleton(data: Mapping[str, object], where: str, edit_type: object) -> str:
    """A file edit's template file: a literal path in the repository (its name may hold `${{ }}`)."""
    if data.get("skeleton") is None:
        return ""
    path = string(data["skeleton"], f"{where}.skeleton")
    if edit_type != "file" or "header" in data:
        raise ConfigError(f"{where}.skeleton: only a file edit starts from a skeleton, which has its own header")
    problem = path_problem(path)
    if problem is not None:
        raise ConfigError(f"{where}.skeleton: {problem}")
    value = data.get("value")
    if value is not None and not (isinstance(value, Mapping) and all(isinstance(k, str) for k in value)):
        raise ConfigError(f"{where}.value: with a skeleton, maps each of the skeleton's values to a template")
    return "/".join(part for part in path.split("/") if part != ".")


def _header(value: object, where: str, edit_type: str) -> str:
    """A file edit's header: YAML comments, blank lines and `---`, each line ending with a line break."""
    if value is None:
        return ""
    text = string(value, where)
    if edit_type != "file":
        raise ConfigError(f"{where}: only a file edit starts a file")
    lines = text.splitlines()
    if any(line.strip() and not line.lstrip().startswith("#") and line.rstrip() != "---" for line in lines):
        raise ConfigError(f"{where}: may hold only comments, blank lines and ---")
    return "".join(f"{line}\n" for line in lines)


def _checked_value(value: object, where: str, known: tuple[str, ...]) -> JSONValue:
    """An edit's value: JSON data whose strings use only `known` placeholders."""
    if isinstance(value, str):  # in a value, {environments} is a list, or in a longer text a comma-separated one
        check_placeholders(value, where, known, environments_allowed=True)
        return value
    if isinstance(value, Mapping):
        checked: dict[str, JSONValue] = {}
        for key, child in value.items():
            check_placeholders(string(key, f"{where}: a key"), where, known)
            checked[key] = _checked_value(child, f"{where}.{key}", known)
        return checked
    if isinstance(value, list):
        items: list[JSONValue] = []
        for index, child in enumerate(value):
            if ENVIRONMENTS in placeholders_in(child) and not isinstance(child, str):
                raise ConfigError(
                    f"{where}[{index}]: {{environments}} repeats a string item, not {type(child).__name__}"
                )
            items.append(_checked_value(child, f"{where}[{index}]", known))
        return items
    if value is None or isinstance(value, bool | int | float):
        return value
    raise ConfigError(f"{where}: unsupported value {value!r}")


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
