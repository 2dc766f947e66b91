"""Shared fixtures; helpers live in modules beside this file and are only imported here."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

import gitops_writer.hcl.syntax as hcl_syntax
import gitops_writer.yaml.trees as yaml_trees
from tests.backstage_node import backstage_validate as _backstage_validate
from tests.backstage_node import yaml_js_load as _yaml_js_load
from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote

# CI explores the same examples on every run, so a red build can be replayed; locally each run explores anew.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _parses_start_afresh() -> None:
    """Each test parses its texts itself: the trees a process keeps of texts it read are not shared between tests."""
    hcl_syntax._PARSED.clear()
    yaml_trees._READ.clear()


@pytest.fixture
def hcl_parses(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, bool]]:
    """Every text tree-sitter parses as HCL from now on, and whether it reused an old tree (an
    incremental parse: the one verifying an edit, or what an outline leaves out parsed in)."""
    parses: list[tuple[bytes, bool]] = []
    parser = hcl_syntax._parser()

    class Counting:
        def parse(self, src: bytes, old_tree: Any = None) -> Any:
            parses.append((src, old_tree is not None))
            return parser.parse(src, old_tree) if old_tree is not None else parser.parse(src)

        @property
        def included_ranges(self) -> Any:
            return parser.included_ranges

        @included_ranges.setter
        def included_ranges(self, ranges: Any) -> None:
            parser.included_ranges = ranges

    counting = Counting()
    monkeypatch.setattr(hcl_syntax, "_parser", lambda: counting)
    return parses


@pytest.fixture
def backstage_validate() -> Callable[[str], None]:
    """Validate YAML text with Backstage's entity policies (and template validator); AssertionError if rejected."""
    return _backstage_validate


@pytest.fixture
def yaml_js_load() -> Callable[[str], list[Any]]:
    """Read YAML text with the npm `yaml` package, as Backstage does: one value per document."""
    return _yaml_js_load


@pytest.fixture
def token() -> str:
    """A GitHub token of the usual shape, different in every test, to be searched for in every output."""
    return f"ghs_{secrets.token_hex(18)}"


@pytest.fixture
def api(remote: Remote, token: str) -> Iterator[GitHubAPI]:
    """The GitHub API stand-in on loopback, checking head and base against `remote` (each suite defines it)."""
    with GitHubAPI(remote.bare, REPOSITORY, token) as server:
        yield server
    assert server.problems == [], "exchanges broke GitHub's OpenAPI description"
