"""A GitHub REST API stand-in for tests, validated against GitHub's own OpenAPI description.

Fixture API (see tests/publish/conftest.py for how to wire it):

    with GitHubAPI(bare_remote, repository="acme/infra", token="ghs_x") as api:
        api.url                 # base URL to pass as GITHUB_API_URL (ends in /api/v3, as on GHES)
        api.token               # the only token it accepts ("token X" or "Bearer X")
        api.pulls               # {number: Pull} - state you may inspect or edit (state, merged, labels)
        api.open_pull(head)     # a pull request opened by "someone else"
        api.calls               # [Call(operation, method, path, query, body, status)], in order
        api.calls_to("pulls/create")
        api.fail(op, status, body=None, headers=None, times=1)   # inject an answer before real handling
        api.secondary_rate_limit(op, retry_after=7)               # GitHub's 403 with retry-after
        api.before(op, hook)    # hook(api) runs once before the next call of op (races)
        api.problems            # exchanges that broke the OpenAPI description: assert it is empty

Operations: pulls/list (paginated, Link headers; api.page_limit caps a page), pulls/create, pulls/update,
issues/add-labels, issues/remove-label, issues/create-comment (api.comments), git/delete-ref (deletes the
branch in the bare remote) (spec.OPERATIONS); every answer carries x-ratelimit-* headers
(api.rate_remaining). api.writes() lists the calls that changed something; api.merge(n) marks one merged. head and base
are checked against the bare remote's refs, as GitHub checks them against the repository.
"""

from tests.github_api.server import HEAD_INVALID, SECONDARY_RATE_LIMIT_MESSAGE, Call, GitHubAPI, Pull, validation_failed

__all__ = ["HEAD_INVALID", "SECONDARY_RATE_LIMIT_MESSAGE", "Call", "GitHubAPI", "Pull", "validation_failed"]
