"""Which input a workflow's validation shell tests against which pattern: read as text, never run.

Understood: `echo "$X" | grep -qE 'RE'` (echo or printf, grep with -E, -P or none, `egrep`, `-x`,
`-e RE`, `<<< "$X"`) and `[[ $X =~ RE ]]`, where X is `${{ inputs.NAME }}` or a variable set from one
(in the script, or in the step's `env:`). Whether the script requires the match or forbids it is read
from `if ! ...; then ... exit N` (N not 0), `if ...; then ... exit N` and `... || exit N`; anything else
is reported as a test init cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

INPUT = re.compile(r"\$\{\{\s*(?:github\.event\.)?inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")
_ASSIGNMENT = re.compile(r"\s*(?:export\s+|local\s+|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=(\S.*)")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
BLOCK_LINES = 50  # lines of an `if` block looked through for its `exit`
_FAILS = re.compile(r"\bexit\s+(?:[1-9][0-9]*|\"?\$\?\"?)")
_OPERATORS = ("<<<", "||", "&&", "[[", "]]", "|", ";", "&")
_GREP_FLAGS = {
    "--quiet": "q",
    "--silent": "q",
    "--extended-regexp": "E",
    "--perl-regexp": "P",
    "--basic-regexp": "G",
    "--fixed-strings": "F",
    "--ignore-case": "i",
    "--invert-match": "v",
    "--line-regexp": "x",
    "--word-regexp": "w",
}


@dataclass(frozen=True)
class Word:
    """A shell word: its text with quotes removed, and the same text with quoted parts regex-escaped."""

    text: str
    as_regex: str  # for `=~`: quoted parts match literally
    dynamic: bool  # holds a `$` expansion or a backquote outside single quotes, or a `${{ }}` anywhere


@dataclass(frozen=True)
class ShellTest:
    input: str  # the workflow input tested
    pattern: str  # as the tool wrote it, quotes removed
    dialect: str  # "basic", "extended" or "perl"
    line: int  # in the workflow file
    requires: bool | None  # True: the script fails unless it matches; False: fails if it matches
    flags: str = ""  # grep's i, v, w, x, F


def words(line: str) -> Iterator[Word | str]:
    """The line's words, and its operators (`|`, `||`, `&&`, `;`, `[[`, `]]`, `<<<`) as plain strings."""
    index, length = 0, len(line)
    while index < length:
        char = line[index]
        if char in " \t":
            index += 1
            continue
        if char == "#":
            return
        operator = next((op for op in _OPERATORS if line.startswith(op, index)), None)
        if operator is not None:
            yield operator
            index += len(operator)
            continue
        word, index = _word(line, index)
        yield word


def _word(line: str, index: int) -> tuple[Word, int]:
    text: list[str] = []
    regex: list[str] = []
    dynamic = False
    while index < len(line) and line[index] not in " \t;|&":
        char = line[index]
        if line.startswith("]]", index) and not text:
            break
        if char == "'":
            end = line.find("'", index + 1)
            end = len(line) if end < 0 else end
            part = line[index + 1 : end]
            text.append(part)
            regex.append(re.escape(part))
            index = end + 1
        elif char == '"':
            part, index = _double_quoted(line, index + 1)
            dynamic = dynamic or bool(_VARIABLE.search(part))
            text.append(part)
            regex.append(re.escape(part))
        elif char == "\\" and index + 1 < len(line):
            text.append(line[index + 1])
            regex.append(re.escape(line[index + 1]))
            index += 2
        else:
            dynamic = dynamic or char == "`" or (char == "$" and bool(_VARIABLE.match(line, index)))
            text.append(char)
            regex.append(char)
            index += 1
    joined = "".join(text)  # an expression is filled in by Actions before the shell reads a quote
    return Word(joined, "".join(regex), dynamic or "${{" in joined), index


def _double_quoted(line: str, index: int) -> tuple[str, int]:
    out: list[str] = []
    while index < len(line) and line[index] != '"':
        if line[index] == "\\" and index + 1 < len(line) and line[index + 1] in '"\\$`':
            out.append(line[index + 1])
            index += 2
        else:
            out.append(line[index])
            index += 1
    return "".join(out), index + 1


def _subject(word: Word, variables: Mapping[str, str]) -> str | None:
    """The input a word stands for: `${{ inputs.X }}`, or a variable set from one."""
    found = INPUT.fullmatch(word.text.strip())
    if found:
        return found.group(1)
    variable = _VARIABLE.fullmatch(word.text.strip())
    return variables.get(variable.group(1) or variable.group(2)) if variable else None


def logical_lines(script: str, first_line: int) -> Iterator[tuple[int, str]]:
    """(file line, text) with backslash-continued lines joined."""
    pending, start = "", first_line
    for offset, raw in enumerate(script.split("\n")):
        if not pending:
            start = first_line + offset
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            pending += raw[:-1] + " "
            continue
        yield start, pending + raw
        pending = ""
    if pending:
        yield start, pending


def script_tests(script: str, first_line: int, env: Mapping[str, str]) -> tuple[list[ShellTest], list[int]]:
    """(the pattern tests of inputs, lines where an input is tested in a way init cannot read)."""
    variables = dict(env)
    lines = list(logical_lines(script, first_line))
    found: list[ShellTest] = []
    unread: list[int] = []
    for position, (line_number, text) in enumerate(lines):
        assigned = _ASSIGNMENT.match(text)
        if assigned:
            raw = assigned.group(2).strip()
            direct = INPUT.fullmatch(raw.strip("\"'"))  # Actions fills it in before the shell splits words
            value = next((w for w in words(raw) if isinstance(w, Word)), None)
            subject = direct.group(1) if direct else _subject(value, variables) if value is not None else None
            if subject is not None:
                variables[assigned.group(1)] = subject
            else:
                variables.pop(assigned.group(1), None)
            continue
        tokens = list(words(text))
        test = _grep(tokens, variables) or _match(tokens, variables)
        if test is None:
            if _mentions_test(tokens, variables):
                unread.append(line_number)
            continue
        subject, pattern, dialect, flags, negated = test
        requires = _outcome(tokens, [t for _, t in lines[position + 1 : position + 1 + BLOCK_LINES]], negated)
        found.append(ShellTest(subject, pattern, dialect, line_number, requires, flags))
    return found, unread


