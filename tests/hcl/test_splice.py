"""gitops_writer.hcl.splice: an edit as splices of the original bytes, in the container's own habits."""

from __future__ import annotations

from gitops_writer.hcl import splice
from gitops_writer.hcl.splice import Target
from gitops_writer.hcl.syntax import Container, body_container, container_of, parse

SRC = b'region = "eu-west-1"\n\nrepos = {\n  billing = { scan = true },\n  orders  = { scan = false },\n}\n'


def repos(src: bytes) -> Container:
    body = body_container(parse(src), src)
    found = container_of(body.elements[1].value)
    assert found is not None
    return found


def test_an_insert_copies_its_neighbours_one_line_objects_commas_and_alignment() -> None:
    container = repos(SRC)
    new = splice.apply(SRC, splice.insert(SRC, Target(container, "search", None, 2), {"scan": True}))
    assert new == SRC.replace(b"false },\n}", b"false },\n  search = { scan = true },\n}")


def test_a_replacement_touches_only_the_value() -> None:
    body = body_container(parse(SRC), SRC)
    target = Target(body, "region", body.elements[0], 0)
    assert splice.apply(SRC, splice.replace_value(SRC, target, "us-east-1")) == SRC.replace(b"eu-west-1", b"us-east-1")


def test_a_deletion_takes_the_whole_entry_line() -> None:
    container = repos(SRC)
    new = splice.apply(SRC, splice.delete(SRC, Target(container, "billing", container.elements[0], 0)))
    assert new == SRC.replace(b"  billing = { scan = true },\n", b"")


def test_splices_apply_from_the_end_so_offsets_hold() -> None:
    assert splice.apply(b"abcdef", [(0, 1, "X"), (4, 6, "YZW")]) == b"XbcdYZW"
