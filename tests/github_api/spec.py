"""GitHub's OpenAPI description, cut down to the operations the stand-in serves, and validators.

The source of truth is the file that npm `@octokit/openapi` ships (pinned in tests/node/package.json);
the cut keeps those operations and every component they reach, so it cannot drift from the source.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from openapi_schema_validator import OAS30Validator

NODE_MODULES = Path(__file__).resolve().parents[1] / "node" / "node_modules"
SPEC_FILE = NODE_MODULES / "@octokit" / "openapi" / "generated" / "api.github.com.json"
GHES_SPEC_FILE = NODE_MODULES / "@octokit" / "openapi" / "generated" / "ghes-3.17.json"
HOST_URL = "https://api.github.com"  # the description's server; requests are validated as if sent there

# operationId -> (method, path template): the endpoints gitops-writer uses.
OPERATIONS = {
    "pulls/list": ("get", "/repos/{owner}/{repo}/pulls"),
    "pulls/create": ("post", "/repos/{owner}/{repo}/pulls"),
    "pulls/update": ("patch", "/repos/{owner}/{repo}/pulls/{pull_number}"),
    "issues/add-labels": ("post", "/repos/{owner}/{repo}/issues/{issue_number}/labels"),
    "issues/remove-label": ("delete", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}"),
    "issues/create-comment": ("post", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    "git/delete-ref": ("delete", "/repos/{owner}/{repo}/git/refs/{ref}"),
    "repos/get-branch": ("get", "/repos/{owner}/{repo}/branches/{branch}"),
    "pulls/request-reviewers": ("post", "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers"),
    "issues/add-assignees": ("post", "/repos/{owner}/{repo}/issues/{issue_number}/assignees"),
    "git/create-tree": ("post", "/repos/{owner}/{repo}/git/trees"),
    "git/create-commit": ("post", "/repos/{owner}/{repo}/git/commits"),
}


def _refs(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            found.add(ref)
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def cut(spec: dict[str, Any], operations: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The description with only `operations` and the components they reach."""
    paths: dict[str, Any] = {}
    for operation_id, (method, path) in operations.items():
        item = spec["paths"][path]
        assert item[method]["operationId"] == operation_id, (operation_id, item[method]["operationId"])
        kept = paths.setdefault(path, {k: v for k, v in item.items() if k == "parameters"})
        kept[method] = item[method]
    components: dict[str, dict[str, Any]] = {}
    pending = _refs(paths)
    seen: set[str] = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        kind, name = ref.removeprefix("#/components/").split("/", 1)
        target = _resolve(spec, ref)
        components.setdefault(kind, {})[name] = target
        pending |= _refs(target)
    # Only schemas matter for validation; always keep basic-error for undocumented statuses.
    components.setdefault("schemas", {})["basic-error"] = spec["components"]["schemas"]["basic-error"]
    return {
        "openapi": spec["openapi"],
        "info": spec["info"],
        "servers": spec["servers"],
        "paths": paths,
        "components": components,
    }


@functools.cache
def full_spec(path: Path = SPEC_FILE) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@functools.cache
def small_spec() -> dict[str, Any]:
    return cut(full_spec(), OPERATIONS)


@functools.cache
def openapi() -> OpenAPI:
    return OpenAPI.from_dict(copy.deepcopy(small_spec()))


def schema(name: str) -> dict[str, Any]:
    return small_spec()["components"]["schemas"][name]  # type: ignore[no-any-return]


def validate_schema(name: str, instance: Any) -> None:
    """Validate `instance` against a component schema (used for statuses an operation omits)."""
    root = small_spec()
    validator = OAS30Validator({**schema(name), "components": root["components"]})
    validator.validate(instance)


def mock_request(
    method: str, path: str, query: dict[str, list[str]], headers: dict[str, str], body: bytes
) -> MockRequest:
    """The request as openapi-core sees it, as if sent to the description's server."""
    return MockRequest(
        HOST_URL,
        method,
        path,
        args={k: v[-1] for k, v in query.items()},
        headers=headers,
        data=body or None,
        content_type=headers.get("content-type", "application/json").split(";")[0],
    )


def validate_request(request: MockRequest) -> None:
    openapi().validate_request(request)


def validate_response(request: MockRequest, status: int, headers: dict[str, str], body: bytes) -> None:
    """Raise if the response breaks the description; statuses an operation omits must be basic errors."""
    if str(status) in _operation(request.method, request.path)["responses"]:
        openapi().validate_response(request, MockResponse(body, status, headers, "application/json"))
    else:  # GitHub answers 5xx and rate limits on every endpoint, with a basic error body
        validate_schema("basic-error", json.loads(body))


def explain(exc: BaseException) -> str:
    """The schema errors behind an openapi-core failure, with where they are, not the whole value."""
    errors = getattr(exc.__cause__, "schema_errors", None) or getattr(exc, "schema_errors", None)
    if not errors:
        return f"{type(exc).__name__}: {str(exc)[:500]}"
    return "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors)


def _operation(method: str, path: str) -> dict[str, Any]:
    parts = path.strip("/").split("/")
    for _, (op_method, template) in OPERATIONS.items():
        pattern = template.strip("/").split("/")
        if (
            op_method == method.lower()
            and len(pattern) == len(parts)
            and all(p.startswith("{") or p == q for p, q in zip(pattern, parts, strict=False))
        ):
            return small_spec()["paths"][template][op_method]  # type: ignore[no-any-return]
    raise LookupError(f"{method} {path} is not an operation the stand-in serves")


def example(name: str) -> Any:
    """A minimal instance of a component schema: every required property, with typed placeholders."""
    return _example(schema(name), small_spec())


def _example(node: dict[str, Any], root: dict[str, Any]) -> Any:
    if "$ref" in node:
        return _example(_resolve(root, node["$ref"]), root)
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for part in node["allOf"]:
            value = _example(part, root)
            if isinstance(value, dict):
                merged.update(value)
            elif value is None:
                return None
        return merged
    if node.get("nullable"):
        return None
    for key in ("oneOf", "anyOf"):
        if key in node:
            return _example(node[key][0], root)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type")
    if kind == "object" or "properties" in node:
        props = node.get("properties", {})
        return {name: _example(props.get(name, {}), root) for name in node.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1.0
    if kind == "boolean":
        return False
    if node.get("format") == "date-time":
        return "2026-11-29T00:00:00Z"
    if node.get("format") == "uri":
        return "https://api.github.com/"
    if kind == "string":
        return "x"
    return None