def _mentions_test(tokens: list[Word | str], variables: Mapping[str, str]) -> bool:
    names = {t.text.split("/")[-1] for t in tokens if isinstance(t, Word)}
    if not names & {"grep", "egrep", "=~"}:
        return False
    return any(isinstance(t, Word) and _subject(t, variables) for t in tokens)


Test = tuple[str, str, str, str, bool]  # input, pattern, dialect, grep flags, negated


def _grep(tokens: list[Word | str], variables: Mapping[str, str]) -> Test | None:
    commands = _split(tokens, "|")
    for index, command in enumerate(commands):
        names = [t.text for t in command if isinstance(t, Word)]
        start = next((i for i, n in enumerate(names) if n.split("/")[-1] in ("grep", "egrep")), None)
        if start is None:
            continue
        negated = "!" in names[:start]
        given = command[: command.index("<<<")] if "<<<" in command else command
        grep = [t for t in given if isinstance(t, Word)][start:]
        parsed = _grep_arguments(grep)
        if parsed is None:
            return None
        pattern, flags = parsed
        subject = _herestring(command, variables) if "<<<" in command else None
        if subject is None and index:
            subject = _echoed(commands[index - 1], variables)
        if subject is None:
            return None
        negated = negated or "!" in [t.text for t in commands[0] if isinstance(t, Word)][:2]
        dialect = "perl" if "P" in flags else "extended" if "E" in flags or names[start].endswith("egrep") else "basic"
        return subject, pattern, dialect, "".join(sorted(set(flags) & set("ivwxF"))), negated
    return None


def _grep_arguments(grep: list[Word]) -> tuple[str, str] | None:
    flags = ""
    pattern: str | None = None
    arguments = iter(grep[1:])
    for word in arguments:
        if word.dynamic:
            return None
        if word.text in ("-e", "--regexp"):
            following = next(arguments, None)
            pattern = following.text if following is not None and not following.dynamic else None
        elif word.text.startswith("--regexp="):
            pattern = word.text.split("=", 1)[1]
        elif word.text.startswith("--"):
            flags += _GREP_FLAGS.get(word.text, "")
        elif word.text.startswith("-") and len(word.text) > 1:
            flags += word.text[1:]
        elif pattern is None:
            pattern = word.text
    return (pattern, flags) if pattern is not None else None


def _herestring(command: list[Word | str], variables: Mapping[str, str]) -> str | None:
    after = command[command.index("<<<") + 1 :]
    return _subject(after[0], variables) if after and isinstance(after[0], Word) else None


def _echoed(command: list[Word | str], variables: Mapping[str, str]) -> str | None:
    texts = [t for t in command if isinstance(t, Word)]
    names = [t.text for t in texts]
    start = next((i for i, n in enumerate(names) if n in ("echo", "printf")), None)
    if start is None:
        return None
    arguments = [t for t in texts[start + 1 :] if not t.text.startswith("-")]
    subjects = {_subject(t, variables) for t in arguments} - {None}
    return subjects.pop() if len(subjects) == 1 else None


def _match(tokens: list[Word | str], variables: Mapping[str, str]) -> Test | None:
    if "[[" not in tokens or "]]" not in tokens:
        return None
    inside = tokens[tokens.index("[[") + 1 : tokens.index("]]")]
    texts = [t.text if isinstance(t, Word) else t for t in inside]
    if "=~" not in texts:
        return None
    at = texts.index("=~")
    before, after = inside[:at], inside[at + 1 :]
    negated = "!" in texts[:at] or "!" in [t.text for t in tokens[: tokens.index("[[")] if isinstance(t, Word)]
    if not before or not isinstance(before[-1], Word) or not after:
        return None
    subject = _subject(before[-1], variables)
    if subject is None or not all(isinstance(w, Word) and not w.dynamic for w in after):
        return None
    return subject, "".join(w.as_regex for w in after if isinstance(w, Word)), "extended", "", negated


def _split(tokens: list[Word | str], operator: str) -> list[list[Word | str]]:
    parts: list[list[Word | str]] = [[]]
    for token in tokens:
        if token == operator:
            parts.append([])
        else:
            parts[-1].append(token)
    return parts


def _outcome(tokens: list[Word | str], following: list[str], negated: bool) -> bool | None:
    """Whether the script fails unless the test matches (True), fails if it matches (False), or neither."""
    texts = [t.text if isinstance(t, Word) else t for t in tokens]
    if "||" in texts and _FAILS.search(" ".join(texts[texts.index("||") :]) + _block(following, "}")):
        return not negated
    same_line = " ".join(texts[texts.index("then") :]) if "then" in texts else ""
    block = same_line if "fi" in texts else same_line + "\n" + _block(following, "fi", "else", "elif")
    if texts[:1] in (["if"], ["elif"]) and _FAILS.search(block):
        return negated
    return None


def _block(following: list[str], *ends: str) -> str:
    """The lines up to the first that starts with one of `ends`."""
    taken = []
    for text in following:
        if text.strip().split(" ", 1)[0] in ends:
            break
        taken.append(text)
    return "\n".join(taken)
