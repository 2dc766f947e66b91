"""Each tfvars map a kind edits is declared as a variable of that environment's root module."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from gitops_writer.check.findings import ERROR, Finding
from gitops_writer.check.patterns import literal, partial_fill, placeholders
from gitops_writer.check.scan import Snapshot
from gitops_writer.errors import GitopsWriterError, UsageError
from gitops_writer.pointer import parse_pointer

if TYPE_CHECKING:
    from gitops_writer.kinds.model import EditTemplate

CHECK = "terraform"


def declared_variables(snapshot: Snapshot, folder: str) -> set[str] | None:
    """The variables the folder's .tf files declare; None when the folder holds no .tf file."""
    prefix = folder.rstrip("/") + "/"
    sources = sorted(
        p for p in snapshot.files if p.startswith(prefix) and "/" not in p[len(prefix) :] and p.endswith(".tf")
    )
    if not sources:
        return None
    names: set[str] = set()
    for path in sources:
        try:
            src, tree = snapshot.hcl(path)
        except GitopsWriterError:
            continue  # a .tf file tree-sitter cannot read is terraform's to report
        for body in (c for c in tree.root_node.children if c.type == "body"):
            for block in body.children:
                if block.type != "block" or len(block.children) < 2:
                    continue
                keyword, label = block.children[0], block.children[1]
                if src[keyword.start_byte : keyword.end_byte] == b"variable" and label.type == "string_lit":
                    names.add(src[label.start_byte : label.end_byte].decode("utf-8").strip('"'))
    return names


def terraform(
    snapshot: Snapshot, kind_name: str, edits: Sequence[EditTemplate], environments: Sequence[str]
) -> Iterator[Finding]:
    for edit in edits:
        if edit.edit_type != "entry" or not edit.path.endswith(".tfvars"):
            continue
        try:
            tokens = parse_pointer(edit.pointer)
        except UsageError:
            continue
        if not tokens or placeholders(tokens[0]):
            continue
        variable = literal(tokens[0])
        for environment in environments if "environment" in placeholders(edit.path) else [None]:
            path = literal(partial_fill(edit.path, {"environment": environment} if environment else {}))
            if placeholders(path):
                continue
            folder = posixpath.dirname(path)
            if not snapshot.is_directory(folder):
                continue
            declared = declared_variables(snapshot, folder)
            if declared is None or variable in declared:
                continue
            anchor, line = path, _assignment_line(snapshot, path, variable)
            if not snapshot.exists(path):
                anchor, line = folder, 1
            yield Finding(
                anchor,
                line,
                ERROR,
                CHECK,
                f"{folder}/*.tf declare no variable {variable!r}: the {kind_name} entries a request writes into "
                f"{path} would be ignored by terraform (undeclared variable)",
            )


def _assignment_line(snapshot: Snapshot, path: str, variable: str) -> int:
    if not snapshot.exists(path):
        return 1
    try:
        src, tree = snapshot.hcl(path)
    except GitopsWriterError:
        return 1
    from gitops_writer.hcl.syntax import body_container, text_of

    for element in body_container(tree, src).elements:
        if element.key_node is not None and text_of(src, element.key_node) == variable:
            return int(element.node.start_point[0]) + 1
    return 1
