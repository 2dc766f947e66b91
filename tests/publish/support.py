"""Helpers for publishing tests: git commands, the remote, a plan builder, a sleep recorder."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gitops_writer.proposal import BaseTree, PublishPlan
from gitops_writer.repo.files import FileChange

REPOSITORY = "acme/infra"
PERSON = ("Pat Person", "pat@example.com")
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


@dataclass
class Remote:
    """The bare remote, plus a full clone to act as people and other runs pushing to it."""

    bare: Path
    seed: Path

    def sha(self, branch: str) -> str | None:
        done = subprocess.run(
            ["git", "--git-dir", str(self.bare), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() or None

    def commit(
        self,
        branch: str,
        path: str,
        text: str,
        *,
        start: str | None = None,
        who: tuple[str, str] = PERSON,
        message: str = "edit",
    ) -> str:
        git(self.seed, "fetch", "-q", "origin")
        git(self.seed, "checkout", "-q", "-B", branch, f"origin/{start or branch}")
        (self.seed / path).write_text(text)
        git(self.seed, "add", path)
        git(self.seed, "-c", f"user.name={who[0]}", "-c", f"user.email={who[1]}", "commit", "-q", "-m", message)
        git(self.seed, "push", "-q", "--force", "origin", f"{branch}:{branch}")
        return git(self.seed, "rev-parse", "HEAD").strip()

    def read(self, ref: str, path: str) -> str:
        return git(self.seed, "--git-dir", str(self.bare), "show", f"{ref}:{path}")

    def log(self, ref: str) -> list[str]:
        """`sha author-email committer-email parents subject` per commit, newest first."""
        out = git(self.seed, "--git-dir", str(self.bare), "log", "--format=%H %ae %ce %P|%s", ref)
        return out.splitlines()


def seed_remote(
    tmp_path: Path,
    *,
    base: Callable[[Path], None],
    development: Callable[[Path], None],
    main: Callable[[Path], None],
    who: tuple[str, str] = ("Seed", "seed@example.com"),
) -> Remote:
    """A bare remote whose development and main have diverged from a common start.

    Each callable writes files into the seed clone; what it writes is committed on that branch.
    """
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    seed.mkdir()
    git(tmp_path, "init", "-q", "-b", "main", str(seed))
    git(seed, "config", "user.name", who[0])
    git(seed, "config", "user.email", who[1])
    for branch, write in (("main", base), ("development", development), ("main", main)):
        if write is development:
            git(seed, "checkout", "-q", "-b", "development")
        elif write is main:
            git(seed, "checkout", "-q", "main")
        write(seed)
        git(seed, "add", ".")
        git(seed, "commit", "-q", "-m", f"{branch}: {getattr(write, '__name__', 'edit')}")
    git(seed, "remote", "add", "origin", str(bare))
    git(seed, "push", "-q", "origin", "main", "development")
    return Remote(bare, seed)


def shallow_clone(tmp_path: Path, remote: Remote, name: str = "work") -> Path:
    """What actions/checkout leaves: a shallow, single-branch clone of main with no identity."""
    work = tmp_path / name
    git(
        tmp_path,
        "clone",
        "-q",
        "--depth",
        "1",
        "--single-branch",
        "--branch",
        "main",
        f"file://{remote.bare}",
        str(work),
    )
    return work


@dataclass
class Sleeps:
    waits: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class AddRegistry:
    """A plan builder that appends a name to registries.txt, counting the trees it was shown."""

    name: str
    environment: str = "dev"
    extra_line: str = ""
    seen: list[str] = field(default_factory=list)
    hook: Callable[[int], None] | None = None  # called with the call count, to stage races
    branch: str | None = None  # default registry/create-NAME

    def __call__(self, tree: BaseTree) -> PublishPlan:
        old = tree.text("registries.txt") or ""
        self.seen.append(old)
        if self.hook:
            self.hook(len(self.seen))
        lines = old.splitlines()
        new = old if self.name in lines else old + self.name + "\n"
        if self.extra_line:
            new += self.extra_line + "\n"
        return PublishPlan(
            changes=(FileChange("registries.txt", old, new),),
            branch=self.branch or f"registry/create-{self.name}",
            commit_subject=f"registry: create {self.name} in {self.environment}",
            commit_body=f"- name: {self.name}\n- environment: {self.environment}",
            pr_title=f"Create ECR Registry: {self.name} ({self.environment})",
            pr_body=f'| name | {self.name} |\n\n<!-- gitops-writer: {{"name": "{self.name}"}} -->',
            labels=("ecr-registry", self.environment),
        )
