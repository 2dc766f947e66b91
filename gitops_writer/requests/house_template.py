"""A new file started from a template file of the repository (a `file` edit's `skeleton`), rendered safely.

The skeleton is the house's own: Backstage's Nunjucks (`${{ values.x }}`, if and for; see
`requests.nunjucks`), or, when it holds none of that, this tool's `{placeholder}` (a known value's
name in braces; any other brace is the skeleton's text). A value never becomes YAML structure:

1. the skeleton is rendered with a marker in place of every value (its ifs and fors chosen by the
   values), and parsed: that is the document the skeleton's own text makes;
2. each marker is replaced by its value written for where it stands: a whole plain scalar as a
   YAML scalar of the value's type (a list as a flow list), inside a quoted or plain scalar as text
   escaped for it, in a comment as one line of text;
3. the file is parsed again and must hold exactly the first document with the values in place
   (a whole plain scalar the value itself, any other the text), else the request is refused,
   naming the field that does not fit where the skeleton puts it.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping

from gitops_writer.errors import ConfigError, GitopsWriterError, ValidationError
from gitops_writer.kinds.model import EditTemplate
from gitops_writer.kinds.template import as_text
from gitops_writer.repo import RepositoryFiles
from gitops_writer.requests.nunjucks import Block, Output, parse, render
from gitops_writer.values import JSONValue, same_value
from gitops_writer.yaml.render import inline
from gitops_writer.yaml.scalars import double_quoted, single_quotable
from gitops_writer.yaml.syntax import SCALAR, walk
from gitops_writer.yaml.trees import parse_documents

_NUNJUCKS = re.compile(r"\$\{\{|\{\{|\{%|\{#")
_OURS = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
MAX_SKELETON = 256 * 1024


def from_skeleton(
    files: RepositoryFiles, edit: EditTemplate, given: JSONValue, values: Mapping[str, JSONValue]
) -> tuple[str, JSONValue]:
    """A file edit's new file from its skeleton: its text and the data it holds. The skeleton's values
    are the edit's `value` mapping, filled (`given`), else the request's placeholders themselves."""
    where = edit.skeleton
    text = files.content(where)
    if text is None:
        raise ConfigError(f"edit {edit.id}: its skeleton {where} is not in the repository")
    if isinstance(edit.value, Mapping):
        table = given if isinstance(given, dict) else {}
        known = frozenset(edit.value)
        lookup: Callable[[str], JSONValue] = table.get
    else:
        known = frozenset(values)
        lookup = lambda name: values.get(name)  # noqa: E731
    return render_skeleton(text, where, lookup, known)


def render_skeleton(
    text: str, where: str, lookup: Callable[[str], JSONValue], known: frozenset[str]
) -> tuple[str, JSONValue]:
    """The new file's text and data: the skeleton at `where` with the values `lookup` gives (see the module)."""
    if len(text) > MAX_SKELETON:
        raise ConfigError(f"{where}: a skeleton of more than {MAX_SKELETON // 1024} KiB is not read")
    block = parse(text, where) if _NUNJUCKS.search(text) else _ours(text, known)
    token = secrets.token_hex(6)
    markers: dict[str, tuple[str, JSONValue]] = {}

    def output(name: str, value: JSONValue) -> str:
        marker = f"gw{token}m{len(markers)}x"
        markers[marker] = (name, value)
        return marker

    draft = render(block, lookup, output)
    structure, styles = _read(draft, where, "")
    final = _substituted(draft, markers, styles)
    written, _ = _read(final, where, "with the request's values ")
    _check_names(markers, known, where)
    if not same_value(written, _filled(structure, markers, styles)):
        for marker, (name, _value) in markers.items():  # the first value that does not fit, alone
            alone = _substituted(draft, {marker: markers[marker]}, styles)
            if not same_value(_read(alone, where, "")[0], _filled(structure, {marker: markers[marker]}, styles)):
                raise ValidationError(name, f"does not fit where {where} writes it")
        raise ValidationError("name", f"the values do not fit where {where} writes them")
    return final, written


def _check_names(markers: Mapping[str, tuple[str, JSONValue]], known: frozenset[str], where: str) -> None:
    unknown = sorted({name for name, _ in markers.values()} - known)
    if unknown:
        raise ConfigError(f"{where}: names {unknown[0]}, which is not one of the values the edit gives it")


