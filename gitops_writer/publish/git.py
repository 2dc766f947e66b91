"""Git at the edge: fetch the base and the request branch, build one commit, push it with a lease.

The user's working tree, index and HEAD are never touched, and the base is never checked out: a
request reads the few files it edits from the object database (`GitTree`), and its commit is
assembled in a temporary index file.
"""

from __future__ import annotations

import base64
import contextlib
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import git

from gitops_writer.errors import GitError, GitopsWriterError
from gitops_writer.repo.files import FileChange
from gitops_writer.repo.reading import LIMIT


@dataclass(frozen=True)
class Identity:
    name: str
    email: str

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


BOT = Identity("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")


@dataclass(frozen=True)
class Commit:
    sha: str
    author: Identity
    committer: Identity
    parents: tuple[str, ...]
    tree: str
    signed: bool = False  # carries a signature (gpgsig header)

    def made_by(self, identity: Identity) -> bool:
        email = identity.email.lower()
        return self.author.email.lower() == email and self.committer.email.lower() == email


@dataclass(frozen=True)
class BranchState:
    sha: str | None  # the tip seen on the remote (None: no such branch): the lease for the push
    commits: tuple[Commit, ...]  # the commits on the branch that are not on the base, newest first


def _person(header: str) -> Identity:
    """`Name <email> 1700000000 +0000` from a commit header."""
    name, _, rest = header.partition(" <")
    return Identity(name, rest.split(">", 1)[0])


