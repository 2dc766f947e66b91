"""Trees made in memory against git's own: the same ids as an index git builds from the same files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from gitops_writer.publish.git import Repository
from gitops_writer.publish.objects import object_id
from gitops_writer.repo.files import FileChange
from tests.publish.support import PERSON, git

FILES = {
    "a0": "a digit sorts after the slash a directory sorts as\n",
    "a.b": "a dot sorts before the slash a directory sorts as\n",
    "a-b/x.txt": "a dash too\n",
    "a/b/c.txt": "deep\n",
    "a/b/only.txt": "alone with c\n",
    "a/z.txt": "z\n",
    "empty-soon/gone.txt": "the only file of its directory\n",
    "run.sh": "echo hi\n",
    "notes.txt": "line\r\nwith CR LF\r\n",
}


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    work = tmp_path / "repo"
    work.mkdir()
    git(work, "init", "-q", "-b", "main")
    for path, text in FILES.items():
        (work / path).parent.mkdir(parents=True, exist_ok=True)
        (work / path).write_bytes(text.encode())
    (work / "run.sh").chmod(0o755)
    os.symlink("a/z.txt", work / "link")
    (work / ".gitattributes").write_text("*.txt text eol=lf\n")
    git(work, "add", "-A")
    git(work, "-c", f"user.name={PERSON[0]}", "-c", f"user.email={PERSON[1]}", "commit", "-q", "-m", "files")
    git(work, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    return Repository(work)


def by_git(repo: Repository, base: str, changes: list[FileChange]) -> str:
    """The tree git builds from the same changes, each blob stored as given, in a throwaway index."""
    env = {**os.environ, "GIT_INDEX_FILE": str(repo.root / ".git" / "test-index")}

    def run(*args: str, stdin: bytes | None = None) -> str:
        return subprocess.run(
            ["git", *args], cwd=repo.root, env=env, input=stdin, capture_output=True, check=True
        ).stdout.decode()

    run("read-tree", base)
    for change in changes:
        if change.new is None:
            run("update-index", "--force-remove", change.path)
            continue
        blob = run("hash-object", "-w", "--no-filters", "--stdin", stdin=change.new.encode()).strip()
        mode = "100755" if change.path == "run.sh" else "100644"
        run("update-index", "--add", "--cacheinfo", f"{mode},{blob},{change.path}")
    return run("write-tree").strip()


@pytest.mark.parametrize(
    "changes",
    [
        [FileChange("a/b/c.txt", "deep\n", "deeper\n")],
        [FileChange("run.sh", "echo hi\n", "echo bye\n")],
        [FileChange("empty-soon/gone.txt", "x", None), FileChange("a/b/only.txt", "x", None)],
        [FileChange("a/b/c.txt", "x", None), FileChange("a/b/only.txt", "x", None)],  # a/b goes, a stays
        [FileChange("new/deep/dir/file.yaml", None, "\ufeffnew: 1\n"), FileChange("a.c", None, "between\n")],
        [FileChange("a/b.txt", None, "a file beside the directory b\n"), FileChange("a0", "x", "rewritten\n")],
        [FileChange("notes.txt", "x", "line\r\nkept as given\r\n")],  # no clean filter on text from a blob
        [FileChange("registries.txt", "same\n", "same\n")],  # unchanged: nothing to do
    ],
    ids=["edit", "mode-kept", "directory-emptied", "nested-emptied", "new-directories", "file-and-dir", "crlf", "none"],
)
def test_a_tree_made_in_memory_is_the_tree_git_makes(repo: Repository, changes: list[FileChange]) -> None:
    base = repo.rev("HEAD")
    made = repo.tree(base).with_changes(changes)

    assert made.id == by_git(repo, base, [c for c in changes if c.changed])
    repo.store(made)
    assert git(repo.root, "cat-file", "-t", made.id).strip() == "tree"
    git(repo.root, "fsck", "--no-dangling", "--connectivity-only")
    assert git(repo.root, "ls-tree", made.id, "link").split()[0] == "120000"  # the symlink stays as it was


def test_only_missing_objects_are_written_and_what_git_wrote_is_checked(repo: Repository) -> None:
    base = repo.rev("HEAD")
    made = repo.tree(base).with_changes([FileChange("a/z.txt", "z\n", "zz\n")])
    repo.store(made)
    [(blob, data)] = made.blobs
    assert blob == object_id("blob", b"zz\n") and data == b"zz\n"
    assert git(repo.root, "cat-file", "blob", blob) == "zz\n"
    repo.store(made)  # all there now: no process, nothing written


def test_the_long_lived_reader_sees_objects_and_refs_made_after_it_started(repo: Repository) -> None:
    assert repo.rev("HEAD") == git(repo.root, "rev-parse", "HEAD").strip()
    blob = git(repo.root, "hash-object", "-w", "--stdin")  # an empty blob, made after the reader started
    assert repo.tree(repo.rev("HEAD")).text("a/z.txt") == "z\n"
    git(
        repo.root,
        "-c",
        f"user.name={PERSON[0]}",
        "-c",
        f"user.email={PERSON[1]}",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "more",
    )
    assert repo.rev("HEAD") == git(repo.root, "rev-parse", "HEAD").strip()
    assert repo.commit(repo.rev("HEAD")).parents == (git(repo.root, "rev-parse", "HEAD~1").strip(),)
    assert blob.strip() == object_id("blob", b"")
