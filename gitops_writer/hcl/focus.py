"""A large tfvars read without parsing what an edit never looks at.

A request edits one entry of a map that can hold thousands. Finding the entry's place needs every
key; writing it like its siblings needs the insides of the few entries beside it, and nothing else.
`hidden` finds, by a light scan, the insides of every collection one level inside a top-level
attribute's value (each entry of such a map, each item of such a list). Tree-sitter parses the text
without them (its included ranges): every key, every position and all the text between entries are
in that tree, each hidden collection reads as empty, and `syntax.reveal` parses the few an edit looks
at back in, reusing the rest of the tree.

A text the scan is not sure of (an interpolation, a string or comment left open, brackets that do
not pair) gets None, and is parsed whole.
"""

from __future__ import annotations

import re

from tree_sitter import Range

Gap = tuple[int, int]  # the bytes between a collection's brackets, left out of the parse

# What can hold a bracket that is not one: strings, comments, heredocs and block comments (whose ends
# are searched for once: a pattern spanning them would try again from every opening left unclosed);
# and the brackets themselves. A lone quote is a string left open; a lone `/` or `<` is punctuation.
_TOKEN = re.compile(rb'"(?:[^"\\\n]|\\.)*+"|#[^\n]*+|//[^\n]*+|/\*|<<-?[A-Za-z_][\w-]*+\r?\n|[{}\[\]()"/<]')
# A text none of whose strings holds a bracket, an escape or a template, whose comments hold no
# bracket and no quote, with no heredoc, no block comment and an even number of quotes on every line,
# has only brackets that are brackets: they are paired without reading strings and comments token by
# token (two thirds of the scan of a large map). A match may be a false alarm (the span between two
# strings, a `#` inside a string); it only sends the text to the exact scan.
_UNSURE = (
    re.compile(rb'"[^"\n{}\[\]()\\$%]*+[{}\[\]()\\$%][^"\n]*+"'),  # a string holding one of those
    # a comment holding one, or a false alarm: a line's rest from its first `#` or `//` (one try a line)
    re.compile(rb'^[^#/\n]*+(?:/(?!/)[^#/\n]*+)*+(?:#|//)[^\n{}\[\]()"]*+[{}\[\]()"]', re.MULTILINE),
)
_BESIDES_QUOTES = bytes(byte for byte in range(256) if byte not in b'"\n')  # deleted: quotes by line remain
_BRACKET = re.compile(rb"[{}\[\]()]")
_CLOSER = {ord("{"): ord("}"), ord("["): ord("]"), ord("("): ord(")")}
_QUOTE, _SLASH, _ANGLE, _HASH, _PAREN_CLOSE = b'"/<#)'


def hidden(src: bytes) -> list[Gap] | None:
    """The insides of the `{...}` and `[...]` that open one level inside a top-level attribute's value
    (empty ones are not listed); None when the scan cannot be sure where every bracket pairs."""
    odd_quotes = b'"' in src.translate(None, _BESIDES_QUOTES).replace(b'""', b"")  # on some line
    plain = b"<<" not in src and b"/*" not in src and not odd_quotes and not any(u.search(src) for u in _UNSURE)
    return scan(src, _BRACKET if plain else _TOKEN)


def scan(src: bytes, tokens: re.Pattern[bytes] = _TOKEN) -> list[Gap] | None:
    """`hidden`, reading the text as `tokens` splits it."""
    gaps: list[Gap] = []
    closers: list[int] = []
    opened: list[int] = []
    position: int | None = 0
    while position is not None:
        resume: int | None = None
        for match in tokens.finditer(src, position):
            start, end = match.span()
            first = src[start]
            if first == _QUOTE:
                if end - start == 1 or b"${" in src[start:end] or b"%{" in src[start:end]:
                    return None  # left open, or a template whose braces the scan does not pair
            elif first == _ANGLE:
                if end - start > 1:  # a heredoc: skip to its closing marker
                    marker = src[start:end].lstrip(b"<-").strip()
                    closing = re.compile(rb"^[ \t]*" + re.escape(marker) + rb"[ \t]*\r?$", re.MULTILINE)
                    found = closing.search(src, end)
                    if found is None:
                        return None
                    resume = found.end()
                    break
            elif first == _SLASH:
                if src[start:end] == b"/*":  # a block comment: skip past its end
                    close = src.find(b"*/", end)
                    if close < 0:
                        return None
                    resume = close + 2
                    break
            elif first in _CLOSER:
                closers.append(_CLOSER[first])
                opened.append(end)
            elif first != _HASH:
                if not closers or closers.pop() != first:
                    return None
                inside = opened.pop()
                if len(closers) == 1 and first != _PAREN_CLOSE and start > inside:
                    gaps.append((inside, start))
        position = resume
    return None if closers else gaps


def included(src: bytes, gaps: list[Gap]) -> list[Range]:
    """The ranges tree-sitter parses: all of `src` but the gaps (sorted, apart)."""
    ranges: list[Range] = []
    start, row, line_start = 0, 0, 0
    for gap_start, gap_end in [*gaps, (len(src), len(src))]:
        end_row = row + src.count(b"\n", start, gap_start)
        end_line_start = src.rfind(b"\n", 0, gap_start) + 1 if end_row != row else line_start
        ranges.append(Range((row, start - line_start), (end_row, gap_start - end_line_start), start, gap_start))
        row = end_row + src.count(b"\n", gap_start, gap_end)
        line_start = src.rfind(b"\n", 0, gap_end) + 1 if row != end_row else end_line_start
        start = gap_end
    return ranges


def gaps_of(ranges: list[Range]) -> list[Gap]:
    """The gaps between included ranges."""
    return [(a.end_byte, b.start_byte) for a, b in zip(ranges, ranges[1:], strict=False) if b.start_byte > a.end_byte]
