"""The harness itself: expressions as the runner evaluates them, and composite actions it runs or refuses."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.action.expressions import Evaluator, Strict, Unsupported, condition, interpolate
from tests.action.runner import ActionRunner, HarnessError, Uses, environment_for_tests, parse_commands, parse_outputs

CONTEXTS: dict[str, Any] = {
    "inputs": Strict("inputs", {"dry-run": "true", "name": "Payments", "empty": "", "count": "3"}),
    "github": Strict("github", {"token": "ghs_x", "action_path": "/a"}),
    "steps": Strict("steps", {"install": {"outputs": {"python": "/venv/bin/python"}, "outcome": "success"}}),
    "env": {"GREETING": "hi"},
}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("inputs.dry-run", "true"),
        ("inputs.dry-run == 'true'", True),
        ("inputs.dry-run == 'TRUE'", True),  # strings compare case-insensitively
        ("inputs.name != 'payments'", False),
        ("inputs.count == 3", True),  # mismatched types compare as numbers
        ("inputs.empty == 0", True),
        ("inputs.empty == null", True),  # '' and null both coerce to 0
        ("null == 0", True),
        ("inputs.empty || 'default'", "default"),  # || and && return an operand
        ("inputs.name && 'yes'", "yes"),
        ("inputs.empty && 'yes'", ""),
        ("!inputs.empty", True),
        ("!(inputs.dry-run == 'true')", False),
        ("steps.install.outputs.python", "/venv/bin/python"),
        ("steps.install.outputs.missing", None),
        ("steps['install'].outputs['python']", "/venv/bin/python"),
        ("github.TOKEN", "ghs_x"),  # property names are case-insensitive
        ("env.GREETING", "hi"),
        ("env.MISSING", None),
        ("'it''s'", "it's"),
        ("1 < 2 && 'b' > 'A'", True),
        ("0x10 == 16", True),
        ("success()", True),
        ("failure() || always()", True),
    ],
)
def test_expressions_evaluate_as_the_runner_does(expression: str, expected: Any) -> None:
    assert Evaluator(CONTEXTS).evaluate(expression) == expected


@pytest.mark.parametrize(
    "expression",
    [
        "format('{0}', inputs.name)",
        "hashFiles('x')",
        "secrets.TOKEN",
        "inputs.undeclared",
        "github.event",
        "steps.unknown.outputs.x",
        "inputs.*",
        "inputs.name ==",
        "'unterminated",
    ],
)
def test_anything_outside_the_subset_fails_loudly(expression: str) -> None:
    with pytest.raises(Unsupported):
        Evaluator(CONTEXTS).evaluate(expression)


def test_interpolation_and_conditions() -> None:
    evaluator = Evaluator(CONTEXTS)
    assert (
        interpolate("${{ inputs.name }}-${{ inputs.dry-run == 'true' }}-${{ env.MISSING }}.", evaluator)
        == "Payments-true-."
    )
    assert condition(None, evaluator) and condition("inputs.dry-run == 'true'", evaluator)
    assert not condition("${{ inputs.empty }}", evaluator)
    failed = Evaluator(CONTEXTS, status=lambda name: name in ("failure", "always"))
    assert not condition("inputs.dry-run == 'true'", failed)  # implicit success()
    assert condition("always()", failed)


def test_outputs_file_and_workflow_commands_are_read_as_the_runner_reads_them() -> None:
    text = "a=1\nmulti<<EOF_x\nline one\nline=two\nEOF_x\nempty=\n"
    assert parse_outputs(text) == {"a": "1", "multi": "line one\nline=two", "empty": ""}
    with pytest.raises(HarnessError):
        parse_outputs("x<<END\nnever closed\n")
    annotations, masks = parse_commands(
        "::error title=T%3A1::bad%0Aline\n::stop-commands::tok\n::error::ignored\n::tok::\n::add-mask::secret\n"
    )
    assert [(a.kind, a.properties, a.message) for a in annotations] == [("error", {"title": "T:1"}, "bad\nline")]
    assert masks == ["secret"]
    with pytest.raises(HarnessError):
        parse_commands("::set-output name=x::y\n")


# --- whole composite actions --------------------------------------------------------------------

SETUP_SHA = "1" * 40


def runner(tmp_path: Path, action: str, **kwargs: Any) -> ActionRunner:
    action_dir = tmp_path / "action"
    action_dir.mkdir(exist_ok=True)
    (action_dir / "action.yml").write_text(textwrap.dedent(action))
    workspace = tmp_path / "workspace"
    workspace.mkdir(exist_ok=True)
    temp = tmp_path / "temp"
    temp.mkdir(exist_ok=True)
    return ActionRunner(
        action_dir,
        workspace=workspace,
        temp=temp,
        github={
            "token": "ghs_t",
            "repository": "acme/infra",
            "api_url": "http://127.0.0.1:9/api/v3",
            "server_url": "https://github.example",
            "event_name": "workflow_dispatch",
            "ref": "refs/heads/main",
            "sha": "0" * 40,
        },
        environ=environment_for_tests(tmp_path),
        uses={"actions/setup-tool": Uses(SETUP_SHA, lambda with_, ws: {"path": f"/tools/{with_['version']}"})},
        **kwargs,
    )


ACTION = """\
name: sample
description: sample
inputs:
  greeting: {description: d, default: hello}
  token: {description: d, default: "${{ github.token }}"}
  fail: {description: d, default: "false"}
