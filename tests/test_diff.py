"""unified_diff: git-style headers, absolute hunk line numbers, files without a final line break; every diff applies."""

from __future__ import annotations

import difflib

import pytest

from gitops_writer.diff import unified_diff
from gitops_writer.repo.files import FileChange


def plain(change: FileChange) -> str:
    """The diff as difflib computes it over every line of both files."""
    lines = difflib.unified_diff(
        (change.old or "").splitlines(keepends=True),
        (change.new or "").splitlines(keepends=True),
        fromfile="/dev/null" if change.old is None else f"a/{change.path}",
        tofile="/dev/null" if change.new is None else f"b/{change.path}",
        lineterm="",
        n=3,
    )
    out = []
    for line in lines:
        if line.startswith(("---", "+++", "@@")):
            out.append(line + "\n")
        else:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def test_a_one_line_change_deep_in_a_long_file_has_absolute_line_numbers() -> None:
    old = "".join(f"line {i}\n" for i in range(1, 1001))
    new = old.replace("line 500\n", "line five hundred\n")
    diff = unified_diff([FileChange("/big.txt", old, new)])
    assert diff == (
        "--- a/big.txt\n+++ b/big.txt\n@@ -497,7 +497,7 @@\n line 497\n line 498\n line 499\n"
        "-line 500\n+line five hundred\n line 501\n line 502\n line 503\n"
    )
    assert diff == plain(FileChange("big.txt", old, new))


def test_created_deleted_and_unterminated_files() -> None:
    cases = [
        FileChange("n.yaml", None, "a: 1\n"),
        FileChange("n.yaml", "a: 1\n", None),
        FileChange("n.yaml", "a: 1", "a: 1\nb: 2"),
        FileChange("n.yaml", "x\n" * 20 + "a: 1", "x\n" * 20 + "a: 2"),
    ]
    for change in cases:
        assert unified_diff([change]) == plain(change)
    assert "\\ No newline at end of file\n" in unified_diff([cases[3]])
    assert unified_diff([FileChange("e.yaml", None, "")]) == ""
    assert unified_diff([FileChange("same.yaml", "a\n", "a\n")]) == ""


def test_several_files_in_order() -> None:
    changes = [FileChange("one.yaml", "a\n", "b\n"), FileChange("two.yaml", "c\n", "c\nd\n")]
    assert unified_diff(changes) == "".join(plain(c) for c in changes)


# --- the diff must apply: whatever the texts, old + diff == new ------------------------------

import re  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def apply(old: str, diff: str) -> str:
    """A strict unified-diff applier: every context and removed line must match exactly."""
    old_lines = old.split("\n")
    old_lines = [line + "\n" for line in old_lines[:-1]] + ([old_lines[-1]] if old_lines[-1] else [])
    lines = diff.split("\n")[2:]  # past the --- and +++ headers
    result: list[str] = []
    position = 0
    i = 0
    while i < len(lines) and lines[i]:
        match = _HUNK.match(lines[i])
        assert match, lines[i]
        start, count = int(match.group(1)), int(match.group(2) if match.group(2) is not None else 1)
        begin = start - 1 if count else start
        result.extend(old_lines[position:begin])
        position = begin
        i += 1
        while i < len(lines) and lines[i] and not lines[i].startswith("@@"):
            mark, text = lines[i][0], lines[i][1:] + "\n"
            if i + 1 < len(lines) and lines[i + 1] == "\\ No newline at end of file":
                text = text[:-1]
                i += 1
            if mark in " -":
                assert old_lines[position] == text, (position, old_lines[position], text)
                position += 1
            if mark in " +":
                result.append(text)
            i += 1
    result.extend(old_lines[position:])
    return "".join(result)


texts = st.lists(
    st.sampled_from(["a\n", "b\n", "}\n", "  }\n", "\n", "x = 1\r\n", "key: value\n", "c"]), max_size=40
).map("".join)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(texts)
    new = old
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(new)))
        end = draw(st.integers(start, min(len(new), start + 20)))
        new = new[:start] + draw(texts) + new[end:]
    return old, new


@settings(max_examples=400, deadline=None)
@given(pair=edited())
def test_every_diff_applies(pair: tuple[str, str]) -> None:
    old, new = pair
    diff = unified_diff([FileChange("f.txt", old, new)])
    assert (diff == "") == (old == new)
    if diff:
        assert apply(old, diff) == new


def test_git_applies_the_diff_of_a_request(tmp_path: Path) -> None:
    old = "".join(f"  entry-{i} = {i}\n" for i in range(50)) + "}\n"
    new = old.replace("  entry-20 = 20\n", "  entry-20 = 20\n  entry-20a = 1\n").replace("}\n", "}")
    (tmp_path / "f.txt").write_text(old)
    patch = tmp_path / "change.diff"
    patch.write_text(unified_diff([FileChange("f.txt", old, new)]))
    subprocess.run(["git", "apply", "--unsafe-paths", str(patch)], cwd=tmp_path, check=True)
    assert (tmp_path / "f.txt").read_text() == new


@settings(max_examples=400, deadline=None)
@given(pair=edited())
def test_every_diff_applies_when_regions_are_split(pair: tuple[str, str]) -> None:
    """The same with the split-up paths for large regions taken on every region (in-place runs, unique lines)."""
    import gitops_writer.diff as diff

    saved = diff.SMALL
    diff.SMALL = 1
    try:
        test_every_diff_applies.hypothesis.inner_test(pair)  # type: ignore[attr-defined]
    finally:
        diff.SMALL = saved


@pytest.mark.parametrize(
    "below", ["  entry-15000: 15000\n  x: 1\n", "  entry-15000: 99999\n"], ids=["insert", "change"]
)
def test_lines_are_split_off_only_around_the_edits(monkeypatch: pytest.MonkeyPatch, below: str) -> None:
    """A date stamp at the top and an entry far below: the equal run between them is found by comparing
    text, and no line list is made of the run or of anything else the diff does not show."""
    import gitops_writer.diff as diff

    split: list[int] = []
    lines = diff._lines
    monkeypatch.setattr(diff, "_lines", lambda text: split.append(text.count("\n")) or lines(text))
    old = 'last_updated: "2026-01-01"\nentries:\n' + "".join(f"  entry-{i}: {i}\n" for i in range(20_000))
    new = old.replace("2026-01-01", "2026-12-31").replace("  entry-15000: 15000\n", below)
    change = FileChange("big.yaml", old, new)
    assert unified_diff([change]) == plain(change)
    assert max(split) <= 8
