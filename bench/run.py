"""Time the work users wait for, each against a baseline measured in the same run.

For each N, generate GitOps repositories shaped like a real one (git repositories in the default
layout: tfvars map, governance catalog, Location targets, and an entity file per registry as the
tool writes them, each naming the registry resource it depends on): sorted; in one fixed random
order, as the seed's catalog and Location grow; and sorted with a catalog that has no `last_updated`
yet. Then, alternating in one run (medians of --repeats, and the fastest run of each):

- gitops-writer: `gitops-writer ecr request --dry-run` (a new process, start-up included) for a name
  that sorts first, in the middle, last, one into the unsorted repository (where every file appends)
  and one into the catalog without `last_updated`; the worst of them counts;
- baseline: python-hcl2 `loads` of the tfvars, plus ruamel.yaml round-trip load and dump of the
  catalog and of the Location (a new process, imports included).

Publishing, against a bare remote and the loopback GitHub stand-in (tests/github_api), from shallow
clones of `main` as actions/checkout leaves them: `ecr request --publish` (a new pull request each
time) against the least a hand-written workflow does (fetch the base, commit, push, one POST /pulls;
MINIMUM). And `refresh` of --refresh-pulls open request pull requests: idle (nothing changed) in the
clone that published them and in a checkout made for the run, and after a later request merged (every
branch then conflicts on `last_updated`), per rebuilt PR.

Then, when the `check` command exists: `gitops-writer check --repo` over 5,000 registries in four
environments, against parsing every file of it with python-hcl2 and ruamel.yaml. And the action's
install (action.yml's steps from keying its venv to saving it, run as the runner runs them; see
bench/install.py), cold (nothing cached) and warm (the venv restored from the cold run's cache and checked).

Prints a Markdown table and writes bench/results.json and the plot bench/results.png.
Usage: python bench/run.py [--sizes 500,5000,20000] [--publish-sizes 500,5000] [--refresh-size 2000]
       [--refresh-pulls 20] [--repeats 5] [--skip-install]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PERSON = ("Bench Person", "bench@example.com")
GIT_ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "GITHUB_", "GH_"))},
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": PERSON[0],
    "GIT_AUTHOR_EMAIL": PERSON[1],
    "GIT_COMMITTER_NAME": PERSON[0],
    "GIT_COMMITTER_EMAIL": PERSON[1],
}
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


def generate(repo: Path, n: int, *, shuffled: bool = False, stamped: bool = True) -> None:
    """N registries `app-000000`... in dev, each with its entity file; sorted in every file, or
    (shuffled) in one fixed random order, as the seed's catalog and Location grow (each request
    appended); the catalog with or without its `last_updated` stamp. A git repository, as users have."""
    _write(repo, {"dev": _names(n, shuffled=shuffled)}, stamped=stamped)
    _commit(repo)


def generate_environments(repo: Path, n: int) -> None:
    """N registries dealt round-robin to four environments, with their Backstage entity files."""
    names = _names(n, shuffled=False)
    _write(repo, {env: names[i :: len(ENVIRONMENTS)] for i, env in enumerate(ENVIRONMENTS)})


def _write(repo: Path, by_environment: dict[str, list[str]], *, stamped: bool = True) -> None:
    catalog = ['version: "1.0"', "owner: platform-team", *(['last_updated: "2026-11-02"'] if stamped else [])]
    catalog += ["", "repositories:"]
    targets = [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Location",
        "metadata:",
        "  name: all-resources",
        "spec:",
        "  targets:",
        "    - ./resources/ecr-registry.yaml",
    ]
    files: dict[str, list[str]] = {
        "catalog/resources/ecr-registry.yaml": [
            "apiVersion: backstage.io/v1alpha1",
            "kind: Resource",
            "metadata:",
            "  name: ecr-registry",
            "spec:",
            "  type: container-registry",
            "  owner: platform-team",
        ],
        "catalog/groups.yaml": [
            "apiVersion: backstage.io/v1alpha1",
            "kind: Group",
            "metadata:",
            "  name: team-payments",
            "spec:",
            "  type: team",
            "  children: []",
        ],
    }
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
        files[f"catalog/resources/ecr/{name}.yaml"] = [  # as the tool writes them
            "apiVersion: backstage.io/v1alpha1",
            "kind: Resource",
            "metadata:",
            f"  name: ecr-{name}",
            f"  description: ECR repository {name} for team-a in {env}",
            "  tags:",
            f"    - env-{env}",
            "    - risk-low",
            "  annotations:",
            f"    gitops-writer.io/id: {_id(name)}",
            "    gitops-writer.io/risk: low",
            "spec:",
            "  type: container-repository",
            "  owner: team-a",
            "  dependencyOf:",
            "    - resource:ecr-registry",
        ]
    files[CATALOG] = catalog
    files[LOCATION] = targets
    for relative, lines in files.items():
        (repo / relative).parent.mkdir(parents=True, exist_ok=True)
        (repo / relative).write_text("\n".join(lines) + "\n")


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=GIT_ENV)
    return done.stdout


def _commit(repo: Path, branch: str = "development") -> None:
    _git(repo, "init", "-q", "-b", branch)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "registries")


def _id(name: str) -> str:
    return "REGISTRY_" + name.upper().replace("-", "_")


def timed(command: list[str], env: dict[str, str] | None = None, *, output: bool = False) -> Any:
    """Wall time and peak resident memory (KiB) of one child process (and its stdout, with `output`)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(
            command, stdout=out if output else subprocess.DEVNULL, stderr=subprocess.PIPE, env=env
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            said = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"{command[:3]} failed: {said}")
        if process.stderr:
            process.stderr.close()
        out.seek(0)
        return (elapsed, usage.ru_maxrss, out.read().decode()) if output else (elapsed, usage.ru_maxrss)


