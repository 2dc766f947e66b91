"""The repository read once: its file list, each file's text, YAML node trees and HCL syntax trees.

Every parse goes through the editors' fast paths (ruamel's C parser events for YAML, tree-sitter for
HCL) and is kept, so each file is read and parsed at most once however many checks look at it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from gitops_writer.errors import GitopsWriterError, ParseError
from gitops_writer.repo.files import BOM
from gitops_writer.repo.reading import decode, inside, read_text
from gitops_writer.yaml.syntax import MAPPING, SCALAR, SEQUENCE, Document, Node

if TYPE_CHECKING:
    from tree_sitter import Tree

    from gitops_writer.repo import RepositoryFiles

SKIPPED_DIRECTORIES = frozenset({".git", "node_modules", ".terraform", ".venv", "venv", "__pycache__"})
# Files inside a scaffolder template's skeleton are templates of other repositories' files, not entities here.
TEMPLATE_CONTENT = frozenset({"skeleton", "skeletons"})
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Entity:
    """One Backstage entity document."""

    path: str
    line: int  # of the document's first line
    entity_kind: str  # the Backstage kind: Resource, Location, Template, ...
    namespace: str
    name: str
    node: Node  # the document's root mapping
    name_line: int

    @property
    def ref(self) -> str:
        return entity_ref(self.entity_kind, self.namespace, self.name)


def entity_ref(kind: str, namespace: str, name: str) -> str:
    """Backstage compares entity references case-insensitively."""
    return f"{kind}:{namespace}/{name}".lower()


class Snapshot:
    """The working tree of a repository, read lazily and once."""

    def __init__(self, root: Path, files: RepositoryFiles | None = None) -> None:
        self.root = root
        self._real_root = root.resolve()
        self._files = files  # a request's files, read (and parsed) already: their trees are not parsed again
        self.source = files.source if files is not None else None  # a commit's tree, not the disk
        self._texts: dict[str, str | None] = {}
        self._yaml: dict[str, list[Document] | GitopsWriterError] = {}
        self._hcl: dict[str, tuple[bytes, Tree] | GitopsWriterError] = {}
        self.unreadable: dict[str, GitopsWriterError] = {}  # entity-looking files that could not be read

    @cached_property
    def files(self) -> frozenset[str]:
        if self.source is not None:
            return frozenset(
                path for path in self.source.listing() if SKIPPED_DIRECTORIES.isdisjoint(path.split("/")[:-1])
            )
        found: set[str] = set()
        root = str(self.root)
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = [d for d in subdirectories if d not in SKIPPED_DIRECTORIES]
            relative = os.path.relpath(directory, root)
            prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
            found.update(prefix + name for name in names)
        return frozenset(found)

    @cached_property
    def directories(self) -> frozenset[str]:
        return frozenset(str(parent) for path in self.files for parent in PurePosixPath(path).parents)

    def exists(self, relative: str) -> bool:
        return relative in self.files

    def is_directory(self, relative: str) -> bool:
        return relative.rstrip("/") in self.directories

    def text(self, relative: str) -> str | None:
        if relative not in self._texts:
            if relative not in self.files:
                self._texts[relative] = None
            elif self.source is not None:
                data = self.source.read(relative)
                self._texts[relative] = None if data is None else decode(data, relative)
            else:  # a link out of the tree, a device or a FIFO is refused, never read
                self._texts[relative] = read_text(inside(self._real_root, relative)[1], relative)
        return self._texts[relative]

    def yaml(self, relative: str) -> list[Document]:
        """The file's documents; ParseError (naming the file) when it is not valid YAML."""
        cached = self._yaml.get(relative)
        if cached is None:
            from gitops_writer.yaml.syntax import parse as parse_documents

            text = self.text(relative)
            if text is None:
                raise GitopsWriterError(f"{relative}: no such file")
            try:
                cached = self._read_already(relative, text) or parse_documents(text.removeprefix(BOM))
            except ParseError as exc:
                try:  # libyaml refuses some YAML that other readers (Backstage's among them) accept
                    cached = parse_documents(text.removeprefix(BOM), pure=True)
                except ParseError:
                    cached = exc.at(relative)
            self._yaml[relative] = cached
        if isinstance(cached, GitopsWriterError):
            raise cached
        return cached

    def _read_already(self, relative: str, text: str) -> list[Document] | None:
        """The trees of a file the request's editors read, when they read this very text."""
        from gitops_writer.yaml import YamlEditor

        files = self._files
        if files is None or not files.has_read(relative) or text != files.read(relative, original=True):
            return None
        editor = files.editor(relative)
        return editor.documents(text.removeprefix(BOM)) if isinstance(editor, YamlEditor) else None

    def hcl(self, relative: str) -> tuple[bytes, Tree]:
        """The file's bytes and tree-sitter tree; ParseError (naming the file) when it is not valid HCL."""
        cached = self._hcl.get(relative)
        if cached is None:
            from gitops_writer.hcl.syntax import parse

            text = self.text(relative)
            if text is None:
                raise GitopsWriterError(f"{relative}: no such file")
            src = text.removeprefix(BOM).encode("utf-8")
            try:
                cached = (src, parse(src))
            except ParseError as exc:
                cached = exc.at(relative)
            self._hcl[relative] = cached
        if isinstance(cached, GitopsWriterError):
            raise cached
        return cached

    def entity_files(self) -> list[str]:
        return sorted(
            path
            for path in self.files
            if path.endswith(YAML_SUFFIXES)
            and not path.startswith(".github/")
            and not TEMPLATE_CONTENT.intersection(path.split("/")[:-1])
        )

    @cached_property
    def entities(self) -> list[Entity]:
        """Every Backstage entity document in the repository, in path order."""
        found: list[Entity] = []
        for path in self.entity_files():
            try:
                text = self.text(path)
            except GitopsWriterError as exc:
                self.unreadable[path] = exc
                continue
            if text is None or "apiVersion" not in text or "kind" not in text:
                continue  # cheaper than parsing: no entity can be in it
            try:
                documents = self.yaml(path)
            except GitopsWriterError as exc:
                self.unreadable[path] = exc
                continue
            for document in documents:
                entity = entity_of(path, document.root)
                if entity is not None:
                    found.append(entity)
        return found


