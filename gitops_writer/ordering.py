"""The one "keep it sorted" rule, for map keys and list items in every format.

Sorted text lets parallel requests touch different lines, so their pull requests merge cleanly.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import cast

MIN_ENTRIES = 2  # one entry is sorted whatever it holds, so it shows no habit
_ORDERS: tuple[Callable[[str], str], ...] = (str, str.lower)  # exact order, then order ignoring case


def sorted_position(existing: Sequence[object], new: object) -> int:
    """Where `new` goes among `existing` (map keys or list items) so that a sorted run stays sorted.

    Only strings have an order here, and it takes at least two to show one: when every existing
    entry and the new one are strings, and the entries are in ascending order (exactly, or ignoring
    case), the new one goes after every entry it does not sort before. Anywhere else it goes last.
    """
    if len(existing) < MIN_ENTRIES or not isinstance(new, str):
        return len(existing)
    if not all(map(isinstance, existing, repeat(str))):
        return len(existing)
    strings = cast("Sequence[str]", existing)
    for order in _ORDERS:
        keys = list(map(order, strings))
        if keys == sorted(keys):
            return bisect_right(keys, order(new))
    return len(existing)