def _substituted(draft: str, markers: dict[str, tuple[str, JSONValue]], styles: dict[str, str]) -> str:
    for marker, (name, value) in markers.items():
        draft = draft.replace(marker, _written(name, value, styles.get(marker, "#")))
    return draft


def _ours(text: str, known: frozenset[str]) -> Block:
    """This tool's placeholders in a skeleton: `{name}` of a known value; every other brace is text."""
    block, at = Block(), 0
    for match in _OURS.finditer(text):
        if match.group(1) in known:
            block.parts += [text[at : match.start()], Output(match.group(1), loop=False)]
            at = match.end()
    block.parts.append(text[at:])
    return block


def _read(text: str, where: str, what: str) -> tuple[JSONValue, dict[str, str]]:
    """The one document the text holds, and the style of the scalar holding each marker."""
    from gitops_writer.yaml.decode import to_value
    from gitops_writer.yaml.editor import json_safe

    try:
        documents = parse_documents(text)
        if len(documents) != 1:
            raise ConfigError(f"{where}: renders {len(documents)} YAML documents, not one")
        document = documents[0]
        value = json_safe(to_value(document.root, document), where)
    except ConfigError:
        raise
    except GitopsWriterError as exc:
        raise ConfigError(f"{where}: rendered {what}is not YAML the tool reads ({exc})") from None
    styles: dict[str, str] = {}
    for node in walk(document.root):
        if node.node_type == SCALAR:
            for marker in re.findall(r"gw[0-9a-f]{12}m[0-9]+x", node.value):
                whole = node.value == marker and node.style is None
                styles[marker] = "whole" if whole else node.style or "plain"
    return value, styles


def _written(name: str, value: JSONValue, style: str) -> str:
    if style == "whole":
        return "" if value is None else inline(value, flow=True)
    text = " ".join(as_text(value).split())
    if style == '"':
        return double_quoted(text)[1:-1]
    if style == "'":
        if not single_quotable(text):
            raise ValidationError(name, "cannot be written inside the skeleton's single-quoted text")
        return text.replace("'", "''")
    return text  # plain text, a block scalar's line, a comment: read back and compared


def _filled(structure: JSONValue, markers: dict[str, tuple[str, JSONValue]], styles: dict[str, str]) -> JSONValue:
    """The skeleton's document with each marker replaced by what the file must hold there."""
    if isinstance(structure, str):
        if styles.get(structure) == "whole":
            return markers[structure][1]
        for marker, (_, value) in markers.items():
            structure = structure.replace(marker, " ".join(as_text(value).split()))
        return structure
    if isinstance(structure, list):
        return [_filled(item, markers, styles) for item in structure]
    if isinstance(structure, dict):
        return {str(_filled(key, markers, styles)): _filled(item, markers, styles) for key, item in structure.items()}
    return structure


def skeleton_shape(files: RepositoryFiles, edit: EditTemplate) -> JSONValue:
    """Where the skeleton writes each value the edit gives it, as a value template of the file's shape:
    `{spec: {cluster: {clusterName: "{name}"}}}`. A numbered request's record is recognised by it."""
    text = files.content(edit.skeleton)
    if text is None:
        return None
    templates: dict[str, JSONValue] | None = dict(edit.value) if isinstance(edit.value, Mapping) else None
    block = parse(text, edit.skeleton) if _NUNJUCKS.search(text) else _ours(text, frozenset(_OURS.findall(text)))
    markers: dict[str, JSONValue] = {}

    def output(name: str, value: JSONValue) -> str:
        marker = f"gw{'0' * 12}m{len(markers)}x"
        markers[marker] = value
        return marker

    def template_of(name: str) -> JSONValue:
        return f"{{{name}}}" if templates is None else templates.get(name)

    try:
        structure, styles = _read(render(block, template_of, output), edit.skeleton, "")
    except GitopsWriterError:
        return None
    return _shape(structure, markers, styles)


def _shape(structure: JSONValue, markers: Mapping[str, JSONValue], styles: Mapping[str, str]) -> JSONValue:
    if isinstance(structure, dict):
        shaped = {key: _shape(item, markers, styles) for key, item in structure.items()}
        return {key: item for key, item in shaped.items() if item is not None}
    if isinstance(structure, str) and styles.get(structure) == "whole":
        value = markers[structure]
        return value if isinstance(value, str) else None
    return None
