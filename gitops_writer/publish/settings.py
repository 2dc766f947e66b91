"""Publishing settings in `.gitops-writer.yaml`: who reviews, which labels must land, how commits are made.

New top-level keys, parsed here from the raw mapping so the config loader only has to allow `KEYS`
and hand the mapping over:

    reviewers:                 # keyed by the request's risk, with a default
      default: {users: [alice], teams: [platform]}
      high: {users: [sec-lead], teams: [security]}
    required_labels: [ecr-registry]   # must be on the pull request, or the run fails
    commit: api                # git (default) or api: GitHub makes, and signs, the commit
    author: "Platform Bot <platform-bot@example.com>"
    committer: "Platform Bot <platform-bot@example.com>"
    delete_branch: true        # delete a request's branch once the request has nothing left to do
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gitops_writer.errors import ConfigError
from gitops_writer.kinds.load import PUBLISHING_KEYS
from gitops_writer.publish.flags import CommitMode, PublishFlags

if TYPE_CHECKING:
    from gitops_writer.publish.git import Identity

KEYS = PUBLISHING_KEYS
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
_TEAM = re.compile(r"^(?:[A-Za-z0-9-]+/)?[A-Za-z0-9._-]{1,100}$")  # slug, or org/slug as people write it
_PERSON = re.compile(r"^(?P<name>[^<>\x00-\x1f]+?)\s*<(?P<email>[^<>\s\x00-\x1f]+@[^<>\s\x00-\x1f]+)>$")


@dataclass(frozen=True)
class Reviewers:
    users: tuple[str, ...] = ()
    teams: tuple[str, ...] = ()  # team slugs (an org/ prefix is dropped)


@dataclass(frozen=True)
class PublishSettings:
    reviewers: Mapping[str, Reviewers] = field(default_factory=dict)  # risk (or "default") -> reviewers
    required_labels: tuple[str, ...] = ()
    commit: CommitMode | None = None
    author: Identity | None = None
    committer: Identity | None = None
    delete_branch: bool | None = None

    def reviewers_for(self, risk: str | None) -> Reviewers:
        if risk and risk in self.reviewers:
            return self.reviewers[risk]
        return self.reviewers.get("default", Reviewers())


def publish_settings(raw: Mapping[str, object], where: str = "config") -> PublishSettings:
    """The publishing keys of a config mapping (other keys are ignored); ConfigError when malformed."""
    reviewers: dict[str, Reviewers] = {}
    section = raw.get("reviewers")
    if section is not None:
        if not isinstance(section, Mapping):
            raise ConfigError(f"{where}: reviewers must map a risk (or default) to users and teams")
        for key, value in section.items():
            reviewers[str(key)] = _reviewers(value, f"{where}: reviewers.{key}")
    commit = raw.get("commit")
    if commit not in (None, "git", "api"):
        raise ConfigError(f"{where}: commit must be git or api, not {commit!r}")
    delete_branch = raw.get("delete_branch")
    if delete_branch is not None and not isinstance(delete_branch, bool):
        raise ConfigError(f"{where}: delete_branch must be true or false")
    return PublishSettings(
        reviewers=reviewers,
        required_labels=strings(raw.get("required_labels"), f"{where}: required_labels"),
        commit="git" if commit == "git" else "api" if commit == "api" else None,
        author=_identity(raw.get("author"), f"{where}: author"),
        committer=_identity(raw.get("committer"), f"{where}: committer"),
        delete_branch=delete_branch,
    )


def _identity(text: object, where: str) -> Identity | None:
    return None if text is None else person(text, where)


def _reviewers(value: object, where: str) -> Reviewers:
    if not isinstance(value, Mapping) or set(value) - {"users", "teams"}:
        raise ConfigError(f"{where} must be a mapping with users and/or teams")
    users = strings(value.get("users"), f"{where}.users")
    teams = strings(value.get("teams"), f"{where}.teams")
    return Reviewers(logins(users, f"{where}.users"), team_slugs(teams, f"{where}.teams"))


def strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ConfigError(f"{where} must be a list of names")
    return tuple(item.strip() for item in value)


def check_publishing(raw: Mapping[str, object], given: PublishFlags, where: str) -> None:
    """What publishing would refuse in the config's publishing settings and the command line's reviewers,
    assignees and identities, found without publishing (by `check` and dry runs)."""
    publish_settings(raw, where)
    for name, names, valid in (
        ("reviewers", given.reviewers, logins),
        ("team-reviewers", given.team_reviewers, team_slugs),
        ("assignees", given.assignees, logins),
    ):
        if names:
            valid(split(names), f"--{name}")
    for name, text in (("author", given.author), ("committer", given.committer)):
        if text:
            person(text, f"--{name}")


def split(text: str | None) -> tuple[str, ...]:
    """A comma- or whitespace-separated input (`alice, bob`) as names."""
    return tuple(part for part in re.split(r"[,\s]+", text or "") if part)


def logins(names: tuple[str, ...], where: str) -> tuple[str, ...]:
    for name in names:
        if not _LOGIN.match(name.removeprefix("@")):
            raise ConfigError(f"{where}: {name!r} is not a GitHub user name")
    return tuple(name.removeprefix("@") for name in names)


def team_slugs(names: tuple[str, ...], where: str) -> tuple[str, ...]:
    for name in names:
        if not _TEAM.match(name.removeprefix("@")):
            raise ConfigError(f"{where}: {name!r} is not a team slug (org/team or team)")
    return tuple(name.removeprefix("@").rsplit("/", 1)[-1] for name in names)


def person(text: object, where: str) -> Identity:
    """`Name <email>` as an Identity."""
    from gitops_writer.publish.git import Identity  # publish.git loads only when an identity is needed

    match = _PERSON.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ConfigError(f"{where} must be of the form 'Name <email>', not {text!r}")
    return Identity(match["name"].strip(), match["email"])
