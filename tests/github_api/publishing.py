"""The stand-in's endpoints for reviews, assignees, API-made (signed) commits and draft state.

REST endpoints come from the same OpenAPI description as the rest (spec.OPERATIONS) and are validated
like every other exchange. GraphQL is not in that description: `graphql` accepts only the two
mutations gitops-writer sends, checked strictly (the exact document, variables of the right shape,
the id of a pull request the stand-in knows), and answers GitHub's GraphQL error shape otherwise.
That is weaker than schema validation; it is written down here so nobody mistakes it for more.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tests.github_api import spec

if TYPE_CHECKING:
    from tests.github_api.server import GitHubAPI, Pull

DOCS = "https://docs.github.com/rest"
WEB_FLOW = ("GitHub", "noreply@github.com")
BOT = ("github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com")
FAKE_SIGNATURE = (
    "-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJnAAAACRBK7hj4Ov3rIwAAstandin\n-----END PGP SIGNATURE-----"
)
_MUTATION = "mutation($id: ID!) {{ {name}(input: {{pullRequestId: $id}}) {{ pullRequest {{ isDraft }} }} }}"
DRAFT_MUTATIONS = {  # the exact documents accepted -> the draft state each leaves
    _MUTATION.format(name="convertPullRequestToDraft"): True,
    _MUTATION.format(name="markPullRequestReadyForReview"): False,
}
_SHA = re.compile(r"^[0-9a-f]{40}$")


def _not_found() -> tuple[int, Any, dict[str, str]]:
    return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}


def _invalid(message: str, docs: str) -> tuple[int, Any, dict[str, str]]:
    return 422, {"message": message, "documentation_url": f"{DOCS}/{docs}", "status": "422"}, {}


class PublishingEndpoints:
    """Mixed into GitHubAPI; state: api.collaborators, api.teams (who may be requested or assigned)."""

    def _git(self: GitHubAPI, *args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["git", "--git-dir", str(self.remote), *args],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, **(env or {})},
        )
        return done.stdout.strip()

    def _pulls_request_reviewers(
        self: GitHubAPI, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pull = self.pulls.get(int(params["number"]))
        if pull is None:
            return _not_found()
        users, teams = body.get("reviewers", []), body.get("team_reviewers", [])
        strangers = [u for u in users if u not in self.collaborators] + [t for t in teams if t not in self.teams]
        if strangers:
            docs = "pulls/review-requests#request-reviewers-for-a-pull-request"
            return _invalid("Reviews may only be requested from collaborators. " + ", ".join(strangers), docs)
        pull.reviewers += [u for u in users if u not in pull.reviewers]
        pull.teams += [t for t in teams if t not in pull.teams]
        return 201, self.render(pull, "pull-request-simple"), {}

    def _issues_add_assignees(
        self: GitHubAPI, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pull = self.pulls.get(int(params["number"]))
        if pull is None:
            return _not_found()
        # As GitHub does: who cannot be assigned is left out silently.
        for login in body.get("assignees", []):
            login = login if isinstance(login, str) else login["login"]
            if login in self.collaborators and login not in pull.assignees:
                pull.assignees.append(login)
        issue = copy.deepcopy(_template("issue"))
        issue.update(
            number=pull.number,
            title=pull.title,
            state=pull.state,
            assignees=[self.user(login) for login in pull.assignees],
            url=f"{self.url}/repos/{self.repository}/issues/{pull.number}",
        )
        return 201, issue, {}

    def _git_create_tree(
        self: GitHubAPI, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        base = body.get("base_tree")
        with tempfile.TemporaryDirectory() as scratch:
            env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
            try:
                if base:
                    self._git("read-tree", base, env=env)
                for entry in body["tree"]:
                    if "content" in entry:
                        blob = self._git("hash-object", "-w", "--stdin", stdin=entry["content"])
                        cacheinfo = f"{entry['mode']},{blob},{entry['path']}"
                        self._git("update-index", "--add", "--cacheinfo", cacheinfo, env=env)
                    elif entry.get("sha") is None:
                        self._git("update-index", "--force-remove", "--", entry["path"], env=env)
                    else:
                        cacheinfo = f"{entry['mode']},{entry['sha']},{entry['path']}"
                        self._git("update-index", "--add", "--cacheinfo", cacheinfo, env=env)
                sha = self._git("write-tree", env=env)
            except subprocess.CalledProcessError:
                return _invalid("GitRPC::BadObjectState", "git/trees#create-a-tree")
        self.trees_made.append(sha)
        tree = copy.deepcopy(_template("git-tree"))
        tree.update(sha=sha, url=f"{self.url}/repos/{self.repository}/git/trees/{sha}", truncated=False)
        return 201, tree, {}

    def _git_create_commit(
        self: GitHubAPI, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        tree, parents, message = body["tree"], body.get("parents", []), body["message"]
        if not _SHA.match(tree) or not all(_SHA.match(p) for p in parents):
            return _invalid("Tree SHA does not exist", "git/commits#create-a-commit")
        # GitHub signs only when no author, committer or signature is given (signature verification for bots).
        signs = not ({"author", "committer", "signature"} & set(body))
        author = body.get("author") or {"name": BOT[0], "email": BOT[1]}
        committer = body.get("committer") or ({"name": WEB_FLOW[0], "email": WEB_FLOW[1]} if signs else author)
        lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        lines.append(f"author {author['name']} <{author['email']}> 1796083200 +0000")
        lines.append(f"committer {committer['name']} <{committer['email']}> 1796083200 +0000")
        if signs:
            lines.append("gpgsig " + FAKE_SIGNATURE.replace("\n", "\n "))
        raw = "\n".join(lines) + "\n\n" + message
        try:
            sha = self._git("hash-object", "-t", "commit", "-w", "--stdin", stdin=raw)
        except subprocess.CalledProcessError:
            return _invalid("Tree SHA does not exist", "git/commits#create-a-commit")
        self.commits_made.append(sha)
        made = copy.deepcopy(_template("git-commit"))
        made.update(
            sha=sha,
            url=f"{self.url}/repos/{self.repository}/git/commits/{sha}",
            message=message,
            author={**author, "date": "2026-11-29T00:00:00Z"},
            committer={**committer, "date": "2026-11-29T00:00:00Z"},
            tree={"sha": tree, "url": f"{self.url}/repos/{self.repository}/git/trees/{tree}"},
            parents=[
                {"sha": p, "url": f"{self.url}/repos/{self.repository}/git/commits/{p}", "html_url": "x"}
                for p in parents
            ],
            verification={
                "verified": signs,
                "reason": "valid" if signs else "unsigned",
                "signature": FAKE_SIGNATURE if signs else None,
                "payload": None,
                "verified_at": "2026-11-29T00:00:00Z" if signs else None,
            },
        )
        return 201, made, {}

    def graphql(self: GitHubAPI, body: Any) -> tuple[int, Any]:
        """POST /api/graphql: only the draft mutations, checked strictly (see the module's docstring)."""
        if not isinstance(body, dict) or set(body) != {"query", "variables"}:
            return 200, {"errors": [{"message": "A query attribute must be specified and must be a string."}]}
        query, variables = body["query"], body["variables"]
        if query not in DRAFT_MUTATIONS:
            self.problems.append(f"graphql: a document the stand-in does not know: {query!r}")
            return 200, {
                "errors": [{"message": "Parse error or unknown field", "locations": [{"line": 1, "column": 1}]}]
            }
        if not isinstance(variables, dict) or set(variables) != {"id"} or not isinstance(variables["id"], str):
            self.problems.append(f"graphql: variables {variables!r} are not {{id: ID!}}")
            return 200, {"errors": [{"message": "Variable $id of type ID! was provided invalid value"}]}
        pull = next((p for p in self.pulls.values() if node_id(p) == variables["id"]), None)
        if pull is None:
            return 200, {
                "data": None,
                "errors": [
                    {
                        "type": "NOT_FOUND",
                        "message": f"Could not resolve to a node with the global id of '{variables['id']}'",
                    }
                ],
            }
        pull.draft = DRAFT_MUTATIONS[query]
        name = query.split("{", 1)[1].split("(", 1)[0].strip()
        self.graphql_calls.append((name, variables["id"]))
        return 200, {"data": {name: {"pullRequest": {"isDraft": pull.draft}}}}

    def user(self: GitHubAPI, login: str) -> dict[str, Any]:
        user = copy.deepcopy(_template("simple-user"))
        user.update(login=login, url=f"{self.url}/users/{login}", type="User")
        return user

    def team(self: GitHubAPI, slug: str) -> dict[str, Any]:
        team = copy.deepcopy(_template("team"))
        team.update(slug=slug, name=slug, url=f"{self.url}/orgs/{self.owner}/teams/{slug}", parent=None)
        return team


def node_id(pull: Pull) -> str:
    return f"PR_standin{pull.number}"


def _template(name: str) -> Any:
    return spec.example(name)
