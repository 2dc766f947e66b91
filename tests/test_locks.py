"""The action installs only what requirements/ pins by hash, and those pins follow pyproject.toml.

When a test here fails after a dependency change, regenerate the locks: `bash requirements/lock.sh`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCKS = ROOT / "requirements"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$")
REGENERATE = "regenerate the locks: bash requirements/lock.sh"


def pins(path: Path) -> dict[str, tuple[str, str | None, list[str], list[str]]]:
    """name -> (version, marker, hashes, the packages it is there for) of a `uv pip compile` lock."""
    found: dict[str, tuple[str, str | None, list[str], list[str]]] = {}
    current = None
    in_via = False
    for line in path.read_text().splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match[1])
            found[current] = (match[2], match[3], [], [])
            in_via = False
        elif current and line.strip().startswith("--hash=sha256:"):
            found[current][2].append(line.strip().removesuffix("\\").strip())
        elif current and line.strip().startswith("# via"):
            rest = line.strip().removeprefix("# via").strip()
            in_via = not rest
            if rest:
                found[current][3].append(rest)
        elif current and in_via and line.strip().startswith("#   "):
            found[current][3].append(line.strip().removeprefix("#").strip())
        elif line.strip() and not line.startswith("#"):
            raise AssertionError(f"{path.name}: a line that is neither a pin, a hash nor a comment: {line!r}")
    return found


def _origin(via: str) -> str:
    return "pyproject" if via.endswith("(pyproject.toml)") else canonicalize_name(via.split()[0])


@pytest.mark.parametrize("lock", ["action.txt", "build.txt", "uv.txt"])
def test_every_pin_is_exact_and_hashed_and_no_index_is_named(lock: str) -> None:
    text = (LOCKS / lock).read_text()
    entries = pins(LOCKS / lock)
    assert entries, f"{lock} pins nothing"
    for name, (_, _, hashes, _) in entries.items():
        assert hashes, f"{lock}: {name} has no --hash"
    for forbidden in ("--index-url", "--extra-index-url", "--find-links", "-i ", "://", "-e "):
        assert forbidden not in text, f"{lock} names {forbidden!r}; locks must not choose where packages come from"


def test_every_runtime_dependency_is_locked_at_a_version_it_accepts() -> None:
    locked = pins(LOCKS / "action.txt")
    for spec in PROJECT["project"]["dependencies"]:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is a dependency but action.txt does not pin it; {REGENERATE}"
        version, marker, _, via = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"action.txt pins {name}=={version}, which pyproject.toml's {spec!r} refuses; {REGENERATE}"
        )
        assert "pyproject" in map(_origin, via), f"action.txt does not record {name} as a direct dependency"
        if requirement.marker is not None:
            locked_marker = str(Marker(marker)) if marker else ""
            assert str(requirement.marker) in locked_marker, (
                f"{name}: pyproject.toml wants it only when {requirement.marker}, action.txt {marker!r}; {REGENERATE}"
            )


def test_the_lock_holds_nothing_that_no_dependency_needs() -> None:
    locked = pins(LOCKS / "action.txt")
    direct = {canonicalize_name(Requirement(spec).name) for spec in PROJECT["project"]["dependencies"]}
    for name, (_, _, _, via) in locked.items():
        origins = set(map(_origin, via))
        assert origins, f"action.txt: {name} says nothing about why it is there"
        if "pyproject" in origins:
            assert name in direct, f"action.txt pins {name} for pyproject.toml, which no longer needs it; {REGENERATE}"
        assert origins - {"pyproject"} <= set(locked), f"action.txt: {name} is there for {origins}, not all locked"
        assert name in direct or origins - {"pyproject"}, f"action.txt: {name} is needed by nothing"


def test_the_build_backend_and_the_installer_are_pinned() -> None:
    build = pins(LOCKS / "build.txt")
    for spec in PROJECT["build-system"]["requires"]:
        requirement = Requirement(spec)
        version = build[canonicalize_name(requirement.name)][0]
        assert requirement.specifier.contains(version), f"build.txt pins {requirement.name}=={version}, not {spec}"
    assert set(pins(LOCKS / "uv.txt")) == {"uv"}


def test_each_lock_says_it_was_made_by_the_documented_command() -> None:
    script = (LOCKS / "lock.sh").read_text()
    for lock in ("action.txt", "build.txt", "uv.txt"):
        header = (LOCKS / lock).read_text().splitlines()[1].removeprefix("#").strip()
        assert header.startswith("uv pip compile ") and f"-o requirements/{lock}" in header
        assert header.replace(" ", "") in script.replace(" --quiet", "").replace(" ", ""), (
            f"{lock} was made by `{header}`, which requirements/lock.sh does not run"
        )
