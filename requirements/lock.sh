#!/usr/bin/env bash
# Regenerate the action's hash-pinned locks after changing pyproject.toml's dependencies:
#   bash requirements/lock.sh      (needs uv: pip install uv)
# action.txt: every runtime dependency; build.txt: the build backend; uv.txt: the installer itself.
# tests/test_locks.py fails while action.txt and pyproject.toml disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
uv pip compile --quiet --universal --generate-hashes pyproject.toml -o requirements/action.txt
uv pip compile --quiet --universal --generate-hashes requirements/build.in -o requirements/build.txt
uv pip compile --quiet --universal --generate-hashes requirements/uv.in -o requirements/uv.txt
