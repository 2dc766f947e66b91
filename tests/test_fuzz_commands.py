"""Fuzzing every command: mutated configs, crash journals and GW_FIELDS end in exit 0, 1 or 2, never 3.

Each case runs the real command in a subprocess on a fresh copy of a small GitOps repository (a git
checkout of a local bare remote, so that `refresh` gets as far as loading its config); a case fails
on exit 3, on a traceback, or on taking more than its time. The seed is fixed, so a failure replays;
GITOPS_WRITER_FUZZ_CASES sets how many cases of each input there are.
"""

from __future__ import annotations

import copy
import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "fixtures" / "gitops-repo"
CASES = int(os.environ.get("GITOPS_WRITER_FUZZ_CASES", "40"))
SECONDS = 20  # per command; every input the tool refuses is refused in well under a second
TOKEN = "ghs_" + "0" * 36
FIELDS = {"name": "cart-api", "environment": "dev", "owner": "team-a", "requester": "jdoe"}
FIELDS |= {"domain": "payments", "risk": "low"}
KIND = """\
environments: [dev, test, staging, prod]
base_branch: development
references: warn
reviewers: {default: {users: [alice], teams: [platform]}}
required_labels: [ecr-registry]
commit: git
requests:
  ecr:
    title: ECR Registry
    labels: [ecr-registry, "{environment}"]
  note:
    title: Note
    fields:
      properties:
        text: {type: string, maxLength: 200, description: What to note}
        size: {type: integer, minimum: 1, default: 2}
        tier: {type: string, enum: [a, b]}
      required: [text]
    derived: {label: {from: tier, map: {a: first, b: second}}, slug: "{name}-{environment}"}
    inputs: {note_text: text}
    branch: "note/{name}-{environment}"
    commit: "note: {name}"
    labels: [note]
    workflow: .github/workflows/note.yml
    edits:
      - {id: tf, kind: entry, path: "envs/{environment}/terraform.tfvars", pointer: "/notes/{name}",
         value: {text: "{text}", size: "{size}"}}
      - {id: doc, kind: item, path: catalog/all-resources.yaml, pointer: /spec/targets, value: "./notes/{slug}.yaml"}
"""
SNIPPETS = ["&a ", "*a", "<<: *a\n", "[" * 3000, "{a: " * 200, "\x00", "\ud800", "${{ github.token }}", "}}", "\n",
            "\t", "!!python/object/apply:os.system ['id']\n", "? ", "- ", "---\n", "%YAML 1.1\n", ":", "'", '"', "#",
            "\u2028", "~", "../", ".github/", "{", "{name", "{nope}", "\ufeff", "é" * 300]  # fmt: skip
WRONG: list[Any] = [None, True, 7, -1, 1.5, "", "x", "}}", "a\nb", "../x", [], {}, ["a"], [1], {"a": [1]},
                    [{"a": 1}], {"from": {"a": 1}, "map": 5}, "[" * 2000]  # fmt: skip


def commands(repo: Path, api_url: str) -> list[list[str]]:
    fields = [f"--field={key}={value}" for key, value in FIELDS.items()]
    return [
        ["kinds", f"--repo={repo}"],
        ["kinds", f"--repo={repo}", "--json"],
        ["check", f"--repo={repo}"],
        ["request", "ecr", f"--repo={repo}", *fields, "--dry-run"],
        ["request", "note", f"--repo={repo}", "-f", "name=n1", "-f", "environment=dev", "-f", "text=t", "--dry-run"],
        ["remove-request", "ecr", f"--repo={repo}", "-f", "name=billing-api", "-f", "environment=dev", "--dry-run"],
        ["generate", "workflow", "note", f"--repo={repo}"],
        ["generate", "template", "ecr", f"--repo={repo}", "--repository=acme/infra-gitops"],
        ["init", f"--repo={repo}"],
        ["get", str(repo / "envs" / "dev" / "terraform.tfvars"), "/ecr_repositories"],
        ["set", str(repo / "envs" / "dev" / "terraform.tfvars"), "/x", '"y"'],
        ["recover", str(repo)],
        ["refresh", f"--repo={repo}", f"--config={repo / '.gitops-writer.yaml'}", f"--repository={REPOSITORY}",
         f"--token={TOKEN}", f"--api-url={api_url}", "--dry-run"],
    ]  # fmt: skip


# --- mutations ------------------------------------------------------------------------------------------


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        yield from _paths(child, (*prefix, key))


def mutate_data(rng: random.Random, data: Any) -> Any:
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        paths = [p for p in _paths(data) if p]
        if not paths:
            return rng.choice(WRONG)
        *above, last = rng.choice(paths)
        holder = data
        for key in above:
            holder = holder[key]
        choice = rng.random()
        if choice < 0.15 and isinstance(holder, dict):
            del holder[last]
        elif choice < 0.3 and isinstance(holder, dict):
            holder[rng.choice(["colour", "drop", "x y", 5, "id"])] = copy.deepcopy(holder[last])
        else:
            holder[last] = copy.deepcopy(rng.choice(WRONG + [rng.choice(SNIPPETS)]))
    return data


def mutate_text(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text) + 1)
        choice = rng.random()
        if choice < 0.5:
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif choice < 0.75:
            text = text[:at] + text[at + rng.randint(1, 40) :]
        else:
            lines = text.splitlines(keepends=True)
            line = rng.randrange(len(lines))
            text = "".join(lines[:line] + [lines[line]] * rng.randint(2, 4) + lines[line + 1 :])
    return text


