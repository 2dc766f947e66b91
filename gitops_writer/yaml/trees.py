"""The editors' one YAML reader, and the tree of a text edited in one scalar, built without a parse.

A file's editor keeps the tree of the text it last read (`YamlEditor.documents`), so a request reads
each file once; and the trees of the texts read last are shared by every editor of the process, so a
refresh that rebuilds many requests on one base reads each base file once. Nodes are never modified
(an edit's tree copies what it changes), so sharing them is safe.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

from gitops_writer.yaml.syntax import SCALAR, Document, Node, parse

_READ: OrderedDict[tuple[str, bool], list[Document]] = OrderedDict()
_KEPT = 16


def parse_documents(text: str, *, pure: bool = False) -> list[Document]:
    """The documents of `text` (ParseError if it is not YAML), read once per process while it is recent."""
    key = (text, pure)
    known = _READ.get(key)
    if known is None:
        known = _READ[key] = parse(text, pure=pure)
        if len(_READ) > _KEPT:
            _READ.popitem(last=False)
    else:
        _READ.move_to_end(key)
    return list(known)


def remember_scalar_edit(
    new_text: str, docs: list[Document], doc: Document, chain: list[tuple[Node, int]], raw: str
) -> list[Document] | None:
    """The trees of `new_text` without parsing it, when it differs from the parsed text
    only in one scalar rewritten in place at the same length and style (a date stamp, say); else None.

    `chain` leads from the root to the scalar: (collection, item index) per level. Nodes are never
    modified: the scalar and the collections above it are copied, everything else is shared.
    """
    old = chain[-1][0].items[chain[-1][1]]
    scalar = old[1] if isinstance(old, tuple) else old
    quote = raw[:1] if raw[:1] in ("'", '"') else None
    if (
        scalar.node_type != SCALAR
        or scalar.anchor
        or scalar.tag
        or len(raw) != scalar.end - scalar.start
        or quote != (scalar.style if scalar.style in ("'", '"') else None)
        or scalar.style not in (None, "'", '"')
        or any(c in raw for c in "\\\n\r#:")
        or (quote is None and not _plain(raw))
        or any(node.anchor for node, _ in chain)
    ):
        return None
    value = raw if quote is None else raw[1:-1]
    if quote == "'":
        value = value.replace("''", "'")
    elif quote == '"' and '"' in value:
        return None
    replacement = _copy(scalar)
    replacement.value = value
    for node, index in reversed(chain):
        parent = _copy(node)
        parent.items = list(node.items)
        item = parent.items[index]
        parent.items[index] = (item[0], replacement) if isinstance(item, tuple) else replacement
        replacement = parent
    documents = list(docs)
    documents[doc.index] = dataclasses.replace(doc, root=replacement)
    return documents


def _plain(raw: str) -> bool:
    """Whether `raw` reads as a plain scalar wherever it stands: no indicator first, no flow punctuation,
    no space at either end. `[]` or `{}` written over a two-letter scalar is a collection, not a scalar."""
    return (
        bool(raw) and raw[0] not in "-?,[]{}&*!|>'\"%@`" and not any(c in raw for c in "[]{},") and raw == raw.strip()
    )


def _copy(node: Node) -> Node:
    twin = Node.__new__(Node)
    for slot in Node.__slots__:
        setattr(twin, slot, getattr(node, slot))
    return twin
