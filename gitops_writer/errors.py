"""One error hierarchy; `cli/main.py` maps it to exit codes in one place."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    DOMAIN = 1  # absent key, conflict, unparsable file, refused request
    USAGE = 2  # bad pointer, bad JSON, bad option, invalid request field
    INTERNAL = 3  # a bug in gitops-writer


class GitopsWriterError(Exception):
    exit_code = ExitCode.DOMAIN


def in_file(exc: GitopsWriterError, path: str) -> GitopsWriterError:
    """Name the file a domain error is about, once; a usage error is about the command line instead."""
    if isinstance(exc, UsageError):
        return exc
    if isinstance(exc, ParseError):
        return exc.at(exc.path or path)
    if exc.args and isinstance(exc.args[0], str) and not exc.args[0].startswith(f"{path}:"):
        exc.args = (f"{path}: {exc.args[0]}", *exc.args[1:])
    return exc


class UsageError(GitopsWriterError):
    """The caller asked for something malformed: fix the command line."""

    exit_code = ExitCode.USAGE


class ValidationError(UsageError):
    """A request field breaks a rule; the message names the field and the rule, one line per problem."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.problems: tuple[tuple[str, str], ...] = ((field, message),)
        super().__init__(f"{field}: {message}")

    @classmethod
    def many(cls, problems: list[tuple[str, str]]) -> ValidationError:
        """Every broken rule at once: `str()` is one `field: rule` line each; `field` names the first."""
        error = cls(*problems[0])
        error.problems = tuple(problems)
        error.args = ("\n".join(f"{field}: {message}" for field, message in problems),)
        return error

    @property
    def lines(self) -> list[str]:
        return [f"{field}: {message}" for field, message in self.problems]


class NotFoundError(GitopsWriterError):
    pass


class ConflictError(GitopsWriterError):
    pass


class DuplicateKeyError(ConflictError):
    """A mapping in a file holds one key twice: which of its values an edit means is ambiguous."""

    def __init__(self, where: str, key: str, lines: list[int]) -> None:
        self.key = key
        self.lines = tuple(lines)
        rows = ", ".join(map(str, lines))
        super().__init__(
            f"{where}: {key!r} is defined more than once (lines {rows}); refusing to edit an ambiguous map"
        )


class ParseError(GitopsWriterError):
    """A file could not be parsed; carries a position when one is known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None, *, detail: str = "") -> None:
        self.line = line
        self.column = column
        self.path: str | None = None
        self.detail = detail  # the problem alone, with where the construct it broke starts (a config's error)
        super().__init__(message)

    def at(self, path: str) -> ParseError:
        self.path = path
        return self

    def __str__(self) -> str:
        where = self.path or ""
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}" if where else f"line {self.line}, column {self.column or 1}"
        return f"{where}: {self.args[0]}" if where else str(self.args[0])


class VerificationError(GitopsWriterError):
    """The edited text did not read back as intended; nothing was written."""


class UnsupportedError(GitopsWriterError):
    """The file holds a construct the editor will not touch (an expression, a tag, ...)."""


class ConfigError(UsageError):
    pass


class InputError(UsageError):
    """An action input it cannot use; the message names the input and says what it must be."""


class RunnerFileError(GitopsWriterError):
    """A file the Actions runner names ($GITHUB_OUTPUT, $GITHUB_STEP_SUMMARY) cannot be written."""


class GitError(GitopsWriterError):
    pass


class GitHubError(GitopsWriterError):
    pass
