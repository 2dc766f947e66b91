"""actions/cache/restore and actions/cache/save for the harness: the same tar and zstd commands, on a local store.

actions/cache (v5) archives the given paths relative to GITHUB_WORKSPACE with
`tar --posix -cf cache.tzst --exclude cache.tzst -P -C WORKSPACE --files-from manifest.txt
--use-compress-program "zstdmt --long=30"` and restores with `tar -xf cache.tzst -P -C WORKSPACE
--use-compress-program "unzstd --long=30"`. Here the archive goes to a directory instead of GitHub's cache
service, so what is not reproduced is the network: the lookup and the download (a restore) or upload (a save).
Exact keys only; a key is saved once, as on GitHub.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from tests.action.runner import Uses

SHA = "27d5ce7f107fe9357f9df03efb73ab90386fccae"  # v5.0.5
RESTORE = "actions/cache/restore"
SAVE = "actions/cache/save"


class CacheStore:
    """Archives by key in `root`, written and read as actions/cache writes and reads them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def archive(self, key: str) -> Path:
        return self.root / f"{hashlib.sha256(key.encode()).hexdigest()}.tzst"

    def restore(self, with_: Mapping[str, str], workspace: Path) -> dict[str, str]:
        key = with_["key"]
        assert key and set(with_) <= {"path", "key"}, f"restore takes an exact key and a path only: {dict(with_)}"
        archive = self.archive(key)
        if not archive.is_file():
            return {"cache-hit": "false", "cache-primary-key": key, "cache-matched-key": ""}
        _tar(["-xf", str(archive), "-P", "-C", str(workspace), "--use-compress-program", "unzstd --long=30"])
        return {"cache-hit": "true", "cache-primary-key": key, "cache-matched-key": key}

    def save(self, with_: Mapping[str, str], workspace: Path) -> dict[str, str]:
        key, path = with_["key"], Path(with_["path"])
        assert key and path.is_absolute() and path.exists(), f"nothing to save at {path}"
        if self.archive(key).is_file():
            return {}  # GitHub refuses to reserve a key twice; the action warns and goes on
        with tempfile.TemporaryDirectory(dir=self.root) as folder:
            Path(folder, "manifest.txt").write_text(os.path.relpath(path, workspace).replace(os.sep, "/"))
            command = ["--posix", "-cf", "cache.tzst", "--exclude", "cache.tzst", "-P", "-C", str(workspace)]
            _tar([*command, "--files-from", "manifest.txt", "--use-compress-program", "zstdmt --long=30"], cwd=folder)
            shutil.move(Path(folder, "cache.tzst"), self.archive(key))
        return {}

    def uses(self) -> dict[str, Uses]:
        return {RESTORE: Uses(SHA, self.restore), SAVE: Uses(SHA, self.save)}


def _tar(arguments: list[str], cwd: str | None = None) -> None:
    subprocess.run(["tar", *arguments], cwd=cwd, check=True, capture_output=True, text=True)
