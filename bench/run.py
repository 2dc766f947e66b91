"""Time an ECR request dry-run against the round trip a user would otherwise write.

For each N, generate a GitOps repository in the default layout with N registries (tfvars map,
governance catalog, Location targets), then alternate, in one run:

- gitops-writer: `gitops-writer ecr request --dry-run` (a new process, start-up included);
- baseline: python-hcl2 `loads` of the tfvars, plus ruamel.yaml round-trip load and dump of the
  catalog and of the Location (a new process, imports included).

Prints a Markdown table (medians, ratio, peak memory) and writes bench/results.json and the plot
bench/results.png. Usage: python bench/run.py [--sizes 100,500,1000,5000,20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def generate(repo: Path, n: int) -> None:
    names = [f"app-{i:06d}" for i in range(n)]
    tfvars = ['environment = "dev"', 'aws_region  = "eu-west-2"', "", "ecr_repositories = {"]
    catalog = ['version: "1.0"', "owner: platform-team", 'last_updated: "2026-11-02"', "", "repositories:"]
    targets = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Location",
        "metadata:",
        "  name: all-resources",
        "spec:",
        "  targets:",
    ]
    for name in names:
        rid = "REGISTRY_" + name.upper().replace("-", "_")
        tfvars += [
            f'  "{name}" = {{',
            "    metadata = {",
            f'      id    = "{rid}"',
            '      owner = "team-a"',
            '      risk  = "low"',
            "    }",
            "  }",
        ]
        catalog += [
            f"  {name}:",
            "    metadata:",
            f"      id: {rid}",
            "      owner: team-a",
            "      requested_by: jdoe",
            "      domain: payments",
            "      risk: low",
            "      environment: dev",
            "      status: active",
            '      created_date: "2026-01-05"',
        ]
        targets.append(f"    - ./resources/ecr/{name}.yaml")
    tfvars.append("}")
    files = {
        "envs/dev/terraform.tfvars": tfvars,
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml": catalog,
        "catalog/all-resources.yaml": targets,
    }
    for relative, lines in files.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text("\n".join(lines) + "\n")


def timed(command: list[str]) -> tuple[float, int]:
    """Wall time and peak resident memory (KiB) of one child process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500,1000,5000,20000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    tool = str(Path(sys.executable).with_name("gitops-writer"))
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as scratch:
            repo = Path(scratch)
            generate(repo, n)
            ours = [
                tool,
                "ecr",
                "request",
                "--repo",
                str(repo),
                "--dry-run",
                "--name",
                "payments-api",
                "--environment",
                "dev",
                "--owner",
                "team-payments",
                "--requester",
                "jdoe",
                "--domain",
                "payments",
                "--risk",
                "low",
                "--date",
                "2026-11-29",
            ]
            baseline = [sys.executable, "-c", BASELINE, str(repo)]
            runs: dict[str, list[tuple[float, int]]] = {"gitops-writer": [], "baseline": []}
            for _ in range(args.repeats):  # alternate, so both see the same machine
                runs["gitops-writer"].append(timed(ours))
                runs["baseline"].append(timed(baseline))
        row = {"n": n}
        for label, samples in runs.items():
            row[label] = {
                "median_s": statistics.median(s for s, _ in samples),
                "peak_mib": max(m for _, m in samples) / 1024,
            }
        row["ratio"] = row["gitops-writer"]["median_s"] / row["baseline"]["median_s"]
        results.append(row)
        print(
            f"N={n}: gitops-writer {row['gitops-writer']['median_s']:.3f} s,"
            f" baseline {row['baseline']['median_s']:.2f} s, ratio {row['ratio']:.1%}",
            file=sys.stderr,
        )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    plot(results, args.out / "results.png")


def table(results: list[dict]) -> str:  # type: ignore[type-arg]
    lines = [
        "| registries | gitops-writer dry-run | baseline round trip | ratio | peak memory (ours / baseline) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results:
        ours, base = row["gitops-writer"], row["baseline"]
        lines.append(
            f"| {row['n']:,} | {ours['median_s']:.2f} s | {base['median_s']:.2f} s | {row['ratio']:.1%} |"
            f" {ours['peak_mib']:.0f} / {base['peak_mib']:.0f} MiB |"
        )
    by_n = {row["n"]: row["gitops-writer"]["median_s"] for row in results}
    if 500 in by_n and 5000 in by_n:
        lines.append(f"\nGrowth of the dry-run from 500 to 5,000 registries: {by_n[5000] / by_n[500]:.2f}x")
    return "\n".join(lines)


def plot(results: list[dict], path: Path) -> None:  # type: ignore[type-arg]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install '.[bench]'): no plot written", file=sys.stderr)
        return
    sizes = [row["n"] for row in results]
    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    for label, style in (("baseline", "o--"), ("gitops-writer", "s-")):
        axes.plot(
            sizes,
            [row[label]["median_s"] for row in results],
            style,
            label=label if label != "baseline" else "python-hcl2 loads + ruamel.yaml round trip",
        )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("registries in the repository")
    axes.set_ylabel("median wall time per request (s)")
    axes.set_title("ECR request dry-run vs. a parse-everything round trip")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


if __name__ == "__main__":
    main()
