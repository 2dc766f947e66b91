"""The README's tables of the action's inputs and outputs, generated from action.yml.

`python -m tests.action_tables` rewrites them in README.md; tests/test_readme.py fails while they differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "<!-- action-tables: generated from action.yml by `python -m tests.action_tables` -->"
END = "<!-- /action-tables -->"


def _cell(text: Any) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render() -> str:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    lines = ["| Input | Default | What it is |", "| --- | --- | --- |"]
    for name, spec in action["inputs"].items():
        default = spec.get("default", "")
        shown = f"`{_cell(default)}`" if default not in ("", None) else ("required" if spec.get("required") else "")
        lines.append(f"| `{name}` | {shown} | {_cell(spec.get('description', ''))} |")
    lines += ["", "| Output | What it is |", "| --- | --- |"]
    for name, spec in action["outputs"].items():
        lines.append(f"| `{name}` | {_cell(spec.get('description', ''))} |")
    return "\n".join([BEGIN, *lines, END])


def in_readme(text: str) -> str | None:
    match = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), text, re.S)
    return match.group(0) if match else None


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    current = in_readme(text)
    if current is None:
        raise SystemExit(f"README.md has no {BEGIN} ... {END} block to rewrite")
    readme.write_text(text.replace(current, render()))


if __name__ == "__main__":
    main()
