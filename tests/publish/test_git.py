from __future__ import annotations

import base64
import dataclasses
from pathlib import Path

import pytest

from gitops_writer.errors import GitError
from gitops_writer.proposal import BaseTree
from gitops_writer.publish import PublishOptions, publish
from gitops_writer.publish.git import BOT, Identity, Repository, auth_environment, redact
from gitops_writer.repo.files import FileChange
from tests.github_api import GitHubAPI
from tests.publish.git_http import GitHTTP
from tests.publish.support import PERSON, AddRegistry, Remote, Sleeps, git

BASIC = base64.b64encode(b"x-access-token:tok").decode()


@pytest.mark.parametrize(
    ("url", "environ", "expected"),
    [
        ("git@github.com:acme/infra.git", {}, {}),
        ("file:///srv/infra.git", {}, {}),
        (
            "https://github.com/acme/infra",
            {},
            {
                "GIT_CONFIG_COUNT": "2",
                "GIT_CONFIG_KEY_0": "http.https://github.com/acme/infra.extraheader",
                "GIT_CONFIG_VALUE_0": "",
                "GIT_CONFIG_KEY_1": "http.https://github.com/acme/infra.extraheader",
                "GIT_CONFIG_VALUE_1": f"AUTHORIZATION: basic {BASIC}",
            },
        ),
        (
            "https://github.com/acme/infra",
            {"GIT_CONFIG_COUNT": "1"},
            {
                "GIT_CONFIG_COUNT": "3",
                "GIT_CONFIG_KEY_1": "http.https://github.com/acme/infra.extraheader",
                "GIT_CONFIG_VALUE_1": "",
                "GIT_CONFIG_KEY_2": "http.https://github.com/acme/infra.extraheader",
                "GIT_CONFIG_VALUE_2": f"AUTHORIZATION: basic {BASIC}",
            },
        ),
    ],
    ids=["ssh", "file", "https", "keeps-existing-entries"],
)
def test_auth_environment(url: str, environ: dict[str, str], expected: dict[str, str]) -> None:
    assert auth_environment(url, "tok", environ) == expected


def test_redact_hides_the_token_and_its_basic_form() -> None:
    assert redact(f"fatal: tok and {BASIC} seen", "tok") == "fatal: *** and *** seen"


def test_identity_from_git_config_else_the_bot(clone: Path) -> None:
    assert Repository(clone).identity() == BOT
    git(clone, "config", "user.name", PERSON[0])
    git(clone, "config", "user.email", PERSON[1])
    assert Repository(clone).identity() == Identity(*PERSON)


def test_not_a_repository_or_no_remote(tmp_path: Path, clone: Path) -> None:
    with pytest.raises(GitError, match="not inside a git repository"):
        Repository(tmp_path / "nowhere")
    with pytest.raises(GitError, match="no remote named 'upstream'"):
        Repository(clone, "upstream")


def test_missing_base_branch_is_named(clone: Path) -> None:
    with pytest.raises(GitError, match="has no branch 'staging'"):
        Repository(clone).fetch_base("staging")


def test_write_tree_applies_edits_deletions_and_keeps_modes(remote: Remote, clone: Path) -> None:
    remote.commit("development", "run.sh", "echo hi\n")
    git(remote.seed, "update-index", "--chmod=+x", "run.sh")
    git(remote.seed, "commit", "-q", "-m", "executable")
    git(remote.seed, "push", "-q", "origin", "development")
    repo = Repository(clone)
    base = repo.fetch_base("development")

    tree = repo.write_tree(
        base,
        (
            FileChange("run.sh", "echo hi\n", "echo bye\n"),
            FileChange("README.md", "infra\n", None),
            FileChange("new/dir/file.txt", None, "\ufeffnew\n"),
            FileChange("registries.txt", "alpha\nbeta\n", "alpha\nbeta\n"),
        ),
    )

    listing = git(clone, "ls-tree", "-r", tree)
    assert "100755 blob" in next(line for line in listing.splitlines() if line.endswith("run.sh"))
    assert "README.md" not in listing
    assert git(clone, "cat-file", "-p", f"{tree}:new/dir/file.txt").encode() == "\ufeffnew\n".encode()
    assert git(clone, "cat-file", "-p", f"{tree}:registries.txt") == "alpha\nbeta\n"
    assert git(clone, "status", "--porcelain") == ""


def test_the_base_is_never_checked_out(clone: Path, api: GitHubAPI, options: PublishOptions) -> None:
    seen: list[BaseTree] = []

    def broken(tree: BaseTree) -> None:
        seen.append(tree)
        assert tree.text("registries.txt") == "alpha\nbeta\n"  # read from the object database
        raise RuntimeError("builder bug")

    with pytest.raises(RuntimeError):
        publish(clone, broken, options)  # type: ignore[arg-type]
    assert seen[0].root == clone
    assert len(git(clone, "worktree", "list").splitlines()) == 1
    assert git(clone, "status", "--porcelain") == ""


def test_a_full_clone_is_not_made_shallow(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps
) -> None:
    full = tmp_path / "full"
    git(tmp_path, "clone", "-q", f"file://{remote.bare}", str(full))
    publish(full, AddRegistry("gamma"), options, sleep=sleeps)
    publish(full, AddRegistry("gamma"), options, sleep=sleeps)
    assert git(full, "rev-parse", "--is-shallow-repository").strip() == "false"
    assert api.calls_to("pulls/create")[0].status == 201


def test_branch_already_merged_into_the_base_holds_no_commits_of_its_own(remote: Remote, clone: Path) -> None:
    merged = remote.commit("registry/create-old", "registries.txt", "alpha\nbeta\nold\n", start="development")
    git(remote.seed, "push", "-q", "origin", f"{merged}:refs/heads/development")
    repo = Repository(clone)
    base = repo.fetch_base("development")
    state = repo.fetch_branch("registry/create-old", "development", base)
    assert (state.sha, state.commits) == (merged, ())


def test_push_over_https_sends_exactly_our_token_and_leaves_none_on_disk(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, token: str
) -> None:
    with GitHTTP(tmp_path, token) as server:
        url = server.url("remote.git")
        work = tmp_path / "https-clone"
        git(
            tmp_path,
            "-c",
            f"http.extraheader=AUTHORIZATION: basic {base64.b64encode(f'x-access-token:{token}'.encode()).decode()}",
            "clone",
            "-q",
            "--depth",
            "1",
            "--single-branch",
            "--branch",
            "main",
            url,
            str(work),
        )
        # What actions/checkout persists: a header with its own (here stale) token.
        stale = base64.b64encode(b"x-access-token:ghs_stale").decode()
        git(work, "config", f"http.{url.rsplit('/', 1)[0]}/.extraheader", f"AUTHORIZATION: basic {stale}")

        result = publish(work, AddRegistry("gamma"), options, sleep=sleeps)

        assert result.operation == "created"
        assert remote.sha("registry/create-gamma") == result.head_sha
        ours = [headers for headers in server.authorizations if headers]
        assert ours and all(headers == [server.expected] for headers in ours)

        with pytest.raises(GitError) as caught:  # a wrong token fails without showing itself
            publish(work, AddRegistry("delta"), dataclasses.replace(options, token="ghs_wrong"), sleep=sleeps)
        assert "ghs_wrong" not in str(caught.value)
    for path in (work / ".git").rglob("*"):
        if path.is_file():
            assert token.encode() not in path.read_bytes(), path
