"""get/set/remove on one document of a YAML stream, as verified splices of the original text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from gitops_writer.errors import (
    ConflictError,
    NotFoundError,
    ParseError,
    UnsupportedError,
    UsageError,
    VerificationError,
)
from gitops_writer.ordering import sorted_position
from gitops_writer.pointer import Change as PointerChange
from gitops_writer.pointer import changed, format_pointer, nest, parse_index
from gitops_writer.values import JSONValue, check_value, is_finite, locate, same_value
from gitops_writer.yaml.decode import mapping_key, to_value
from gitops_writer.yaml.paths import (
    describe,
    existing,
    find_key,
    follow,
    guard,
    guard_subtree,
    has_merge_key,
    here,
    is_null,
    parent,
)
from gitops_writer.yaml.render import block_lines, detect_style, join
from gitops_writer.yaml.scalars import YAML_1_1, YAML_1_2, Opaque, implicit_tag
from gitops_writer.yaml.splice import Change, Slot, Splicer, apply
from gitops_writer.yaml.syntax import ALIAS, MAPPING, SCALAR, SEQUENCE, Document, Node
from gitops_writer.yaml.trees import parse_documents, remember_scalar_edit
from gitops_writer.yaml.window import APPEND, INSERT, REMOVE, REPLACE, EntryChange, window_verified


@dataclass(frozen=True)
class _Source:
    """The text an edit starts from, its documents and the one edited."""

    text: str
    docs: list[Document]
    doc: Document

    @cached_property
    def splicer(self) -> Splicer:
        return Splicer(self.text, detect_style(self.text, self.doc))


class YamlEditor:
    """get/set/insert/remove at a JSON Pointer in one document of a YAML stream, as text in, text out.

    Every edit is a splice at parser offsets in the text's own style, re-read (a window around it, else
    the whole document, also as YAML 1.1) and compared with the intended data before it is returned.
    """

    def __init__(self, document: int = 0) -> None:
        self.document = document
        self._read: tuple[str, list[Document]] | None = None  # the text this editor last read or wrote, and its trees

    def documents(self, text: str) -> list[Document]:
        """The text's trees, parsed once however many reads and edits start from that text."""
        if self._read is None or self._read[0] != text:
            self._read = (text, parse_documents(text))
        return self._read[1]

    def get(self, text: str, path: Sequence[str]) -> JSONValue:
        doc = self._document(self.documents(text))
        reached = follow(doc, path, plain=True)  # through plain mappings and sequences without converting them
        node, rest = reached.node, reached.rest
        if rest and _lacks(node, rest[0], here(path, len(reached.chain))):  # nothing to convert
            raise NotFoundError(f"{format_pointer(path[: len(path) - len(rest) + 1])}: no such key")
        path = rest
        data = to_value(node, doc)
        for i, token in enumerate(path):
            where = format_pointer(path[: i + 1])
            if isinstance(data, dict):
                if token not in data:
                    raise NotFoundError(f"{where}: no such key")
                data = data[token]
            elif isinstance(data, list):
                index = parse_index(token, len(data), allow_append=False, where=where)
                if index >= len(data):
                    raise NotFoundError(f"{where}: index {index} is out of range (the list has {len(data)} items)")
                data = data[index]
            else:
                raise NotFoundError(f"{where}: {format_pointer(path[:i]) or 'the document'} is not a mapping or a list")
        return json_safe(data, format_pointer(path))

    def keys(self, text: str, path: Sequence[str]) -> list[str]:
        """The keys of the mapping at `path` in the file's order, its values left unread.
        NotFoundError if `path` holds no mapping."""
        doc = self._document(self.documents(text))
        reached = follow(doc, path, plain=True)
        node, rest = reached.node, reached.rest
        if rest or node.node_type != MAPPING or node.tag is not None or has_merge_key(node):
            data = self.get(text, path)
            if not isinstance(data, dict):
                raise NotFoundError(f"{format_pointer(path)}: not a mapping")
            return list(data)
        return [mapping_key(key) for key, _ in node.items]

    def locate_item(self, text: str, path: Sequence[str], value: JSONValue) -> tuple[int | None, int]:
        """Where `value` stands in the list at `path` (see `values.locate`), reading only what it must:
        an item that cannot equal the value is not converted. NotFoundError if `path` holds no list."""
        doc = self._document(self.documents(text))
        reached = follow(doc, path, plain=True)
        node, rest = reached.node, reached.rest
        if rest or node.node_type != SEQUENCE or node.tag is not None:
            items = self.get(text, path)
            if not isinstance(items, list):
                raise NotFoundError(f"{format_pointer(path)}: not a list")
            return locate(items, value)
        version = doc.version or YAML_1_2
        texts: list[object] = []
        found = None
        for index, item in enumerate(node.items):
            plain = item.node_type == SCALAR and item.tag is None
            if plain and item.style is None:
                # a plain scalar reads as its own text or as no string at all
                read = item.value if implicit_tag(item.value, version) == "str" else to_value(item, doc)
            elif plain:
                read = item.value
            else:
                read = to_value(item, doc)
            if found is None and same_value(read, value):
                found = index
            texts.append(read)
        return found, sorted_position(texts, value)

    def set(self, text: str, path: Sequence[str], value: JSONValue, *, overwrite: bool = True) -> str:
        check_value(value)
        if not path:
            raise UsageError("set needs a pointer below the document root, such as /metadata/name")
        docs = self.documents(text)
        if not docs and self.document == 0:
            return _first_document(text, path, value)
        source = _Source(text, docs, self._document(docs))
        node, slot, at = source.doc.root, Slot(None), 0  # at: the node's index in its collection
        for i, token in enumerate(path):
            where = format_pointer(path[: i + 1])
            guard(source.doc, node, here(path, i))
            if node.node_type == MAPPING:
                index = find_key(node, token, here(path, i))
                if index is None:
                    created = nest(path[i + 1 :], value)
                    changes = source.splicer.insert_entry(node, slot, token, created)
                    edit = EntryChange(node, INSERT, _insertion_index(source.splicer, node, changes), token, created)
                    return self._verified(source, changes, path[: i + 1], created, "set", edit)
            elif node.node_type == SEQUENCE:
                index = parse_index(token, len(node.items), allow_append=True, where=where)
                if index > len(node.items):
                    raise NotFoundError(
                        f"{where}: index {index} is out of range (the list has {len(node.items)} items)"
                    )
                if index == len(node.items):
                    created = nest(path[i + 1 :], value)
                    changes = source.splicer.append_item(node, slot, created)
                    edit = EntryChange(node, APPEND, index, None, created)
                    return self._verified(source, changes, [*path[:i], str(index)], created, "set", edit)
            elif node.node_type == SCALAR and slot.parent is not None and node.tag is None and is_null(node):
                created = nest(path[i:], value)
                changes = source.splicer.replace_value(node, slot, created)
                edit = EntryChange(slot.parent, REPLACE, at, None, created)
                return self._verified(source, changes, path[:i], created, "set", edit)
            else:
                raise ConflictError(
                    f"{here(path, i)} holds {describe(node)}, not a mapping or a list: cannot set {where}"
                )
            if i == len(path) - 1:
                return self._replace(source, node, index, path, value, overwrite)
            container = node
            key, node = container.items[index] if container.node_type == MAPPING else (None, container.items[index])
            slot, at = Slot(container, key), index
        raise AssertionError("set returns at the path's last token")

    def insert(self, text: str, path: Sequence[str], value: JSONValue) -> str:
        """Insert a list item before index path[-1] (`-`: after the last); later items move down."""
        check_value(value)
        if not path:
            raise UsageError("insert needs a pointer to a list index, such as /spec/targets/0")
        docs = self.documents(text)
        source = _Source(text, docs, self._document(docs))
        node, slot = parent(source.doc, path)
        where = here(path, len(path) - 1)
        guard(source.doc, node, where)
        if node.node_type != SEQUENCE:
            raise ConflictError(f"{where} holds {describe(node)}, not a list: cannot insert into it")
        index = parse_index(path[-1], len(node.items), allow_append=True, where=format_pointer(path))
        if index > len(node.items):
            raise NotFoundError(
                f"{format_pointer(path)}: index {index} is out of range (the list has {len(node.items)} items)"
            )
        if index == len(node.items):
            changes, edit = source.splicer.append_item(node, slot, value), EntryChange(node, APPEND, index, None, value)
        else:
            changes = source.splicer.insert_item(node, slot, value, index)
            edit = EntryChange(node, INSERT, index, None, value)
        return self._verified(source, changes, [*path[:-1], str(index)], value, "insert", edit)

    def remove(self, text: str, path: Sequence[str]) -> str:
        if not path:
            raise UsageError("remove needs a pointer below the document root, such as /spec/targets/0")
        docs = self.documents(text)
        source = _Source(text, docs, self._document(docs))
        node, slot = parent(source.doc, path)
        index, child = existing(source.doc, node, path, len(path) - 1)
        guard_subtree(source.doc, child, format_pointer(path))
        changes = source.splicer.remove_entry(node, slot, index)
        return self._verified(source, changes, list(path), None, "remove", EntryChange(node, REMOVE, index))

    # ------------------------------------------------------------ internals

    def _document(self, docs: list[Document]) -> Document:
        if self.document >= len(docs):
            held = f"{len(docs)} document{'s' if len(docs) != 1 else ''}"
            raise NotFoundError(f"document {self.document} does not exist: the file holds {held}")
        return docs[self.document]

    def _replace(
        self, source: _Source, container: Node, index: int, path: Sequence[str], value: JSONValue, overwrite: bool
    ) -> str:
        """Replace the existing value at `index` of `container` (unless it already reads as `value`), verified."""
        where = format_pointer(path)
        key, node = container.items[index] if container.node_type == MAPPING else (None, container.items[index])
        if not overwrite:
            raise ConflictError(f"{where} already exists; leave out --no-overwrite to replace it")
        doc = source.doc
        guard_subtree(doc, node, where)
        if (
            node.node_type != ALIAS
            and same_value(to_value(node, doc), value)
            and same_value(to_value(node, doc, YAML_1_1), value)
        ):
            return source.text
        changes = source.splicer.replace_value(node, Slot(container, key), value)
        edit = EntryChange(container, REPLACE, index, None, value)
        new_text = self._verified(source, changes, list(path), value, "set", edit)
        reached = follow(doc, path, plain=True)
        if (
            not reached.rest
            and not any(collection.anchor for collection, _ in reached.chain)
            and len(changes) == 1
            and changes[0][:2] == (node.start, node.end)
        ):
            remembered = remember_scalar_edit(new_text, source.docs, doc, reached.chain, changes[0][2])
            if remembered is not None:  # the same trees but for one scalar: the next edit needs no parse
                self._read = (new_text, remembered)
        return new_text

    def _verified(
        self,
        source: _Source,
        changes: list[Change],
        path: Sequence[str],
        value: JSONValue,
        change: PointerChange,
        edit: EntryChange | None,
    ) -> str:
        """Splice, re-read, and compare with the intended data; raise rather than return a wrong text.

        A window of entries around the edit is re-read first; when it cannot prove the edit (see
        `window`), the whole document is re-read and compared.
        """
        text, doc = source.text, source.doc
        new_text = apply(text, changes)
        if edit is not None and window_verified(text, new_text, doc, changes, edit):
            return new_text
        intended = changed(to_value(doc.root, doc), path, value, change)
        try:
            new_docs = parse_documents(new_text)
        except ParseError as exc:
            raise VerificationError(f"the edit produced invalid YAML ({exc}); nothing was written") from None
        if len(new_docs) != len(source.docs):
            raise VerificationError("the edit changed the number of YAML documents; nothing was written")
        new_doc = new_docs[doc.index]
        if not same_value(to_value(new_doc.root, new_doc), intended):
            raise VerificationError(
                f"{format_pointer(path)}: the edited document does not read back as intended; nothing was written"
            )
        self._read = (new_text, new_docs)
        if change != "remove":
            reached = follow(new_doc, path)
            if reached.rest or not same_value(to_value(reached.node, new_doc, YAML_1_1), value):
                raise VerificationError(
                    f"{format_pointer(path)}: YAML 1.1 readers would read the new value differently;"
                    " nothing was written"
                )
        return new_text