outputs:
  said: {description: d, value: "${{ steps.say.outputs.said }}"}
  tool: {description: d, value: "${{ steps.tool.outputs.path }}"}
  cleaned: {description: d, value: "${{ steps.cleanup.outputs.done }}"}
runs:
  using: composite
  steps:
    - id: tool
      uses: actions/setup-tool@1111111111111111111111111111111111111111
      with:
        version: "${{ inputs.greeting }}-1"
    - id: say
      shell: bash
      env:
        GREETING: ${{ inputs.greeting }}
        TOOL: ${{ steps.tool.outputs.path }}
        FAIL: ${{ inputs.fail }}
      run: |
        test "$GITHUB_ACTIONS" = true && test -d "$RUNNER_TEMP" && test "$PWD" = "$GITHUB_WORKSPACE"
        test "$GITHUB_ACTION_PATH" = "$(cd "$(dirname "$0")/../action" && pwd)"
        echo "::warning title=w::$GREETING"
        { echo "said<<END"; printf '%s\\n%s\\n' "$GREETING" "$TOOL"; echo END; } >> "$GITHUB_OUTPUT"
        echo "summary of $GREETING" >> "$GITHUB_STEP_SUMMARY"
        if [ "$FAIL" = true ]; then false; fi
        echo after
    - id: skipped
      if: inputs.greeting == 'never'
      shell: bash
      run: exit 1
    - id: cleanup
      if: always()
      shell: bash
      run: echo "done=yes" >> "$GITHUB_OUTPUT"
"""


def test_a_composite_action_runs_step_by_step_with_outputs_summary_and_annotations(tmp_path: Path) -> None:
    run = runner(tmp_path, ACTION).run({"greeting": "bonjour"})

    assert not run.failed, run.log
    assert run.outputs == {"said": "bonjour\n/tools/bonjour-1", "tool": "/tools/bonjour-1", "cleaned": "yes"}
    assert run.summary == "summary of bonjour\n"
    assert [(a.kind, a.message) for a in run.annotations] == [("warning", "bonjour")]
    assert [s.outcome for s in run.steps] == ["success", "success", "skipped", "success"]
    assert run.step("tool").with_ == {"version": "bonjour-1"}
    assert run.step("say").seconds > 0 and run.step("skipped").seconds == 0  # wall time of the steps that ran


def test_a_failing_step_stops_the_run_but_always_steps_still_run(tmp_path: Path) -> None:
    run = runner(tmp_path, ACTION).run({"fail": "true"})

    assert run.failed
    assert "after" not in run.step("say").stdout  # -e: the shell stopped at the failing command
    assert [s.outcome for s in run.steps] == ["success", "failure", "skipped", "success"]
    assert run.outputs["cleaned"] == "yes"


def test_an_expression_inside_run_is_spliced_into_the_script_as_on_github(tmp_path: Path) -> None:
    """The negative control for the injection tests: the harness would catch `${{ inputs.x }}` in run:."""
    canary = tmp_path / "pwned"
    unsafe = ACTION.replace("echo after", 'echo "${{ inputs.greeting }}"')

    run = runner(tmp_path, unsafe).run({"greeting": f"$(touch {canary})"})

    assert canary.exists()
    assert not run.failed


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a.replace("1111111111111111111111111111111111111111", "v1"), "not pinned"),
        (lambda a: a.replace("actions/setup-tool", "someone/else"), "not a tool-setup action"),
        (lambda a: a.replace("echo after", 'echo "X=1" >> "$GITHUB_ENV"'), "GITHUB_ENV"),
        (lambda a: a.replace("echo after", "echo '::set-output name=x::y'"), "set-output"),
        (
            lambda a: a.replace("shell: bash\n      run: exit 1", "shell: pwsh\n      run: exit 1").replace(
                "if: inputs.greeting == 'never'", "if: always()"
            ),
            "shell 'pwsh'",
        ),
        (lambda a: a.replace("if: always()", "if: hashFiles('x') != ''"), "hashFiles"),
    ],
    ids=["unpinned", "other-action", "github-env", "set-output", "shell", "function"],
)
def test_what_the_harness_does_not_do_fails_the_run(tmp_path: Path, edit: Any, message: str) -> None:
    with pytest.raises((HarnessError, Unsupported), match=message):
        runner(tmp_path, edit(ACTION)).run({})


def test_undeclared_inputs_and_unknown_step_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(HarnessError, match="do not declare|does not declare"):
        runner(tmp_path, ACTION).run({"greting": "typo"})
    with pytest.raises(HarnessError, match="continue-on-error"):
        runner(tmp_path, ACTION.replace("    - id: cleanup\n", "    - id: cleanup\n      continue-on-error: true\n"))


def test_a_replaced_step_gets_its_evaluated_env_and_gives_its_outputs(tmp_path: Path) -> None:
    seen = {}

    def replacement(env: Any) -> dict[str, str]:
        seen.update(env)
        return {"said": "from python"}

    run = runner(tmp_path, ACTION, replace={"say": replacement}).run({"greeting": "hola"})

    assert seen == {"GREETING": "hola", "TOOL": "/tools/hola-1", "FAIL": "false"}
    assert run.outputs["said"] == "from python" and run.step("say").kind == "replaced"
