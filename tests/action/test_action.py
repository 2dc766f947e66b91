"""action.yml end to end, as the runner runs it: outputs, the pull request, the summary, refusals."""

from __future__ import annotations

import base64
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.action.cache import CacheStore
from tests.action.conftest import FIXTURE, REQUEST, RunAction, make_runner
from tests.action.runner import ActionRun
from tests.github_api import GitHubAPI
from tests.publish.support import Remote, git

pytestmark = pytest.mark.slow

BRANCH = "registry/create-payments-api"


def heads(remote: Remote) -> str:
    return git(
        remote.seed, "--git-dir", str(remote.bare), "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"
    )


def test_opens_the_pull_request_on_the_development_tip(
    run_action: RunAction, remote: Remote, api: GitHubAPI, workspace: Path
) -> None:
    checked_out = git(workspace, "rev-parse", "HEAD")

    run = run_action()

    assert not run.failed, run.log
    pull = api.pulls[1]
    assert run.outputs == {
        "pull-request-url": pull_url(api, 1),
        "pull-request-number": "1",
        "pull-request-operation": "created",
        "branch": BRANCH,
        "head-sha": remote.sha(BRANCH),
        "commit-verified": "false",
    }
    assert (pull.head, pull.base, pull.title) == (BRANCH, "development", "Create ECR Registry: payments-api (dev)")
    # One commit on development's tip, which holds development's own registry as well as the new one.
    assert git(remote.seed, "--git-dir", str(remote.bare), "rev-parse", f"{BRANCH}^") == git(
        remote.seed, "--git-dir", str(remote.bare), "rev-parse", "development"
    )
    tfvars = remote.read(BRANCH, "envs/dev/terraform.tfvars")
    assert '"audit-log" = {' in tfvars and '"payments-api" = {' in tfvars
    changed = git(remote.seed, "--git-dir", str(remote.bare), "diff", "--name-only", "development", BRANCH).split()
    assert sorted(changed) == sorted(
        [
            "envs/dev/terraform.tfvars",
            "docs/20-contracts/resource-catalogs/ecr-catalog.yaml",
            "catalog/resources/ecr/payments-api.yaml",
            "catalog/all-resources.yaml",
        ]
    )
    assert f"[#1 Create ECR Registry: payments-api (dev)]({pull_url(api, 1)})" in run.summary
    # The checkout is as actions/checkout left it: same commit, clean.
    assert git(workspace, "rev-parse", "HEAD") == checked_out
    assert git(workspace, "status", "--porcelain", "--untracked-files=all") == ""
    outcomes = {step.id: step.outcome for step in run.steps}
    assert outcomes == {
        "python": "success",
        "venv": "success",
        "restore": "success",
        "install": "success",
        "save": "skipped",  # the stand-in install built nothing
        "request": "success",
    }


def test_a_rerun_of_the_same_request_is_unchanged_and_opens_no_second_pull_request(
    run_action: RunAction, remote: Remote, api: GitHubAPI
) -> None:
    first = run_action()
    pushed = heads(remote)

    again = run_action()

    assert not again.failed, again.log
    assert again.outputs["pull-request-operation"] == "unchanged"
    assert {k: again.outputs[k] for k in ("pull-request-number", "pull-request-url", "branch", "head-sha")} == {
        k: first.outputs[k] for k in ("pull-request-number", "pull-request-url", "branch", "head-sha")
    }
    assert heads(remote) == pushed
    assert len(api.calls_to("pulls/create")) == 1 and len(api.pulls) == 1


def test_dry_run_puts_the_diff_in_the_step_summary_and_pushes_nothing(
    run_action: RunAction, remote: Remote, api: GitHubAPI, workspace: Path
) -> None:
    before = heads(remote)

    run = run_action(**{"dry-run": "true"})

    assert not run.failed, run.log
    assert run.outputs == {
        "pull-request-url": "",
        "pull-request-number": "",
        "pull-request-operation": "none",
        "branch": BRANCH,
        "head-sha": "",
        "commit-verified": "false",
    }
    assert heads(remote) == before and api.calls == []
    assert git(workspace, "status", "--porcelain", "--untracked-files=all") == ""
    summary = run.summary
    assert "### gitops-writer: dry run of `payments-api` in `dev`" in summary
    assert "Would change 4 files on branch `registry/create-payments-api`" in summary
    assert "```diff\n--- a/envs/dev/terraform.tfvars\n+++ b/envs/dev/terraform.tfvars\n" in summary
    assert '+  "payments-api" = {\n' in summary
    assert "+++ b/catalog/resources/ecr/payments-api.yaml\n" in summary
    assert summary.rstrip().endswith("```")
    # The same diff is in the log, for people who read the run rather than its summary.
    assert '+  "payments-api" = {\n' in run.step("request").stdout


