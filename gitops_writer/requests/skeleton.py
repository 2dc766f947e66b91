"""A governance catalog the repository does not have yet, as the seed's own workflow would start it."""

from __future__ import annotations

from collections.abc import Sequence

from gitops_writer.pointer import parse_pointer
from gitops_writer.values import JSONValue


def skeleton_text(parents: Sequence[str], stamp: str, date: str) -> str:
    """A YAML file holding the empty map an entry goes into (`repositories: {}`), and the stamp field dated."""
    from gitops_writer.yaml.render import Style, block_lines, join

    data: dict[str, JSONValue] = {}
    if stamp:
        *above, last = parse_pointer(stamp)
        holder = data
        for token in above:
            holder = _child(holder, token)
        holder[last] = date
    holder = data
    for token in parents[:-1]:
        holder = _child(holder, token)
    if parents:
        holder.setdefault(parents[-1], {})
    return join(block_lines(data, 0, Style(2, 2, "\n")), Style())


def _child(holder: dict[str, JSONValue], token: str) -> dict[str, JSONValue]:
    child = holder.setdefault(token, {})
    assert isinstance(child, dict), f"{token} is a container along the stamp's and the entry's paths"
    return child