def request(tool: str, repo: Path, name: str, date: str = "2026-11-29") -> list[str]:
    fields = ["--environment", "dev", "--owner", "team-payments", "--requester", "jdoe", "--domain", "payments"]
    return [tool, "ecr", "request", "--repo", str(repo), "--dry-run", "--name", name, *fields, "--risk", "low",
            "--date", date]  # fmt: skip


def positions(n: int) -> dict[str, tuple[str, str]]:
    """Position -> (repository: sorted, unsorted or unstamped, registry name)."""
    return {
        "first": ("sorted", "aaa-first"),
        "middle": ("sorted", f"app-{n // 2:06d}-x"),
        "last": ("sorted", "zzz-last"),
        "unsorted": ("unsorted", "payments-api"),
        "unstamped": ("unstamped", f"app-{n // 2:06d}-x"),  # a catalog without `last_updated` yet
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
        repos = {shape: Path(scratch) / shape for shape in ("sorted", "unsorted", "unstamped")}
        for shape, repo in repos.items():
            generate(repo, n, shuffled=shape == "unsorted", stamped=shape != "unstamped")
        runs: dict[str, list[tuple[float, int]]] = {label: [] for label in [*positions(n), "baseline"]}
        for shape, name in positions(n).values():  # one untimed run each: the files in the page cache
            timed(request(tool, repos[shape], name))
        for _ in range(repeats):  # alternate, so every case sees the same machine
            for label, (shape, name) in positions(n).items():
                runs[label].append(timed(request(tool, repos[shape], name)))
            runs["baseline"].append(timed([sys.executable, "-c", BASELINE, str(repos["sorted"])]))
    row: dict[str, Any] = {"n": n, **{label: _summary(samples) for label, samples in runs.items()}}
    worst = max(positions(n), key=lambda label: row[label]["median_s"])
    row["worst"] = worst
    row["ratio"] = row[worst]["median_s"] / row["baseline"]["median_s"]
    # the same with each case's fastest run: short runs suffer most from a busy machine's bursts
    fastest = max(positions(n), key=lambda label: row[label]["min_s"])
    row["ratio_min"] = row[fastest]["min_s"] / row["baseline"]["min_s"]
    return row


# The least a hand-written workflow does to publish a request: fetch the base, commit an edit on it,
# push the branch, open the pull request with one POST /pulls.
MINIMUM = r"""
set -eu
cd "$1"
git fetch -q --depth=1 origin +refs/heads/development:refs/remotes/origin/development
git checkout -q -B "$2" origin/development
printf '\n# %s\n' "$2" >> envs/dev/terraform.tfvars
git commit -q -a -m "registry: create $2"
git push -q origin "HEAD:refs/heads/$2"
curl -sSf -o /dev/null -X POST -H "Authorization: Bearer $GITHUB_TOKEN" -H "Accept: application/vnd.github+json" \
  -H "Content-Type: application/json" "$GITHUB_API_URL/repos/$GITHUB_REPOSITORY/pulls" \
  -d "{\"title\": \"Create $2\", \"head\": \"$2\", \"base\": \"development\", \"body\": \"request\"}"
"""
REPOSITORY = "acme/infra"


class _Remote:
    """A bare remote whose `development` holds N registries, the loopback GitHub stand-in serving it,
    and shallow clones of `main` as actions/checkout leaves them."""

    def __init__(self, scratch: Path, n: int) -> None:
        sys.path.insert(0, str(ROOT))
        from tests.github_api import GitHubAPI

        self.scratch = scratch
        seed = scratch / "seed"
        generate(seed, n)
        _git(seed, "branch", "main")
        self.bare = scratch / "remote.git"
        _git(scratch, "clone", "-q", "--bare", str(seed), str(self.bare))
        self.api = GitHubAPI(self.bare, REPOSITORY).__enter__()
        home = scratch / "home"
        home.mkdir()
        self.env = {
            **GIT_ENV,
            "HOME": str(home),
            "GITHUB_TOKEN": self.api.token,
            "GITHUB_REPOSITORY": REPOSITORY,
            "GITHUB_API_URL": self.api.url,
        }
        for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
            del self.env[name]  # the tool commits as the github-actions bot, as on a runner

    def clone(self, name: str) -> Path:
        path = self.scratch / name
        _git(self.scratch, "clone", "-q", "--depth", "1", "--single-branch", "--branch", "main",
             f"file://{self.bare}", str(path))  # fmt: skip
        _git(path, "config", "user.name", PERSON[0])
        _git(path, "config", "user.email", PERSON[1])
        return path

    def publish(self, tool: str, clone: Path, name: str, date: str = "2026-11-29") -> tuple[float, int]:
        command = request(tool, clone, name, date=date)
        command[command.index("--dry-run")] = "--publish"
        return timed(command, env=self.env)

    def minimum(self, clone: Path, branch: str) -> tuple[float, int]:
        return timed(["bash", "--noprofile", "--norc", "-c", MINIMUM, "minimum", str(clone), branch], env=self.env)

    def merge(self, branch: str) -> None:
        """Merge the request's pull request as GitHub would (its branch is one commit on the base tip)."""
        sha = _git(self.bare, "rev-parse", f"refs/heads/{branch}").strip()
        _git(self.bare, "update-ref", "refs/heads/development", sha)
        number = next(n for n, pull in self.api.pulls.items() if pull.head == branch and pull.state == "open")
        self.api.merge(number)

    def close(self) -> None:
        self.api.__exit__(None, None, None)


def bench_publish(tool: str, n: int, repeats: int) -> dict[str, Any]:
    """A published request (a new pull request each time) against the hand-written minimum, alternating."""
    with tempfile.TemporaryDirectory() as scratch:
        remote = _Remote(Path(scratch), n)
        try:
            clone, by_hand = remote.clone("work"), remote.clone("by-hand")
            remote.publish(tool, clone, "warm-up")  # untimed: the files in the page cache
            remote.minimum(by_hand, "by-hand-warm-up")
            runs: dict[str, list[tuple[float, int]]] = {"publish": [], "minimum": []}
            for attempt in range(repeats):
                runs["publish"].append(remote.publish(tool, clone, f"published-{attempt}"))
                runs["minimum"].append(remote.minimum(by_hand, f"by-hand-{attempt}"))
            pulls = len(remote.api.pulls)
        finally:
            remote.close()
    assert pulls == 2 * (repeats + 1), f"{pulls} pull requests opened"
    row: dict[str, Any] = {"n": n, **{label: _summary(samples) for label, samples in runs.items()}}
    row["ratio"] = row["publish"]["median_s"] / row["minimum"]["median_s"]
    row["ratio_min"] = row["publish"]["min_s"] / row["minimum"]["min_s"]
    return row


def bench_refresh(tool: str, n: int, pulls: int, repeats: int) -> dict[str, Any]:
    """`refresh` of `pulls` open request pull requests: idle (nothing changed), and after a merge that
    every one of them conflicts with (a later request's `last_updated`), against the minimum."""
    with tempfile.TemporaryDirectory() as scratch:
        remote = _Remote(Path(scratch), n)
        try:
            clone, by_hand = remote.clone("work"), remote.clone("by-hand")
            for index in range(pulls):
                remote.publish(tool, clone, f"open-{index:02d}")
            command = [tool, "refresh", "--repo", str(clone), "--json"]
            runs: dict[str, list[tuple[float, int]]] = {"idle": [], "idle_fresh": [], "after_merge": [], "minimum": []}
            rebuilt: list[int] = []
            for attempt in range(repeats):
                runs["idle"].append(timed(command, env=remote.env))
                # a checkout made for the run, as on a GitHub-hosted runner: nothing known from earlier runs
                fresh = remote.clone(f"fresh-{attempt}")
                runs["idle_fresh"].append(timed([tool, "refresh", "--repo", str(fresh), "--json"], env=remote.env))
                remote.publish(tool, clone, f"merged-{attempt}", date=f"2026-12-{attempt + 1:02d}")
                remote.merge(f"registry/create-merged-{attempt}")
                seconds, memory, output = timed(command, env=remote.env, output=True)
                report = json.loads(output)
                rebuilt.append(sum(1 for pull in report["pulls"] if pull["status"] == "rebuilt"))
                runs["after_merge"].append((seconds / max(rebuilt[-1], 1), memory))
                runs["minimum"].append(remote.minimum(by_hand, f"by-hand-{attempt}"))
        finally:
            remote.close()
    row: dict[str, Any] = {"n": n, "pulls": pulls, "rebuilt": rebuilt}
    row.update({label: _summary(samples) for label, samples in runs.items()})
    for label in ("idle", "idle_fresh", "after_merge"):
        row[f"{label}_ratio"] = row[label]["median_s"] / row["minimum"]["median_s"]
        row[f"{label}_ratio_min"] = row[label]["min_s"] / row["minimum"]["min_s"]
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


def bench_install(repeats: int) -> dict[str, Any]:
    """The action's install as the runner runs it, cold and warm: bench/install.py."""
    from install import measure  # bench/install.py, beside this script

    return measure(repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000,20000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check-size", type=int, default=5000)
    parser.add_argument("--publish-sizes", default="500,5000")
    parser.add_argument("--refresh-size", type=int, default=2000)
    parser.add_argument("--refresh-pulls", type=int, default=20)
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
    results["publish"] = []
    for n in (int(s) for s in args.publish_sizes.split(",") if s):
        row = bench_publish(tool, n, args.repeats)
        results["publish"].append(row)
        print(f"publish N={n}: {row['publish']['median_s']:.3f} s, {row['ratio']:.1f}x the minimum", file=sys.stderr)
    if args.refresh_pulls:
        row = bench_refresh(tool, args.refresh_size, args.refresh_pulls, args.repeats)
        results["refresh"] = row
        print(
            f"refresh: idle {row['idle_ratio']:.1f}x, fresh checkout {row['idle_fresh_ratio']:.1f}x,"
            f" per rebuilt {row['after_merge_ratio']:.1f}x",
            file=sys.stderr,
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
        "| registries | first | middle | last | unsorted | no `last_updated` | baseline | worst / baseline |"
        " worst / baseline, fastest runs | peak memory, worst / base |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = " | ".join(f"{row[p]['median_s']:.2f} s" for p in positions(row["n"]))
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
    published = results.get("publish") or []
    refreshed = results.get("refresh")
    if published or refreshed:
        lines += [
            "",
            "| work | registries | gitops-writer | hand-written minimum | ratio | ratio, fastest runs |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
        ]
    for row in published:
        lines.append(
            f"| published request | {row['n']:,} | {row['publish']['median_s']:.2f} s |"
            f" {row['minimum']['median_s']:.2f} s | **{row['ratio']:.1f}x** | {row['ratio_min']:.1f}x |"
        )
    if refreshed:
        pulls, minimum = refreshed["pulls"], refreshed["minimum"]["median_s"]
        lines.append(
            f"| refresh of {pulls} open PRs, idle | {refreshed['n']:,} | {refreshed['idle']['median_s']:.2f} s |"
            f" {minimum:.2f} s | **{refreshed['idle_ratio']:.1f}x** | {refreshed['idle_ratio_min']:.1f}x |"
        )
        lines.append(
            f"| the same, idle, in a fresh checkout | {refreshed['n']:,} |"
            f" {refreshed['idle_fresh']['median_s']:.2f} s |"
            f" {minimum:.2f} s | **{refreshed['idle_fresh_ratio']:.1f}x** | {refreshed['idle_fresh_ratio_min']:.1f}x |"
        )
        lines.append(
            f"| refresh after a merge, per rebuilt PR ({'/'.join(map(str, refreshed['rebuilt']))} rebuilt)"
            f" | {refreshed['n']:,} | {refreshed['after_merge']['median_s']:.2f} s | {minimum:.2f} s |"
            f" **{refreshed['after_merge_ratio']:.1f}x** | {refreshed['after_merge_ratio_min']:.1f}x |"
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
            f"The action's install (bench/install.py): cold {install['cold']['median_s']:.1f} s,"
            f" warm {install['warm']['median_s']:.1f} s (the cached venv restored and checked)."
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
    for label, style in (("first", "s-"), ("middle", "^-"), ("last", "v-"), ("unsorted", "x:"), ("unstamped", "d:")):
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