def test_dry_run_of_a_request_already_in_the_repository_says_nothing_would_change(run_action: RunAction) -> None:
    run = run_action(
        **{
            "registry-name": "identity-web",  # billing-api is in dev and staging, its records say dev only
            "owner": "team-identity",
            "requester": "ben",
            "domain": "identity",
            "risk": "high",
            "dry-run": "true",
        }
    )

    assert not run.failed, run.log
    assert "Nothing would change" in run.summary and "```" not in run.summary
    assert run.outputs["pull-request-operation"] == "none"


def test_dry_run_in_a_directory_of_a_checkout_that_is_not_a_repository_of_its_own(tmp_path: Path) -> None:
    """The CI job: `uses: ./` with working-directory fixtures/gitops-repo, no token, no GitHub API."""
    checkout = tmp_path / "checkout"
    (checkout / "fixtures").mkdir(parents=True)
    shutil.copytree(FIXTURE, checkout / "fixtures" / "gitops-repo")
    before = {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()}
    runner = make_runner(checkout, tmp_path / "runner-temp", token="", api_url="https://api.github.example")

    run = runner.run({**REQUEST, "dry-run": "true", "working-directory": "fixtures/gitops-repo"})

    assert not run.failed, run.log
    assert run.outputs["pull-request-operation"] == "none"
    assert run.outputs["branch"] == "registry/create-payments-api"
    assert "+++ b/catalog/resources/ecr/payments-api.yaml" in run.summary
    assert {p: p.read_bytes() for p in checkout.rglob("*") if p.is_file()} == before


REQUEST_FIELDS = ["registry-name", "environment", "owner", "requester", "domain", "risk"]
HOSTILE = [
    "$(touch {canary})",
    "`touch {canary}`",
    'a"; touch {canary}; echo "',
    "a'; touch {canary}; echo '",
    "a && touch {canary}",
    "--force=$(touch {canary})",
]


@pytest.mark.parametrize("field", REQUEST_FIELDS)
@pytest.mark.parametrize("template", HOSTILE, ids=range(len(HOSTILE)))
def test_a_hostile_request_field_is_refused_and_nothing_runs(
    run_action: RunAction, remote: Remote, api: GitHubAPI, tmp_path: Path, field: str, template: str
) -> None:
    canary = tmp_path / "pwned"
    before = heads(remote)

    run = run_action(**{field: template.format(canary=canary)})

    assert run.failed
    assert not canary.exists()
    assert heads(remote) == before and api.calls == []
    errors = run.errors()  # one annotation per broken rule, each naming the field
    assert errors and all(error.startswith(_cli_field(field)) for error in errors), errors
    assert run.outputs["pull-request-url"] == "" and run.outputs["pull-request-operation"] == ""


def _cli_field(field: str) -> str:
    return {"registry-name": "name", "requester": "requester"}.get(field, field)


@pytest.mark.parametrize("field", ["base-branch", "config", "extra-body-file", "working-directory"])
def test_a_hostile_path_or_branch_input_is_taken_literally_and_fails_before_pushing(
    run_action: RunAction, remote: Remote, api: GitHubAPI, tmp_path: Path, field: str
) -> None:
    canary = tmp_path / "pwned"
    before = heads(remote)

    run = run_action(**{field: f"x$(touch {canary})`touch {canary}`"})

    assert run.failed and not canary.exists()
    assert heads(remote) == before and api.calls_to("pulls/create") == []
    assert f"x$(touch {canary})" in run.log  # named verbatim in the error: no shell saw it


def test_hostile_labels_reach_github_verbatim(run_action: RunAction, api: GitHubAPI) -> None:
    place = Path(tempfile.mkdtemp(prefix="gw", dir="/tmp"))  # short: a label takes at most 50 characters
    canary = place / "pwned"
    label = f"x$(touch {canary})"
    try:
        run = run_action(labels=f"{label},`touch {canary}`")
        assert not run.failed, run.log
        assert not canary.exists()
        assert api.pulls[1].labels == [label, f"`touch {canary}`"]
    finally:
        shutil.rmtree(place)


def test_a_line_break_in_an_input_cannot_forge_outputs_or_workflow_commands(
    run_action: RunAction, remote: Remote, api: GitHubAPI
) -> None:
    forged = (
        "payments-api\n::set-output name=pull-request-url::https://evil.example\npull-request-url=https://evil.example"
    )

    run = run_action(**{"registry-name": forged})

    assert run.failed and api.calls == []
    assert run.outputs["pull-request-url"] == ""
    assert run.errors() == ["input registry-name holds a control character (a line break?); pass one line of text"]