def config_case(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return mutate_text(rng, KIND)
    return yaml.safe_dump(mutate_data(rng, yaml.safe_load(KIND)), allow_unicode=True, width=10_000)


JOURNAL = {
    "version": 1,
    "state": "forward",
    "entries": [
        {
            "target": "envs/dev/terraform.tfvars",
            "temp": "envs/dev/.terraform.tfvars.0123456789ab.gitops-writer.tmp",
            "backup": "envs/dev/.terraform.tfvars.0123456789ab.gitops-writer.bak",
        },
        {"target": "catalog/resources/ecr/new.yaml", "temp": None, "backup": None},
    ],
    "directories": ["catalog/resources/ecr/sub"],
}
OUTSIDE = ["/abs/outside/victim.txt", "../outside/x", ".git/config", "envs/../../x", "a\x00b", "", "."]


def journal_case(rng: random.Random) -> str:
    data = mutate_data(rng, JOURNAL)
    if rng.random() < 0.3 and isinstance(data, dict) and isinstance(data.get("entries"), list) and data["entries"]:
        entry = data["entries"][0]
        if isinstance(entry, dict):
            entry[rng.choice(["target", "temp", "backup"])] = rng.choice(OUTSIDE)
    text = json.dumps(data)
    return mutate_text(rng, text) if rng.random() < 0.3 else text


def fields_case(rng: random.Random) -> str:
    data = mutate_data(rng, FIELDS)
    text = json.dumps(data)
    if rng.random() < 0.2:
        text = text.replace(
            '"jdoe"',
            rng.choice(['"\\u0000"', '"\\ud800"', "1e400", "[" * 5000, "[" * 5000 + "]" * 5000, "true", '"a\\nb"']),
        )
    return mutate_text(rng, text) if rng.random() < 0.2 else text


# --- the runs -------------------------------------------------------------------------------------------


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example repository as a git checkout of development on a local bare remote (remote.git beside it)."""
    top = tmp_path_factory.mktemp("fuzz")
    seed = top / "seed"
    shutil.copytree(EXAMPLE, seed)
    (seed / ".gitops-writer.yaml").write_text(KIND)
    git(top, "init", "-q", "-b", "development", str(seed))
    git(seed, "add", "-A")
    git(seed, "-c", "user.name=Seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "seed")
    git(top, "clone", "-q", "--bare", str(seed), str(top / "remote.git"))
    git(seed, "remote", "add", "origin", str(top / "remote.git"))
    git(seed, "fetch", "-q", "origin")
    return seed


def run_case(pristine: Path, work: Path, name: str, write: Callable[[Path], dict[str, str]], argv: list[str]) -> str:
    """'' when the command ends in exit 0, 1 or 2 without a traceback; else what went wrong."""
    repo = work / name
    shutil.copytree(pristine, repo, symlinks=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GW_", "GH_"))}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "HOME": str(work), **write(repo)}
    argv = [arg.replace(str(pristine), str(repo)) for arg in argv]
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=SECONDS, cwd=repo)
    except subprocess.TimeoutExpired:
        return f"{name}: {argv[3:]} took more than {SECONDS}s"
    finally:
        shutil.rmtree(repo, ignore_errors=True)
    if done.returncode not in (0, 1, 2) or "Traceback" in done.stderr:
        return f"{name}: {argv[3:]} exited {done.returncode}: {done.stderr[-600:]}"
    return ""


def cases(pristine: Path, api_url: str) -> list[tuple[str, Callable[[Path], dict[str, str]], list[str]]]:
    rng = random.Random(21)
    python = [sys.executable, "-m", "gitops_writer"]
    every = commands(pristine, api_url)
    found: list[tuple[str, Callable[[Path], dict[str, str]], list[str]]] = []
    for index in range(CASES):
        text = config_case(rng)

        def config(repo: Path, text: str = text) -> dict[str, str]:
            (repo / ".gitops-writer.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
            return {}

        found.append((f"config-{index}", config, python + rng.choice(every)))
    for index in range(CASES // 2):
        text = journal_case(rng)

        def journal(repo: Path, text: str = text) -> dict[str, str]:
            (repo / ".git" / "gitops-writer.journal").write_text(text, encoding="utf-8", errors="surrogatepass")
            return {}

        found.append((f"journal-{index}", journal, python + rng.choice(every)))
    known = ['{"name": ' + "[" * 5000 + "]" * 5000 + "}", '{"name": "\\u0000"}', '{"name": "\\ud800"}', "1e400"]
    for index, text in enumerate([fields_case(rng) for _ in range(CASES // 2)] + known):

        def action(repo: Path, text: str = text) -> dict[str, str]:
            # a lone surrogate cannot stand in an environment: it goes in as the bytes it encodes to, invalid UTF-8
            text = text.encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape")
            return {"GW_KIND": "ecr", "GW_FIELDS": text, "GW_DRY_RUN": "true", "GW_WORKING_DIRECTORY": str(repo)}

        found.append((f"fields-{index}", action, [sys.executable, "-m", "gitops_writer.actions.entry"]))
    return found


def test_no_mutated_config_journal_or_field_input_ends_in_exit_3_or_a_traceback(pristine: Path, tmp_path: Path) -> None:
    with GitHubAPI(pristine.parent / "remote.git", REPOSITORY, TOKEN) as api:  # refresh lists its (no) pulls
        planned = cases(pristine, api.url)
        with ThreadPoolExecutor(max_workers=2) as pool:
            problems = [p for p in pool.map(lambda case: run_case(pristine, tmp_path, *case), planned) if p]
    assert len(planned) == 2 * CASES + 4 and not problems, "\n".join(problems)
