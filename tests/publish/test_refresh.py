"""refresh, one behaviour at a time: real git on a bare remote, the GitHub stand-in, real requests."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gitops_writer.errors import ConfigError
from gitops_writer.kinds import load_config
from gitops_writer.publish import PublishOptions
from gitops_writer.publish.refresh import BLOCKED_LABEL, RefreshOptions, holds_record, recorded_request, refresh
from gitops_writer.requests.model import Request
from gitops_writer.requests.runner import apply
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import (
    ecr,
    full_clone_fixture,  # noqa: F401 (the fixture work)
    gitops_remote_fixture,  # noqa: F401 (the fixture remote)
    merge,
    publish_request,
)
from tests.publish.support import BOT_EMAIL, PERSON, Remote, Sleeps, git, shallow_clone


def person_applies(remote: Remote, request: Request, *, update: bool = False) -> str:
    """A person makes the request's change on development by hand, and pushes it."""
    git(remote.seed, "fetch", "-q", "origin")
    git(remote.seed, "checkout", "-q", "-B", "development", "origin/development")
    apply(remote.seed, request, load_config(remote.seed), update=update)
    return person_commits(remote, f"{request.action} {request.fields['name']} by hand")


def person_commits(remote: Remote, message: str) -> str:
    git(remote.seed, "add", "-A")
    git(remote.seed, "-c", f"user.name={PERSON[0]}", "-c", f"user.email={PERSON[1]}", "commit", "-q", "-m", message)
    git(remote.seed, "push", "-q", "origin", "development")
    return git(remote.seed, "rev-parse", "HEAD").strip()


def run(work: Path, options: PublishOptions, sleeps: Sleeps, **settings: object):  # type: ignore[no-untyped-def]
    return refresh(work, RefreshOptions(options, **settings), sleep=sleeps)  # type: ignore[arg-type]


def new_writes(api: GitHubAPI, since: int) -> list[str]:
    return [call.operation for call in api.writes()[since:]]


