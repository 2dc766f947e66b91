"""The learned layout as a `.gitops-writer.yaml`: the settings learned from the workflow and template,
each under a comment saying where it came from, and the edits that differ from the built-in, by id."""

from __future__ import annotations

import re
from collections.abc import Mapping

from gitops_writer.init.model import Inference
from gitops_writer.values import JSONObject, JSONValue

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def config_data(inferences: list[Inference]) -> JSONObject:
    requests: JSONObject = {}
    for inference in inferences:
        kind: JSONObject = dict(inference.settings)
        if inference.overrides:
            edits: list[JSONValue] = [learned.edit for learned in inference.overrides]
            kind["edits"] = edits
        if kind:
            requests[inference.kind] = kind
    return {"requests": requests} if requests else {}


def comment(text: str) -> str:
    """One comment line, whatever the text holds: a line break in a file name cannot end it."""
    return "# " + _CONTROL.sub(lambda found: repr(found.group())[1:-1], text)


def render_config(inferences: list[Inference]) -> str:
    from gitops_writer.yaml.render import Style, join

    lines = [comment("Written by `gitops-writer init` from what this repository holds.")]
    comments: dict[tuple[str, ...], list[str]] = {}
    for inference in inferences:
        lines.extend(comment(f"{inference.kind}: {note}") for note in inference.notes)
        lines.extend(comment(f"{inference.kind}: not inferred: {text}") for text in inference.unknown)
        for learned in inference.learned:
            if learned.same_as_built_in:
                lines.append(
                    comment(f"{inference.kind}: the {learned.edit_id} edit matches the built-in one; not repeated here")
                )
        for path, origins in inference.comments.items():
            comments[("requests", inference.kind, *path)] = origins
    data = config_data(inferences)
    header = "\n".join(lines) + "\n"
    if not data:
        return header + "{}\n"
    return header + join(_commented(data, 0, Style(2, 2, "\n"), comments, ()), Style())


def _commented(
    data: JSONObject, column: int, style: object, comments: Mapping[tuple[str, ...], list[str]], path: tuple[str, ...]
) -> list[str]:
    """Block lines of a mapping, with each commented entry's comments above it."""
    from gitops_writer.yaml.render import Style, entry_lines, key_text

    assert isinstance(style, Style)
    lines: list[str] = []
    for key, value in data.items():
        here = (*path, key)
        lines.extend(" " * column + comment(origin) for origin in comments.get(here, ()))
        deeper = any(len(p) > len(here) and p[: len(here)] == here for p in comments)
        if deeper and isinstance(value, dict) and value:
            lines.append(" " * column + key_text(key) + ":")
            lines.extend(_commented(value, column + style.step, style, comments, here))
        else:
            lines.extend(entry_lines(key, value, column, style))
    return lines
