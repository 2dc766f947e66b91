"""Git at the edge: fetch the base and the request branch, build one commit, push it with a lease.

The user's working tree, index and HEAD are never touched: the base is checked out into a temporary
detached worktree, and the commit is assembled in a temporary index file.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import git

from gitops_writer.errors import GitError
from gitops_writer.repo.files import FileChange


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

    def _git(self, *args: str, env: Mapping[str, str] | None = None) -> str:
        try:
            output: str = self._repo.git.execute(
                ["git", *args], env={**self._env, **(env or {})}, strip_newline_in_stdout=False
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

    @contextlib.contextmanager
    def checkout(self, sha: str) -> Iterator[Path]:
        """A temporary detached worktree of `sha`, removed however the block ends."""
        parent = Path(tempfile.mkdtemp(prefix="gitops-writer-base-"))
        path = parent / "tree"
        self._git("worktree", "add", "--detach", "--quiet", str(path), sha)
        try:
            yield path
        finally:
            with contextlib.suppress(GitError):
                self._git("worktree", "remove", "--force", str(path))
            shutil.rmtree(parent, ignore_errors=True)
            with contextlib.suppress(GitError):
                self._git("worktree", "prune")

    def write_tree(self, base_sha: str, changes: Sequence[FileChange]) -> str:
        """The tree of `base_sha` with every change applied, built in a throwaway index."""
        with tempfile.TemporaryDirectory(prefix="gitops-writer-index-") as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            self._git("read-tree", base_sha, env=env)
            for change in changes:
                if not change.changed:
                    continue
                if change.new is None:
                    self._git("update-index", "--force-remove", "--", change.path, env=env)
                    continue
                blob_file = Path(scratch) / "blob"
                blob_file.write_bytes(change.new.encode("utf-8"))
                blob = self._git("hash-object", "-w", f"--path={change.path}", str(blob_file)).strip()
                mode = self._mode(base_sha, change.path)
                self._git("update-index", "--add", "--cacheinfo", f"{mode},{blob},{change.path}", env=env)
            return self._git("write-tree", env=env).strip()

    def tree_of(self, sha: str) -> str:
        return self._git("rev-parse", "--verify", "--end-of-options", f"{sha}^{{tree}}").strip()

    def fetch_commit(self, sha: str) -> None:
        """Fetch one commit by its sha (one GitHub made through the API), so it can be pushed with a lease."""
        # No --depth: the parent (the base tip) is here already, so only the one commit comes; a depth
        # would make the commit itself a shallow boundary, and a remote refuses a push of one.
        self._git("fetch", "--no-tags", self.remote, sha)

    def mode(self, base_sha: str, path: str) -> str:
        return self._mode(base_sha, path)

    def _mode(self, base_sha: str, path: str) -> str:
        listing = self._git("ls-tree", base_sha, "--", path).split(maxsplit=1)
        return listing[0] if listing and listing[0].startswith("100") else "100644"

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
