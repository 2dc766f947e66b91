"""gitops_writer.errors: one hierarchy, its exit codes, and naming the file an error is about once."""

from __future__ import annotations

import pytest

from gitops_writer.errors import (
    ConflictError,
    DuplicateKeyError,
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


@pytest.mark.parametrize("verb", ["set", "remove"])
def test_both_editors_refuse_a_key_written_twice_with_one_error(verb: str) -> None:
    from gitops_writer.hcl import HclEditor
    from gitops_writer.yaml import YamlEditor

    errors = []
    for editor, text in ((YamlEditor(), "m:\n  a: 1\n  a: 2\n"), (HclEditor(), "m = {\n  a = 1\n  a = 2\n}\n")):
        with pytest.raises(DuplicateKeyError) as info:
            editor.set(text, ("m", "b"), 3) if verb == "set" else editor.remove(text, ("m", "a"))
        errors.append(info.value)
    assert [(e.key, e.lines, str(e)) for e in errors] == [("a", (2, 3), errors[0].args[0])] * 2
    assert str(errors[0]) == "/m: 'a' is defined more than once (lines 2, 3); refusing to edit an ambiguous map"
