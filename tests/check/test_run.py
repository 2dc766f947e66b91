"""`gitops-writer check`: a repository built by requests is clean; each planted fault is named; the seed's real ones."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fit.support import SEED, Run, gw


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    if not SEED.is_dir():
        pytest.skip("the seed repository is not beside the project")
    return Path(shutil.copytree(SEED, tmp_path / "seed"))


def check(repo: Path, *args: str) -> Run:
    return gw("check", f"--repo={repo}", "--json", *args)


def test_a_repository_built_by_requests_is_clean(built: Path) -> None:
    done = gw("check", f"--repo={built}")
    assert (done.code, done.out, done.err) == (0, "", "0 errors, 0 warnings\n")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _remove_target(repo: Path) -> None:
    _edit(repo / "catalog/all-resources.yaml", "    - ./resources/ecr/payments-api.yaml\n", "")


def _delete_entity(repo: Path) -> None:
    (repo / "catalog/resources/ecr/payments-api.yaml").unlink()


def _tfvars_only(repo: Path) -> None:
    done = gw(
        "set",
        str(repo / "envs/test/terraform.tfvars"),
        "/ecr_repositories/ghost-app",
        '{"metadata": {"id": "REGISTRY_GHOST_APP", "owner": "team-a", "risk": "low"}}',
    )
    assert done.code == 0, done.err


def _dangling_dependency(repo: Path) -> None:
    _edit(repo / "catalog/resources/ecr/payments-api.yaml", "resource:ecr-registry", "resource:payments-registry")


def _template_enum(repo: Path) -> None:
    _edit(repo / "catalog/templates/ecr-request.yaml", "            - prod\n", "            - prod\n            - qa\n")


@pytest.mark.parametrize(
    ("plant", "path", "resource", "words"),
    [
        pytest.param(_remove_target, "envs/dev/terraform.tfvars", "payments-api", "no Location target", id="target"),
        pytest.param(_delete_entity, "envs/dev/terraform.tfvars", "payments-api", "no entity file", id="entity"),
        pytest.param(
            _tfvars_only,
            "envs/test/terraform.tfvars",
            "ghost-app",
            "ecr ghost-app has no catalog entry",
            id="tfvars",
        ),
        pytest.param(
            _dangling_dependency,
            "catalog/resources/ecr/payments-api.yaml",
            "ecr-payments-api",
            "resource:payments-registry is not a Resource the repository defines",
            id="dependency",
        ),
        pytest.param(
            _template_enum,
            "catalog/templates/ecr-request.yaml",
            "qa",
            "offers environment qa, which the choice input environment",
            id="template-enum",
        ),
    ],
)
def test_each_planted_fault_is_reported_naming_the_resource(
    built: Path, plant: Callable[[Path], None], path: str, resource: str, words: str
) -> None:
    plant(built)
    done = check(built)
    assert done.code == 1, done.err
    assert any(
        f["path"] == path and f["resource"] == resource and words in f["message"] and f["severity"] == "error"
        for f in done.findings
    ), done.findings


def test_a_deleted_entity_is_also_a_location_target_that_does_not_exist(built: Path) -> None:
    _delete_entity(built)
    messages = [f["message"] for f in check(built).findings]
    assert "Location all-resources: target ./resources/ecr/payments-api.yaml does not exist" in messages


def test_an_existing_resource_added_to_another_environments_tfvars_alone(built: Path) -> None:
    done = gw("set", str(built / "envs/test/terraform.tfvars"), "/ecr_repositories/payments-api", '{"metadata": {}}')
    assert done.code == 0
    messages = {(f["path"], f["message"]) for f in check(built).findings}
    assert messages == {
        (
            "docs/20-contracts/resource-catalogs/ecr-catalog.yaml",
            "ecr payments-api: the catalog entry does not name environment test, which its tfvars entry "
            "envs/test/terraform.tfvars records",
        ),
        (
            "catalog/resources/ecr/payments-api.yaml",
            "ecr payments-api: the entity file does not name environment test, which its tfvars entry "
            "envs/test/terraform.tfvars records",
        ),
    }


def test_a_tfvars_entry_nothing_else_knows_is_an_orphan(built: Path) -> None:
    done = gw("set", str(built / "envs/dev/terraform.tfvars"), "/ecr_repositories/ghost", '{"metadata": {"id": "X"}}')
    assert done.code == 0
    messages = {f["message"] for f in check(built).findings if f["resource"] == "ghost"}
    assert messages == {
        "ecr ghost has no catalog entry (docs/20-contracts/resource-catalogs/ecr-catalog.yaml /repositories/ghost)",
        "ecr ghost has no entity file (catalog/resources/ecr/ghost.yaml)",
        "ecr ghost has no Location target (./resources/ecr/ghost.yaml in catalog/all-resources.yaml /spec/targets)",
    }


def test_a_map_terraform_does_not_declare_is_named_per_environment(built: Path) -> None:
    (built / "envs/prod/variables.tf").write_text('variable "environment" {\n  type = string\n}\n')
    [finding] = check(built).findings
    assert (finding["path"], finding["line"], finding["check"]) == ("envs/prod/terraform.tfvars", 3, "terraform")
    assert "envs/prod/*.tf declare no variable 'ecr_repositories'" in finding["message"]


def test_no_owner_findings_in_a_repository_without_groups(built: Path) -> None:
    (built / "catalog/org.yaml").unlink()
    _edit(built / "catalog/all-resources.yaml", "    - ./org.yaml\n", "")
    assert check(built).findings == []


def test_an_entity_name_defined_twice_is_reported(built: Path) -> None:
    shutil.copy(built / "catalog/org.yaml", built / "catalog/teams.yaml")
    _edit(built / "catalog/all-resources.yaml", "    - ./org.yaml\n", "    - ./org.yaml\n    - ./teams.yaml\n")
    findings = check(built).findings
    assert {f["resource"] for f in findings} == {"platform-team", "team-a", "team-b"}
    assert all("is defined twice: first in catalog/org.yaml" in f["message"] for f in findings)


def test_only_the_named_kind_is_checked_and_an_unknown_kind_is_a_usage_error(built: Path) -> None:
    assert check(built, "--kind", "ecr").code == 0
    done = check(built, "--kind", "rds")
    assert done.code == 2 and "unknown request kind 'rds'" in done.err


def test_under_actions_each_finding_is_an_annotation_on_its_line(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _dangling_dependency(built)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    done = gw("check", f"--repo={built}")
    assert done.code == 1
    assert (
        "::error file=catalog/resources/ecr/payments-api.yaml,line=16,title=gitops-writer references::"
        "Resource ecr-payments-api: spec.dependencyOf resource%3Apayments-registry" not in done.err
    )  # the message is data: only properties escape ':'
    assert (
        "::error file=catalog/resources/ecr/payments-api.yaml,line=16,title=gitops-writer references::"
        "Resource ecr-payments-api: spec.dependencyOf resource:payments-registry is not a Resource the repository"
        " defines\n"
    ) in done.err


def test_the_seed_repositorys_real_problems(seed: Path) -> None:
    done = check(seed)
    assert done.code == 1
    found = {(f["path"], f["line"], f["message"]) for f in done.findings}
    expected = {
        (
            "catalog/resources/ecr/wordpress-platform.yaml",
            14,
            "Resource ecr-wordpress-platform: spec.owner app-team-wordpress is not a Group the repository defines",
        ),
        (
            "catalog/templates/ecr-request.yaml",
            60,
            "template ecr-request offers domain application, which the choice input domain of "
            ".github/workflows/create-ecr-registry.yml does not accept (options: platform-core, delivery, "
            "observability, governance, security, cost)",
        ),
        (
            "envs/test/terraform.tfvars",
            1,
            "envs/test/*.tf declare no variable 'ecr_repositories': the ecr entries a request writes into "
            "envs/test/terraform.tfvars would be ignored by terraform (undeclared variable)",
        ),
        (
            "catalog/components/platform-health.yaml",
            29,
            "Component platform-health-dashboard: spec.system goldenpath-platform is not a System the repository "
            "defines",
        ),
    }
    assert expected <= found
    assert (
        "docs/20-contracts/resource-catalogs/ecr-catalog.yaml",
        16,
        "ecr test-app-dev is in dev (entity file catalog/resources/ecr/test-app-dev.yaml records) but has no tfvars"
        " entry (envs/dev/terraform.tfvars /ecr_repositories/test-app-dev)",
    ) in found  # the built-in catalog entry lists `environments`; the seed's names one `environment`
    assert not any("does not name environment" in f["message"] for f in done.findings)
    assert not any("envs/dev/" in f["path"] and f["check"] == "terraform" for f in done.findings)  # dev declares it
    assert not any(
        "spec.owner team-a " in f["message"] for f in done.findings
    )  # defined in a file libyaml alone refuses
    assert not any(f["resource"] == "guest" for f in done.findings)  # two guests, in two namespaces


def test_a_request_in_the_built_in_layout_leaves_the_seed_a_dangling_relation(seed: Path) -> None:
    done = gw(
        "ecr", "request", f"--repo={seed}", "--name=payments-api", "--environment=dev", "--owner=platform-team",
        "--requester=michael-deans", "--domain=delivery", "--risk=low", "--date=2026-11-29",
    )  # fmt: skip
    assert done.code == 0, done.err
    messages = {f["message"] for f in check(seed).findings if f["resource"] == "ecr-payments-api"}
    assert messages == {
        "Resource ecr-payments-api: spec.dependencyOf resource:ecr-registry is not a Resource the repository defines"
    }
