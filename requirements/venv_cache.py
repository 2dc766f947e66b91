"""The action's cached venv: its cache key, and the check that a restored venv is the one its key names.

Run by the interpreter setup-python gives (`python -I venv_cache.py ...`), standard library only, and never
by the venv's own python: nothing restored from a cache runs before it has been checked.

    key VENV            print `key=...` and `path=VENV` for GITHUB_OUTPUT
    stamp VENV KEY      after a full install: record the key and every file of the venv with its sha256
    verify VENV KEY     exit 0 if VENV holds exactly what its stamp records, under this key, with the
                        versions the locks pin; else one `::warning::` line naming why, and exit 1

The key covers everything that decides what the install builds: the locks, pyproject.toml, the package's
sources, this script and action.yml; the interpreter (version, implementation, platform, its path, which the
venv links to) and the venv's own path (written into its scripts). A restored venv is then checked file by
file against its stamp. That catches a stale, partial or edited venv; it cannot catch one forged together
with its stamp, which only a writer of the repository's cache could do (GitHub scopes caches to a branch
and its base).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import stat
import sys
from pathlib import Path

ACTION = Path(__file__).resolve().parent.parent
LOCKS = ("requirements/action.txt", "requirements/build.txt", "requirements/uv.txt")
KEYED = (*LOCKS, "requirements/venv_cache.py", "action.yml", "pyproject.toml")
PACKAGE = "gitops_writer"
STAMP = "gitops-writer-venv.json"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^ ;\\]+)\s*(;[^\\]*)?")
DIST_INFO = re.compile(r"^(.+)-([^-]+)\.dist-info$")


def cache_key(venv: Path, action: Path = ACTION) -> str:
    digest = hashlib.sha256()
    interpreter = [sys.implementation.name, platform.python_version(), sys.platform, platform.machine()]
    for part in [*interpreter, os.path.realpath(sys.executable), str(venv)]:
        digest.update(part.encode() + b"\0")
    sources = sorted(
        path.relative_to(action).as_posix()
        for path in (action / PACKAGE).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )
    for name in [*KEYED, *sources]:
        digest.update(name.encode() + b"\0" + (action / name).read_bytes() + b"\0")
    runner = "-".join(os.environ.get(name, "local") for name in ("RUNNER_OS", "RUNNER_ARCH"))
    return f"gitops-writer-venv-{runner}-py{platform.python_version()}-{digest.hexdigest()[:40]}"


def manifest(venv: Path) -> dict[str, str]:
    """Every file of the venv: its sha256, or where it links to."""
    found = {}
    for directory, subdirectories, files in os.walk(venv):
        for name in [*subdirectories, *files]:
            path = Path(directory, name)
            relative = path.relative_to(venv).as_posix()
            if path.is_symlink():
                found[relative] = "-> " + os.readlink(path)
            elif name in files and relative != STAMP:
                # a FIFO or device restored from a cache is recorded, never read (it could block)
                regular = stat.S_ISREG(path.lstat().st_mode)
                found[relative] = hashlib.sha256(path.read_bytes()).hexdigest() if regular else "not a regular file"
    return found


def pins(action: Path = ACTION) -> dict[str, tuple[str, bool]]:
    """name -> (version, whether a marker makes it conditional) of the lock the venv is built from."""
    found = {}
    for line in (action / "requirements/action.txt").read_text().splitlines():
        match = PIN.match(line)
        if match:
            found[_normal(match[1])] = (match[2], bool(match[3]))
    return found


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def problem(venv: Path, key: str, action: Path = ACTION) -> str | None:
    """Why the venv is not the one `key` names, or None when it is."""
    try:
        if not stat.S_ISREG((venv / STAMP).lstat().st_mode):
            return f"its {STAMP} is not a regular file"
        stamp = json.loads((venv / STAMP).read_text())
    except (OSError, ValueError, RecursionError):
        return f"it has no readable {STAMP}"
    recorded = stamp.get("files") if isinstance(stamp, dict) else None
    if not isinstance(stamp, dict) or not isinstance(recorded, dict):
        return f"its {STAMP} is not a stamp"
    if stamp.get("key") != key:
        return f"its stamp names another key ({str(stamp.get('key'))[:100]!r})"
    files = manifest(venv)
    changed = sorted(set(files) ^ set(recorded) | {name for name in files if recorded.get(name) != files[name]})
    if changed:  # shown quoted: a file name from a cache must not become a workflow command
        return f"{len(changed)} files differ from its stamp, e.g. {changed[0]!r}"
    installed = {}
    for name in files:
        parts = name.split("/")
        top_level = len(parts) > 2 and parts[-3] == "site-packages" and parts[-1] == "RECORD"
        match = DIST_INFO.match(parts[-2]) if top_level else None
        if match:
            installed[_normal(match[1])] = match[2]
    wanted = pins(action)
    for name, version in installed.items():
        if name != _normal(PACKAGE) and wanted.get(name, (None,))[0] != version:
            return f"it has {name} {version}, which the locks do not pin"
    missing = sorted(name for name, (_, conditional) in wanted.items() if not conditional and name not in installed)
    if missing or _normal(PACKAGE) not in installed:
        return f"it lacks {', '.join(missing) or PACKAGE}"
    return None


def main(argv: list[str]) -> int:
    command, venv, *rest = argv
    if command == "key":
        print(f"key={cache_key(Path(venv))}\npath={venv}")
    elif command == "stamp":
        (Path(venv) / STAMP).write_text(json.dumps({"key": rest[0], "files": manifest(Path(venv))}, indent=0))
    elif command == "verify":
        why = problem(Path(venv), rest[0])
        if why:
            print(
                f"::warning title=gitops-writer::The cached venv is not used, {why}; installing afresh."
                f" Delete the cache {rest[0]} (the repository's Actions caches) so that a run saves a good one."
            )
            return 1
    else:
        raise SystemExit(f"venv_cache.py: unknown command {command!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
