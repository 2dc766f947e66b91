"""The parsed trees of the last few texts, shared: one request reads and edits the same texts a few times.

Trees are never modified after parsing, so a remembered tree is as good as a fresh parse.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from gitops_writer.yaml.syntax import SCALAR, Document, Node, parse

_RECENT: dict[tuple[str, bool], list[Document]] = {}
_WORTH_KEEPING = 16_384  # characters: smaller texts parse faster than they are looked up


def parse_documents(text: str, *, pure: bool = False) -> list[Document]:
    """`syntax.parse`, remembering the trees of the last few large texts."""
    if len(text) < _WORTH_KEEPING:
        return parse(text, pure=pure)
    key = (text, pure)
    documents = _RECENT.pop(key, None) or parse(text, pure=pure)
    _keep(key, documents)
    return documents


@contextmanager
def remembering(from_characters: int | None = None) -> Iterator[None]:
    """Testing hook: within it, keep the trees of texts from `from_characters` characters on (0: every
    text; sys.maxsize: none, every parse fresh; None: as in production), starting with nothing remembered."""
    global _WORTH_KEEPING
    saved = _WORTH_KEEPING
    _WORTH_KEEPING = saved if from_characters is None else from_characters
    _RECENT.clear()
    try:
        yield
    finally:
        _WORTH_KEEPING = saved
        _RECENT.clear()


def _keep(key: tuple[str, bool], documents: list[Document]) -> None:
    _RECENT[key] = documents  # most recently used last
    while len(_RECENT) > 4:
        del _RECENT[next(iter(_RECENT))]


def remember_scalar_edit(
    new_text: str, docs: list[Document], doc: Document, chain: list[tuple[Node, int]], raw: str
) -> list[Document] | None:
    """The trees of `new_text` without parsing it (and remembered), when it differs from the parsed text
    only in one scalar rewritten in place at the same length and style (a date stamp, say); else None.

    `chain` leads from the root to the scalar: (collection, item index) per level. Nodes are never
    modified: the scalar and the collections above it are copied, everything else is shared.
    """
    old = chain[-1][0].items[chain[-1][1]]
    scalar = old[1] if isinstance(old, tuple) else old
    quote = raw[:1] if raw[:1] in ("'", '"') else None
    if (
        scalar.kind != SCALAR
        or scalar.anchor
        or scalar.tag
        or len(raw) != scalar.end - scalar.start
        or quote != (scalar.style if scalar.style in ("'", '"') else None)
        or scalar.style not in (None, "'", '"')
        or any(c in raw for c in "\\\n\r#:")
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
    _keep((new_text, False), documents)
    return documents


def _copy(node: Node) -> Node:
    twin = Node.__new__(Node)
    for slot in Node.__slots__:
        setattr(twin, slot, getattr(node, slot))
    return twin
