"""GitHub at the edge: a small typed client for the few REST endpoints publishing uses (over the retried
session of publish/session.py), and the pull requests and commits it answers with."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from gitops_writer.errors import GitHubError
from gitops_writer.publish.session import DuplicatePullRequest, GitHubSession, Sleep, check_token
from gitops_writer.values import JSONObject, JSONValue

__all__ = ["MAX_BODY", "DuplicatePullRequest", "GitHubClient", "MadeCommit", "PullRequest", "Sleep", "check_token"]
MAX_BODY = 65536  # characters GitHub accepts in a pull request body


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str
    state: str
    merged: bool
    title: str
    body: str
    labels: tuple[str, ...]
    draft: bool = False
    head_sha: str = ""
    node_id: str = ""
    head: str = ""  # the head branch's name
    head_repository: str = ""  # owner/name the head branch lives in (another repository for a fork)
    base: str = ""
    requested_reviewers: tuple[str, ...] = ()
    requested_teams: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()


@dataclass(frozen=True)
class MadeCommit:
    """A commit GitHub made through the Git Data API."""

    sha: str
    tree: str
    verified: bool


def _pull(data: JSONValue) -> PullRequest:
    # Only the fields we use, read leniently: GHES may serve an older shape of the same object.
    head = _get(data, "head")
    return PullRequest(
        number=_integer(_required(data, "number")),
        url=str(_required(data, "html_url")),
        state=str(_required(data, "state")),
        merged=_get(data, "merged_at") is not None,
        title=_text(data, "title"),
        body=_text(data, "body"),
        labels=_names(_get(data, "labels"), "name"),
        draft=bool(_get(data, "draft")),
        head_sha=_text(head, "sha"),
        node_id=_text(data, "node_id"),
        head=_text(head, "ref"),
        head_repository=_text(_get(head, "repo"), "full_name"),
        base=_text(_get(data, "base"), "ref"),
        requested_reviewers=_names(_get(data, "requested_reviewers"), "login"),
        requested_teams=_names(_get(data, "requested_teams"), "slug"),
        assignees=_names(_get(data, "assignees"), "login"),
    )


def _names(items: JSONValue, key: str) -> tuple[str, ...]:
    listed = items if isinstance(items, list) else ()
    return tuple(str(item[key]) for item in listed if isinstance(item, dict) and item.get(key))


def _get(data: JSONValue, key: str) -> JSONValue:
    """A key of a JSON object; None when it is absent, or when `data` is no object."""
    return data.get(key) if isinstance(data, dict) else None


def _text(data: JSONValue, key: str) -> str:
    return str(_get(data, key) or "")


def _required(data: JSONValue, key: str) -> JSONValue:
    if not isinstance(data, dict):
        raise TypeError(f"GitHub answered {type(data).__name__}, not an object holding {key}")
    return data[key]


def _integer(value: JSONValue) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"GitHub answered {value!r} where a number belongs")
    return int(value)


class GitHubClient(GitHubSession):
    def pulls_for_head(self, branch: str, base: str | None, state: str = "all") -> list[PullRequest]:
        """Pull requests from `branch` (into `base`, when given), newest first (every page)."""
        params: dict[str, str | int] = {
            "state": state,
            "head": f"{self.owner}:{branch}",
            "sort": "created",
            "direction": "desc",
            "per_page": 100,
        }
        if base is not None:
            params["base"] = base
        return [_pull(item) for item in self._pages(f"listing pull requests for {branch}", self._url("/pulls"), params)]

    def create(self, branch: str, base: str, title: str, body: str, draft: bool) -> PullRequest:
        response = self._call(
            f"creating the pull request for {branch}",
            "POST",
            self._url("/pulls"),
            json={"head": branch, "base": base, "title": title, "body": body, "draft": draft},
            head_race=True,
        )
        return _pull(response.json())

    def update(self, number: int, title: str, body: str) -> PullRequest:
        response = self._call(
            f"updating pull request #{number}",
            "PATCH",
            self._url(f"/pulls/{number}"),
            json={"title": title, "body": body},
        )
        return _pull(response.json())

    def update_body(self, number: int, body: str) -> PullRequest:
        response = self._call(
            f"updating the body of pull request #{number}", "PATCH", self._url(f"/pulls/{number}"), json={"body": body}
        )
        return _pull(response.json())

    def add_labels(self, number: int, labels: Sequence[str]) -> None:
        self._call(
            f"labelling pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/labels"),
            json={"labels": list(labels)},
        )

    def open_pulls(self, base: str) -> Iterator[PullRequest]:
        """Every open pull request into `base`, oldest first (every page)."""
        params: dict[str, str | int] = {
            "state": "open",
            "base": base,
            "sort": "created",
            "direction": "asc",
            "per_page": 100,
        }
        for item in self._pages(f"listing open pull requests into {base}", self._url("/pulls"), params):
            yield _pull(item)

    def close_pull(self, number: int) -> None:
        self._call(f"closing pull request #{number}", "PATCH", self._url(f"/pulls/{number}"), json={"state": "closed"})

    def comment(self, number: int, body: str) -> None:
        self._call(
            f"commenting on pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/comments"),
            json={"body": body},
        )

    def remove_label(self, number: int, label: str) -> None:
        self._call(
            f"removing label {label!r} from pull request #{number}",
            "DELETE",
            self._url(f"/issues/{number}/labels/{quote(label, safe='')}"),
        )

    def protected(self, branch: str) -> bool:
        """Whether `branch` exists and is under branch protection (False when there is no such branch)."""
        what = f"reading branch {branch}"
        try:
            response = self._call(what, "GET", self._url(f"/branches/{quote(branch, safe='')}"))
        except GitHubError as exc:
            if " answered 404 " in str(exc):
                return False
            raise
        return bool(_get(response.json(), "protected"))

    def request_reviewers(self, number: int, users: Sequence[str], teams: Sequence[str]) -> PullRequest:
        response = self._call(
            f"requesting reviews on pull request #{number}",
            "POST",
            self._url(f"/pulls/{number}/requested_reviewers"),
            json={"reviewers": list(users), "team_reviewers": list(teams)},
        )
        return _pull(response.json())

    def add_assignees(self, number: int, logins: Sequence[str]) -> tuple[str, ...]:
        """Assign people; GitHub silently leaves out who cannot be assigned: the answer says who is."""
        response = self._call(
            f"assigning pull request #{number}",
            "POST",
            self._url(f"/issues/{number}/assignees"),
            json={"assignees": list(logins)},
        )
        return _names(_get(response.json(), "assignees"), "login")

    def delete_branch(self, branch: str) -> bool:
        """Delete refs/heads/`branch`; False when it was already gone."""
        try:
            self._call(
                f"deleting branch {branch}", "DELETE", self._url(f"/git/refs/{quote('heads/' + branch, safe='')}")
            )
        except GitHubError as exc:
            if " answered 422 " in str(exc) or " answered 404 " in str(exc):
                return False
            raise
        return True

    def create_tree(self, base_tree: str, entries: Sequence[JSONObject]) -> str:
        response = self._call(
            "creating the commit's tree",
            "POST",
            self._url("/git/trees"),
            json={
                "base_tree": base_tree,
                "tree": list(entries),
            },
        )
        return str(_required(response.json(), "sha"))

    def create_commit(self, message: str, tree: str, parent: str) -> MadeCommit:
        """A commit with no author or committer given, so GitHub makes it as the token's identity and signs it."""
        response = self._call(
            "creating the commit",
            "POST",
            self._url("/git/commits"),
            json={"message": message, "tree": tree, "parents": [parent]},
        )
        data: JSONValue = response.json()
        verified = _get(_get(data, "verification"), "verified")
        return MadeCommit(str(_required(data, "sha")), str(_required(_required(data, "tree"), "sha")), bool(verified))

    def graphql(self, what: str, query: str, variables: JSONObject) -> JSONValue:
        """One GraphQL request (POST {api}/graphql; on GHES {host}/api/graphql); GraphQL errors raise."""
        base = self._base.removesuffix("/v3") if self._base.endswith("/api/v3") else self._base
        response = self._call(what, "POST", f"{base}/graphql", json={"query": query, "variables": dict(variables)})
        data: JSONValue = response.json()
        errors = _get(data, "errors")
        if errors:
            listed = errors if isinstance(errors, list) else ()
            messages = "; ".join(str(e.get("message")) for e in listed if isinstance(e, dict))
            raise GitHubError(f"{what}: GitHub answered {messages}")
        return _get(data, "data")

    def set_draft(self, pull: PullRequest, draft: bool) -> None:
        """Convert a pull request to a draft or mark it ready: only GraphQL offers both ways."""
        name = "convertPullRequestToDraft" if draft else "markPullRequestReadyForReview"
        query = f"mutation($id: ID!) {{ {name}(input: {{pullRequestId: $id}}) {{ pullRequest {{ isDraft }} }} }}"
        what = f"marking pull request #{pull.number} " + ("as a draft" if draft else "ready for review")
        self.graphql(what, query, {"id": pull.node_id})