def test_the_record_in_the_body_gives_back_the_request_and_the_commit_has_the_last_word(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    request = ecr("cart-api", "dev", "2026-11-21")
    publish_request(work, request, options, sleeps)
    body = api.pulls[1].body or ""
    message = git(remote.seed, "--git-dir", str(remote.bare), "log", "-1", "--format=%B", "registry/create-cart-api")
    assert holds_record(body) and recorded_request(body) == recorded_request(body, message) == request
    assert not holds_record("no marker here") and not holds_record(body + body)  # a second one pasted in
    edited = body.replace('"owner":"team-a"', '"owner":"team-evil"')
    assert edited != body
    with pytest.raises(ValueError, match="differs from the one its commit records"):
        recorded_request(edited, message)


def test_a_branch_that_would_merge_to_the_same_result_is_not_pushed(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    pushed = remote.sha("registry/create-cart-api")
    remote.commit("development", "README.md", "infra, documented\n")  # development moves on, elsewhere
    since = len(api.writes())

    report = run(work, options, sleeps)

    [pull] = report.pulls
    assert (pull.status, pull.head_sha) == ("unchanged", pushed), pull.reason
    assert "merges cleanly" in pull.reason
    assert remote.sha("registry/create-cart-api") == pushed and new_writes(api, since) == []
    [again] = run(work, options, sleeps, up_to_date=True).pulls  # unless the branch must be up to date
    assert again.status == "rebuilt"
    assert remote.log("registry/create-cart-api")[0].split()[3].split("|")[0] == remote.sha("development")


def test_an_idle_run_rebuilds_nothing(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    pushed = remote.sha("registry/create-cart-api")

    def no_rebuild(*args: object) -> None:
        raise AssertionError("a branch already one request commit on the base tip is rebuilt")

    monkeypatch.setattr("gitops_writer.publish.refresh.rebuild", no_rebuild)
    [pull] = run(work, options, sleeps).pulls
    assert (pull.status, pull.head_sha) == ("unchanged", pushed), pull.reason
    assert "already one commit on the tip" in pull.reason


def test_a_shallow_checkout_rebuilds_whatever_is_behind(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    clone = shallow_clone(tmp_path, remote)
    publish_request(clone, ecr("cart-api"), options, sleeps)
    remote.commit("development", "README.md", "infra, documented\n")
    [pull] = run(clone, options, sleeps).pulls
    assert pull.status == "rebuilt"
    assert merge(remote, "registry/create-cart-api")


def test_commits_by_anyone_else_are_reported_and_left_alone(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    for name in ("cart-api", "chat-web"):
        publish_request(work, ecr(name), options, sleeps)
    remote.commit("registry/create-cart-api", "notes.md", "why\n", who=PERSON)
    touched = remote.sha("registry/create-cart-api")
    assert merge(remote, "registry/create-chat-web")
    api.merge(2)
    since = len(api.writes())

    [pull] = run(work, options, sleeps).pulls

    assert (pull.number, pull.status) == (1, "left")
    assert "Pat Person <pat@example.com>" in pull.reason
    assert remote.sha("registry/create-cart-api") == touched and new_writes(api, since) == []


def test_a_request_already_on_the_base_closes_its_pull_request_and_deletes_its_branch(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    publish_request(work, ecr("billing-api", action="remove"), options, sleeps)
    person_applies(remote, ecr("cart-api"))
    person_applies(remote, ecr("billing-api", action="remove"))
    since = len(api.writes())

    report = run(work, options, sleeps)

    assert [(p.number, p.status) for p in report.pulls] == [(1, "closed"), (2, "closed")]
    assert all(p.told for p in report.pulls)  # what the requester hears of (notifications)
    assert [p.request.fields["name"] for p in report.pulls if p.request] == ["cart-api", "billing-api"]
    assert new_writes(api, since) == ["issues/create-comment", "pulls/update", "git/delete-ref"] * 2
    assert api.pulls[1].state == api.pulls[2].state == "closed" and not api.pulls[1].merged
    assert "already holds everything" in api.comments[1][0]
    assert remote.sha("registry/create-cart-api") is None and remote.sha("registry/remove-billing-api-dev") is None
    assert sleeps.waits and all(0 < wait <= 1.0 for wait in sleeps.waits)  # writes are a second apart
    writes = len(api.writes())
    assert run(work, options, sleeps).pulls == () and len(api.writes()) == writes


def test_a_request_that_no_longer_applies_is_labelled_once_and_left_alone(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    pushed = remote.sha("registry/create-cart-api")
    person_applies(remote, ecr("cart-api", owner="team-b"))  # the same name, by hand

    [pull] = run(work, options, sleeps).pulls

    assert pull.status == "blocked" and "already exists with other values" in pull.reason
    assert pull.told and pull.request == ecr("cart-api")
    assert api.pulls[1].labels[-1] == BLOCKED_LABEL and api.pulls[1].state == "open"
    assert "team-b" in api.comments[1][0] and remote.sha("registry/create-cart-api") == pushed
    writes = len(api.writes())
    [again] = run(work, options, sleeps).pulls
    assert again.status == "blocked" and len(api.writes()) == writes  # said once; nothing new to say
    assert not again.told

    # The person takes their entry out again: the branch merges as it is once more, and the label comes off.
    git(remote.seed, "revert", "--no-edit", "HEAD")
    git(remote.seed, "push", "-q", "origin", "development")
    [fixed] = run(work, options, sleeps).pulls
    assert fixed.status == "unchanged" and BLOCKED_LABEL not in api.pulls[1].labels
    assert new_writes(api, writes) == ["issues/remove-label"]
    assert merge(remote, "registry/create-cart-api")


def test_a_run_changes_at_most_max_pulls_and_the_next_run_takes_the_rest(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    for name in ("api-gw", "cart-api", "jobs-api", "kyc-svc"):
        publish_request(work, ecr(name), options, sleeps)
    assert merge(remote, "registry/create-api-gw")
    api.merge(1)

    first = run(work, options, sleeps, max_pulls=2)
    assert [p.status for p in first.pulls] == ["rebuilt", "rebuilt", "deferred"]
    assert "at most 2 pull requests" in first.pulls[2].reason
    second = run(work, options, sleeps, max_pulls=2)
    assert [p.status for p in second.pulls] == ["unchanged", "unchanged", "rebuilt"]


def test_a_low_rate_limit_leaves_the_rest_for_the_next_run(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    for name in ("api-gw", "cart-api"):
        publish_request(work, ecr(name), options, sleeps)
    assert merge(remote, "registry/create-api-gw")
    api.merge(1)
    api.rate_remaining = 20
    tip = remote.sha("registry/create-cart-api")

    [pull] = run(work, options, sleeps).pulls

    assert pull.status == "deferred" and "API calls left" in pull.reason
    assert remote.sha("registry/create-cart-api") == tip


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    for name in ("api-gw", "cart-api", "chat-web"):
        publish_request(work, ecr(name), options, sleeps)
    assert merge(remote, "registry/create-api-gw")
    api.merge(1)
    person_applies(remote, ecr("chat-web"))
    refs = git(remote.seed, "--git-dir", str(remote.bare), "for-each-ref")
    since = len(api.writes())

    report = run(work, options, sleeps, dry_run=True)

    assert [p.status for p in report.pulls] == ["rebuilt", "closed"]
    assert not any(p.told for p in report.pulls)  # a dry run tells no one
    assert git(remote.seed, "--git-dir", str(remote.bare), "for-each-ref") == refs and new_writes(api, since) == []


def test_pull_requests_without_a_record_are_not_touched(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    remote.commit("feature", "notes.md", "x\n", start="development")
    api.open_pull("feature", body="A person's pull request, mentioning gitops-writer:request in passing")
    assert run(work, options, sleeps).pulls == () and api.writes() == []


def test_a_broken_config_on_the_base_fails_the_run_and_labels_nothing(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    remote.commit("development", ".gitops-writer.yaml", "requests: [oops]\n")
    since = len(api.writes())

    with pytest.raises(ConfigError):
        run(work, options, sleeps)
    assert new_writes(api, since) == []


def test_a_person_can_label_nothing_into_existence_through_the_body(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    """A record that names no kind is not rebuilt as anything: the PR is labelled for a person."""
    publish_request(work, ecr("cart-api"), options, sleeps)
    body = api.pulls[1].body or ""
    api.pulls[1].body = body.replace('"kind":"ecr"', '"kind":5')
    assert api.pulls[1].body != body
    remote.commit("development", "README.md", "moved\n")
    [pull] = run(work, options, sleeps).pulls
    assert pull.status == "blocked" and "cannot be read" in pull.reason


def test_a_record_copied_into_another_pull_request_never_moves_that_branch(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    git(remote.seed, "fetch", "-q", "origin")
    git(remote.seed, "push", "-q", "origin", "origin/development:refs/heads/feature")
    copied = api.open_pull("feature", body=api.pulls[1].body or "")
    api.pulls[1].state = "closed"
    since = len(api.writes())

    [pull] = run(work, options, sleeps).pulls

    assert (pull.number, pull.status) == (copied.number, "left")
    assert "registry/create-cart-api" in pull.reason
    assert remote.sha("feature") == remote.sha("development") and new_writes(api, since) == []


# --- only exactly what gitops-writer made is ever force-pushed, closed or deleted ---------------------
# Sharing the tool's committer is not enough: in CI every workflow commits as github-actions[bot].

BOT = ("github-actions[bot]", BOT_EMAIL)
WEB_FLOW = ("GitHub", "noreply@github.com")
BRANCH = "registry/create-cart-api"


def replace_head(remote: Remote, start: str, who: tuple[str, str], message: str, author: str) -> str:
    """BRANCH made one commit on `start` holding notes.md, by `who` as committer, as a hand-made branch is."""
    git(remote.seed, "fetch", "-q", "origin")
    git(remote.seed, "checkout", "-q", "-B", "forged", start)
    (remote.seed / "notes.md").write_text("someone else's work\n")
    git(remote.seed, "add", "notes.md")
    git(
        remote.seed, "-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}",
        "commit", "-q", f"--author={author}", "-m", message,
    )  # fmt: skip
    git(remote.seed, "push", "-q", "--force", "origin", f"forged:{BRANCH}")
    return git(remote.seed, "rev-parse", "HEAD").strip()


def tool_message(remote: Remote) -> str:
    return git(remote.seed, "--git-dir", str(remote.bare), "log", "-1", "--format=%B", BRANCH)


def tool_parent(remote: Remote) -> str:
    return remote.log(BRANCH)[0].split()[3].split("|")[0]


def test_a_commit_made_as_the_tools_committer_on_top_of_its_own_is_labelled_once_and_left(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    assert remote.log(BRANCH)[0].split()[2] == BOT_EMAIL  # the tool commits as the bot
    touched = remote.commit(BRANCH, "notes.md", "a reviewer's fix\n", who=BOT)
    remote.commit("development", "README.md", "moved\n")

    [pull] = run(work, options, sleeps, up_to_date=True).pulls

    assert pull.status == "blocked" and "not the one commit gitops-writer makes" in pull.reason
    assert remote.sha(BRANCH) == touched and BLOCKED_LABEL in api.pulls[1].labels
    assert [p.status for p in run(work, options, sleeps, up_to_date=True).pulls] == ["blocked"]  # told once
    assert api.pulls[1].labels.count(BLOCKED_LABEL) == 1 and len(api.comments[1]) == 1


@pytest.mark.parametrize("on_base", [False, True], ids=["rebuild", "close"])
def test_the_tools_commit_edited_as_the_same_committer_is_never_force_pushed_or_deleted(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, on_base: bool
) -> None:
    publish_request(work, ecr("cart-api"), options, sleeps)
    edited = replace_head(remote, tool_parent(remote), BOT, tool_message(remote), f"{BOT[0]} <{BOT[1]}>")
    if on_base:
        person_applies(remote, ecr("cart-api"))
    else:
        remote.commit("development", "README.md", "moved\n")

    [pull] = run(work, options, sleeps, up_to_date=True).pulls

    assert pull.status == "blocked" and "is not the one gitops-writer makes of the request" in pull.reason
    assert remote.sha(BRANCH) == edited and api.pulls[1].state == "open"


def test_a_forged_record_on_a_hand_made_branch_at_the_base_tip_never_becomes_a_tool_commit(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    """One commit on the very tip of the base, by the bot's name, trailers equal to the body: still not the
    tool's, since the tool makes another tree of that record; the idle skip does not pass it either."""
    publish_request(work, ecr("cart-api"), options, sleeps)
    body, message = api.pulls[1].body or "", tool_message(remote)
    api.pulls[1].state = "closed"
    forged_body, forged_message = (text.replace("2026-11-20", "2001-01-01") for text in (body, message))
    assert forged_body != body and forged_message != message
    forged = replace_head(remote, "origin/development", BOT, forged_message, "Mallory <m@example.com>")
    pull = api.open_pull(BRANCH, body=forged_body)
    since = len(api.writes())

    [outcome] = run(work, options, sleeps).pulls

    assert (outcome.number, outcome.status) == (pull.number, "blocked")
    assert remote.sha(BRANCH) == forged and new_writes(api, since) == ["issues/create-comment", "issues/add-labels"]


def test_in_api_mode_another_bots_web_flow_commit_is_not_the_tools(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    options = dataclasses.replace(options, commit="api")
    publish_request(work, ecr("cart-api"), options, sleeps)
    other = "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
    edited = replace_head(remote, tool_parent(remote), WEB_FLOW, tool_message(remote), other)
    remote.commit("development", "README.md", "moved\n")

    [pull] = run(work, options, sleeps, up_to_date=True).pulls

    assert pull.status == "blocked" and remote.sha(BRANCH) == edited


@pytest.mark.parametrize("mode", ["git", "api"])
def test_the_tools_own_commit_made_on_an_older_base_is_still_rebuilt(
    work: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, mode: str
) -> None:
    """The identity check makes the commit again on its own (older) parent, not on the new base."""
    options = dataclasses.replace(options, commit=mode)  # type: ignore[arg-type]
    publish_request(work, ecr("cart-api"), options, sleeps)
    remote.commit("development", "README.md", "moved\n")

    [pull] = run(work, options, sleeps, up_to_date=True).pulls

    assert pull.status == "rebuilt" and BLOCKED_LABEL not in api.pulls[1].labels
    assert remote.log(BRANCH)[0].split()[3].split("|")[0] == remote.sha("development")
