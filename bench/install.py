"""Time the action's install, as the runner runs it: cold (nothing cached) and warm (the venv cached).

action.yml runs through the test harness (tests/action/runner.py): every `run:` script as the runner runs
it (bash --noprofile --norc -eo pipefail, the step's env with its `${{ }}` evaluated, RUNNER_TEMP, RUNNER_OS,
RUNNER_ARCH, RUNNER_TOOL_CACHE, GITHUB_WORKSPACE, GITHUB_OUTPUT), setup-python as having found this
machine's base interpreter, and actions/cache/restore and /save as their tar and zstd commands on a local
store (tests/action/cache.py). Each run is a new job: a new RUNNER_TEMP and HOME, so no pip or uv cache.

- cold: an empty store; the steps from keying the venv to saving it (key, restore miss, install, save);
- warm: the store the cold run left; key, restore (the tar extract) and install (the check of the venv).

The request step runs after them each time (a dry run on the example repository, untimed): the venv works.
What is not measured: setup-python itself, and GitHub's cache service (the lookup and the download or
upload of the archive, whose size is printed).

Usage: python bench/install.py [--repeats 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.action.cache import CacheStore  # noqa: E402
from tests.action.conftest import FIXTURE, REQUEST, make_runner  # noqa: E402
from tests.action.runner import ActionRun, environment_for_tests  # noqa: E402

TIMED = ("venv", "restore", "install", "save")  # the steps from keying the venv to saving it
PASSED = ("SSL_CERT_FILE", "SSL_CERT_DIR", "PIP_CERT", "PIP_FIND_LINKS", "PIP_DEFAULT_TIMEOUT")


def base_interpreter() -> str:
    """What setup-python hands over: an installed interpreter (from the tool cache), never a venv's."""
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def one_job(scratch: Path, store: CacheStore, label: str) -> ActionRun:
    """A new job on a new machine, at the same paths: RUNNER_TEMP, HOME and the workspace start empty."""
    job = scratch / "work"  # the same paths in every job, as on a hosted runner
    job.mkdir()
    checkout = job / "workspace"
    shutil.copytree(FIXTURE, checkout / "gitops-repo")
    home = job / "home"
    home.mkdir()
    runner = make_runner(
        checkout,
        job / "_temp",
        token="",
        api_url="https://api.github.example",
        real_install=True,
        cache=store,
        python=base_interpreter(),
    )
    runner.environ = {
        **environment_for_tests(home),
        **{name: os.environ[name] for name in PASSED if name in os.environ},
        "RUNNER_TOOL_CACHE": str(Path(base_interpreter()).parents[2]),
    }
    run = runner.run({**REQUEST, "dry-run": "true", "working-directory": "gitops-repo"})
    if run.failed or run.outputs["pull-request-operation"] != "none":
        raise SystemExit(f"the {label} run failed:\n{run.log}")
    shutil.rmtree(job)
    return run


def timed(run: ActionRun) -> dict[str, float]:
    steps = {step.id: step.seconds for step in run.steps}
    return {name: steps[name] for name in TIMED}


def measure(repeats: int) -> dict[str, Any]:
    samples: dict[str, list[dict[str, float]]] = {"cold": [], "warm": []}
    requests: dict[str, list[float]] = {"cold": [], "warm": []}
    hits = []
    archive_bytes = 0
    built_in_place = not (ROOT / "build").exists()  # the install builds the project in the action's path
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for attempt in range(repeats):
            store = CacheStore(scratch / f"cache-{attempt}")
            cold = one_job(scratch, store, "cold")
            archive_bytes = sum(path.stat().st_size for path in store.root.glob("*.tzst"))
            warm = one_job(scratch, store, "warm")
            hits.append(warm.step("restore").outputs["cache-hit"] == "true" and warm.step("save").outcome == "skipped")
            for label, run in (("cold", cold), ("warm", warm)):
                samples[label].append(timed(run))
                requests[label].append(run.step("request").seconds)
            shutil.rmtree(store.root)
    if built_in_place:
        shutil.rmtree(ROOT / "build", ignore_errors=True)
    if not all(hits):
        raise SystemExit("a warm run did not restore the venv, or saved it again")
    return {
        label: {
            "median_s": statistics.median(sum(run.values()) for run in runs),
            "runs_s": [round(sum(run.values()), 3) for run in runs],
            "steps_median_s": {step: round(statistics.median(run[step] for run in runs), 3) for step in runs[0]},
            "request_median_s": round(statistics.median(requests[label]), 3),
        }
        for label, runs in samples.items()
    } | {"archive_mib": round(archive_bytes / 2**20, 1), "repeats": repeats}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    results = measure(args.repeats) | {"load_before": load_before, "load_after": os.getloadavg()[0]}
    for label in ("cold", "warm"):
        steps = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in results[label]["steps_median_s"].items())
        print(f"{label}: median {results[label]['median_s']:.2f} s of {args.repeats} ({steps})")
        print(f"  then the dry-run request step: {results[label]['request_median_s']:.2f} s")
    print(f"cached venv archive: {results['archive_mib']} MiB")
    print(f"load average before the run: {results['load_before']:.2f}, after: {results['load_after']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
