"""A GitHub REST API stand-in on loopback: pull requests and labels for one repository.

It answers as GitHub does for the operations in `spec.OPERATIONS`, checks head and base against
the refs of a real bare repository, and validates every exchange against GitHub's OpenAPI
description. Faults are injected per operation.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from tests.github_api import spec
from tests.github_api.publishing import PublishingEndpoints, node_id

PREFIX = "/api/v3"  # served where GitHub Enterprise Server serves it, so GITHUB_API_URL paths are exercised
DOCS = "https://docs.github.com/rest"
SECONDARY_RATE_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000."
)


def validation_failed(
    *errors: dict[str, Any], docs: str = f"{DOCS}/pulls/pulls#create-a-pull-request"
) -> dict[str, Any]:
    return {"message": "Validation Failed", "errors": list(errors), "documentation_url": docs, "status": "422"}


HEAD_INVALID = validation_failed({"resource": "PullRequest", "field": "head", "code": "invalid"})


@dataclass
class Pull:
    number: int
    title: str
    body: str | None
    head: str
    base: str
    head_sha: str
    draft: bool = False
    state: str = "open"
    merged: bool = False
    labels: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)  # requested, not yet reviewed
    teams: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)


@dataclass
class Call:
    operation: str
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int


@dataclass
class _Fault:
    status: int
    body: Any
    headers: dict[str, str]


_ROUTES = [
    ("GET", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls"), "pulls/list"),
    ("POST", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls"), "pulls/create"),
    ("PATCH", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls/(?P<number>\d+)"), "pulls/update"),
    ("POST", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/labels"), "issues/add-labels"),
    (
        "DELETE",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/labels/(?P<name>[^/]+)"),
        "issues/remove-label",
    ),
    (
        "POST",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/comments"),
        "issues/create-comment",
    ),
    # The ref is one path segment, its slashes percent-encoded, as Octokit sends it.
    ("DELETE", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git/refs/(?P<ref>[^/]+)"), "git/delete-ref"),
    ("GET", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/branches/(?P<branch>[^/]+)"), "repos/get-branch"),
    (
        "POST",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/pulls/(?P<number>\d+)/requested_reviewers"),
        "pulls/request-reviewers",
    ),
    (
        "POST",
        re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/issues/(?P<number>\d+)/assignees"),
        "issues/add-assignees",
    ),
    ("POST", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git/trees"), "git/create-tree"),
    ("POST", re.compile(r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)/git/commits"), "git/create-commit"),
]
GRAPHQL = "/api/graphql"  # GHES serves GraphQL beside /api/v3
RATE_LIMIT = 5000


class GitHubAPI(PublishingEndpoints):
    """Serve `repository` (owner/name) whose git data lives in the bare repository `remote`."""

    def __init__(self, remote: Path, repository: str = "acme/infra", token: str = "ghs_standin") -> None:
        self.remote = remote
        self.repository = repository
        self.owner = repository.split("/")[0]
        self.token = token
        self.pulls: dict[int, Pull] = {}
        self.calls: list[Call] = []
        self.problems: list[str] = []  # exchanges that broke the OpenAPI description
        self.comments: dict[int, list[str]] = {}  # issue number -> comment bodies, in order
        self.page_limit = 100  # the most items one page holds (GitHub: per_page, at most 100)
        self.rate_remaining = RATE_LIMIT  # x-ratelimit-remaining; each call spends one
        self.protected: set[str] = set()  # branches under branch protection (repos/get-branch says so)
        self.collaborators: set[str] = {"alice", "bob", "sec-lead"}  # who may be requested to review or assigned
        self.teams: set[str] = {"platform", "security"}
        self.trees_made: list[str] = []  # git/create-tree
        self.commits_made: list[str] = []  # git/create-commit
        self.graphql_calls: list[tuple[str, str]] = []  # (mutation, node id)
        # GitHub serves any commit by its sha, so an API-made commit can be fetched before it is on a branch.
        subprocess.run(["git", "--git-dir", str(remote), "config", "uploadpack.allowAnySHA1InWant", "true"], check=True)
        self._faults: dict[str, list[_Fault]] = {}
        self._hooks: dict[str, list[Callable[[GitHubAPI], None]]] = {}
        self._next_number = 1
        self._lock = threading.RLock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PREFIX}"

    def __enter__(self) -> GitHubAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # --- what tests arrange --------------------------------------------------------------------

    def fail(
        self,
        operation: str,
        status: int,
        body: Any = None,
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `operation` with this status, before any real handling."""
        body = (
            body
            if body is not None
            else {"message": "Server Error" if status >= 500 else "Error", "documentation_url": DOCS}
        )
        self._faults.setdefault(operation, []).extend(_Fault(status, body, headers or {}) for _ in range(times))

    def secondary_rate_limit(self, operation: str, retry_after: int = 60, times: int = 1) -> None:
        body = {
            "message": SECONDARY_RATE_LIMIT_MESSAGE,
            "documentation_url": f"{DOCS}/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        }
        self.fail(operation, 403, body, {"retry-after": str(retry_after), "x-ratelimit-remaining": "4000"}, times)

    def before(self, operation: str, hook: Callable[[GitHubAPI], None]) -> None:
        """Run `hook(api)` once, just before the next call of `operation` is handled."""
        self._hooks.setdefault(operation, []).append(hook)

    def open_pull(self, head: str, base: str = "development", title: str = "t", body: str = "b") -> Pull:
        """A pull request as if someone else opened it; the head must exist on the remote."""
        with self._lock:
            pull = Pull(self._next_number, title, body, head, base, self._sha(head) or "0" * 40)
            self.pulls[pull.number] = pull
            self._next_number += 1
            return pull

    def calls_to(self, operation: str) -> list[Call]:
        return [call for call in self.calls if call.operation == operation]

    def writes(self) -> list[Call]:
        """Every call that asked GitHub to change something."""
        return [call for call in self.calls if call.method != "GET"]

    def merge(self, number: int) -> None:
        """Mark a pull request merged, as GitHub does once its head is in the base (the test merges with git)."""
        with self._lock:
            pull = self.pulls[number]
            pull.head_sha = self._sha(pull.head) or pull.head_sha
            pull.state, pull.merged = "closed", True

    # --- GitHub's behaviour --------------------------------------------------------------------

    def _sha(self, branch: str) -> str | None:
        done = subprocess.run(
            ["git", "--git-dir", str(self.remote), "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            capture_output=True,
            text=True,
        )
        return done.stdout.strip() or None

    def _contains(self, base: str, head: str) -> bool:
        done = subprocess.run(
            [
                "git",
                "--git-dir",
                str(self.remote),
                "merge-base",
                "--is-ancestor",
                f"refs/heads/{head}",
                f"refs/heads/{base}",
            ],
            capture_output=True,
        )
        return done.returncode == 0

    def handle(
        self, operation: str, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        for hook in self._hooks.pop(operation, []):
            hook(self)
        faults = self._faults.get(operation)
        if faults:
            fault = faults.pop(0)
            return fault.status, fault.body, fault.headers
        if f"{params['owner']}/{params['repo']}" != self.repository:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}
        with self._lock:
            return getattr(self, "_" + operation.replace("/", "_").replace("-", "_"))(params, query, body)

    def _pulls_list(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        state = query.get("state", ["open"])[-1]
        head = query.get("head", [None])[-1]
        base = query.get("base", [None])[-1]
        found = [
            p
            for p in self.pulls.values()
            if (state == "all" or p.state == state)
            and (head is None or f"{self.owner}:{p.head}" == head)
            and (base is None or p.base == base)
        ]
        found.sort(key=lambda p: p.number, reverse=query.get("direction", ["desc"])[-1] == "desc")
        per_page = min(int(query.get("per_page", ["30"])[-1]), self.page_limit)
        page = int(query.get("page", ["1"])[-1])
        last = max(1, -(-len(found) // per_page))
        shown = found[(page - 1) * per_page : page * per_page]
        return 200, [self.render(p, "pull-request-simple") for p in shown], self._links(params, query, page, last)

    def _links(self, params: dict[str, str], query: dict[str, list[str]], page: int, last: int) -> dict[str, str]:
        """GitHub's Link header: first/prev/next/last pages, each a full URL keeping the query."""
        if last == 1:
            return {}
        pages = {"prev": page - 1, "next": page + 1, "last": last, "first": 1}
        wanted = {"next": page < last, "last": page < last, "first": page > 1, "prev": page > 1}
        links = []
        for rel, number in pages.items():
            if wanted[rel]:
                kept = {k: v[-1] for k, v in query.items() if k != "page"}
                url = f"{self.url}/repos/{params['owner']}/{params['repo']}/pulls?{urlencode({**kept, 'page': number})}"
                links.append(f'<{url}>; rel="{rel}"')
        return {"link": ", ".join(links)}

    def _pulls_create(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        head, base = body["head"].split(":")[-1], body["base"]
        head_sha = self._sha(head)
        if head_sha is None:
            return 422, HEAD_INVALID, {}
        if self._sha(base) is None:
            return 422, validation_failed({"resource": "PullRequest", "field": "base", "code": "invalid"}), {}
        if any(p.state == "open" and p.head == head and p.base == base for p in self.pulls.values()):
            message = f"A pull request already exists for {self.owner}:{head}."
            return 422, validation_failed({"resource": "PullRequest", "code": "custom", "message": message}), {}
        if self._contains(base, head):
            message = f"No commits between {base} and {head}"
            return 422, validation_failed({"resource": "PullRequest", "code": "custom", "message": message}), {}
        pull = Pull(
            self._next_number, body["title"], body.get("body"), head, base, head_sha, draft=bool(body.get("draft"))
        )
        self.pulls[pull.number] = pull
        self._next_number += 1
        rendered = self.render(pull, "pull-request")
        return 201, rendered, {"location": rendered["url"]}

    def _pulls_update(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pull = self.pulls.get(int(params["number"]))
        if pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}
        pull.title = body.get("title", pull.title)
        pull.body = body.get("body", pull.body)
        if "state" in body:
            pull.state = body["state"]
        return 200, self.render(pull, "pull-request"), {}

    def _issues_create_comment(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        number = int(params["number"])
        if number not in self.pulls:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}
        self.comments.setdefault(number, []).append(body["body"])
        comment = copy.deepcopy(_template("issue-comment"))
        count = sum(len(bodies) for bodies in self.comments.values())
        comment.update(
            id=count,
            body=body["body"],
            url=f"{self.url}/repos/{self.repository}/issues/comments/{count}",
            html_url=f"{self.url.removesuffix(PREFIX)}/{self.repository}/pull/{number}#issuecomment-{count}",
            issue_url=f"{self.url}/repos/{self.repository}/issues/{number}",
        )
        return 201, comment, {"location": comment["url"]}

    def _issues_remove_label(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pull = self.pulls.get(int(params["number"]))
        name = unquote(params["name"])
        if pull is None or name not in pull.labels:
            return 404, {"message": "Label does not exist", "documentation_url": DOCS, "status": "404"}, {}
        pull.labels.remove(name)
        return 200, [self._label(label) for label in pull.labels], {}

    def _git_delete_ref(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        ref = unquote(params["ref"])
        if not ref.startswith("heads/") or self._sha(ref.removeprefix("heads/")) is None:
            docs = f"{DOCS}/git/refs#delete-a-reference"
            return 422, {"message": "Reference does not exist", "documentation_url": docs, "status": "422"}, {}
        subprocess.run(["git", "--git-dir", str(self.remote), "update-ref", "-d", f"refs/{ref}"], check=True)
        return 204, None, {}

    def _repos_get_branch(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        name = unquote(params["branch"])
        sha = self._sha(name)
        if sha is None:
            return 404, {"message": "Branch not found", "documentation_url": DOCS, "status": "404"}, {}
        branch = copy.deepcopy(_template("branch-with-protection"))
        branch.update(name=name, protected=name in self.protected)
        branch["commit"].update(
            sha=sha, url=f"{self.url}/repos/{self.repository}/commits/{sha}", author={}, committer={}
        )
        return 200, branch, {}

    def _issues_add_labels(
        self, params: dict[str, str], query: dict[str, list[str]], body: Any
    ) -> tuple[int, Any, dict[str, str]]:
        pull = self.pulls.get(int(params["number"]))
        if pull is None:
            return 404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {}
        names = body["labels"] if isinstance(body, dict) else body
        for name in names:
            name = name if isinstance(name, str) else name["name"]
            if name not in pull.labels:
                pull.labels.append(name)
        return 200, [self._label(name) for name in pull.labels], {}

    # --- rendering from the description's own schemas -----------------------------------------------

    def _label(self, name: str) -> dict[str, Any]:
        label = copy.deepcopy(_template("label"))
        label.update(
            name=name,
            url=f"{self.url}/repos/{self.repository}/labels/{name}",
            color="ededed",
            description="",
            default=False,
        )
        return label

    def render(self, pull: Pull, schema_name: str) -> dict[str, Any]:
        data = copy.deepcopy(_template(schema_name))
        api = f"{self.url}/repos/{self.repository}"
        web = f"{self.url.removesuffix(PREFIX)}/{self.repository}"
        data.update(
            url=f"{api}/pulls/{pull.number}",
            id=1000 + pull.number,
            number=pull.number,
            html_url=f"{web}/pull/{pull.number}",
            state=pull.state,
            title=pull.title,
            body=pull.body,
            draft=pull.draft,
            labels=[self._label(name) for name in pull.labels],
            merged_at="2026-11-29T00:00:00Z" if pull.merged else None,
            closed_at="2026-11-29T00:00:00Z" if pull.state == "closed" else None,
            node_id=node_id(pull),
            requested_reviewers=[self.user(login) for login in pull.reviewers],
            requested_teams=[self.team(slug) for slug in pull.teams],
            assignees=[self.user(login) for login in pull.assignees],
        )
        if pull.state == "open":  # GitHub follows the branch while the pull request is open
            pull.head_sha = self._sha(pull.head) or pull.head_sha
        for side, ref, sha in (
            ("head", pull.head, pull.head_sha),
            ("base", pull.base, self._sha(pull.base) or "0" * 40),
        ):
            data[side].update(label=f"{self.owner}:{ref}", ref=ref, sha=sha)
            data[side]["repo"].update(full_name=self.repository, name=self.repository.split("/")[1], fork=False)
        if "merged" in data:
            data["merged"] = pull.merged
        return data


_TEMPLATES: dict[str, Any] = {}


def _template(name: str) -> Any:
    if name not in _TEMPLATES:
        _TEMPLATES[name] = spec.example(name)
    return _TEMPLATES[name]


def _handler(api: GitHubAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            split = urlsplit(self.path)
            path = split.path.removeprefix(PREFIX)
            query = parse_qs(split.query)
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {k.lower(): v for k, v in self.headers.items()}
            route = next(
                ((op, m) for method, rx, op in _ROUTES if method == self.command and (m := rx.fullmatch(path))), None
            )
            if split.path == GRAPHQL and self.command == "POST":
                return self._graphql(headers, raw)
            if not split.path.startswith(PREFIX) or route is None:
                return self._send(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"}, {})
            operation, match = route
            if headers.get("authorization") not in (f"token {api.token}", f"Bearer {api.token}"):
                return self._send(401, {"message": "Bad credentials", "documentation_url": DOCS, "status": "401"}, {})
            request = spec.mock_request(self.command, path, query, headers, raw)
            try:
                body = json.loads(raw) if raw else None
                spec.validate_request(request)
            except Exception as exc:  # the client sent what GitHub would refuse
                api.problems.append(f"{operation} request: {spec.explain(exc)}")
                return self._send(400, {"message": f"Problems parsing JSON: {exc}", "documentation_url": DOCS}, {})
            status, answer, extra = api.handle(operation, match.groupdict(), query, body)
            with api._lock:
                api.rate_remaining = max(0, api.rate_remaining - 1)
                extra = {
                    "x-ratelimit-limit": str(RATE_LIMIT),
                    "x-ratelimit-remaining": str(api.rate_remaining),
                    "x-ratelimit-used": str(RATE_LIMIT - api.rate_remaining),
                    "x-ratelimit-reset": "1796083200",
                    "x-ratelimit-resource": "core",
                    **extra,
                }
            data = b"" if status == 204 else json.dumps(answer).encode()
            try:
                spec.validate_response(request, status, extra, data)
            except Exception as exc:
                api.problems.append(f"{operation} response {status}: {spec.explain(exc)}")
            api.calls.append(Call(operation, self.command, path, query, body, status))
            self._send(status, answer, extra)

        def _graphql(self, headers: dict[str, str], raw: bytes) -> None:
            if headers.get("authorization") not in (f"token {api.token}", f"Bearer {api.token}"):
                return self._send(401, {"message": "Bad credentials", "documentation_url": DOCS}, {})
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            with api._lock:
                for hook in api._hooks.pop("graphql", []):
                    hook(api)
                faults = api._faults.get("graphql")
                if faults:
                    fault = faults.pop(0)
                    return self._send(fault.status, fault.body, fault.headers)
                status, answer = api.graphql(body)
            api.calls.append(Call("graphql", "POST", GRAPHQL, {}, body, status))
            self._send(status, answer, {})

        def _send(self, status: int, answer: Any, headers: dict[str, str]) -> None:
            data = b"" if status == 204 else json.dumps(answer).encode()
            self.send_response(status)
            if data:
                self.send_header("content-type", "application/json; charset=utf-8")
            self.send_header("content-length", str(len(data)))
            self.send_header("x-github-request-id", "0000:0000:0000000:0000000:00000000")
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve

    return Handler
