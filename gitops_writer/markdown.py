"""Text shown in Markdown (pull request bodies, step summaries) so that it renders as itself, never as markup."""

from __future__ import annotations


def escape(text: str) -> str:
    """Text that renders as written: no HTML, no links, no table cell ends."""
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;").replace("[", "\\[").replace("]", "\\]")


def code(value: str) -> str:
    """A code span holding any text on one line: long enough a fence, table pipes escaped."""
    text = " ".join(str(value).split()).replace("|", "\\|")
    fence = _fence(text, "`")
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def block(text: str, info: str = "") -> str:
    """A fenced code block holding `text` as written, whatever backticks it holds."""
    fence = _fence(text, "```")
    return f"{fence}{info}\n{text}{'' if text.endswith(chr(10)) else chr(10)}{fence}\n"


def _fence(text: str, shortest: str) -> str:
    """Backticks enough that no run of them in `text` closes the fence."""
    fence = shortest
    while fence in text:
        fence += "`"
    return fence
