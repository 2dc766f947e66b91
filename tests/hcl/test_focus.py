"""Reading a large tfvars in outline: the scan that finds what to leave out, and edits that read only
the entries beside them yet write exactly what a whole parse would."""

from __future__ import annotations

import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gitops_writer.hcl.editor as hcl_editor
from gitops_writer.errors import GitopsWriterError, ParseError
from gitops_writer.hcl import HclEditor, focus, syntax
from gitops_writer.hcl.focus import hidden, scan
from tests.hcl.test_properties import EXAMPLES, any_keys, documents, json_values


def _insides(src: bytes) -> list[bytes] | None:
    gaps = hidden(src)
    return None if gaps is None else [src[a:b] for a, b in gaps]


def test_the_insides_of_each_entry_of_a_top_level_map_or_list_are_left_out() -> None:
    src = b'm = {\n  "a" = { x = { y = 1 } }\n  b = [1, [2]]\n  c = "s"\n  d = {}\n}\nl = [{ z = 1 }, (2)]\n'
    assert _insides(src) == [b" x = { y = 1 } ", b"1, [2]", b" z = 1 "]


@pytest.mark.parametrize(
    "src",
    [
        b'm = {\n  a = { s = "} ] {" }\n}\n',  # brackets in a string
        b'm = {\n  a = { s = "\\"}" }\n}\n',  # an escaped quote
        b"m = {\n  a = { # }\n  }\n}\n",  # in comments of every kind
        b"m = {\n  a = { // }\n  }\n}\n",
        b"m = {\n  a = { /* } */ }\n}\n",
        b"m = {\n  a = { p = <<EOT\n}\n  EOT\n  }\n}\n",  # in a heredoc
        b"m = {\n  a = { p = <<-EOT\n    }\n    EOT\n  }\n}\n",
    ],
)
def test_brackets_in_strings_comments_and_heredocs_do_not_count(src: bytes) -> None:
    [inside] = _insides(src) or [b""]
    assert inside.startswith(b" ") and inside.rstrip().endswith((b'"', b"*/", b"EOT", b"}"))
    assert syntax.parse(src, gaps=hidden(src)).root_node.has_error is False


@pytest.mark.parametrize(
    "src",
    [
        b'm = {\n  a = { s = "${x}" }\n}\n',  # a template's braces
        b'm = {\n  a = { s = "%{ if x }y%{ endif }" }\n}\n',
        b'm = {\n  a = { s = "open }\n}\n',  # a string left open
        b"m = {\n  a = { p = <<EOT\n}\n}\n",  # a heredoc never closed
        b"m = {\n  a = { ] }\n}\n",  # brackets that do not pair
        b"m = {\n  a = {\n}\n",
    ],
)
def test_a_text_the_scan_is_not_sure_of_is_parsed_whole(src: bytes) -> None:
    assert hidden(src) is None
    assert syntax.outline(src) is None


def _large(entries: int = 60) -> str:
    lines = ['environment = "dev"', "", "ecr_repositories = {"]
    for n in range(entries):
        lines += [f'  "app-{n:03d}" = {{', "    metadata = {", f'      id    = "R_{n:03d}"', '      owner = "team-a"']
        lines += ["    }", "  }"]
    return "\n".join([*lines, "}", ""])


