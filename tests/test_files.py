"""unified_diff: git-style headers, absolute hunk line numbers, files without a final line break."""

from __future__ import annotations

import difflib

from gitops_writer.files import FileChange, unified_diff


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