def entity_of(path: str, root: Node) -> Entity | None:
    """The entity a document holds, if it is one."""
    if root.node_type != MAPPING:
        return None
    api_version, kind, metadata = child(root, "apiVersion"), child(root, "kind"), child(root, "metadata")
    name_node = child(metadata, "name") if metadata is not None else None
    kind_text, name = scalar(kind), scalar(name_node)
    if scalar(api_version) is None or not kind_text or not name or "${{" in name:
        return None
    assert name_node is not None
    namespace = scalar(child(metadata, "namespace")) or "default"
    return Entity(path, root.line + 1, kind_text, namespace, name, root, name_node.line + 1)


def child(node: Node | None, key: str) -> Node | None:
    """The value under `key` in a mapping node (None if absent or not a mapping)."""
    if node is None or node.node_type != MAPPING:
        return None
    for key_node, value in node.items:
        if key_node.node_type == SCALAR and key_node.value == key:
            found: Node = value
            return found
    return None


def at(node: Node | None, tokens: tuple[str, ...] | list[str]) -> Node | None:
    for token in tokens:
        if node is not None and node.node_type == SEQUENCE:
            node = node.items[int(token)] if token.isdigit() and int(token) < len(node.items) else None
        else:
            node = child(node, token)
    return node


def scalar(node: Node | None) -> str | None:
    """A scalar's text (None for anything else, and for an empty `key:`)."""
    if node is None or node.node_type != SCALAR or node.is_empty_null:
        return None
    return node.value


def scalars(node: Node | None) -> list[tuple[str, int]]:
    """(text, line) of a scalar, or of each scalar item of a sequence."""
    if node is None:
        return []
    if node.node_type == SEQUENCE:
        return [(item.value, item.line + 1) for item in node.items if scalar(item) is not None]
    text = scalar(node)
    return [(text, node.line + 1)] if text is not None else []
