"""Twelve requests from one base, merged one by one with real git merges: refresh keeps every one mergeable.

The requests are made on four dates (the governance catalog's `last_updated` line differs), several
names sort into the same gap of the sorted tfvars map (or into the same empty map), and every one
appends to the unsorted catalog and Location: without refresh they conflict, with it none does.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from gitops_writer.publish import PublishOptions
from gitops_writer.publish.refresh import RefreshOptions, refresh
from tests import terraform
from tests.github_api import GitHubAPI
from tests.publish.refresh_support import (
    CATALOG,
    LOCATION,
    ecr,
    full_clone,
    gitops_remote_fixture,  # noqa: F401 (the fixture remote)
    merge,
    publish_request,
)
from tests.publish.support import Remote, Sleeps, git

DATES = ["2026-11-20", "2026-11-21", "2026-11-23", "2026-11-24"]
REQUESTS = [  # (name, environment): the dev map holds billing-api and identity-web; test's map is {}
    ("api-gw", "dev"),  # before billing-api, with audit-log
    ("audit-log", "dev"),
    ("cart-api", "dev"),  # between billing-api and identity-web, three of them
    ("chat-web", "dev"),
    ("docs-site", "dev"),
    ("jobs-api", "dev"),  # after identity-web, with kyc-svc
    ("kyc-svc", "dev"),
    ("ledger-api", "test"),  # five into the same empty map
    ("mail-svc", "test"),
    ("notify-web", "test"),
    ("orders-api", "test"),
    ("pay-svc", "test"),
]
ORIGINAL = {"billing-api", "identity-web"}


def refs(remote: Remote) -> str:
    return git(remote.seed, "--git-dir", str(remote.bare), "for-each-ref", "--format=%(refname) %(objectname)")


def publish_all(work: Path, options: PublishOptions, sleeps: Sleeps) -> dict[str, int]:
    numbers = {}
    for index, (name, environment) in enumerate(REQUESTS):
        result = publish_request(work, ecr(name, environment, DATES[index % 4]), options, sleeps)
        assert result.operation == "created" and result.number is not None
        numbers[name] = result.number
    return numbers


@pytest.mark.parametrize("refreshing", [True, False], ids=["with-refresh", "without-refresh"])
def test_twelve_requests_merge_in_any_order_only_with_refresh(
    tmp_path: Path, remote: Remote, api: GitHubAPI, options: PublishOptions, sleeps: Sleeps, refreshing: bool
) -> None:
    started = time.monotonic()
    work = full_clone(tmp_path, remote)
    numbers = publish_all(work, options, sleeps)
    order = [name for name, _ in REQUESTS]
    random.Random(14).shuffle(order)
    api.page_limit = 5  # GitHub may answer fewer than asked for: the list must be followed page by page
    conflicted = []
    for step, name in enumerate(order):
        if merge(remote, f"registry/create-{name}"):
            api.merge(numbers[name])
        else:
            conflicted.append(name)
        if not refreshing:
            continue
        report = refresh(work, RefreshOptions(options), sleep=sleeps)
        assert not report.failed, report.to_json()
        assert {pull.number for pull in report.pulls} == {numbers[n] for n in order[step + 1 :]}
        assert {pull.status for pull in report.pulls} <= {"rebuilt", "unchanged"}, report.to_json()
        if step == 0:  # with eleven open, a second run finds nothing new: no push, no write call
            before, calls = refs(remote), len(api.calls)
            again = refresh(work, RefreshOptions(options), sleep=sleeps)
            assert {pull.status for pull in again.pulls} == {"unchanged"}, again.to_json()
            assert refs(remote) == before
            assert [call.method for call in api.calls[calls:]] == ["GET"] * 3  # 11 open pulls, 5 a page
    print(
        f"\n{'with' if refreshing else 'without'} refresh: {len(conflicted)} of 12 merges conflicted, "
        f"{time.monotonic() - started:.1f}s"
    )
    if not refreshing:
        assert len(conflicted) >= 6, conflicted  # every request appends to the same unsorted lists
        return
    assert conflicted == []
    development = {path: remote.read("development", path) for path in (CATALOG, LOCATION)}
    catalog = YAML(typ="safe", pure=True).load(development[CATALOG])
    assert set(catalog["repositories"]) == ORIGINAL | {name for name, _ in REQUESTS}
    assert catalog["last_updated"] in DATES
    targets = YAML(typ="safe", pure=True).load(development[LOCATION])["spec"]["targets"]
    assert sorted(targets) == sorted(
        {"./resources/ecr-registry.yaml"} | {f"./resources/ecr/{n}.yaml" for n in ORIGINAL | set(numbers)}
    )
    dev, test = terraform.read_back(
        [remote.read("development", f"envs/{environment}/terraform.tfvars") for environment in ("dev", "test")]
    )
    assert set(dev["ecr_repositories"]) == ORIGINAL | {name for name, env in REQUESTS if env == "dev"}
    assert set(test["ecr_repositories"]) == {name for name, env in REQUESTS if env == "test"}
    assert dev["ecr_repositories"]["cart-api"]["metadata"]["id"] == "REGISTRY_CART_API"
    for name in numbers:
        assert f"name: ecr-{name}" in remote.read("development", f"catalog/resources/ecr/{name}.yaml")
    assert all(pull.state == "closed" and pull.merged for pull in api.pulls.values())
