"""gitops_writer.hcl.align: `=` padded again where terraform fmt had aligned the lines an edit touched."""

from __future__ import annotations

from gitops_writer.hcl import splice
from gitops_writer.hcl.align import alignment
from gitops_writer.hcl.splice import Target
from gitops_writer.hcl.syntax import body_container, parse


def inserted(src: bytes, key: str, value: str) -> bytes:
    body = body_container(parse(src), src)
    splices = splice.insert(src, Target(body, key, None, len(body.elements)), value)
    new = splice.apply(src, splices)
    padding = alignment(src, new, [(body, body_container(parse(new), new))], splices)
    return splice.apply(new, padding)


def test_a_longer_key_joining_an_aligned_run_realigns_it() -> None:
    src = b'a   = "1"\nbbb = "2"\n'
    assert inserted(src, "cccccc", "3") == b'a      = "1"\nbbb    = "2"\ncccccc = "3"\n'


def test_a_run_that_was_not_aligned_is_left_as_written() -> None:
    src = b'a = "1"\nbbb   = "2"\n'
    assert inserted(src, "cc", "3") == b'a = "1"\nbbb   = "2"\ncc = "3"\n'