@pytest.fixture
def whole_parses(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The texts parsed whole by the editor."""
    parsed: list[bytes] = []

    def counting(src: bytes, old_tree: Any = None, gaps: Any = None) -> Any:
        parsed.append(src)
        return syntax.parse(src, old_tree, gaps)

    monkeypatch.setattr(hcl_editor, "parse", counting)
    return parsed


@pytest.mark.parametrize("key", ["aaa", "app-030-x", "zzz", "app-031"])
def test_an_edit_in_a_large_map_reads_only_the_entries_beside_it(
    key: str, whole_parses: list[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _large()
    editor = HclEditor()
    created = editor.set(text, ["ecr_repositories", key, "metadata", "id"], "NEW")
    read = editor.get(created, ["ecr_repositories", key, "metadata"])
    removed = editor.remove(created, ["ecr_repositories", key])
    assert whole_parses == []
    assert read["id"] == "NEW"
    monkeypatch.setattr(hcl_editor, "outline", lambda src: None)
    whole = HclEditor()
    assert whole.set(text, ["ecr_repositories", key, "metadata", "id"], "NEW") == created
    assert whole.remove(created, ["ecr_repositories", key]) == removed
    assert whole_parses  # the second editor read the texts whole


def test_an_error_beside_the_edit_is_found_and_one_far_from_it_is_left_as_it_is() -> None:
    broken = _large().replace('"R_030"', '= "R_030"')
    with pytest.raises(ParseError, match="invalid HCL syntax"):
        HclEditor().set(broken, ["ecr_repositories", "app-031-x"], {"metadata": {"id": "X"}})
    edited = HclEditor().set(broken, ["ecr_repositories", "zzz"], {"metadata": {"id": "X"}})
    assert edited.count('= "R_030"') == 1 and '"zzz" = {' in edited


def _outcome(editor: HclEditor, action: str, text: str, path: tuple[str, ...], value: Any) -> Any:
    try:
        if action == "set":
            return editor.set(text, path, value)
        if action == "get":
            return editor.get(text, path)
        return editor.remove(text, path)
    except GitopsWriterError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    doc=documents(),
    key=any_keys,
    deeper=st.sampled_from([(), ("id",), ("n",), ("x", "y")]),
    value=json_values,
    action=st.sampled_from(["set", "get", "remove"]),
)
def test_in_outline_an_edit_writes_what_a_whole_parse_writes(
    doc: Any, key: str, deeper: tuple[str, ...], value: Any, action: str
) -> None:
    text = doc.text.replace('${"$"}{x}', "x")  # no template, so the scan can be sure of the text
    path = (doc.target, key, *deeper)
    syntax._PARSED.clear()
    in_outline = _outcome(HclEditor(), action, text, path, value)
    outline, hcl_editor.outline = hcl_editor.outline, lambda src: None  # type: ignore[assignment]
    try:
        whole = _outcome(HclEditor(), action, text, path, value)
    finally:
        hcl_editor.outline = outline
    assert in_outline == whole


def _mixed(entries: int = 60) -> str:
    """Entries in runs of different styles: on one line, spread over lines, aligned or not, spaced or not."""
    lines = ["ecr_repositories = {"]
    for n in range(entries):
        style = (n // 7) % 4
        if style == 0:
            lines.append(f'  "app-{n:03d}" = {{ id = "R{n}", tags = {{ a = 1 }} }}')
        elif style == 1:
            lines += [f'  "app-{n:03d}" = {{', f'    id   = "R{n}"', "    tags = { a = 1 }", "  }"]
        elif style == 2:
            lines += ["", f"  app-{n:03d} = {{", f'    id = "R{n}",', "    tags = {", "      a = 1", "    },", "  }"]
        else:
            lines += [f'  "app-{n:03d}": {{', f'    "id": "R{n}"', "  },"]
    return "\n".join([*lines, "}", ""])


@pytest.mark.parametrize("position", [0, 5, 13, 20, 29, 35, 44, 52, 59, 60])
@pytest.mark.parametrize("action", ["set", "remove", "replace"])
def test_in_a_large_map_of_mixed_styles_an_edit_copies_the_same_siblings_as_a_whole_parse(
    position: int, action: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _mixed()
    key = f"app-{position:03d}" + ("" if action != "set" else "-x")
    value = {"id": "NEW", "tags": {"b": 2, "c": [1, 2]}}
    path = ("ecr_repositories", key)
    runs = []
    for outline in (syntax.outline, lambda src: None):
        monkeypatch.setattr(hcl_editor, "outline", outline)
        syntax._PARSED.clear()
        runs.append(_outcome(HclEditor(), "remove" if action == "remove" else "set", text, path, value))
    assert runs[0] == runs[1]
    assert isinstance(runs[0], str) or position == 60


_PIECES = [
    *['"', '"x"', '"{"', '"a]"', '"\\""', '"${x}"', "{", "}", "[", "]", "(", ")"],
    *["#", "# {", '# "', "//", "/* } */", "/*", "<<EOT\n", "EOT\n", "\n", " ", "a", " = ", "$", "%", "\\"],
    *["m = {\n", "  b = {", " }\n"],
]


@settings(max_examples=EXAMPLES * 4, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_quick_scan_finds_what_the_exact_scan_finds_or_leaves_the_text_to_it(pieces: list[str]) -> None:
    src = "".join(pieces).encode()
    assert hidden(src) == scan(src)


def test_a_plain_map_takes_the_quick_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    src = _large().encode()
    exact = scan(src)
    monkeypatch.setattr(focus, "_TOKEN", None)  # the exact scan's tokens: not read
    assert hidden(src) == exact and exact


@pytest.mark.parametrize("piece", [b"#", b"//", b"/* ", b"/", b"*/", b'"a', b'"{"', b"# {", b"<<E\n", b"${"])
def test_the_scan_reads_a_hostile_text_in_linear_time(piece: bytes) -> None:
    """Comments and block comments left open, or a line of comment signs: each read once, never again
    from every later sign (which took 31 s for 160 kB of unclosed block comments)."""
    src = b"a = {\n  b = {\n" + piece * (300_000 // len(piece)) + b"\n}\n}\n"
    started = time.perf_counter()
    hidden(src)
    assert time.perf_counter() - started < 1.0
