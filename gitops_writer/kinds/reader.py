"""Reading a config file's YAML: refused at the first anchor, alias or deep nesting, before anything is built."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from gitops_writer.errors import ConfigError, GitopsWriterError, ParseError
from gitops_writer.repo.reading import inside, read_text, refuse_deep_yaml
from gitops_writer.yaml.decode import mapping_key, to_value
from gitops_writer.yaml.scalars import Opaque
from gitops_writer.yaml.syntax import ALIAS, MAPPING, SEQUENCE, Document, Node

MAX_DEPTH = 64  # levels of nesting a config may have; the built-in kind needs 8


def read_settings(path: Path, *, explicit: bool) -> dict[str, object]:
    """The config's settings; the repository's own is confined to it as every file of the tree is."""
    try:  # an explicit --config is the operator's choice, a link included
        real = path if explicit else inside(path.parent.resolve(), path.name, f"config {path}")[1]
        text = read_text(real, f"config {path}", follow=explicit)
    except GitopsWriterError as exc:
        raise ConfigError(str(exc)) from None
    return parse_settings(text, f"config {path}")


def parse_settings(text: str, where: str, *, trusted: bool = False) -> dict[str, object]:
    """A config's settings, read by the project's one YAML reader as plain values.

    Refused, naming the line, before any value is built: anchors and aliases (a few lines of them can
    stand for billions of nodes), nesting deeper than a config needs, and values a setting never takes
    (a date, a custom tag). A number is an int when whole, else a float.
    """
    from gitops_writer.yaml.trees import parse_documents

    try:
        refuse_deep_yaml(text)
        documents = parse_documents(text)
    except ValueError as exc:  # nested too deeply
        raise ConfigError(f"{where}: {exc}") from None
    except ParseError as exc:
        at = f" at line {exc.line}, column {exc.column}" if exc.line is not None and exc.column is not None else ""
        raise ConfigError(
            f"{where}: not valid YAML{at}: {exc.detail or str(exc.args[0]).removeprefix('invalid YAML: ')}"
        ) from None
    if len(documents) > 1:
        raise ConfigError(f"{where}: line {documents[1].root.line + 1}: a config is one YAML document")
    loaded = _Settings(documents[0], where, trusted).value(documents[0].root, 0) if documents else None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise ConfigError(f"{where}: the top level must be a mapping")
    return loaded


class _Settings:
    """A document's nodes as plain values: what the config code reads."""

    def __init__(self, document: Document, where: str, trusted: bool) -> None:
        self.document, self.where, self.trusted = document, where, trusted

    def value(self, node: Node, depth: int) -> object:
        line = node.line + 1
        if not self.trusted and (node.anchor is not None or node.node_type == ALIAS):
            raise ConfigError(
                f"{self.where}: line {line}: YAML anchors and aliases (&name, *name) are not supported; "
                "write the setting out in full"
            )
        if depth > MAX_DEPTH:
            raise ConfigError(f"{self.where}: line {line}: nested more than {MAX_DEPTH} levels deep")
        if node.node_type == MAPPING:
            settings: dict[str, object] = {}
            for key, item in node.items:
                name = mapping_key(key)
                if name in settings:
                    raise ConfigError(f"{self.where}: line {key.line + 1}: {name!r} is set twice")
                settings[name] = self.value(item, depth + 1)
            return settings
        if node.node_type == SEQUENCE:
            return [self.value(item, depth + 1) for item in node.items]
        read = to_value(node, self.document)
        if isinstance(read, Decimal):
            return int(read) if read == read.to_integral_value() else float(read)
        if isinstance(read, Opaque):
            raise ConfigError(
                f"{self.where}: line {line}: {node.value!r} reads as a {read.tag}; quote it if it is text"
            )
        return read