def auth_environment(remote_url: str, token: str, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Git config entries, passed through the environment, that authenticate HTTP(S) to the remote.

    The empty value first resets any extra header configured elsewhere (actions/checkout persists
    its own), so exactly one Authorization header is sent; nothing is written to .git/config.
    """
    if not remote_url.startswith(("https://", "http://")):
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    key = f"http.{remote_url}.extraheader"
    count = int(environ.get("GIT_CONFIG_COUNT", "0") or 0)
    return {
        "GIT_CONFIG_COUNT": str(count + 2),
        f"GIT_CONFIG_KEY_{count}": key,
        f"GIT_CONFIG_VALUE_{count}": "",
        f"GIT_CONFIG_KEY_{count + 1}": key,
        f"GIT_CONFIG_VALUE_{count + 1}": f"AUTHORIZATION: basic {basic}",
    }


def redact(text: str, token: str) -> str:
    if not token:
        return text
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    return text.replace(basic, "***").replace(token, "***")


class GitTree:
    """The files of one commit, read from the object database: listed once, each read on demand.

    Only regular files are files here: a symlink or a submodule in the tree is neither read nor listed,
    as the request path never follows a link. Texts come through one long-lived `git cat-file`.
    """

    def __init__(self, repo: Repository, sha: str) -> None:
        self.root = repo.root
        self.sha = sha
        self._repo = repo
        self._blobs: dict[str, tuple[str, str]] = {}  # path -> (mode, blob id), regular files only
        self._others: set[str] = set()  # symlinks and submodules: present, but not files to read
        for record in repo.git_out("ls-tree", "-r", "-z", "--full-tree", sha).split("\0"):
            if not record:
                continue
            info, _, path = record.partition("\t")
            mode, kind, blob = info.split()
            if kind == "blob" and mode in ("100644", "100755"):
                self._blobs[path] = (mode, blob)
            else:
                self._others.add(path)

    @cached_property
    def _directories(self) -> frozenset[str]:
        found = {"."}
        for path in self._blobs:
            cut = path.rfind("/")
            while cut > 0 and path[:cut] not in found:
                found.add(path[:cut])
                cut = path.rfind("/", 0, cut)
        return frozenset(found)

    def listing(self) -> frozenset[str]:
        return frozenset(self._blobs)

    def blob(self, relative: str) -> str | None:
        entry = self._blobs.get(relative)
        return entry[1] if entry else None

    def mode(self, relative: str) -> str:
        entry = self._blobs.get(relative)
        return entry[0] if entry else "100644"

    def is_dir(self, relative: str) -> bool:
        return relative.rstrip("/") in self._directories

    def read(self, relative: str) -> bytes | None:
        if relative in self._others:
            raise GitopsWriterError(f"{relative}: is a symlink or a submodule in the base tree; refusing to follow it")
        blob = self.blob(relative)
        if blob is None:
            return None
        if self._repo.blob_size(blob) > LIMIT:
            raise GitopsWriterError(f"{relative}: is larger than {LIMIT // (1024 * 1024)} MiB; refusing to read it")
        return self._repo.blob_data(blob)

    def text(self, relative: str) -> str | None:
        """The file's text (UTF-8), None when absent."""
        data = self.read(relative)
        return None if data is None else data.decode("utf-8")


class Repository:
    def __init__(self, path: Path, remote: str = "origin", token: str = "") -> None:
        try:
            self._repo = git.Repo(path, search_parent_directories=True)
        except (git.InvalidGitRepositoryError, git.NoSuchPathError):
            raise GitError(f"{path} is not inside a git repository") from None
        self.remote = remote
        self._token = token
        try:
            url = self._repo.git.remote("get-url", "--push", remote)
        except git.GitCommandError:
            raise GitError(f"the repository has no remote named {remote!r}") from None
        self._env = {"GIT_TERMINAL_PROMPT": "0", **auth_environment(url, token)}
        self.root = Path(self._repo.working_tree_dir or path)

    def git_out(self, *args: str) -> str:
        return self._git(*args)

    def blob_data(self, blob: str) -> bytes:
        """A blob's bytes, through git's one long-lived `cat-file --batch`."""
        try:
            data: bytes = self._repo.git.get_object_data(blob)[3]
        except (git.GitCommandError, ValueError) as exc:
            raise GitError(f"git cat-file failed for {blob[:12]}: {exc}") from None
        return data

    def blob_size(self, blob: str) -> int:
        try:
            return int(self._repo.git.get_object_header(blob)[2])
        except (git.GitCommandError, ValueError) as exc:
            raise GitError(f"git cat-file failed for {blob[:12]}: {exc}") from None

    def close(self) -> None:
        """End the long-lived git processes (cat-file) this repository started."""
        self._repo.close()

    def _git(self, *args: str, env: Mapping[str, str] | None = None, stdin: str | None = None) -> str:
        with tempfile.TemporaryFile() if stdin is not None else contextlib.nullcontext() as feed:
            if feed is not None and stdin is not None:
                feed.write(stdin.encode("utf-8"))
                feed.seek(0)
            return self._run(args, env, feed)

    def _run(self, args: Sequence[str], env: Mapping[str, str] | None, feed: Any) -> str:
        try:
            output: str = self._repo.git.execute(
                ["git", *args],
                env={**self._env, **(env or {})},
                strip_newline_in_stdout=False,
                **({"istream": feed} if feed is not None else {}),
            )
        except git.GitCommandError as exc:
            said = redact(f"{exc.stdout or ''}{exc.stderr or ''}".strip(), self._token)
            raise GitError(f"git {args[0]} failed (exit {exc.status}): {said}") from None
        return output

    def identity(self) -> Identity:
        """The committer from git config, else the github-actions bot."""
        reader = self._repo.config_reader()
        name = str(reader.get_value("user", "name", "")).strip()
        email = str(reader.get_value("user", "email", "")).strip()
        return Identity(name, email) if name and email else BOT

    @property
    def shallow(self) -> bool:
        return self._git("rev-parse", "--is-shallow-repository").strip() == "true"

    def remote_heads(self, *branches: str) -> dict[str, str]:
        refs = [f"refs/heads/{branch}" for branch in branches]
        heads: dict[str, str] = {}
        for line in self._git("ls-remote", self.remote, *refs).splitlines():
            sha, _, ref = line.partition("\t")
            heads[ref.removeprefix("refs/heads/")] = sha
        return heads

    def default_branch(self) -> str | None:
        """The remote's default branch (what its HEAD points at), when the remote says."""
        for line in self._git("ls-remote", "--symref", self.remote, "HEAD").splitlines():
            if line.startswith("ref: refs/heads/") and line.endswith("\tHEAD"):
                return line.removeprefix("ref: refs/heads/").removesuffix("\tHEAD")
        return None

    def fetch_base(self, base: str) -> str:
        if base not in self.remote_heads(base):
            raise GitError(f"remote {self.remote!r} has no branch {base!r} to base the pull request on")
        # Only the tip's tree is needed; deepening a full clone would make it shallow.
        depth = ["--depth=1"] if self.shallow else []
        self._git("fetch", "--no-tags", *depth, self.remote, f"+refs/heads/{base}:{self._tracking(base)}")
        return self.rev(self._tracking(base))

    def fetch_branch(self, branch: str, base: str, base_sha: str) -> BranchState:
        seen = self.remote_heads(branch).get(branch)
        if seen is None:
            return BranchState(None, ())
        # In a shallow clone fetch only what the branch adds to the base; a complete clone gets all.
        exclude = [f"--shallow-exclude=refs/heads/{base}"] if self.shallow else []
        try:
            self._git("fetch", "--no-tags", *exclude, self.remote, f"+refs/heads/{branch}:{self._tracking(branch)}")
        except GitError as exc:
            if exclude and "no commits selected" in str(exc):
                return BranchState(seen, ())  # everything on the branch is already on the base
            raise
        tip = self.rev(self._tracking(branch))
        return BranchState(tip, self.commits(tip, base_sha))

    def commits(self, tip: str, exclude: str) -> tuple[Commit, ...]:
        shas = self._git("rev-list", tip, f"^{exclude}", "--").split()
        return tuple(self._commit(sha) for sha in shas)

    def _commit(self, sha: str) -> Commit:
        # The raw object, not `git log`: a shallow boundary would hide the commit's real parents.
        headers = self._git("cat-file", "commit", sha).split("\n\n", 1)[0].splitlines()
        fields: dict[str, list[str]] = {}
        for line in headers:
            key, _, value = line.partition(" ")
            fields.setdefault(key, []).append(value)
        return Commit(
            sha,
            _person(fields["author"][0]),
            _person(fields["committer"][0]),
            tuple(fields.get("parent", [])),
            fields["tree"][0],
            signed="gpgsig" in fields,
        )

    def rev(self, ref: str) -> str:
        return self._git("rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}").strip()

    def tree(self, sha: str) -> GitTree:
        """The files of commit `sha`, read from the object database; nothing is checked out."""
        return GitTree(self, sha)

    def write_tree(self, base_sha: str, changes: Sequence[FileChange], base: GitTree | None = None) -> str:
        """The tree of `base_sha` with every change applied, built in a throwaway index.

        Four git processes however many files change: read-tree, hash-object (the new texts, each
        under its own path so attributes apply), update-index (every entry at once), write-tree.
        """
        changed = [change for change in changes if change.changed]
        with tempfile.TemporaryDirectory(prefix="gitops-writer-index-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self._git("read-tree", base_sha, env=env)
            written = [change for change in changed if change.new is not None]
            blobs: list[str] = []
            for index, change in enumerate(written):
                assert change.new is not None
                (Path(scratch) / f"blob-{index}").write_bytes(change.new.encode("utf-8"))
            if written:  # one hash-object per path: --path picks that file's attributes (eol, filters)
                blobs = [
                    self._git(
                        "hash-object", "-w", f"--path={change.path}", str(Path(scratch) / f"blob-{index}")
                    ).strip()
                    for index, change in enumerate(written)
                ]
            modes = self._modes(base_sha, [change.path for change in written]) if base is None else None
            entries = [f"0 {'0' * 40}\t{change.path}" for change in changed if change.new is None]
            for change, blob in zip(written, blobs, strict=True):
                mode = base.mode(change.path) if base is not None else (modes or {}).get(change.path, "100644")
                entries.append(f"{mode} {blob}\t{change.path}")
            if entries:
                self._git("update-index", "--index-info", env=env, stdin="\n".join(entries) + "\n")
            return self._git("write-tree", env=env).strip()

    def _modes(self, base_sha: str, paths: Sequence[str]) -> dict[str, str]:
        if not paths:
            return {}
        modes = {}
        for record in self._git("ls-tree", "-z", base_sha, "--", *paths).split("\0"):
            info, _, path = record.partition("\t")
            if info.startswith("100"):
                modes[path] = info.split()[0]
        return modes

    def tree_of(self, sha: str) -> str:
        return self._git("rev-parse", "--verify", "--end-of-options", f"{sha}^{{tree}}").strip()

    def fetch_commit(self, sha: str) -> None:
        """Fetch one commit by its sha (one GitHub made through the API), so it can be pushed with a lease."""
        # No --depth: the parent (the base tip) is here already, so only the one commit comes; a depth
        # would make the commit itself a shallow boundary, and a remote refuses a push of one.
        self._git("fetch", "--no-tags", self.remote, sha)

    def mode(self, base_sha: str, path: str) -> str:
        return self._modes(base_sha, [path]).get(path, "100644")

    def commit_tree(
        self, tree: str, parent: str, message: str, identity: Identity, author: Identity | None = None
    ) -> str:
        author = author or identity
        env = {
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": identity.name,
            "GIT_COMMITTER_EMAIL": identity.email,
        }
        return self._git("commit-tree", tree, "-p", parent, "-m", message, env=env).strip()

    def merged_tree(self, base_sha: str, head_sha: str) -> str | None:
        """The tree a real `git merge` of the two commits gives, or None when it conflicts.

        Needs both histories down to their merge base, so not in a shallow clone; git 2.38 or later.
        """
        try:
            out = self._git("merge-tree", "--write-tree", "--no-messages", base_sha, head_sha)
        except GitError as exc:
            if "(exit 1)" in str(exc):  # merge-tree's answer for "conflicts"
                return None
            raise
        return out.split()[0]

    def message(self, sha: str) -> str:
        return self._git("cat-file", "commit", sha).split("\n\n", 1)[-1]

    def have_commit(self, sha: str) -> None:
        """Make sure `sha` and its tree are here: a shallow clone fetches just that commit when it lacks it."""
        try:
            self._git("cat-file", "-e", f"{sha}^{{tree}}")
        except GitError:
            self._git("fetch", "--no-tags", "--depth=1", self.remote, sha)

    def push(self, sha: str, branch: str, lease: str | None) -> bool:
        """Force-push `sha` to the branch if the remote still holds `lease`; False when it does not."""
        ref = f"refs/heads/{branch}"
        try:
            self._git("push", "--porcelain", f"--force-with-lease={ref}:{lease or ''}", self.remote, f"{sha}:{ref}")
        except GitError as exc:
            if "stale info" in str(exc) or "fetch first" in str(exc):
                return False
            raise
        return True

    def tracking(self, branch: str) -> str:
        return self._tracking(branch)

    def _tracking(self, branch: str) -> str:
        return f"refs/remotes/{self.remote}/{branch}"
