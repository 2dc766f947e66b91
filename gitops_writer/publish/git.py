"""Git at the edge: fetch the base and the request branch, build one commit, push it with a lease.

The user's working tree, index and HEAD are never touched, and the base is never checked out: a
request reads the few files it edits from the object database (`GitTree`), its tree is made in memory
and its commit by `git commit-tree`. Reads go through one long-lived `git cat-file`.
"""

from __future__ import annotations

import base64
import contextlib
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from gitops_writer.errors import GitError
from gitops_writer.publish.objects import GitTree, NewTree, ObjectReader, pack
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
    """The user's clone, driven by the git binary; the base and the request branches come from `remote`."""

    def __init__(self, path: Path, remote: str = "origin", token: str = "") -> None:
        self.remote = remote
        self._token = token
        # git's own words in English: pushes and fetches are told apart by what git says
        self._env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "LANGUAGE": "C"}
        self._cwd = path if path.is_dir() else path.parent
        try:
            top, shallow = self._git("rev-parse", "--show-toplevel", "--is-shallow-repository").split("\n")[:2]
        except (GitError, OSError, ValueError):
            raise GitError(f"{path} is not inside a git repository") from None
        self.root = Path(top)
        self._cwd = self.root
        self.shallow = shallow == "true"
        try:
            url = self._git("remote", "get-url", "--push", remote).strip()
        except GitError:
            raise GitError(f"the repository has no remote named {remote!r}") from None
        self._env.update(auth_environment(url, token))
        self._objects = ObjectReader(self.root, self._env)
        self._default: str | None = None
        self._asked_default = False
        self._seen: dict[str, str | None] = {}  # branch tips `prefetch` saw, for `fetch_branch` to use once
        self._trees: dict[str, GitTree] = {}
        self._walked: dict[str, tuple[frozenset[str], dict[str, list[str]]]] = {}  # base -> (tips, parents)

    def git_out(self, *args: str) -> str:
        return self._git(*args)

    def close(self) -> None:
        """End the long-lived git process (cat-file) this repository started."""
        self._objects.close()

    def _git(self, *args: str, env: Mapping[str, str] | None = None, stdin: str | bytes | None = None) -> str:
        try:
            done = subprocess.run(
                ["git", *args],
                cwd=self._cwd,
                env={**self._env, **(env or {})},
                input=stdin.encode("utf-8") if isinstance(stdin, str) else stdin,
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise GitError(f"git {args[0]} could not run: {exc}") from None
        if done.returncode != 0:
            said = redact(f"{done.stdout.decode(errors='replace')}{done.stderr.decode(errors='replace')}", self._token)
            raise GitError(f"git {args[0]} failed (exit {done.returncode}): {said.strip()}")
        return done.stdout.decode("utf-8", errors="surrogateescape")

    def identity(self) -> Identity:
        """The committer from git config, else the github-actions bot."""
        try:
            found = self._git("config", "--get-regexp", r"^user\.(name|email)$")
        except GitError:  # exit 1: neither is set
            found = ""
        values: dict[str, str] = {}
        for line in found.splitlines():
            key, _, value = line.partition(" ")
            values[key.lower()] = value.strip()
        name, email = values.get("user.name", ""), values.get("user.email", "")
        return Identity(name, email) if name and email else BOT

    def remote_heads(self, *branches: str) -> dict[str, str]:
        """The remote's tips of `branches` (those it has), and what its HEAD points at, in one call."""
        refs = [f"refs/heads/{branch}" for branch in branches]
        heads: dict[str, str] = {}
        for line in self._git("ls-remote", "--symref", self.remote, "HEAD", *refs).splitlines():
            sha, _, ref = line.partition("\t")
            if sha.startswith("ref: refs/heads/") and ref == "HEAD":
                self._default = sha.removeprefix("ref: refs/heads/")
            elif ref.startswith("refs/heads/"):
                heads[ref.removeprefix("refs/heads/")] = sha
        self._asked_default = True
        return heads

    def default_branch(self) -> str | None:
        """The remote's default branch (what its HEAD points at), when the remote says; asked once."""
        if not self._asked_default:
            self.remote_heads()
        return self._default

    def fetch_base(self, base: str) -> str:
        seen = self.remote_heads(base).get(base)
        if seen is None:
            raise GitError(f"remote {self.remote!r} has no branch {base!r} to base the pull request on")
        if not self._holds(base, seen):
            # Only the tip's tree is needed; deepening a full clone would make it shallow.
            depth = ["--depth=1"] if self.shallow else []
            self._git("fetch", "--no-tags", *depth, self.remote, f"+refs/heads/{base}:{self._tracking(base)}")
        return self.rev(self._tracking(base))

    def prefetch(self, branches: Sequence[str], base: str, base_sha: str) -> None:
        """Fetch many request branches at once: one `ls-remote`, at most one `fetch` and one `rev-list` for all.

        `fetch_branch` then uses what this saw, once per branch; a branch that failed here is fetched
        there on its own, so its error is its own.
        """
        heads = self.remote_heads(*branches)
        self._seen.update({branch: heads.get(branch) for branch in branches})
        stale = sorted({branch for branch, sha in heads.items() if not self._holds(branch, sha)})
        if stale:
            exclude = [f"--shallow-exclude=refs/heads/{base}"] if self.shallow else []
            refspecs = [f"+refs/heads/{branch}:{self._tracking(branch)}" for branch in stale]
            with contextlib.suppress(GitError):
                self._git("fetch", "--no-tags", *exclude, self.remote, *refspecs)
        tips = {sha for branch, sha in heads.items() if self._holds(branch, sha)}
        behind = sorted(tip for tip in tips if tip != base_sha and self.commit(tip).parents != (base_sha,))
        if behind:  # the commits of every branch not on the base, walked once for all of them
            with contextlib.suppress(GitError):
                walked = self._git("rev-list", "--parents", *behind, f"^{base_sha}", "--")
                graph = {line.split()[0]: line.split()[1:] for line in walked.splitlines() if line}
                self._walked[base_sha] = (frozenset(behind), graph)

    def fetch_branch(self, branch: str, base: str, base_sha: str) -> BranchState:
        seen = self._seen.pop(branch) if branch in self._seen else self.remote_heads(branch).get(branch)
        if seen is None:
            return BranchState(None, ())
        if not self._holds(branch, seen):
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

    def _holds(self, branch: str, sha: str) -> bool:
        """Whether the branch's remote-tracking ref is at `sha` already, its commit and tree here."""
        found = self._objects.info(f"{self._tracking(branch)}^{{commit}}")
        return found is not None and found[0] == sha and self._objects.info(f"{sha}^{{tree}}") is not None

    def commits(self, tip: str, exclude: str) -> tuple[Commit, ...]:
        """The commits on `tip` that are not on `exclude`, newest first."""
        if tip == exclude:
            return ()
        head = self.commit(tip)
        if head.parents == (exclude,):  # one commit on `exclude`: no history walk needed
            return (head,)
        tips, graph = self._walked.get(exclude, (frozenset(), {}))
        if tip in tips:  # walked with other branches by `prefetch`: those reachable from this tip, in order
            reached, todo = set(), [tip]
            while todo:
                sha = todo.pop()
                if sha in graph and sha not in reached:
                    reached.add(sha)
                    todo += graph[sha]
            return tuple(self.commit(sha) for sha in graph if sha in reached)
        shas = self._git("rev-list", tip, f"^{exclude}", "--").split()
        return tuple(self.commit(sha) for sha in shas)

    def commit(self, sha: str) -> Commit:
        # The raw object, not `git log`: a shallow boundary would hide the commit's real parents.
        headers = self._commit_object(sha).split("\n\n", 1)[0].splitlines()
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

    def _commit_object(self, sha: str) -> str:
        found = self._objects.read(sha)
        if found is None or found[0] != "commit":
            raise GitError(f"git cat-file: {sha[:12]} is not a commit here")
        return found[1].decode("utf-8", errors="replace")

    def rev(self, ref: str) -> str:
        found = self._objects.info(f"{ref}^{{commit}}")
        if found is None:
            raise GitError(f"git rev-parse failed: {ref} names no commit")
        return found[0]

    def tree(self, sha: str) -> GitTree:
        """The files of commit `sha`, read from the object database (listed once a run); nothing is checked out."""
        if sha not in self._trees:
            self._trees[sha] = GitTree(self.root, sha, self._objects, self._git)
        return self._trees[sha]

    def write_tree(self, base_sha: str, changes: Sequence[FileChange], base: GitTree | None = None) -> str:
        """The tree of `base_sha` with every change applied, its new objects written."""
        made = (base if base is not None and base.sha == base_sha else self.tree(base_sha)).with_changes(changes)
        self.store(made)
        return made.id

    def store(self, made: NewTree) -> None:
        """Write the objects of a tree made in memory that the repository lacks, with one `unpack-objects`."""
        missing = [
            (kind, sha, data)
            for kind, objects in (("blob", made.blobs), ("tree", made.trees))
            for sha, data in objects
            if self._objects.info(sha) is None
        ]
        if not missing:
            return
        self._git("unpack-objects", "-q", stdin=pack([(kind, data) for kind, _, data in missing], len(made.id)))
        if any(self._objects.info(sha) is None for _, sha, _ in missing):
            raise GitError("git unpack-objects did not write the objects gitops-writer computed")

    def tree_of(self, sha: str) -> str:
        return self.tree(sha).tree_id

    def fetch_commit(self, sha: str) -> None:
        """Fetch one commit by its sha (one GitHub made through the API), so it can be pushed with a lease."""
        # No --depth: the parent (the base tip) is here already, so only the one commit comes; a depth
        # would make the commit itself a shallow boundary, and a remote refuses a push of one.
        self._git("fetch", "--no-tags", self.remote, sha)

    def mode(self, base_sha: str, path: str) -> str:
        return self.tree(base_sha).mode(path)

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
        return self._commit_object(sha).split("\n\n", 1)[-1]

    def have_commit(self, sha: str) -> None:
        """Make sure `sha` and its tree are here: a shallow clone fetches just that commit when it lacks it."""
        if self._objects.info(f"{sha}^{{tree}}") is None:
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
