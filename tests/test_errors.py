"""gitops_writer.errors: one hierarchy, its exit codes, and naming the file an error is about once."""

from __future__ import annotations

import pytest

from gitops_writer.errors import (
    ConflictError,
    ExitCode,
    GitopsWriterError,
    InputError,
    NotFoundError,
    ParseError,
    RunnerFileError,
    UsageError,
    ValidationError,
    VerificationError,
    in_file,
)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("x"), ExitCode.DOMAIN),
        (ConflictError("x"), ExitCode.DOMAIN),
        (VerificationError("x"), ExitCode.DOMAIN),
        (RunnerFileError("x"), ExitCode.DOMAIN),
        (UsageError("x"), ExitCode.USAGE),
        (ValidationError("name", "x"), ExitCode.USAGE),
        (InputError("x"), ExitCode.USAGE),
    ],
)
def test_exit_codes(error: GitopsWriterError, code: ExitCode) -> None:
    assert error.exit_code == code


def test_in_file_names_the_file_once() -> None:
    error = in_file(NotFoundError("/a: not found"), "f.yaml")
    assert str(error) == "f.yaml: /a: not found"
    assert str(in_file(error, "f.yaml")) == "f.yaml: /a: not found"  # a second caller adds nothing


def test_in_file_leaves_usage_errors_alone_and_places_parse_errors() -> None:
    assert str(in_file(UsageError("VALUE is not valid JSON"), "f.yaml")) == "VALUE is not valid JSON"
    parse = in_file(ParseError("invalid YAML", 3, 4), "f.yaml")
    assert str(parse) == "f.yaml:3:4: invalid YAML"
    assert str(in_file(ParseError("invalid", 1).at("g.yaml"), "f.yaml")) == "g.yaml:1:1: invalid"
