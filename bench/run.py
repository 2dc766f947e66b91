"""Time an ECR request dry-run wherever its entry lands, against the round trip a user would otherwise write.

For each N, generate a GitOps repository in the default layout with N registries (tfvars map,
governance catalog, Location targets), sorted, and a second one in one fixed random order. Then,
alternating in one run (medians of --repeats, and the fastest run of each):

- gitops-writer: `gitops-writer ecr request --dry-run` (a new process, start-up included) for a name
  that sorts first, one that sorts in the middle, one that sorts last, and one into the unsorted
  repository (where every file appends);
- baseline: python-hcl2 `loads` of the tfvars, plus ruamel.yaml round-trip load and dump of the
  catalog and of the Location (a new process, imports included).

Then, when the `check` command exists: `gitops-writer check --repo` over 5,000 registries in four
environments, against parsing every file of it with python-hcl2 and ruamel.yaml. And the action's
install step (the script in action.yml, run as the runner would: a fresh venv, the locks, the
project), cold (empty caches) and warm (the caches of the cold run).

Prints a Markdown table and writes bench/results.json and the plot bench/results.png.
Usage: python bench/run.py [--sizes 500,5000,20000] [--repeats 5] [--skip-install]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ENVIRONMENTS = ("dev", "test", "staging", "prod")
TFVARS = "envs/{environment}/terraform.tfvars"
CATALOG = "docs/20-contracts/resource-catalogs/ecr-catalog.yaml"
LOCATION = "catalog/all-resources.yaml"
BASELINE = r"""
import sys
from pathlib import Path
import hcl2
from ruamel.yaml import YAML

repo = Path(sys.argv[1])
hcl2.loads((repo / "envs/dev/terraform.tfvars").read_text())
yaml = YAML()
yaml.preserve_quotes = True
for name in ("docs/20-contracts/resource-catalogs/ecr-catalog.yaml", "catalog/all-resources.yaml"):
    data = yaml.load((repo / name).read_text())
    with open(repo / (name + ".out"), "w") as out:
        yaml.dump(data, out)
"""
CHECK_BASELINE = r"""
import sys
from pathlib import Path
import hcl2
from ruamel.yaml import YAML

repo = Path(sys.argv[1])
yaml = YAML()
yaml.preserve_quotes = True
for path in sorted(repo.rglob("*")):
    if path.suffix == ".tfvars":
        hcl2.loads(path.read_text())
    elif path.suffix == ".yaml":
        list(yaml.load_all(path.read_text()))
