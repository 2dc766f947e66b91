"""get/set/remove on one document of a YAML stream, as verified splices of the original text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gitops_writer.errors import (
    ConflictError,
    NotFoundError,
    ParseError,
    UnsupportedError,
    UsageError,
    VerificationError,
)
from gitops_writer.ordering import sorted_position
from gitops_writer.pointer import format_pointer, nest, parse_index
from gitops_writer.values import check_value, is_finite, locate, same_value
from gitops_writer.yaml.decode import is_merge_key, mapping_key, to_value
from gitops_writer.yaml.render import block_lines, detect_style, join
from gitops_writer.yaml.scalars import YAML_1_1, YAML_1_2, Opaque, implicit_tag
from gitops_writer.yaml.splice import Change, Slot, Splicer, apply
from gitops_writer.yaml.syntax import (
    ALIAS,
    MAPPING,
    SCALAR,
    SEQUENCE,
    Document,
    Node,
    walk,
)
from gitops_writer.yaml.trees import parse_documents, remember_scalar_edit
from gitops_writer.yaml.window import APPEND, INSERT, REMOVE, REPLACE, EntryChange, window_verified

_NULLS = ("", "~", "null", "Null", "NULL")


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

    def get(self, text: str, path: Sequence[str]) -> Any:
        doc = self._document(self.documents(text))
        node, rest = _walk_plain(doc, path)  # through plain mappings and sequences without converting them
        if rest and _lacks(node, rest[0]):  # a key a plain mapping does not hold: nothing to convert
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
        node, rest = _walk_plain(doc, path)
        if rest or node.kind != MAPPING or node.tag is not None or any(is_merge_key(k) for k, _ in node.items):
            data = self.get(text, path)
            if not isinstance(data, dict):
                raise NotFoundError(f"{format_pointer(path)}: not a mapping")
            return list(data)
        return [mapping_key(key) for key, _ in node.items]

    def locate_item(self, text: str, path: Sequence[str], value: Any) -> tuple[int | None, int]:
        """Where `value` stands in the list at `path` (see `values.locate`), reading only what it must:
        an item that cannot equal the value is not converted. NotFoundError if `path` holds no list."""
        doc = self._document(self.documents(text))
        node, rest = _walk_plain(doc, path)
        if rest or node.kind != SEQUENCE or node.tag is not None:
            items = self.get(text, path)
            if not isinstance(items, list):
                raise NotFoundError(f"{format_pointer(path)}: not a list")
            return locate(items, value)
        version = doc.version or YAML_1_2
        texts: list[Any] = []
        found = None
        for index, item in enumerate(node.items):
            plain = item.kind == SCALAR and item.tag is None
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

    def set(self, text: str, path: Sequence[str], value: Any, *, overwrite: bool = True) -> str:
        check_value(value)
        if not path:
            raise UsageError("set needs a pointer below the document root, such as /metadata/name")
        docs = self.documents(text)
        if not docs and self.document == 0:
            return _first_document(text, path, value)
        doc = self._document(docs)
        splicer = Splicer(text, detect_style(text, doc))
        node, slot, concrete = doc.root, Slot(None), list(path)
        changes: list[Change] = []
        edit: EntryChange | None = None
        for i, token in enumerate(path):
            here, where = format_pointer(path[:i]) or "the document", format_pointer(path[: i + 1])
            _guard(doc, node, here)
            last = i == len(path) - 1
            if node.kind == MAPPING:
                index = _find_key(node, token, here)
                if index is None:
                    created = nest(path[i + 1 :], value)
                    changes = splicer.insert_entry(node, slot, token, created)
                    edit = EntryChange(node, INSERT, _insertion_index(splicer, node, changes), token, created)
                    concrete, value = concrete[: i + 1], created  # read back what was made, as a whole
                    break
                key, child = node.items[index]
                if last:
                    return self._replace(text, docs, doc, splicer, child, Slot(node, key), path, value, overwrite)
                node, slot = child, Slot(node, key)
            elif node.kind == SEQUENCE:
                index = parse_index(token, len(node.items), allow_append=True, where=where)
                if index > len(node.items):
                    raise NotFoundError(
                        f"{where}: index {index} is out of range (the list has {len(node.items)} items)"
                    )
                concrete[i] = str(index)
                if index == len(node.items):
                    created = nest(path[i + 1 :], value)
                    changes = splicer.append_item(node, slot, created)
                    edit = EntryChange(node, APPEND, index, None, created)
                    concrete, value = concrete[: i + 1], created
                    break
                if last:
                    return self._replace(
                        text, docs, doc, splicer, node.items[index], Slot(node), path, value, overwrite
                    )
                node, slot = node.items[index], Slot(node)
            elif node.kind == SCALAR and slot.parent is not None and node.tag is None and _is_null(node):
                created = nest(path[i:], value)
                changes = splicer.replace_value(node, slot, created)
                edit = EntryChange(slot.parent, REPLACE, _index_in(slot.parent, node), None, created)
                concrete, value = concrete[:i], created
                break
            else:
                raise ConflictError(f"{here} holds {_describe(node)}, not a mapping or a list: cannot set {where}")
        return self._verified(text, docs, doc, changes, concrete, value, edit)

    def insert(self, text: str, path: Sequence[str], value: Any) -> str:
        """Insert a list item before index path[-1] (`-`: after the last); later items move down."""
        check_value(value)
        if not path:
            raise UsageError("insert needs a pointer to a list index, such as /spec/targets/0")
        docs = self.documents(text)
        doc = self._document(docs)
        node, slot = _parent(doc, path)
        where = format_pointer(path[:-1]) or "the document"
        _guard(doc, node, where)
        if node.kind != SEQUENCE:
            raise ConflictError(f"{where} holds {_describe(node)}, not a list: cannot insert into it")
        index = parse_index(path[-1], len(node.items), allow_append=True, where=format_pointer(path))
        if index > len(node.items):
            raise NotFoundError(
                f"{format_pointer(path)}: index {index} is out of range (the list has {len(node.items)} items)"
            )
        splicer = Splicer(text, detect_style(text, doc))
        if index == len(node.items):
            changes, edit = splicer.append_item(node, slot, value), EntryChange(node, APPEND, index, None, value)
        else:
            changes, edit = splicer.insert_item(node, slot, value, index), EntryChange(node, INSERT, index, None, value)
        return self._verified(text, docs, doc, changes, [*path[:-1], str(index)], _Inserted(value), edit)

    def remove(self, text: str, path: Sequence[str]) -> str:
        if not path:
            raise UsageError("remove needs a pointer below the document root, such as /spec/targets/0")
        docs = self.documents(text)
        doc = self._document(docs)
        node, slot = _parent(doc, path)
        index, child = _existing(doc, node, path, len(path) - 1)
        _guard_subtree(doc, child, format_pointer(path))
        changes = Splicer(text, detect_style(text, doc)).remove_entry(node, slot, index)
        return self._verified(text, docs, doc, changes, list(path), _REMOVED, EntryChange(node, REMOVE, index))

    # ------------------------------------------------------------ internals

    def _document(self, docs: list[Document]) -> Document:
        if self.document >= len(docs):
            held = f"{len(docs)} document{'s' if len(docs) != 1 else ''}"
            raise NotFoundError(f"document {self.document} does not exist: the file holds {held}")
        return docs[self.document]

    def _replace(
        self,
        text: str,
        docs: list[Document],
        doc: Document,
        splicer: Splicer,
        node: Node,
        slot: Slot,
        path: Sequence[str],
        value: Any,
        overwrite: bool,
    ) -> str:
        """Replace an existing value (unless it already reads as `value`), verified."""
        where = format_pointer(path)
        assert slot.parent is not None, "the document root is never replaced: set needs a pointer below it"
        if not overwrite:
            raise ConflictError(f"{where} already exists; leave out --no-overwrite to replace it")
        _guard_subtree(doc, node, where)
        if (
            node.kind != ALIAS
            and same_value(to_value(node, doc), value)
            and same_value(to_value(node, doc, YAML_1_1), value)
        ):
            return text
        changes = splicer.replace_value(node, slot, value)
        new_text = self._verified(
            text,
            docs,
            doc,
            changes,
            list(path),
            value,
            EntryChange(slot.parent, REPLACE, _index_in(slot.parent, node), None, value),
        )
        chain = _chain_to(doc, path)
        if chain is not None and len(changes) == 1 and changes[0][:2] == (node.start, node.end):
            remembered = remember_scalar_edit(new_text, docs, doc, chain, changes[0][2])
            if remembered is not None:  # the same trees but for one scalar: the next edit needs no parse
                self._read = (new_text, remembered)
        return new_text

    def _verified(
        self,
        text: str,
        docs: list[Document],
        doc: Document,
        changes: list[Change],
        path: list[str],
        value: Any,
        edit: EntryChange | None,
    ) -> str:
        """Splice, re-read, and compare with the intended data; raise rather than return a wrong text.

        A window of entries around the edit is re-read first; when it cannot prove the edit (see
        `window`), the whole document is re-read and compared.
        """
        new_text = apply(text, changes)
        if edit is not None and window_verified(text, new_text, doc, changes, edit):
            return new_text
        intended = to_value(doc.root, doc)
        intended = _apply(intended, path, value)
        try:
            new_docs = parse_documents(new_text)
        except ParseError as exc:
            raise VerificationError(f"the edit produced invalid YAML ({exc}); nothing was written") from None
        if len(new_docs) != len(docs):
            raise VerificationError("the edit changed the number of YAML documents; nothing was written")
        new_doc = new_docs[doc.index]
        if not same_value(to_value(new_doc.root, new_doc), intended):
            raise VerificationError(
                f"{format_pointer(path)}: the edited document does not read back as intended; nothing was written"
            )
        self._read = (new_text, new_docs)
        if isinstance(value, _Inserted):
            value = value.value
        if value is not _REMOVED:
            written = _node_at(new_doc, path)
            if written is None or not same_value(to_value(written, new_doc, YAML_1_1), value):
                raise VerificationError(
                    f"{format_pointer(path)}: YAML 1.1 readers would read the new value differently;"
                    " nothing was written"
                )
        return new_text


_REMOVED = object()


def _first_document(text: str, path: Sequence[str], value: Any) -> str:
    """`set` into a stream holding no document (empty, blank or comments only): the mapping starts one."""
    data = nest(path, value)
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


@dataclass(frozen=True)
class _Inserted:
    """An intended value that goes in before the item at its index, rather than replacing it."""

    value: Any


def _apply(data: Any, path: list[str], value: Any) -> Any:
    if not path:
        return value
    parent = data
    for token in path[:-1]:
        if isinstance(parent, list):
            parent = parent[int(token)]
        else:
            if not isinstance(parent.get(token), (dict, list)):
                parent[token] = {}
            parent = parent[token]
    token = path[-1]
    if isinstance(value, _Inserted):
        parent.insert(int(token), value.value)
    elif isinstance(parent, list):
        if value is _REMOVED:
            del parent[int(token)]
        elif int(token) == len(parent):
            parent.append(value)
        else:
            parent[int(token)] = value
    elif value is _REMOVED:
        del parent[token]
    else:
        parent[token] = value
    return data


def _insertion_index(splicer: Splicer, mapping: Node, changes: list[Change]) -> int:
    """The index a block insert gives the new entry: the number of entries starting before the splice."""
    if mapping.flow or not mapping.items:
        return 0
    pos = changes[0][0]
    return sum(1 for index in range(len(mapping.items)) if splicer.entry_start(mapping, index) < pos)


def _index_in(container: Node, node: Node) -> int:
    if container.kind == MAPPING:
        return next(i for i, (_, value) in enumerate(container.items) if value is node)
    return next(i for i, item in enumerate(container.items) if item is node)


def _parent(doc: Document, path: Sequence[str]) -> tuple[Node, Slot]:
    """The existing collection that holds the last entry of `path`, and where it sits itself."""
    node, slot = doc.root, Slot(None)
    for depth in range(len(path) - 1):
        index, child = _existing(doc, node, path, depth)
        node, slot = child, Slot(node, node.items[index][0] if node.kind == MAPPING else None)
    return node, slot


def _existing(doc: Document, node: Node, path: Sequence[str], depth: int) -> tuple[int, Node]:
    """The index and node of the entry path[depth] names in `node`; it must exist."""
    here, where = format_pointer(path[:depth]) or "the document", format_pointer(path[: depth + 1])
    _guard(doc, node, here)
    token = path[depth]
    if node.kind == MAPPING:
        found = _find_key(node, token, here)
        if found is None:
            raise NotFoundError(f"{where}: no such key")
        return found, node.items[found][1]
    if node.kind == SEQUENCE:
        index = parse_index(token, len(node.items), allow_append=False, where=where)
        if index >= len(node.items):
            raise NotFoundError(f"{where}: index {index} is out of range (the list has {len(node.items)} items)")
        return index, node.items[index]
    raise NotFoundError(f"{where}: {here} holds {_describe(node)}, not a mapping or a list")


def _chain_to(doc: Document, path: Sequence[str]) -> list[tuple[Node, int]] | None:
    """(collection, item index) for each step from the root to `path`, through plain nodes only."""
    chain: list[tuple[Node, int]] = []
    node = doc.root
    for token in path:
        if node.tag is not None or node.kind not in (MAPPING, SEQUENCE) or node.anchor:
            return None
        if node.kind == MAPPING:
            index = _find_key(node, token, "")
            if index is None or is_merge_key(node.items[index][0]):
                return None
            child = node.items[index][1]
        else:
            if not token.isdigit() or int(token) >= len(node.items):
                return None
            index = int(token)
            child = node.items[index]
        chain.append((node, index))
        node = child
    return chain


def _walk_plain(doc: Document, path: Sequence[str]) -> tuple[Node, Sequence[str]]:
    """Follow `path` while it passes untagged collections without merge keys; return where it stopped.

    The rest of the path is then resolved on converted data, exactly as for a whole document.
    """
    node = doc.root
    for depth, token in enumerate(path):
        if node.tag is not None or node.kind not in (MAPPING, SEQUENCE):
            return node, path[depth:]
        if node.kind == MAPPING:
            if any(is_merge_key(key) for key, _ in node.items):
                return node, path[depth:]
            found = _find_key(node, token, format_pointer(path[:depth]) or "the document")
            child = node.items[found][1] if found is not None else None
        else:
            index = int(token) if token.isdigit() and token.isascii() and (token == "0" or token[0] != "0") else None
            child = node.items[index] if index is not None and index < len(node.items) else None
        if child is None or child.kind == ALIAS:
            return node, path[depth:]
        node = child
    return node, ()


def _lacks(node: Node, token: str) -> bool:
    """Whether a plain mapping (no tag, no merge key) plainly does not hold the key `token`."""
    if node.kind != MAPPING or node.tag is not None or any(is_merge_key(key) for key, _ in node.items):
        return False
    return _find_key(node, token, "") is None


def _node_at(doc: Document, path: list[str]) -> Node | None:
    node = doc.root
    for token in path:
        if node.kind == MAPPING:
            index = _find_key(node, token, "")
            if index is None:
                return None
            node = node.items[index][1]
        elif node.kind == SEQUENCE and token.isdigit() and int(token) < len(node.items):
            node = node.items[int(token)]
        else:
            return None
    return node


def _find_key(mapping: Node, token: str, here: str) -> int | None:
    found = None
    seen: dict[str, Node] = {}
    for index, (key, _) in enumerate(mapping.items):
        name = mapping_key(key)
        if name in seen:
            raise ParseError(
                f"duplicate key {name!r} in the mapping at {here}; fix the file first", key.line + 1, key.column + 1
            )
        seen[name] = key
        if name == token:
            found = index
    return found


def _guard(doc: Document, node: Node, here: str) -> None:
    if node.kind == ALIAS:
        raise UnsupportedError(f"{here} is an alias (*{node.value}); edit the anchored value instead")
    if node.anchor and node.anchor in doc.aliased:
        raise UnsupportedError(
            f"{here} is anchored as &{node.anchor} and used by an alias; editing it would change every alias"
        )
    if node.tag not in (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq") and node.kind != SCALAR:
        raise UnsupportedError(f"{here} carries the tag {node.tag}; gitops-writer does not edit inside tagged values")


def _guard_subtree(doc: Document, node: Node, where: str) -> None:
    for inner in walk(node):
        if inner.anchor and inner.anchor in doc.aliased:
            raise UnsupportedError(
                f"{where} holds the anchor &{inner.anchor}, used by an alias; editing it would break the alias"
            )


def _is_null(node: Node) -> bool:
    return node.style is None and node.value in _NULLS


def _describe(node: Node) -> str:
    if node.kind == SCALAR:
        return f"the scalar {node.value[:40]!r}"
    return "an alias" if node.kind == ALIAS else f"a {node.kind}"


def json_safe(data: Any, where: str) -> Any:
    """Data as JSON can hold it: timestamps as their text; refuses what JSON has no form for."""
    if isinstance(data, Opaque):
        if data.tag == "timestamp":
            return data.value
        raise UnsupportedError(f"{where or 'the document'} holds a {data.tag} value, which JSON cannot represent")
    if isinstance(data, Decimal) and not is_finite(data):
        raise UnsupportedError(f"{where or 'the document'} holds an infinite number, which JSON cannot represent")
    if isinstance(data, dict):
        return {k: json_safe(v, where) for k, v in data.items()}
    if isinstance(data, list):
        return [json_safe(v, where) for v in data]
    return data
