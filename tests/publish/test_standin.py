"""The GitHub stand-in itself: it serves what GitHub documents, and refuses what GitHub refuses."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

import pytest

from tests.github_api import GitHubAPI, spec
from tests.publish.support import Remote


def call(api: GitHubAPI, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(
        api.url + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"authorization": f"token {token or api.token}", "content-type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.loads(response.read())
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
    for name in ("pull-request", "pull-request-simple", "label", "basic-error", "validation-error"):
        spec.validate_schema(name, spec.example(name))