def test_the_token_reaches_github_only_through_the_token_input_and_is_never_shown(
    run_action: RunAction, api: GitHubAPI, token: str, workspace: Path, tmp_path: Path
) -> None:
    created = run_action()
    refused = run_action(**{"owner": "Not A Team"})
    dry = run_action(**{"dry-run": "true"})

    assert created.outputs["pull-request-operation"] == "created"  # the loopback API accepted the token
    assert refused.failed
    for run in (created, refused, dry):
        assert token not in run.log
        assert token not in run.summary
        assert all(token not in value for value in run.outputs.values())
        assert all(token not in path.read_text() for path in run.files)
        assert all(token not in step.script for step in run.steps)  # never spliced into a script
    assert token not in (workspace / ".git" / "config").read_text()
    # Nor on disk: not in any file the runs, git or the workspace left (as is, or as git's basic auth).
    basic = base64.b64encode(f"x-access-token:{token}".encode())
    leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and not p.is_symlink()]
    assert [p for p in leftovers if token.encode() in p.read_bytes() or basic in p.read_bytes()] == []


def test_without_a_token_it_fails_before_pushing(
    tmp_path: Path, workspace: Path, remote: Remote, api: GitHubAPI
) -> None:
    before = heads(remote)
    runner = make_runner(workspace, tmp_path / "runner-temp", token="", api_url=api.url)

    run = runner.run(dict(REQUEST))

    assert run.failed and heads(remote) == before and api.calls == []
    assert any("no GitHub token" in error for error in run.errors())


def test_inputs_for_draft_labels_and_base_branch_reach_the_pull_request(
    run_action: RunAction, api: GitHubAPI, remote: Remote, workspace: Path
) -> None:
    (workspace / "plan.txt").write_text("Plan: 1 to add, 0 to change, 0 to destroy.\n")
    remote.commit("release", "README.md", "release branch\n", start="development")

    run = run_action(
        **{"draft": "true", "labels": "ecr, needs-review", "base-branch": "release", "extra-body-file": "plan.txt"}
    )

    assert not run.failed, run.log
    pull = api.pulls[1]
    assert (pull.base, pull.draft, pull.labels) == ("release", True, ["ecr", "needs-review"])
    assert pull.body and pull.body.rstrip().endswith("Plan: 1 to add, 0 to change, 0 to destroy.")


def pull_url(api: GitHubAPI, number: int) -> str:
    return f"{api.url.removesuffix('/api/v3')}/acme/infra/pull/{number}"


@pytest.mark.slow
def test_the_install_step_builds_caches_and_on_a_hit_checks_the_venv_and_rebuilds_a_changed_one(
    tmp_path: Path, workspace: Path, api: GitHubAPI, token: str
) -> None:
    """The one script the other cases replace, three jobs at the same paths, as on a hosted runner."""
    store = CacheStore(tmp_path / "actions-cache")
    temp = tmp_path / "runner-temp"
    venv = temp / "gitops-writer-venv"

    def job() -> ActionRun:
        shutil.rmtree(temp, ignore_errors=True)  # each job starts with an empty RUNNER_TEMP
        runner = make_runner(workspace, temp, token=token, api_url=api.url, real_install=True, cache=store)
        run = runner.run({**REQUEST, "dry-run": "true"})
        assert not run.failed, run.log
        assert run.outputs["pull-request-operation"] == "none" and '+  "payments-api" = {' in run.summary
        return run

    cold = job()

    assert (cold.step("restore").outputs["cache-hit"], cold.step("save").outcome) == ("false", "success")
    assert cold.step("install").outputs == {"python": str(venv / "bin" / "python"), "built": "true"}
    installed = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import gitops_writer; print(gitops_writer.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert "site-packages" in installed, "installed as a package, not imported from the checkout"
    assert not list(venv.glob("lib/*/site-packages/setuptools")), "the build backend stays out of the venv"

    warm = job()

    assert warm.step("restore").outputs["cache-hit"] == "true"
    assert (warm.step("install").outputs["built"], warm.step("save").outcome) == ("false", "skipped")
    assert warm.annotations == []

    # The cache now holds the venv it saved, with its gitops_writer edited after it was stamped.
    cached = {"path": str(venv), "key": warm.step("venv").outputs["key"]}
    shutil.rmtree(venv)
    store.restore(cached, workspace)
    edited = next(venv.glob("lib/*/site-packages/gitops_writer/__init__.py"))
    edited.write_text(edited.read_text() + "raise SystemExit('edited')\n")
    store.archive(cached["key"]).unlink()
    store.save(cached, workspace)

    rebuilt = job()

    assert rebuilt.step("restore").outputs["cache-hit"] == "true"
    assert rebuilt.step("install").outputs["built"] == "true"
    [warning] = [a.message for a in rebuilt.annotations if a.kind == "warning"]
    assert warning.startswith("The cached venv is not used, 1 files differ from its stamp, e.g. 'lib/")
    assert (
        "/site-packages/gitops_writer/__init__.py'; installing afresh. Delete the cache gitops-writer-venv-" in warning
    )
    assert "edited" not in next(venv.glob("lib/*/site-packages/gitops_writer/__init__.py")).read_text()
