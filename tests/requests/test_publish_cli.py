"""`ecr request --publish` through the console entry point: real git, the GitHub stand-in, Actions outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.github_api import GitHubAPI
from tests.publish.support import REPOSITORY, Remote, git, seed_remote, shallow_clone
from tests.requests.conftest import EXAMPLE

REQUEST = [
    "ecr",
    "request",
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
    "medium",
    "--date",
    "2026-11-29",
]


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    """development holds the GitOps files; main has diverged (it carries the workflow) and lacks them."""

    def start(seed: Path) -> None:
        (seed / "README.md").write_text("infra\n")

    def gitops_files(seed: Path) -> None:
        shutil.copytree(EXAMPLE, seed, dirs_exist_ok=True)

    def workflow(seed: Path) -> None:
        (seed / "workflow.yml").write_text("on: workflow_dispatch\n")

    return seed_remote(tmp_path, base=start, development=gitops_files, main=workflow)


@pytest.fixture
def clone(tmp_path: Path, remote: Remote) -> Path:
    return shallow_clone(tmp_path, remote)


@pytest.fixture
def actions_env(tmp_path: Path, api: GitHubAPI, token: str) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_", "GH_"))}
    env.update(
        HOME=str(home),
        GIT_CONFIG_NOSYSTEM="1",
        GITHUB_ACTIONS="true",
        GITHUB_TOKEN=token,
        GITHUB_REPOSITORY=REPOSITORY,
        GITHUB_API_URL=api.url,
        GITHUB_OUTPUT=str(tmp_path / "output"),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary"),
    )
    return env


def run(clone: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args, "--repo", str(clone)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def outputs(path: str) -> dict[str, str]:
    lines, result = Path(path).read_text().splitlines(), {}
    while lines:
        name, _, delimiter = lines.pop(0).partition("<<")
        value = []
        while (line := lines.pop(0)) != delimiter:
            value.append(line)
        result[name] = "\n".join(value)
    return result


def test_publish_creates_then_leaves_the_pr_alone(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str], token: str
) -> None:
    first = run(clone, actions_env, *REQUEST, "--publish")
    assert first.returncode == 0, first.stderr
    out = outputs(actions_env["GITHUB_OUTPUT"])
    assert out["pull-request-operation"] == "created" and out["branch"] == "registry/create-payments-api"
    assert out["pull-request-url"].endswith("/pull/1")
    pull = api.pulls[1]
    assert pull.title == "Create ECR Registry: payments-api (dev)"
    assert remote.log("registry/create-payments-api")[1].split()[0] == remote.sha("development")
    assert '"payments-api" = {' in remote.read("registry/create-payments-api", "envs/dev/terraform.tfvars")
    assert "./resources/ecr/payments-api.yaml" in remote.read(
        "registry/create-payments-api", "catalog/all-resources.yaml"
    )
    assert not (clone / "envs").exists(), "the working tree (main) is left alone"
    assert "payments-api" in Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text()

    Path(actions_env["GITHUB_OUTPUT"]).unlink()
    again = run(clone, actions_env, *REQUEST, "--publish")
    assert again.returncode == 0, again.stderr
    assert outputs(actions_env["GITHUB_OUTPUT"])["pull-request-operation"] == "unchanged"
    assert len(api.pulls) == 1 and len(api.calls_to("pulls/create")) == 1
    for text in (
        first.stdout,
        first.stderr,
        again.stdout,
        again.stderr,
        Path(actions_env["GITHUB_STEP_SUMMARY"]).read_text(),
    ):
        assert token not in text


def test_invalid_request_is_annotated_and_pushes_nothing(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    bad = [a if a != "payments-api" else "Payments_API" for a in REQUEST]
    result = run(clone, actions_env, *bad, "--publish")
    assert result.returncode == 2
    assert result.stderr == (  # one line per broken rule
        "gitops-writer: error: name: must start with a lower-case letter and hold only a-z, 0-9 and '-'\n"
        "gitops-writer: error: name: breaks AWS ECR naming: no '-' at the end and no two separators in a row\n"
    )
    assert result.stdout.startswith("::error title=ValidationError::name: must start")
    assert result.stdout.count("::error title=ValidationError::name: ") == 2
    assert api.calls == [] and remote.sha("registry/create-Payments_API") is None


def test_missing_token_fails_before_anything(clone: Path, api: GitHubAPI, actions_env: dict[str, str]) -> None:
    env = {k: v for k, v in actions_env.items() if k != "GITHUB_TOKEN"}
    result = run(clone, env, *REQUEST, "--publish")
    assert result.returncode == 2 and "no GitHub token" in result.stderr
    assert api.calls == []


def test_dry_run_and_publish_exclude_each_other(clone: Path, actions_env: dict[str, str]) -> None:
    result = run(clone, actions_env, *REQUEST, "--publish", "--dry-run")
    assert result.returncode == 2 and "exclude each other" in result.stderr


def _request(name: str) -> list[str]:
    return [name if arg == "payments-api" else arg for arg in REQUEST]


def _merge(remote: Remote, branch: str) -> subprocess.CompletedProcess[str]:
    """Merge a request branch into development as a person would, with a real git merge."""
    git(remote.seed, "fetch", "-q", "origin")
    git(remote.seed, "checkout", "-q", "-B", "development", "origin/development")
    merged = subprocess.run(
        ["git", "merge", "--no-ff", "-q", "-m", f"merge {branch}", f"origin/{branch}"],
        cwd=remote.seed,
        capture_output=True,
        text=True,
    )
    if merged.returncode == 0:
        git(remote.seed, "push", "-q", "origin", "development")
    else:
        git(remote.seed, "merge", "--abort")
    return merged


def test_parallel_requests_merge_without_conflict(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    """Both branches start from the same development tip; sorted insertion keeps their hunks apart."""
    for name in ("alpha-svc", "zulu-svc"):
        assert run(clone, actions_env, *_request(name), "--publish").returncode == 0
    assert _merge(remote, "registry/create-alpha-svc").returncode == 0
    second = _merge(remote, "registry/create-zulu-svc")
    assert second.returncode == 0, second.stdout + second.stderr
    tfvars = remote.read("development", "envs/dev/terraform.tfvars")
    assert tfvars.index('"alpha-svc"') < tfvars.index('"billing-api"') < tfvars.index('"zulu-svc"')
    location = remote.read("development", "catalog/all-resources.yaml")
    assert location.index("alpha-svc") < location.index("billing-api") < location.index("zulu-svc")


def test_conflicting_requests_are_regenerated_on_the_new_base(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    """Two names that sort to the same place conflict; re-running the second rebuilds it on the new tip."""
    for name in ("payments-api", "payments-web"):
        assert run(clone, actions_env, *_request(name), "--publish").returncode == 0
    assert _merge(remote, "registry/create-payments-api").returncode == 0
    assert _merge(remote, "registry/create-payments-web").returncode != 0, "the two inserts touch the same lines"
    rerun = run(clone, actions_env, *_request("payments-web"), "--publish", "--json")
    assert rerun.returncode == 0, rerun.stderr
    assert '"operation": "updated"' in rerun.stdout
    assert remote.log("registry/create-payments-web")[1].split()[0] == remote.sha("development")
    assert _merge(remote, "registry/create-payments-web").returncode == 0
    assert len(api.pulls) == 2
    tfvars = remote.read("development", "envs/dev/terraform.tfvars")
    assert tfvars.index('"payments-api"') < tfvars.index('"payments-web"')


def test_remove_is_published_on_its_own_branch(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    assert run(clone, actions_env, *REQUEST, "--publish").returncode == 0
    assert _merge(remote, "registry/create-payments-api").returncode == 0
    removal = run(
        clone,
        actions_env,
        "ecr",
        "remove",
        "--name",
        "payments-api",
        "--environment",
        "dev",
        "--date",
        "2026-11-29",
        "--publish",
    )
    assert removal.returncode == 0, removal.stderr
    assert api.pulls[2].title == "Remove ECR Registry: payments-api (dev)"
    # not the create label the seed's ecr-auto-apply.yml starts on, nor a registry/create- branch
    assert api.pulls[2].labels == ["ecr-registry-removal", "dev"]
    assert (
        remote.log("registry/remove-payments-api-dev")[0].split("|", 1)[1] == "registry: remove payments-api from dev"
    )
    for path in ("envs/dev/terraform.tfvars", "catalog/all-resources.yaml"):
        assert "payments-api" not in remote.read("registry/remove-payments-api-dev", path)
    assert _merge(remote, "registry/remove-payments-api-dev").returncode == 0


def test_the_configs_publishing_settings_and_the_review_options_reach_the_pull_request(
    clone: Path, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    (clone / ".gitops-writer.yaml").write_text(
        "reviewers:\n"
        "  default: {users: [carol], teams: [platform]}\n"
        "  medium: {users: [dana]}\n"
        "required_labels: [ecr-registry]\n"
    )
    api.collaborators |= {"carol", "dana", "erin"}
    api.teams |= {"platform", "payments"}
    result = run(clone, actions_env, *REQUEST, "--publish", "--assignees", "erin", "--team-reviewers", "payments")
    assert result.returncode == 0, result.stderr
    pull = api.pulls[1]
    assert pull.reviewers == ["dana"], result.stderr + "the request's risk (medium) picks the config's reviewers"
    assert pull.teams == ["payments"], "an option wins over the config"
    assert pull.assignees == ["erin"] and "ecr-registry" in pull.labels


def test_an_invalid_publishing_setting_is_refused_before_any_push(
    clone: Path, remote: Remote, api: GitHubAPI, actions_env: dict[str, str]
) -> None:
    (clone / ".gitops-writer.yaml").write_text("commit: carrier-pigeon\n")
    result = run(clone, actions_env, *REQUEST, "--publish")
    assert result.returncode == 2 and "commit" in result.stderr, result.stderr
    assert remote.sha("registry/create-payments-api") is None and not api.pulls
