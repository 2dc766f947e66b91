"""gitops_writer.annotations: workflow commands that input cannot forge."""

from __future__ import annotations

import pytest

from gitops_writer.annotations import error_annotation, warning_annotation


def test_annotations_escape_title_and_message(capsys: pytest.CaptureFixture[str]) -> None:
    error_annotation("a:b,c%", "line one\nline two::warning::forged\r100%")
    warning_annotation("t", "w")
    assert capsys.readouterr().out == (
        "::error title=a%3Ab%2Cc%25::line one%0Aline two::warning::forged%0D100%25\n::warning title=t::w\n"
    )
