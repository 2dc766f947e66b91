from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest

from gitops_writer.errors import ConfigError, ConflictError, GitError, GitHubError, UsageError
from gitops_writer.publish import PublishOptions, publish
from gitops_writer.publish.git import BranchState, Repository
from tests.github_api import HEAD_INVALID, GitHubAPI
from tests.publish.support import BOT_EMAIL, PERSON, AddRegistry, Remote, Sleeps, git

BRANCH = "registry/create-gamma"


def branch_commits(remote: Remote) -> list[str]:
    """The commits the request branch adds to development."""
    return remote.log(f"development..{BRANCH}")


def test_creates_one_commit_on_the_development_tip_and_opens_the_pull_request(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    head_before = git(clone, "rev-parse", "HEAD")
    build = AddRegistry("gamma")

    result = publish(clone, build, options, sleep=sleeps)

    assert (result.operation, result.number, result.branch) == ("created", 1, BRANCH)
    assert result.url == api.url.removesuffix("/api/v3") + "/acme/infra/pull/1"
    assert result.head_sha == remote.sha(BRANCH)
    [commit] = branch_commits(remote)
    sha, author, committer, parent_subject = commit.split(" ", 3)
    assert (author, committer) == (BOT_EMAIL, BOT_EMAIL)
    assert parent_subject == f"{remote.sha('development')}|registry: create gamma in dev"
    assert remote.read(BRANCH, "registries.txt") == "alpha\nbeta\ngamma\n"
    assert (
        git(remote.seed, "--git-dir", str(remote.bare), "diff", "--name-only", "development", BRANCH)
        == "registries.txt\n"
    )
    assert build.seen == ["alpha\nbeta\n"]  # the builder saw development, not the checked-out main
    pull = api.pulls[1]
    assert (pull.head, pull.base, pull.title, pull.labels) == (
        BRANCH,
        "development",
        "Create ECR Registry: gamma (dev)",
        ["ecr-registry", "dev"],
    )
    # The checkout is untouched: same HEAD, clean tree, no worktree left behind.
    assert git(clone, "rev-parse", "HEAD") == head_before
    assert git(clone, "status", "--porcelain") == ""
    assert len(git(clone, "worktree", "list").splitlines()) == 1
    assert sleeps.waits == []


def test_rerun_with_nothing_changed_is_unchanged_and_opens_no_second_pull_request(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    first = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    pushed = remote.sha(BRANCH)

    again = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert again.operation == "unchanged"
    assert (again.number, again.head_sha) == (first.number, pushed)
    assert remote.sha(BRANCH) == pushed
    assert len(api.calls_to("pulls/create")) == 1
    assert api.calls_to("pulls/update") == []
    assert len(api.pulls) == 1


def test_base_moved_regenerates_the_branch_as_one_commit_on_the_new_tip(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    new_tip = remote.commit("development", "registries.txt", "alpha\nbeta\ndelta\n", who=("Merger", "m@example.com"))
    build = AddRegistry("gamma")

    result = publish(clone, build, options, sleep=sleeps)

    assert result.operation == "updated"
    assert result.number == 1 and len(api.pulls) == 1
    [commit] = branch_commits(remote)
    assert commit.split(" ")[3].startswith(new_tip)
    assert remote.read(BRANCH, "registries.txt") == "alpha\nbeta\ndelta\ngamma\n"
    assert build.seen == ["alpha\nbeta\ndelta\n"]


def test_changed_request_updates_branch_and_pull_request(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, tmp_path: Path
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    plan_file = tmp_path / "plan.txt"
    plan_file.write_text("```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n")

    result = publish(
        clone,
        AddRegistry("gamma", extra_line="# scanned"),
        dataclasses.replace(options, extra_body_file=plan_file),
        sleep=sleeps,
    )

    assert result.operation == "updated"
    assert remote.read(BRANCH, "registries.txt").endswith("gamma\n# scanned\n")
    assert len(branch_commits(remote)) == 1
    [update] = api.calls_to("pulls/update")
    assert update.body["body"].endswith("\n\n```\nPlan: 1 to add, 0 to change, 0 to destroy.\n```\n")
    assert api.pulls[1].body == update.body["body"]


def test_only_the_body_changing_updates_the_pull_request_without_a_push(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, tmp_path: Path
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    pushed = remote.sha(BRANCH)
    extra = tmp_path / "plan.txt"
    extra.write_text("x" * 70000)

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, extra_body_file=extra), sleep=sleeps)

    assert result.operation == "updated" and remote.sha(BRANCH) == pushed
    body = api.pulls[1].body or ""
    assert len(body) == 65536 and body.endswith("(truncated: GitHub limits a pull request body to 65536 characters)")


def test_nothing_to_change_on_the_base_is_none_without_a_branch_or_an_api_call(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    result = publish(clone, AddRegistry("beta"), options, sleep=sleeps)  # development already has beta

    assert (result.operation, result.number, result.head_sha) == ("none", None, None)
    assert remote.sha("registry/create-beta") is None
    assert api.calls == []


def test_commits_by_someone_else_are_refused_unless_forced(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    human = remote.commit(BRANCH, "registries.txt", "alpha\nbeta\ngamma\n# reviewed\n", message="review fix")

    with pytest.raises(ConflictError, match=r"Pat Person <pat@example.com>.*--force"):
        publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert remote.sha(BRANCH) == human

    forced = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, force=True), sleep=sleeps)
    assert forced.operation == "updated"
    [commit] = branch_commits(remote)
    assert commit.split(" ")[1] == BOT_EMAIL


def test_the_configured_identity_commits_and_its_own_commits_are_not_foreign(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    git(clone, "config", "user.name", PERSON[0])
    git(clone, "config", "user.email", PERSON[1])
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    remote.commit(BRANCH, "registries.txt", "alpha\nbeta\ngamma\nmore\n", who=PERSON)

    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert result.operation == "updated"
    [commit] = branch_commits(remote)
    assert commit.split(" ")[1:3] == [PERSON[1], PERSON[1]]


@pytest.mark.parametrize("policy", ["recreate", "skip"])
def test_closed_pull_request_is_recreated_or_skipped(
    policy: str, clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.pulls[1].state = "closed"
    remote.commit("development", "registries.txt", "alpha\nbeta\ndelta\n")
    pushed = remote.sha(BRANCH)

    result = publish(clone, AddRegistry("gamma"), dataclasses.replace(options, on_closed=policy), sleep=sleeps)  # type: ignore[arg-type]

    if policy == "skip":
        assert (result.operation, result.number, result.head_sha) == ("none", 1, None)
        assert "closed" in result.reason
        assert remote.sha(BRANCH) == pushed  # nothing pushed
        assert len(api.pulls) == 1
    else:
        assert (result.operation, result.number) == ("created", 2)
        assert api.pulls[2].state == "open" and api.pulls[1].state == "closed"
        assert remote.sha(BRANCH) != pushed


def test_a_merged_pull_request_does_not_block_a_new_one_under_skip(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.pulls[1].state, api.pulls[1].merged = "closed", True

    result = publish(
        clone, AddRegistry("gamma", extra_line="# again"), dataclasses.replace(options, on_closed="skip"), sleep=sleeps
    )

    assert (result.operation, result.number) == ("created", 2)


def test_label_failure_is_a_warning_not_a_failure(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    api.fail(
        "issues/add-labels",
        403,
        {
            "message": "Resource not accessible by integration",
            "documentation_url": "https://docs.github.com/rest",
            "status": "403",
        },
    )

    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert result.operation == "created"
    [warning] = result.warnings
    assert "ecr-registry, dev" in warning and "Resource not accessible by integration" in warning
    assert api.pulls[1].labels == []
    # The next run adds the labels that are still missing.
    assert publish(clone, AddRegistry("gamma"), options, sleep=sleeps).warnings == ()
    assert api.pulls[1].labels == ["ecr-registry", "dev"]


def test_labels_option_overrides_the_plan(clone: Path, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps) -> None:
    publish(clone, AddRegistry("gamma"), dataclasses.replace(options, labels=("infra",), draft=True), sleep=sleeps)
    assert api.pulls[1].labels == ["infra"]
    assert api.pulls[1].draft is True


def test_missing_token_fails_before_anything_is_pushed(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    with pytest.raises(UsageError, match="no GitHub token"):
        publish(clone, AddRegistry("gamma"), dataclasses.replace(options, token=""), sleep=sleeps)
    assert remote.sha(BRANCH) is None and api.calls == []


def test_rejected_token_fails_before_anything_is_pushed(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    wrong = "ghs_" + "0" * 36
    with pytest.raises(GitHubError, match="401 Bad credentials") as caught:
        publish(clone, AddRegistry("gamma"), dataclasses.replace(options, token=wrong), sleep=sleeps)
    assert wrong not in str(caught.value)
    assert remote.sha(BRANCH) is None


def test_duplicate_pull_request_422_is_found_and_updated(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    # Another run opens the pull request between our look-up and our create.
    api.before("pulls/create", lambda server: server.open_pull(BRANCH, title="raced", body="raced"))

    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert [c.status for c in api.calls_to("pulls/create")] == [422]
    assert (result.operation, result.number) == ("updated", 1)
    assert len(api.pulls) == 1 and api.pulls[1].title == "Create ECR Registry: gamma (dev)"


def test_422_right_after_the_branch_push_is_retried(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    api.fail("pulls/create", 422, HEAD_INVALID, times=2)

    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert result.operation == "created"
    assert [c.status for c in api.calls_to("pulls/create")] == [422, 422, 201]
    assert sleeps.waits == [1.0, 2.0]


def test_server_errors_and_secondary_rate_limits_are_retried(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    api.fail("pulls/list", 502)
    api.secondary_rate_limit("pulls/create", retry_after=7)

    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)

    assert result.operation == "created"
    assert [c.status for c in api.calls_to("pulls/list")] == [502, 200]
    assert [c.status for c in api.calls_to("pulls/create")] == [403, 201]
    assert sleeps.waits == [1.0, 7.0]


def test_server_errors_that_persist_fail_before_the_push(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    api.fail("pulls/list", 502, times=5)
    with pytest.raises(GitHubError, match=r"gave up after 5 attempts \(HTTP 502\)"):
        publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert sleeps.waits == [1.0, 2.0, 4.0, 8.0]
    assert remote.sha(BRANCH) is None


def _race(monkeypatch: pytest.MonkeyPatch, remote: Remote, times: int, who: tuple[str, str]) -> list[str]:
    """Someone pushes to the request branch right after each of the first `times` branch fetches."""
    real = Repository.fetch_branch
    pushed: list[str] = []

    def fetch_then_race(self: Repository, branch: str, base: str, base_sha: str) -> BranchState:
        state = real(self, branch, base, base_sha)
        if len(pushed) < times:
            pushed.append(
                remote.commit(branch, "registries.txt", f"raced {len(pushed)}\n", start="development", who=who)
            )
        return state

    monkeypatch.setattr(Repository, "fetch_branch", fetch_then_race)
    return pushed


def test_lost_lease_refetches_regenerates_and_pushes_again(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raced = _race(monkeypatch, remote, 1, ("github-actions[bot]", BOT_EMAIL))  # another run of the tool
    build = AddRegistry("gamma")

    result = publish(clone, build, options, sleep=sleeps)

    assert result.operation == "created" and len(raced) == 1
    assert len(build.seen) == 2  # regenerated after the lost lease
    [commit] = branch_commits(remote)
    assert not commit.startswith(raced[0])
    assert remote.read(BRANCH, "registries.txt") == "alpha\nbeta\ngamma\n"


def test_lost_lease_to_a_person_is_refused(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raced = _race(monkeypatch, remote, 1, PERSON)
    with pytest.raises(ConflictError, match="Pat Person"):
        publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert remote.sha(BRANCH) == raced[0]


def test_lost_leases_are_bounded(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raced = _race(monkeypatch, remote, 99, ("github-actions[bot]", BOT_EMAIL))
    with pytest.raises(GitError, match="3 lost leases"):
        publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert len(raced) == 3 and remote.sha(BRANCH) == raced[-1]
    assert api.calls_to("pulls/create") == []


def test_token_is_never_written_or_printed(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gitops_writer.actions.workflow import report_to_actions

    caplog.set_level("DEBUG")
    environ = {
        "GITHUB_OUTPUT": str(tmp_path / "out"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
        "GITHUB_ACTIONS": "true",
    }
    api.fail("issues/add-labels", 500, times=5)  # a warning travels through every output
    result = publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    report_to_actions(result, environ)
    print(result.to_json(), repr(result), repr(options))
    with pytest.raises(GitHubError) as caught:
        publish(clone, AddRegistry("delta"), dataclasses.replace(options, token=options.token + "x"), sleep=sleeps)

    secrets = [options.token.encode(), base64.b64encode(f"x-access-token:{options.token}".encode())]
    captured = capsys.readouterr()
    texts = [captured.out, captured.err, caplog.text, str(caught.value)]
    texts += [p.read_text() for p in (tmp_path / "out", tmp_path / "summary")]
    assert result.warnings and all(options.token not in text for text in texts)
    for path in (clone / ".git").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not any(secret in data for secret in secrets), path


def test_base_gaining_the_change_during_a_lost_lease_stops_without_an_empty_branch(
    clone: Path,
    remote: Remote,
    api: GitHubAPI,
    options: PublishOptions,
    sleeps: Sleeps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raced = _race(monkeypatch, remote, 1, ("github-actions[bot]", BOT_EMAIL))
    racing_fetch = Repository.fetch_branch

    def and_merge_the_same_change(self: Repository, branch: str, base: str, base_sha: str) -> BranchState:
        state = racing_fetch(self, branch, base, base_sha)
        if len(raced) == 1:  # the same request reached development by another route
            raced.append(remote.commit("development", "registries.txt", "alpha\nbeta\ngamma\n"))
        return state

    monkeypatch.setattr(Repository, "fetch_branch", and_merge_the_same_change)
    with pytest.raises(ConflictError, match="gained these changes while publishing"):
        publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    assert remote.sha(BRANCH) == raced[0]
    assert api.calls_to("pulls/create") == []


@pytest.mark.parametrize(
    ("branch", "why"),
    [
        ("development", "it is the base branch"),
        ("main", "it is the repository's default branch"),
        ("release", "it is a protected branch"),
    ],
)
def test_a_request_branch_that_is_the_base_default_or_protected_is_refused_before_any_push(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, branch: str, why: str
) -> None:
    remote.commit("release", "registries.txt", "release\n", start="main")
    api.protected.add("release")
    before = {name: remote.sha(name) for name in ("development", "main", "release")}

    with pytest.raises(ConfigError, match=f"request branch '{branch}' would be force-pushed, but {why}"):
        publish(clone, AddRegistry("gamma", branch=branch), options, sleep=sleeps)

    assert {name: remote.sha(name) for name in before} == before
    assert api.writes() == []


def test_an_unprotected_existing_branch_of_the_tool_is_published(
    clone: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish(clone, AddRegistry("gamma"), options, sleep=sleeps)
    api.protected.add("registry/create-other")  # protection elsewhere does not matter

    again = publish(clone, AddRegistry("gamma", extra_line="# more"), options, sleep=sleeps)

    assert again.operation == "updated"
    [check] = api.calls_to("repos/get-branch")
    assert check.path == "/repos/acme/infra/branches/registry%2Fcreate-gamma" and check.status == 200
