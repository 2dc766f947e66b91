"""Reading what someone else made, the one way every reader does it.

A repository, a config, a journal, a fields file: each may hold a symlink out of the tree, a device, a
FIFO, a huge file, or text nested deep enough to make a parser quadratic or recursive. Here a path
is confined to its tree, only a regular file is read (never through a final symlink unless the
operator named it, never blocking on a FIFO), its size is capped, and its nesting is measured before
any parser sees it. Each refusal is one line naming the file.
"""

from __future__ import annotations

import errno
import json
import operator
import os
import re
import stat
from itertools import accumulate, repeat
from pathlib import Path, PurePosixPath

from gitops_writer.errors import GitopsWriterError, ParseError, ValidationError
from gitops_writer.values import JSONValue

LIMIT = 64 * 1024 * 1024  # bytes: far above any tfvars or catalog file, far below what hurts
MAX_NESTING = 1_000  # levels of YAML or JSON nesting, checked before parsing
_BRACKETS = re.compile(r"[\[\]{}]")
_HCL_BRACKETS = re.compile(rb"[\[\]{}()\n]")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # a string, as _refuse_deep_json reads it
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}()")
_STEPS = bytes(2 if byte in b"[{(" else 0 for byte in range(256))  # a step plus one: ( [ { 2, ) ] } 0


def confined(relative: str) -> PurePosixPath:
    """A POSIX path relative to a tree that can only name something in it, never in `.git/`; else ValidationError."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relative or "\x00" in relative or not pure.parts:
        raise ValidationError("path", f"{relative!r} is not a path inside the repository")
    if any(part.lower() == ".git" for part in pure.parts):
        raise ValidationError("path", f"{relative!r} is inside .git/; gitops-writer never touches git's own files")
    return pure


def inside(root: Path, relative: str, shown: str | None = None) -> tuple[Path, Path]:
    """(the path itself, a symlink not followed; the real path it leads to), both inside `root` and out of `.git/`.

    `root` is resolved; `relative` is a POSIX path relative to it, as a repository, a kind or a
    journal names a file.
    """
    name = shown or relative
    pure = confined(relative)
    link = (root / pure).parent.resolve() / pure.name
    real = link.resolve()
    for candidate in (link.parent, real):
        if os.path.commonpath([candidate, root]) != str(root):
            raise GitopsWriterError(f"{name}: resolves outside the repository (a symlink?); refusing to touch it")
        if any(part.lower() == ".git" for part in candidate.relative_to(root).parts):
            raise GitopsWriterError(f"{name}: leads into .git/ (a symlink?); refusing to touch it")
    return link, real


def read_bytes(path: Path, shown: str | None = None, *, follow: bool = False) -> bytes:
    """A regular file's bytes, at most LIMIT; `follow` a final symlink only for a path the operator named."""
    name = shown or str(path)
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0) | (0 if follow else os.O_NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise GitopsWriterError(f"{name}: no such file") from None
    except PermissionError:
        raise GitopsWriterError(f"{name}: permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise GitopsWriterError(f"{name}: is a symlink; refusing to follow it") from None
        raise GitopsWriterError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise GitopsWriterError(f"{name}: is a directory")
        if not stat.S_ISREG(mode):
            raise GitopsWriterError(f"{name}: is not a regular file (a device, FIFO or socket?); refusing to read it")
        chunks, size = [], 0
        while size <= LIMIT:
            chunk = os.read(fd, min(1 << 20, LIMIT + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > LIMIT:
            raise GitopsWriterError(f"{name}: is larger than {LIMIT // (1024 * 1024)} MiB; refusing to read it")
        return b"".join(chunks)
    except OSError as exc:
        raise GitopsWriterError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def read_text(path: Path, shown: str | None = None, *, follow: bool = False) -> str:
    """A regular file's UTF-8 text (see `read_bytes`), its byte order mark kept as U+FEFF."""
    return decode(read_bytes(path, shown, follow=follow), shown or str(path))


def decode(data: bytes, path: str) -> str:
    """UTF-8 text with a BOM kept as U+FEFF, so a write puts it back."""
    if b"\x00" in data:
        raise ParseError("file holds a NUL byte; refusing to edit a binary file").at(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError("file is not valid UTF-8", line, column).at(path) from None


class TooDeep(ValueError):
    """Text nested deeper than MAX_NESTING: a ValueError, as json's own decoding errors are."""

    def __init__(self, line: int) -> None:
        self.line = line
        super().__init__(f"nested too deeply (more than {MAX_NESTING} levels)")


def refuse_deep_yaml(text: str) -> None:
    """Raise TooDeep before a YAML parser sees text nested too deep; brackets in strings count too.

    A bound from above: flow brackets still open, plus each line's indentation and its leading `- `
    and `? ` indicators (each opens a block collection).
    """
    opens = text.count("[") + text.count("{")
    if opens <= MAX_NESTING and not re.search(f"^[ ?-]{{{MAX_NESTING - opens + 1}}}", text, re.MULTILINE):
        return  # the common case, at the speed of a search
    flow = 0
    for number, line in enumerate(text.splitlines(), 1):
        body = line.lstrip(" ")
        block = len(line) - len(body)
        while body[:2] in ("- ", "? ") or body in ("-", "?"):
            block += 1
            body = body[2:].lstrip(" ")
        if flow + block > MAX_NESTING:
            raise TooDeep(number)
        for bracket in _BRACKETS.findall(body):
            if bracket in "[{":
                flow += 1
                if flow + block > MAX_NESTING:
                    raise TooDeep(number)
            elif flow:
                flow -= 1


def refuse_deep_hcl(src: bytes) -> None:
    """Raise TooDeep before tree-sitter sees HCL nested too deep for the recursive walks over its tree."""
    if sum(src.count(bracket) for bracket in (b"[", b"{", b"(")) <= MAX_NESTING or _deepest(src) <= MAX_NESTING:
        return
    depth, line = 0, 1
    for match in _HCL_BRACKETS.finditer(src):
        char = match[0]
        if char == b"\n":
            line += 1
        elif char in b"[{(":
            depth += 1
            if depth > MAX_NESTING:
                raise TooDeep(line)
        elif depth:
            depth -= 1


def loads_json(text: str) -> JSONValue:
    """`json.loads`, refusing text nested too deep with TooDeep (a ValueError) before decoding it."""
    if text.count("[") + text.count("{") > MAX_NESTING and _deepest(_JSON_STRING.sub("", text).encode()) > MAX_NESTING:
        _refuse_deep_json(text)  # finds the line
    try:
        value: JSONValue = json.loads(text)
    except RecursionError:  # the interpreter's own limit may be nearer than MAX_NESTING
        raise TooDeep(1) from None
    return value


def _deepest(text: bytes) -> int:
    """How deep the brackets of `text` nest, each closing one ignored at depth 0 (as the walks that
    name the line count them), in C loops: a file of many brackets within the limit is common."""
    depths = list(accumulate(map(operator.sub, text.translate(None, _NOT_BRACKETS).translate(_STEPS), repeat(1))))
    lowest = accumulate(depths, min, initial=0)  # a closing one below 0 was ignored: count from the lowest
    return max(0, max(map(operator.sub, depths, lowest), default=0))


def _refuse_deep_json(text: str) -> None:
    depth, line = 0, 1
    quoted = escaped = False
    for char in text:
        if quoted:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise TooDeep(line)
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line += 1
