"""The GitHub stand-in itself: it serves what GitHub documents, and refuses what GitHub refuses."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.github_api import GitHubAPI, spec
from tests.publish.support import Remote


def call(
    api: GitHubAPI,
    method: str,
    path: str,
    body: Any = None,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    request = urllib.request.Request(
        path if path.startswith("http") else api.url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"authorization": f"token {token or api.token}", "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            if headers is not None:
                headers.update({k.lower(): v for k, v in response.headers.items()})
            data = response.read()
            return response.status, json.loads(data) if data else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_cut_description_comes_from_the_npm_file_and_ghes_has_the_same_operations() -> None:
    full = spec.full_spec()
    small = spec.small_spec()
    assert small["info"]["version"] == full["info"]["version"]
    for operation_id, (method, path) in spec.OPERATIONS.items():
        assert small["paths"][path][method] == full["paths"][path][method]
        assert spec.full_spec(spec.GHES_SPEC_FILE)["paths"][path][method]["operationId"] == operation_id


def test_wrong_token_is_401(api: GitHubAPI) -> None:
    assert call(api, "GET", "/repos/acme/infra/pulls", token="ghs_wrong")[0] == 401


def test_head_and_base_are_checked_against_the_remote(api: GitHubAPI, remote: Remote) -> None:
    status, body = call(api, "POST", "/repos/acme/infra/pulls", {"head": "nope", "base": "development", "title": "t"})
    assert (status, body["errors"]) == (422, [{"resource": "PullRequest", "field": "head", "code": "invalid"}])
    status, body = call(api, "POST", "/repos/acme/infra/pulls", {"head": "main", "base": "nope", "title": "t"})
    assert (status, body["errors"][0]["field"]) == (422, "base")
    assert call(api, "POST", "/repos/acme/infra/pulls", {"head": "main", "base": "development", "title": "t"})[0] == 201
    status, body = call(
        api, "POST", "/repos/acme/infra/pulls", {"head": "acme:main", "base": "development", "title": "t"}
    )
    assert (status, body["errors"][0]["message"]) == (422, "A pull request already exists for acme:main.")
    assert api.problems == []


def test_requests_that_break_the_description_are_refused_and_recorded(remote: Remote) -> None:
    with GitHubAPI(remote.bare) as api:
        status, _ = call(
            api, "POST", "/repos/acme/infra/pulls", {"head": "main", "base": "development", "draft": "yes"}
        )
        assert status == 400
        assert len(api.problems) == 1 and "draft" in api.problems[0]


def test_responses_that_break_the_description_are_recorded(remote: Remote, monkeypatch: pytest.MonkeyPatch) -> None:
    with GitHubAPI(remote.bare) as api:
        monkeypatch.setattr(api, "render", lambda pull, name: {"number": "one", "url": "u"})
        call(api, "POST", "/repos/acme/infra/pulls", {"head": "main", "base": "development", "title": "t"})
        assert len(api.problems) == 1 and "pulls/create response 201" in api.problems[0]


def test_examples_satisfy_their_schemas() -> None:
    for name in ("pull-request", "pull-request-simple", "label", "basic-error", "validation-error", "issue-comment"):
        spec.validate_schema(name, spec.example(name))


def test_the_pull_request_list_is_paginated_with_link_headers(api: GitHubAPI, remote: Remote) -> None:
    for _ in range(5):
        api.open_pull("main")
    api.page_limit = 2
    seen: list[int] = []
    url: str | None = "/repos/acme/infra/pulls?state=open&per_page=100&direction=asc"
    links = []
    while url:
        headers: dict[str, str] = {}
        status, page = call(api, "GET", url, headers=headers)
        assert status == 200 and len(page) <= 2
        seen += [pull["number"] for pull in page]
        links.append(headers.get("link", ""))
        url = next((part.split(">")[0][1:] for part in links[-1].split(", ") if 'rel="next"' in part), None)
    assert seen == [1, 2, 3, 4, 5]
    assert 'rel="last"' in links[0] and "page=3" in links[0] and 'rel="prev"' in links[-1]
    assert int(headers["x-ratelimit-remaining"]) == api.rate_remaining == 5000 - 3
    assert api.problems == []


def test_comment_remove_label_and_delete_ref_change_what_github_holds(api: GitHubAPI, remote: Remote) -> None:
    remote.commit("registry/create-x", "registries.txt", "x\n", start="development")
    pull = api.open_pull("registry/create-x")
    assert call(api, "POST", f"/repos/acme/infra/issues/{pull.number}/comments", {"body": "hello"})[0] == 201
    assert api.comments == {pull.number: ["hello"]}
    call(api, "POST", f"/repos/acme/infra/issues/{pull.number}/labels", {"labels": ["a", "b"]})
    status, labels = call(api, "DELETE", f"/repos/acme/infra/issues/{pull.number}/labels/a")
    assert (status, [label["name"] for label in labels], pull.labels) == (200, ["b"], ["b"])
    assert call(api, "DELETE", f"/repos/acme/infra/issues/{pull.number}/labels/a")[0] == 404
    assert call(api, "DELETE", "/repos/acme/infra/git/refs/heads%2Fregistry%2Fcreate-x") == (204, None)
    assert remote.sha("registry/create-x") is None
    assert call(api, "DELETE", "/repos/acme/infra/git/refs/heads%2Fregistry%2Fcreate-x")[0] == 422
    assert [c.operation for c in api.writes()] == [
        "issues/create-comment",
        "issues/add-labels",
        "issues/remove-label",
        "issues/remove-label",
        "git/delete-ref",
        "git/delete-ref",
    ]
    assert api.problems == []
