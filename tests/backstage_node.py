"""Calls into node for Backstage's validators and the npm `yaml` parser, many documents per call."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NODE_DIR = Path(__file__).resolve().parent / "node"
SCRIPT = NODE_DIR / "validate-entity.mjs"
SETUP_HINT = (
    "the node test dependencies are missing: run the README's test command "
    "(npm install --prefix tests/node --no-package-lock --no-audit --no-fund) first"
)


def require_node() -> str:
    node = shutil.which("node")
    if node is None or not (NODE_DIR / "node_modules" / "@backstage" / "catalog-model").is_dir():
        raise RuntimeError(SETUP_HINT if node else "node is not installed; " + SETUP_HINT)
    return node


def run_batch(mode: str, texts: Sequence[str]) -> list[dict[str, Any]]:
    """One node process for every text: `mode` is "validate" or "parse"."""
    if not texts:
        return []
    result = subprocess.run(
        [require_node(), str(SCRIPT), "--batch", mode],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"validate-entity.mjs failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def backstage_validate_all(texts: Sequence[str]) -> None:
    failures = [f"#{i}: {r['error']}" for i, r in enumerate(run_batch("validate", texts)) if not r["ok"]]
    if failures:
        raise AssertionError("Backstage rejects: " + "; ".join(failures))


def backstage_validate(text: str) -> None:
    backstage_validate_all([text])


def yaml_js_load_all(texts: Sequence[str]) -> list[list[Any]]:
    """Each text's documents as the npm `yaml` package reads them (AssertionError if it cannot)."""
    out = []
    for i, result in enumerate(run_batch("parse", texts)):
        if not result["ok"]:
            raise AssertionError(f"npm yaml cannot read text #{i}: {result['error']}")
        out.append(result["documents"])
    return out


def yaml_js_load(text: str) -> list[Any]:
    return yaml_js_load_all([text])[0]