def _first_document(text: str, path: Sequence[str], value: JSONValue) -> str:
    """`set` into a stream holding no document (empty, blank or comments only): the mapping starts one."""
    data = nest(path, value)
    assert isinstance(data, (dict, list)), "set needs a pointer below the document root"
    style = detect_style(text, None)
    lead = "" if not text or text.endswith("\n") else style.eol
    new_text = text + lead + join(block_lines(data, 0, style), style)
    try:
        new_docs = parse_documents(new_text)
    except ParseError as exc:
        raise VerificationError(f"the edit produced invalid YAML ({exc}); nothing was written") from None
    where = format_pointer(path)
    if len(new_docs) != 1 or not all(
        same_value(to_value(new_docs[0].root, new_docs[0], schema), data) for schema in (None, YAML_1_1)
    ):
        raise VerificationError(f"{where}: the new document does not read back as intended; nothing was written")
    return new_text


def _lacks(node: Node, token: str, where: str) -> bool:
    """Whether a plain mapping (no tag, no merge key) plainly does not hold the key `token`."""
    if node.node_type != MAPPING or node.tag is not None or has_merge_key(node):
        return False
    return find_key(node, token, where) is None


def _insertion_index(splicer: Splicer, mapping: Node, changes: list[Change]) -> int:
    """The index a block insert gives the new entry: the number of entries starting before the splice."""
    if mapping.flow or not mapping.items:
        return 0
    pos = changes[0][0]
    return sum(1 for index in range(len(mapping.items)) if splicer.entry_start(mapping, index) < pos)


def json_safe(data: object, where: str) -> JSONValue:
    """Data as JSON can hold it: timestamps as their text; refuses what JSON has no form for."""
    if isinstance(data, Opaque):
        if data.tag == "timestamp":
            return json_safe(data.value, where)
        raise UnsupportedError(f"{where or 'the document'} holds a {data.tag} value, which JSON cannot represent")
    if isinstance(data, Decimal) and not is_finite(data):
        raise UnsupportedError(f"{where or 'the document'} holds an infinite number, which JSON cannot represent")
    if isinstance(data, dict):
        return {k: json_safe(v, where) for k, v in data.items()}
    if isinstance(data, list):
        return [json_safe(v, where) for v in data]
    if data is None or isinstance(data, (bool, int, float, Decimal, str)):
        return data
    raise UnsupportedError(f"{where or 'the document'} holds a {type(data).__name__}, which JSON cannot represent")
