"""The learned layout as a `.gitops-writer.yaml`: only the edits that differ from the built-in, by id."""

from __future__ import annotations

from gitops_writer.init.model import Inference
from gitops_writer.values import JSONObject, JSONValue


def config_data(inferences: list[Inference]) -> JSONObject:
    requests: JSONObject = {}
    for inference in inferences:
        if inference.overrides:
            edits: list[JSONValue] = [learned.edit for learned in inference.overrides]
            requests[inference.kind] = {"edits": edits}
    return {"requests": requests} if requests else {}


def render_config(inferences: list[Inference]) -> str:
    from gitops_writer.yaml.render import Style, block_lines, join

    lines = ["# Written by `gitops-writer init` from what this repository holds."]
    for inference in inferences:
        lines.extend(f"# {inference.kind}: {note}" for note in inference.notes)
        lines.extend(f"# {inference.kind}: not inferred: {text}" for text in inference.unknown)
        for learned in inference.learned:
            if learned.same_as_built_in:
                lines.append(
                    f"# {inference.kind}: the {learned.edit_id} edit matches the built-in one; not repeated here"
                )
    data = config_data(inferences)
    header = "\n".join(lines) + "\n"
    if not data:
        return header + "{}\n"
    return header + join(block_lines(data, 0, Style(2, 2, "\n")), Style())
