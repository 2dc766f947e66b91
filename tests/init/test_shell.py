"""A validation script read as text: which input it tests against which pattern, and whether it must match."""

from __future__ import annotations

import pytest

from gitops_writer.init.shell import script_tests


def one(script: str, env: dict[str, str] | None = None) -> tuple[str, str, str, bool | None, str]:
    tests, unread = script_tests(script, 10, env or {})
    assert len(tests) == 1 and not unread, (tests, unread)
    test = tests[0]
    return test.input, test.pattern, test.dialect, test.requires, test.flags


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        (
            "if ! echo \"${{ inputs.name }}\" | grep -qE '^[a-z]+$'; then\n  echo no\n  exit 1\nfi",
            ("name", "^[a-z]+$", "extended", True, ""),
        ),
        ('N="${{ inputs.name }}"\nif ! echo "$N" | grep -q \'^a\'; then exit 1; fi', ("name", "^a", "basic", True, "")),
        (
            "if echo \"${{ inputs.name }}\" | grep -qiE 'root'; then\n  exit 2\nfi",
            ("name", "root", "extended", False, "i"),
        ),
        (
            "grep -Pq '^\\d+$' <<< \"${{ github.event.inputs.n }}\" || { echo no; exit 1; }",
            ("n", "^\\d+$", "perl", True, ""),
        ),
        ("[[ $WHO =~ ^[a-z]+\\.x$ ]] || exit 1", ("user", "^[a-z]+\\.x$", "extended", True, "")),
        ("[[ $WHO =~ '^a.b' ]] || exit 1", ("user", "\\^a\\.b", "extended", True, "")),  # quoted: literal
        ("egrep -x -e 'a|b' <<< \"$WHO\" || exit 3", ("user", "a|b", "extended", True, "x")),
        ("echo \"${{ inputs.name }}\" | \\\n  grep -qE '^x$' || exit 1", ("name", "^x$", "extended", True, "")),
        (
            "if ! echo \"${{ inputs.name }}\" | grep -qE '^x$'; then\n  echo warn\nfi",
            ("name", "^x$", "extended", None, ""),
        ),
    ],
)
def test_a_pattern_test_is_read_with_its_outcome(script: str, expected: tuple[str, str, str, bool | None, str]) -> None:
    assert one(script, {"WHO": "user"}) == expected


def test_a_pattern_built_at_run_time_is_reported_not_read() -> None:
    script = 'echo "${{ inputs.name }}" | grep -qE "$ALLOWED" || exit 1\ngrep -q \'${{ inputs.p }}\' <<< "$X"'
    tests, unread = script_tests(script, 1, {"X": "name"})
    assert tests == [] and unread == [1, 2]


def test_a_reassigned_variable_no_longer_stands_for_the_input() -> None:
    script = 'N="${{ inputs.name }}"\nN=other\necho "$N" | grep -qE \'^x$\' || exit 1\necho a & wait'
    assert script_tests(script, 1, {}) == ([], [])


def test_a_one_line_if_reads_only_its_own_branch() -> None:
    script = "if ! echo \"$N\" | grep -q '^a'; then echo warn; fi\nif true; then\n  exit 1\nfi"
    tests, _ = script_tests(script, 1, {"N": "name"})
    assert [t.requires for t in tests] == [None]


def test_a_hostile_script_is_read_in_linear_time_and_never_fails() -> None:
    import time

    test = "if ! echo \"$N\" | grep -qE '^a$'; then\n"
    script = "N=${{ inputs.name }}\nX=;\nY=#\nZ=a" + " " * 200_000 + "b\n" + test * 20_000 + "exit 1\n"
    started = time.monotonic()
    tests, _ = script_tests(script, 1, {})
    assert len(tests) == 20_000 and time.monotonic() - started < 20
