"""Format-preserving get/set/remove on HCL native syntax (tfvars): locate, splice, verify."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tree_sitter import Tree

from gitops_writer.errors import (
    ConflictError,
    DuplicateKeyError,
    NotFoundError,
    ParseError,
    UnsupportedError,
    UsageError,
    VerificationError,
)
from gitops_writer.hcl import splice
from gitops_writer.hcl.align import alignment
from gitops_writer.hcl.decode import Expression, HclValue, decode, decode_key
from gitops_writer.hcl.render import check_normalized, is_identifier
from gitops_writer.hcl.syntax import (
    Container,
    Element,
    body_container,
    container_of,
    hides,
    outline,
    parse,
    reparse,
    reveal,
    text_of,
)
from gitops_writer.ordering import sorted_position
from gitops_writer.pointer import format_pointer, nest, parse_index
from gitops_writer.values import JSONValue, check_value, locate, same_value

Target = splice.Target


class HclEditor:
    """get/set/insert/remove at a JSON Pointer in HCL native syntax, as text in, text out.

    Every edit is a splice (plus the `=` alignment terraform fmt would redo), re-parsed and compared
    with the intended data before it is returned; anything else raises and changes nothing.
    """

    def __init__(self) -> None:
        self._text = b""  # the text this editor last read
        self._views: list[tuple[Tree, dict[int, Container | None]]] = []  # its trees, and their containers by node id
        self._revealed: dict[tuple[int, int], Tree] = {}  # its outline with the entries between two bytes parsed in

    def _containers(self, src: bytes, tree: Tree) -> dict[int, Container | None]:
        """The containers of `tree` read so far (and their decoded keys), kept for the next read or edit."""
        self._reading(src)
        for known, containers in self._views:
            if known is tree:
                return containers
        self._views.append((tree, {}))
        return self._views[-1][1]

    def _reading(self, src: bytes) -> None:
        if src != self._text:
            self._text, self._views, self._revealed = src, [], {}

    def _located(self, src: bytes, path: Sequence[str], *, creating: bool = False) -> tuple[Tree, list[Target]]:
        """The targets along `path`, on a tree that holds all an edit there looks at.

        In a large map or list that is every key, but of the entries only the insides of the target
        and of the siblings whose style the edit copies (see focus.py); anything else is parsed whole.
        """
        tree = outline(src) if len(path) > 1 else None
        if tree is not None:
            first = _resolve(src, tree, path[:2], creating=True, containers=self._containers(src, tree))
            window = _window(first[-1]) if len(first) == 2 else None
            if window is not None:
                revealed = self._revealed.get(window)
                if revealed is None:
                    revealed = self._revealed[window] = reveal(src, tree, *window)
                containers = self._containers(src, revealed)
                entry = body_container(revealed, src).elements[first[0].index]
                if entry.value.id not in containers:  # built once per tree, its keys the outline's
                    containers[entry.value.id] = _with_keys(container_of(entry.value), first[-1].container)
                targets = _resolve(src, revealed, path, creating=creating, containers=containers)
                if not hides(revealed, *(_window(targets[1]) or window)):
                    return revealed, targets
        tree = parse(src)
        return tree, _resolve(src, tree, path, creating=creating, containers=self._containers(src, tree))

    def get(self, text: str, path: Sequence[str]) -> JSONValue:
        src = text.encode("utf-8")
        target = self._located(src, path)[1][-1]
        if target.element is None:
            raise NotFoundError(f"{format_pointer(path)}: not found")
        return _jsonable(decode(src, target.element.value))

    def locate_item(self, text: str, path: Sequence[str], value: JSONValue) -> tuple[int | None, int]:
        """Where `value` stands in the list at `path` (see `values.locate`); NotFoundError if it holds no list."""
        items = self.get(text, path)
        if not isinstance(items, list):
            raise NotFoundError(f"{format_pointer(path)}: not a list")
        return locate(items, value)

    def set(self, text: str, path: Sequence[str], value: JSONValue, *, overwrite: bool = True) -> str:
        check_value(value)
        check_normalized(path, value)
        src = text.encode("utf-8")
        tree, targets = self._located(src, path, creating=True)
        depth = next((i for i, t in enumerate(targets) if t.element is None), None)
        if depth is None:
            target = targets[-1]
            assert target.element is not None
            if same_value(decode(src, target.element.value), value):
                return text
            if not overwrite:
                raise ConflictError(
                    f"{format_pointer(path)}: already set (use set without --no-overwrite to replace it)"
                )
            return _finish(src, tree, path, targets, "replace", value, splice.replace_value(src, target, value))
        created = nest(path[depth + 1 :], value)
        target = targets[depth]
        return _finish(
            src, tree, path[: depth + 1], targets[: depth + 1], "insert", created, splice.insert(src, target, created)
        )

    def insert(self, text: str, path: Sequence[str], value: JSONValue) -> str:
        """Insert a list item before index path[-1] (`-`: after the last); later items move down."""
        check_value(value)
        check_normalized(path, value)
        src = text.encode("utf-8")
        where = format_pointer(path)
        if len(path) < 2:
            raise UsageError(f"{where}: insert needs a pointer to a list index, such as /subnets/0")
        tree, targets = self._located(src, path[:-1])
        element = targets[-1].element
        assert element is not None
        container = container_of(element.value)
        if container is None or container.container_type != "tuple":
            raise ConflictError(f"{format_pointer(path[:-1])}: not a list, cannot insert into it")
        index = parse_index(path[-1], len(container.elements), allow_append=True, where=where)
        if index > len(container.elements):
            raise NotFoundError(f"{where}: index out of range (the list has {len(container.elements)} elements)")
        target = Target(container, str(index), None, index)
        return _finish(
            src, tree, (*path[:-1], str(index)), [*targets, target], "insert", value, splice.insert(src, target, value)
        )

    def remove(self, text: str, path: Sequence[str]) -> str:
        src = text.encode("utf-8")
        tree, targets = self._located(src, path)
        if targets[-1].element is None:
            raise NotFoundError(f"{format_pointer(path)}: not found, nothing to remove")
        return _finish(src, tree, path, targets, "delete", None, splice.delete(src, targets[-1]))


def _window(target: Target) -> tuple[int, int] | None:
    """The bytes of the entries an edit at `target` reads: its own and its neighbours' on each side."""
    elements = target.container.elements
    if not elements:
        return None
    first = elements[max(0, target.index - splice.NEIGHBOURS - 1)]
    last = elements[min(len(elements), target.index + splice.NEIGHBOURS + 1) - 1]
    return first.node.start_byte, last.node.end_byte