"""


def _names(n: int, *, shuffled: bool) -> list[str]:
    names = [f"app-{i:06d}" for i in range(n)]
    if shuffled:
        random.Random(n).shuffle(names)
    return names


def generate(repo: Path, n: int, *, shuffled: bool = False) -> None:
    """N registries `app-000000`... in dev; sorted in every file, or (shuffled) in one fixed random order."""
    _write(repo, {"dev": _names(n, shuffled=shuffled)}, entities=False)


def generate_environments(repo: Path, n: int) -> None:
    """N registries dealt round-robin to four environments, with their Backstage entity files."""
    names = _names(n, shuffled=False)
    _write(repo, {env: names[i :: len(ENVIRONMENTS)] for i, env in enumerate(ENVIRONMENTS)}, entities=True)


def _write(repo: Path, by_environment: dict[str, list[str]], *, entities: bool) -> None:
    catalog = ['version: "1.0"', "owner: platform-team", 'last_updated: "2026-11-02"', "", "repositories:"]
    targets = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Location",
        "metadata:",
        "  name: all-resources",
        "spec:",
        "  targets:",
    ]
    files: dict[str, list[str]] = {}
    everyone = [(name, env) for env, names in by_environment.items() for name in names]
    if len(by_environment) > 1:
        everyone.sort()  # one environment keeps its own order in every file (sorted or shuffled)
    for env, names in by_environment.items():
        tfvars = [f'environment = "{env}"', 'aws_region  = "eu-west-2"', "", "ecr_repositories = {"]
        for name in names:
            tfvars += [
                f'  "{name}" = {{',
                "    metadata = {",
                f'      id    = "{_id(name)}"',
                '      owner = "team-a"',
                '      risk  = "low"',
                "    }",
                "  }",
            ]
        tfvars.append("}")
        files[TFVARS.format(environment=env)] = tfvars
    for name, env in everyone:
        catalog += [
            f"  {name}:",
            "    metadata:",
            f"      id: {_id(name)}",
            "      owner: team-a",
            "      requested_by: jdoe",
            "      domain: payments",
            "      risk: low",
            f"      environment: {env}",
            "      status: active",
            '      created_date: "2026-01-05"',
        ]
        targets.append(f"    - ./resources/ecr/{name}.yaml")
        if entities:
            files[f"catalog/resources/ecr/{name}.yaml"] = [
                "apiVersion: backstage.io/v1alpha1",
                "kind: Resource",
                "metadata:",
                f"  name: ecr-{name}",
                f"  description: ECR repository {name} for team-a in {env}",
                "  annotations:",
                f"    gitops-writer.io/id: {_id(name)}",
                "spec:",
                "  type: container-repository",
                "  owner: team-a",
            ]
    files[CATALOG] = catalog
    files[LOCATION] = targets
    for relative, lines in files.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text("\n".join(lines) + "\n")


def _id(name: str) -> str:
    return "REGISTRY_" + name.upper().replace("-", "_")


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss


def request(tool: str, repo: Path, name: str) -> list[str]:
    fields = ["--environment", "dev", "--owner", "team-payments", "--requester", "jdoe", "--domain", "payments"]
    return [tool, "ecr", "request", "--repo", str(repo), "--dry-run", "--name", name, *fields, "--risk", "low",
            "--date", "2026-11-29"]  # fmt: skip


def positions(n: int) -> dict[str, tuple[bool, str]]:
    """Position -> (shuffled repository?, registry name)."""
    return {
        "first": (False, "aaa-first"),
        "middle": (False, f"app-{n // 2:06d}-x"),
        "last": (False, "zzz-last"),
        "unsorted": (True, "payments-api"),
    }


def _summary(samples: list[tuple[float, int]]) -> dict[str, Any]:
    seconds = [s for s, _ in samples]
    return {
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "samples_s": seconds,
        "peak_mib": max(m for _, m in samples) / 1024,
    }


def bench_request(tool: str, n: int, repeats: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as scratch:
        repos = {False: Path(scratch) / "sorted", True: Path(scratch) / "unsorted"}
        for shuffled, repo in repos.items():
            generate(repo, n, shuffled=shuffled)
        runs: dict[str, list[tuple[float, int]]] = {label: [] for label in [*positions(n), "baseline"]}
        for shuffled, name in positions(n).values():  # one untimed run each: the files in the page cache
            timed(request(tool, repos[shuffled], name))
        for _ in range(repeats):  # alternate, so every case sees the same machine
            for label, (shuffled, name) in positions(n).items():
                runs[label].append(timed(request(tool, repos[shuffled], name)))
            runs["baseline"].append(timed([sys.executable, "-c", BASELINE, str(repos[False])]))
    row: dict[str, Any] = {"n": n, **{label: _summary(samples) for label, samples in runs.items()}}
    worst = max(positions(n), key=lambda label: row[label]["median_s"])
    row["worst"] = worst
    row["ratio"] = row[worst]["median_s"] / row["baseline"]["median_s"]
    # the same with each case's fastest run: short runs suffer most from a busy machine's bursts
    fastest = max(positions(n), key=lambda label: row[label]["min_s"])
    row["ratio_min"] = row[fastest]["min_s"] / row["baseline"]["min_s"]
    return row


def has_check(tool: str) -> bool:
    return subprocess.run([tool, "check", "--help"], capture_output=True, check=False).returncode == 0


def bench_check(tool: str, n: int, repeats: int) -> dict[str, Any] | None:
    if not has_check(tool):
        print("check: skipped, `gitops-writer check --help` fails (the command is not on this branch)", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory() as scratch:
        repo = Path(scratch)
        generate_environments(repo, n)
        runs: dict[str, list[tuple[float, int]]] = {"check": [], "baseline": []}
        for _ in range(repeats):
            runs["check"].append(timed([tool, "check", "--repo", str(repo)]))
            runs["baseline"].append(timed([sys.executable, "-c", CHECK_BASELINE, str(repo)]))
    row: dict[str, Any] = {"n": n, **{label: _summary(samples) for label, samples in runs.items()}}
    row["ratio"] = row["check"]["median_s"] / row["baseline"]["median_s"]
    return row


def install_script() -> tuple[str, dict[str, str]]:
    """The install step of action.yml: its script, and its environment without the `${{ }}` values."""
    from ruamel.yaml import YAML

    action = YAML(typ="safe").load((ROOT / "action.yml").read_text())
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    env = {k: str(v) for k, v in (step.get("env") or {}).items() if "${{" not in str(v)}
    return step["run"], env


def bench_install(repeats: int) -> dict[str, Any]:
    """The action's install step as the runner runs it: cold (empty pip and uv caches) and warm."""
    script, step_env = install_script()
    samples: dict[str, list[float]] = {"cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as scratch:
        for attempt in range(repeats):
            cache = Path(scratch) / f"cache-{attempt}"
            for label in ("cold", "warm"):  # warm: the same caches, a new RUNNER_TEMP and venv
                temp = Path(scratch) / f"runner-temp-{attempt}-{label}"
                temp.mkdir()
                output = temp / "output"
                output.touch()
                env = {
                    **os.environ,
                    **step_env,
                    "GW_ACTION_PATH": str(ROOT),
                    "GW_PYTHON": sys.executable,
                    "RUNNER_TEMP": str(temp),
                    "RUNNER_OS": "Linux",
                    "GITHUB_OUTPUT": str(output),
                    "PIP_CACHE_DIR": str(cache),
                }
                seconds, _ = timed(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], env=env)
                samples[label].append(seconds)
                shutil.rmtree(temp)
            shutil.rmtree(cache)
    # the project is built in place, as the runner would in the action's checkout
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    return {label: {"median_s": statistics.median(values)} for label, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check-size", type=int, default=5000)
    parser.add_argument("--skip-install", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    tool = str(Path(sys.executable).with_name("gitops-writer"))
    # Time the tool as installed, with its bytecode written, even where PYTHONDONTWRITEBYTECODE is set
    # and an editable install would otherwise compile every module on every run.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "gitops_writer")], check=True)
    load = os.getloadavg()
    results: dict[str, Any] = {"load_before": load, "requests": []}
    for n in (int(s) for s in args.sizes.split(",")):
        row = bench_request(tool, n, args.repeats)
        results["requests"].append(row)
        cases = ", ".join(f"{p} {row[p]['median_s']:.3f} s" for p in positions(n))
        print(
            f"N={n}: {cases}; baseline {row['baseline']['median_s']:.2f} s, worst {row['ratio']:.1%}", file=sys.stderr
        )
    results["check"] = bench_check(tool, args.check_size, args.repeats)
    results["install"] = None if args.skip_install else bench_install(args.repeats)
    results["load_after"] = os.getloadavg()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    plot(results["requests"], args.out / "results.png")


def table(results: dict[str, Any]) -> str:
    rows = results["requests"]
    lines = [
        "| registries | first | middle | last | unsorted | baseline | worst / baseline |"
        " worst / baseline, fastest runs | peak memory, worst / base |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = " | ".join(f"{row[p]['median_s']:.2f} s" for p in ("first", "middle", "last", "unsorted"))
        worst, base = row[row["worst"]], row["baseline"]
        lines.append(
            f"| {row['n']:,} | {cells} | {base['median_s']:.2f} s | **{row['ratio']:.1%}** ({row['worst']}) |"
            f" {row['ratio_min']:.1%} | {worst['peak_mib']:.0f} / {base['peak_mib']:.0f} MiB |"
        )
    worst_at = {row["n"]: row[row["worst"]]["median_s"] for row in rows}
    base_at = {row["n"]: row["baseline"]["median_s"] for row in rows}
    notes = []
    if 500 in worst_at and 5000 in worst_at:
        notes.append(
            f"Growth from 500 to 5,000 registries: worst position {worst_at[5000] / worst_at[500]:.2f}x,"
            f" baseline {base_at[5000] / base_at[500]:.1f}x."
        )
    check = results.get("check")
    if check:
        notes.append(
            f"`check` over {check['n']:,} registries in four environments: {check['check']['median_s']:.2f} s,"
            f" {check['ratio']:.1%} of parsing every file ({check['baseline']['median_s']:.2f} s)."
        )
    else:
        notes.append("`check`: not measured (`gitops-writer check --help` fails: the command is not on this branch).")
    install = results.get("install")
    if install:
        notes.append(
            f"The action's install step (fresh venv, the locks, the project): cold {install['cold']['median_s']:.1f} s,"
            f" warm {install['warm']['median_s']:.1f} s."
        )
    load = results.get("load_before")
    if load:
        notes.append(f"Load average before the run: {load[0]:.2f}, after: {results['load_after'][0]:.2f}.")
    return "\n".join(lines) + "\n\n" + "\n".join(notes)


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install '.[bench]'): no plot written", file=sys.stderr)
        return
    sizes = [row["n"] for row in rows]
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    axes.plot(
        sizes, [row["baseline"]["median_s"] for row in rows], "o--", label="python-hcl2 loads + ruamel.yaml round trip"
    )
    for label, style in (("first", "s-"), ("middle", "^-"), ("last", "v-"), ("unsorted", "x:")):
        axes.plot(sizes, [row[label]["median_s"] for row in rows], style, label=f"gitops-writer, entry lands {label}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("registries in the repository")
    axes.set_ylabel("median wall time per request (s)")
    axes.set_title("ECR request dry-run by position vs. a parse-everything round trip", fontsize=10)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path)


if __name__ == "__main__":
    main()
