"""Run a composite action (action.yml) the way the GitHub Actions runner does, for tests.

What it does as the runner does:
- inputs: declared inputs only (an undeclared one is an error here, a warning on GitHub); defaults are
  expressions (`${{ github.token }}`); `required` is not enforced (the runner does not either).
- each step: `if:` (implicit success()), then `${{ }}` evaluated in `env:`, `with:`, `working-directory:`
  and in `run:` itself, exactly where the runner evaluates them, so an expression left in a script would
  be spliced into it here too. Contexts: inputs, github, steps, env, runner (see expressions.py).
- `run:` steps: the script is written to RUNNER_TEMP and run with the declared shell's command line
  (bash: `bash --noprofile --norc -eo pipefail {0}`), cwd GITHUB_WORKSPACE (or working-directory),
  and the Actions environment: GITHUB_ACTIONS, GITHUB_WORKSPACE, GITHUB_ACTION_PATH, GITHUB_REPOSITORY,
  GITHUB_API_URL, RUNNER_TEMP, ... plus a fresh GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_ENV,
  GITHUB_PATH and GITHUB_STATE file per step. Outputs are read back in both `k=v` and heredoc form;
  workflow commands on stdout/stderr are parsed (annotations recorded; deprecated ones fail).
- composite `outputs:` are evaluated after the last step.

What it does differently, by design:
- `uses:` steps are not run. Only the actions listed in `uses` are allowed, each pinned to its full
  commit SHA (asserted); a simulator checks its `with:` and supplies its outputs (actions/cache's does
  what that action does on disk: tests/action/cache.py). Any other `uses:` fails the run. Each step's
  wall time is recorded (bench/install.py reports it).
- `run:` steps named in `replace` are handed to a Python function instead of the shell (the install
  step, which would need the package index); the function receives the evaluated env and returns the
  step's outputs.
- Writing GITHUB_ENV or GITHUB_PATH fails the run: an action that leaks variables or PATH entries
  into the caller's later steps is a bug this harness is meant to catch.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.action.expressions import Evaluator, Strict, Unsupported, condition, interpolate

SHELLS = {
    "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail", "{0}"],
    "sh": ["sh", "-e", "{0}"],
}
STEP_KEYS = {"id", "name", "if", "uses", "with", "run", "shell", "env", "working-directory"}
TOP_KEYS = {"name", "description", "author", "branding", "inputs", "outputs", "runs"}
_COMMAND = re.compile(r"^::(?P<name>[a-z-]+)(?: (?P<props>[^:]*))?::(?P<value>.*)$")
_ANNOTATIONS = ("error", "warning", "notice", "debug")
_REFUSED_COMMANDS = ("set-output", "save-state", "set-env", "add-path")


class HarnessError(Exception):
    """action.yml asks for something the harness does not do; never a test failure to paper over."""


@dataclass(frozen=True)
class Uses:
    """A tool-setup action the harness may skip: its pinned SHA and a simulator of its outputs."""

    sha: str
    simulate: Callable[[Mapping[str, str], Path], dict[str, str]]  # (evaluated with, workspace) -> outputs


Replacement = Callable[[Mapping[str, str]], dict[str, str]]  # evaluated step env -> outputs


@dataclass
class StepRun:
    id: str
    name: str
    kind: str  # run | uses | replaced
    outcome: str = "skipped"  # success | failure | skipped
    env: dict[str, str] = field(default_factory=dict)
    with_: dict[str, str] = field(default_factory=dict)
    script: str = ""
    outputs: dict[str, str] = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    returncode: int | None = None
    seconds: float = 0.0  # wall time of the step, a simulated `uses:` included


@dataclass
class Annotation:
    kind: str
    properties: dict[str, str]
    message: str


@dataclass
class ActionRun:
    outputs: dict[str, str]
    steps: list[StepRun]
    summary: str
    annotations: list[Annotation]
    masks: list[str]
    files: list[Path]  # every GITHUB_OUTPUT/STEP_SUMMARY/... file the steps were given

    @property
    def failed(self) -> bool:
        return any(step.outcome == "failure" for step in self.steps)

    @property
    def log(self) -> str:
        return "".join(step.stdout + step.stderr for step in self.steps)

    def step(self, step_id: str) -> StepRun:
        return next(step for step in self.steps if step.id == step_id)

    def errors(self) -> list[str]:
        return [a.message for a in self.annotations if a.kind == "error"]


class ActionRunner:
    def __init__(
        self,
        action_dir: Path,
        *,
        workspace: Path,
        temp: Path,
        github: Mapping[str, str],
        environ: Mapping[str, str],
        uses: Mapping[str, Uses],
        replace: Mapping[str, Replacement] | None = None,
        timeout: float = 120,
    ) -> None:
        self.action_dir = action_dir
        # Every scalar as the string the runner hands over (`false` -> "false"); note the runner turns
        # unquoted numbers into numbers (3.10 -> 3.1), which this loader does not reproduce.
        self.definition = yaml.load((action_dir / "action.yml").read_text(), Loader=yaml.BaseLoader)
        self.workspace = workspace
        self.temp = temp
        self.github = dict(github, action_path=str(action_dir), workspace=str(workspace))
        self.environ = dict(environ)
        self.uses = dict(uses)
        self.replace = dict(replace or {})
        self.timeout = timeout
        self._check_shape()

    def _check_shape(self) -> None:
        unknown = set(self.definition) - TOP_KEYS
        if unknown:
            raise HarnessError(f"action.yml: top-level keys the harness does not know: {sorted(unknown)}")
        runs = self.definition["runs"]
        if runs.get("using") != "composite" or set(runs) != {"using", "steps"}:
            raise HarnessError(f"action.yml: runs must be a composite with steps only, not {runs!r}")
        for index, step in enumerate(runs["steps"]):
            if set(step) - STEP_KEYS:
                raise HarnessError(
                    f"step {index}: keys the harness does not implement: {sorted(set(step) - STEP_KEYS)}"
                )
            if ("run" in step) == ("uses" in step):
                raise HarnessError(f"step {index}: exactly one of run and uses")
            if "run" in step and "shell" not in step:
                raise HarnessError(f"step {index}: a composite run step must declare its shell")
        missing = set(self.replace) - {s.get("id") for s in runs["steps"]}
        if missing:
            raise HarnessError(f"replacements for steps action.yml does not have: {sorted(missing)}")

    # --- the run ---------------------------------------------------------------------------------

    def run(self, inputs: Mapping[str, str]) -> ActionRun:
        declared = self.definition.get("inputs") or {}
        undeclared = set(inputs) - set(declared)
        if undeclared:
            raise HarnessError(f"inputs action.yml does not declare: {sorted(undeclared)}")
        steps_context: dict[str, Any] = {}
        step_ids = [step.get("id") or f"__{index}" for index, step in enumerate(self.definition["runs"]["steps"])]
        for step_id in step_ids:
            steps_context[step_id] = {"outputs": {}, "outcome": None, "conclusion": None}
        contexts: dict[str, Any] = {
            "github": Strict("github", self.github),
            "runner": Strict("runner", {"temp": str(self.temp), "os": "Linux", "arch": "X64"}),
            "env": {},
            "steps": Strict("steps", steps_context),
        }
        default_evaluator = Evaluator({k: v for k, v in contexts.items() if k != "steps"})
        input_values = {}
        for name, spec in declared.items():
            if name in inputs:
                input_values[name] = inputs[name]
            else:
                input_values[name] = interpolate(str((spec or {}).get("default", "")), default_evaluator)
        contexts["inputs"] = Strict("inputs", input_values)

        runs: list[StepRun] = []
        failed = False
        annotations: list[Annotation] = []
        masks: list[str] = []
        files: list[Path] = []
        summary: list[str] = []
        for step_id, step in zip(step_ids, self.definition["runs"]["steps"], strict=False):
            evaluator = Evaluator(contexts, status=lambda name, failed=failed: _status(name, failed))
            kind = "uses" if "uses" in step else "replaced" if step_id in self.replace else "run"
            record = StepRun(step_id, str(step.get("name", step_id)), kind)
            runs.append(record)
            if not condition(step.get("if"), evaluator):
                steps_context[step_id].update(outcome="skipped", conclusion="skipped")
                continue
            record.env = {k: interpolate(str(v), evaluator) for k, v in (step.get("env") or {}).items()}
            started = time.perf_counter()
            if kind == "uses":
                record.with_ = {k: interpolate(str(v), evaluator) for k, v in (step.get("with") or {}).items()}
                record.outputs = self._simulate(step["uses"], record.with_)
                record.outcome = "success"
            elif kind == "replaced":
                record.script = interpolate(step["run"], evaluator)
                record.outputs = self.replace[step_id](dict(record.env))
                record.outcome = "success"
            else:
                record.script = interpolate(step["run"], evaluator)
                directory = interpolate(str(step.get("working-directory", "")), evaluator)
                step_files = self._run_script(record, step["shell"], directory)
                files.extend(step_files.values())
                record.outputs = parse_outputs(step_files["GITHUB_OUTPUT"].read_text())
                summary.append(step_files["GITHUB_STEP_SUMMARY"].read_text())
                for name in ("GITHUB_ENV", "GITHUB_PATH"):
                    if step_files[name].read_text():
                        raise HarnessError(f"step {record.name!r} wrote {name}: it would leak into the caller's job")
                for stream in (record.stdout, record.stderr):
                    found, masked = parse_commands(stream)
                    annotations.extend(found)
                    masks.extend(masked)
            record.seconds = time.perf_counter() - started
            steps_context[step_id].update(outputs=record.outputs, outcome=record.outcome, conclusion=record.outcome)
            failed = failed or record.outcome == "failure"

        output_evaluator = Evaluator(contexts)
        outputs = {
            name: interpolate(str(spec.get("value", "")), output_evaluator)
            for name, spec in (self.definition.get("outputs") or {}).items()
        }
        return ActionRun(outputs, runs, "".join(summary), annotations, masks, files)

    def _simulate(self, uses: str, with_: Mapping[str, str]) -> dict[str, str]:
        name, _, ref = uses.partition("@")
        tool = self.uses.get(name)
        if tool is None:
            raise HarnessError(f"uses: {uses} is not a tool-setup action the harness may skip")
        if ref != tool.sha:
            raise HarnessError(f"uses: {uses} is not pinned to {tool.sha}")
        return tool.simulate(with_, self.workspace)

    def _run_script(self, record: StepRun, shell: str, directory: str) -> dict[str, Path]:
        if shell not in SHELLS:
            raise HarnessError(f"shell {shell!r} is not one the harness runs")
        tag = uuid.uuid4().hex
        script = self.temp / f"{tag}.sh"
        script.write_text(record.script)
        step_files = {}
        for name in ("GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE"):
            path = self.temp / "_runner_file_commands" / f"{name.lower()}_{tag}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            step_files[name] = path
        env = {
            **self.environ,
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_WORKSPACE": str(self.workspace),
            "GITHUB_ACTION_PATH": str(self.action_dir),
            "GITHUB_REPOSITORY": self.github["repository"],
            "GITHUB_API_URL": self.github["api_url"],
            "GITHUB_SERVER_URL": self.github["server_url"],
            "GITHUB_EVENT_NAME": self.github["event_name"],
            "GITHUB_REF": self.github["ref"],
            "GITHUB_SHA": self.github["sha"],
            "GITHUB_RUN_ID": self.github.get("run_id", "4242"),
            "GITHUB_RUN_ATTEMPT": self.github.get("run_attempt", "1"),
            "RUNNER_TEMP": str(self.temp),
            "RUNNER_OS": "Linux",
            "RUNNER_ARCH": "X64",
            **{name: str(path) for name, path in step_files.items()},
            **record.env,
        }
        cwd = self.workspace / directory if directory else self.workspace
        argv = [part.replace("{0}", str(script)) for part in SHELLS[shell]]
        done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=self.timeout, check=False)
        record.stdout, record.stderr, record.returncode = done.stdout, done.stderr, done.returncode
        record.outcome = "success" if done.returncode == 0 else "failure"
        return step_files


def _status(name: str, failed: bool) -> bool:
    return {"success": not failed, "failure": failed, "always": True, "cancelled": False}[name]


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: `name=value` lines and `name<<DELIMITER` blocks."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            while True:
                if index >= len(lines):
                    raise HarnessError(f"output {name!r}: delimiter {delimiter!r} never closes")
                if lines[index] == delimiter:
                    index += 1
                    break
                value.append(lines[index])
                index += 1
            outputs[name] = "\n".join(value)
        elif "=" in line:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
        else:
            raise HarnessError(f"GITHUB_OUTPUT line is neither name=value nor name<<DELIMITER: {line!r}")
    return outputs


def parse_commands(stream: str) -> tuple[list[Annotation], list[str]]:
    """Workflow commands in a step's output: annotations and masks; deprecated commands fail loudly."""
    annotations, masks = [], []
    stop_token: str | None = None
    for line in stream.splitlines():
        match = _COMMAND.match(line)
        if not match:
            continue
        name, value = match["name"], _unescape(match["value"])
        if stop_token is not None:
            if name == stop_token:
                stop_token = None
            continue
        if name == "stop-commands":
            stop_token = value
        elif name in _REFUSED_COMMANDS:
            raise HarnessError(f"step used the disabled workflow command ::{name}::")
        elif name == "add-mask":
            masks.append(value)
        elif name in _ANNOTATIONS:
            props = dict(part.split("=", 1) for part in (match["props"] or "").split(",") if "=" in part)
            annotations.append(Annotation(name, {k: _unescape(v) for k, v in props.items()}, value))
    return annotations, masks


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def environment_for_tests(home: Path) -> dict[str, str]:
    """A minimal runner environment: PATH and locale from here, an empty HOME, no git config, no tokens."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_TERMINAL_PROMPT": "0",
    }


__all__ = [
    "ActionRun",
    "ActionRunner",
    "Annotation",
    "HarnessError",
    "StepRun",
    "Unsupported",
    "Uses",
    "environment_for_tests",
    "parse_commands",
    "parse_outputs",
]