def _with_keys(container: Container | None, keys_from: Container) -> Container | None:
    """The container, with the keys of the same container read in another tree of the same text."""
    if container is not None and keys_from.keys is not None and len(container.elements) == len(keys_from.elements):
        container.keys = keys_from.keys
    return container


def _jsonable(value: HclValue) -> JSONValue:
    if isinstance(value, Expression):
        return value.to_json()
    if isinstance(value, dict):
        return {str(_jsonable(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _resolve(
    src: bytes,
    tree: Tree,
    path: Sequence[str],
    *,
    creating: bool = False,
    containers: dict[int, Container | None] | None = None,
) -> list[Target]:
    """One Target per pointer token, as far as the path exists (with `creating`, up to the first absent one).

    `containers` keeps the tree's containers (and their decoded keys) for the next read or edit of the
    same text: a lookup, then the edit beside it, walk a 5,000-entry map once.
    """
    if not path:
        raise UsageError("the pointer must name a top-level attribute, e.g. /ecr_repositories")
    known = {} if containers is None else containers
    root = tree.root_node.id
    if root not in known:
        known[root] = body_container(tree, src)
    container = known[root]
    assert container is not None
    targets: list[Target] = []
    for depth, token in enumerate(path):
        where = format_pointer(path[: depth + 1])
        if container.container_type == "tuple":
            size = len(container.elements)
            index = parse_index(token, size, allow_append=creating and depth == len(path) - 1, where=where)
            if index > size or (index == size and not creating):
                raise NotFoundError(f"{where}: index out of range (the list has {size} elements)")
            element = container.elements[index] if index < size else None
        else:
            if depth == 0 and not is_identifier(token):
                raise UsageError(f"{where}: {token!r} is not a valid top-level attribute name")
            index, element = _find_key(src, container, token, format_pointer(path[:depth]) or "the file")
        targets.append(Target(container, token, element, index))
        if element is None:
            if not creating:
                raise NotFoundError(f"{where}: not found")
            return targets
        if depth + 1 < len(path):
            node = element.value
            if node.id not in known:
                known[node.id] = container_of(node)
            child = known[node.id]
            if child is None:
                found = decode(src, element.value)
                if isinstance(found, Expression):
                    raise UnsupportedError(
                        f"{where}: holds a Terraform expression ({found.text[:40]}), not an object or list"
                    )
                raise ConflictError(f"{where}: holds a {type(found).__name__}, not an object or list")
            container = child
    return targets


def keys_of(src: bytes, container: Container) -> list[HclValue]:
    """The container's keys (indices for a list), decoded once per container and then reused."""
    if container.keys is None:
        if container.container_type == "tuple":
            container.keys = list(range(len(container.elements)))
        else:
            container.keys = [_key(src, container, element) for element in container.elements]
    return list(container.keys)


def _key(src: bytes, container: Container, element: Element) -> HclValue:
    assert element.key_node is not None, "only list items have no key"
    return text_of(src, element.key_node) if container.container_type == "body" else decode_key(src, element.key_node)


def _find_key(src: bytes, container: Container, token: str, where: str) -> tuple[int, Element | None]:
    keys = keys_of(src, container)
    if len(set(keys)) != len(keys):
        seen: set[Any] = set()
        twice = next(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        lines = [e.node.start_point[0] + 1 for k, e in zip(keys, container.elements, strict=True) if k == twice]
        raise DuplicateKeyError(where, str(twice), lines)
    if token in keys:
        index = keys.index(token)
        return index, container.elements[index]
    if container.container_type == "body":
        return len(keys), None
    return sorted_position(keys, token), None


def _finish(
    src: bytes,
    tree: Tree,
    path: Sequence[str],
    targets: list[Target],
    action: str,
    value: JSONValue,
    splices: list[splice.Splice],
) -> str:
    """Apply the splices, re-pad fmt alignment, and prove the result reads back as intended."""
    where = format_pointer(path)
    new = splice.apply(src, splices)
    new_tree = _reparse(src, tree, new, splices, where)
    chain = _chain(new, new_tree, path[:-1], where)
    pairs = [(targets[-1].container, chain[-1])]
    if len(targets) > 1:
        pairs.append((targets[-2].container, chain[-2]))
    padding = alignment(src, new, pairs, splices)
    if padding:
        padded = splice.apply(new, padding)
        new_tree = _reparse(new, new_tree, padded, padding, where)
        new = padded
        chain = _chain(new, new_tree, path[:-1], where)
    _verify(src, new, targets[-1], chain[-1], action, value, splices, where)
    return new.decode("utf-8")


def _reparse(old: bytes, tree: Tree, new: bytes, splices: list[splice.Splice], where: str) -> Tree:
    try:
        return reparse(old, tree, new, min(s[0] for s in splices), max(s[1] for s in splices))
    except ParseError as exc:  # anything else is a bug of ours, to surface as an internal error (exit 3)
        raise VerificationError(f"{where}: the edit would not parse ({exc}); nothing was written") from None


def _chain(src: bytes, tree: Tree, prefix: Sequence[str], where: str) -> list[Container]:
    """The containers along `prefix` in the edited text: the body first, the edited container last."""
    chain = [body_container(tree, src)]
    for depth, token in enumerate(prefix):
        container = chain[-1]
        if container.container_type == "tuple":
            element = container.elements[int(token)] if int(token) < len(container.elements) else None
        else:
            element = _find_key(src, container, token, format_pointer(prefix[:depth]) or "the file")[1]
        child = container_of(element.value) if element is not None else None
        if child is None:
            raise VerificationError(
                f"{where}: the edit lost {format_pointer(prefix[: depth + 1])}; nothing was written"
            )
        chain.append(child)
    return chain


def _verify(
    src: bytes,
    new: bytes,
    target: Target,
    container: Container,
    action: str,
    value: JSONValue,
    splices: list[splice.Splice],
    where: str,
) -> None:
    """The edited container holds the old entries, byte for byte, plus exactly the intended change.

    Outside the container only the spaces of fmt alignment may differ.
    """
    failed = f"{where}: the edited file does not read back as intended; nothing was written"
    old = target.container
    deleted = (
        next(((a, b) for a, b, _ in splices if a <= target.element.node.start_byte < b), None)
        if target.element
        else None
    )
    if _between_elements(src, old, deleted) != _between_elements(new, container, None):
        raise VerificationError(failed)
    old_elements: list[Element | None] = list(old.elements)
    old_keys: list[Any] = keys_of(src, old)
    if action == "insert":
        old_elements.insert(target.index, None)
        old_keys.insert(target.index, target.token if old.container_type != "tuple" else None)
    elif action == "delete":
        del old_elements[target.index], old_keys[target.index]
    else:
        old_elements[target.index] = None
    if len(container.elements) != len(old_elements):
        raise VerificationError(failed)
    if old.container_type == "tuple":
        old_keys = list(range(len(old_keys)))
    new_keys: list[Any] = []
    for index, (before, after) in enumerate(zip(old_elements, container.elements, strict=True)):
        if before is not None and text_of(src, before.node) == text_of(new, after.node):
            new_keys.append(old_keys[index])  # the same text: the same key and value
            continue
        new_keys.append(index if container.container_type == "tuple" else _key(new, container, after))
        if before is None:
            if not same_value(decode(new, after.value), value):
                raise VerificationError(failed)
        elif not same_value(decode(src, before.value), decode(new, after.value)):
            raise VerificationError(failed)
    if new_keys != old_keys or len(set(new_keys)) != len(new_keys):
        raise VerificationError(failed)


def _between_elements(src: bytes, container: Container, deleted: tuple[int, int] | None) -> bytes:
    """Everything but the container's elements, the deleted lines and whitespace: comments, blocks, brackets."""
    if deleted is not None:
        src = src[: deleted[0]] + b" " * (deleted[1] - deleted[0]) + src[deleted[1] :]
    pieces, position = [], 0
    for element in container.elements:
        pieces.append(src[position : element.node.start_byte])
        position = element.node.end_byte
    pieces.append(src[position:])
    return (
        b"".join(pieces)
        .replace(b"\t", b"")
        .replace(b" ", b"")
        .replace(b"\r", b"")
        .replace(b"\n", b"")
        .replace(b",", b"")
    )
