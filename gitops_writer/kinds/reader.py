"""Reading a config file's YAML: refused at the first anchor, alias or deep nesting, before anything is built."""

from __future__ import annotations

from pathlib import Path

from gitops_writer.errors import ConfigError, GitopsWriterError
from gitops_writer.repo.reading import inside, read_text, refuse_deep_yaml

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
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
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
