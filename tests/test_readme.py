"""The README's two commands stay true: CI runs the second, and the first's request works here."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[str]:
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "the README opens with a sh block"
    return [line for line in block.group(1).splitlines() if line and not line.startswith("#")]


def test_two_commands() -> None:
    assert len(commands()) == 2


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert commands()[1] in ci


def test_the_first_command_dry_runs_a_request_on_the_example_repository() -> None:
    first = commands()[0]
    request = shlex.split(first.split("&& .venv/bin/gitops-writer", 1)[1])
    assert request[:2] == ["ecr", "request"] and "--dry-run" in request
    result = subprocess.run(
        [sys.executable, "-m", "gitops_writer", *request], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("+++ b/") == 4
    assert "would be created (4 files)" in result.stderr


def _section(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _blocks(text: str, language: str) -> list[str]:
    return [m.group(1) for m in re.finditer(rf"^ *```{language}\n(.*?)^ *```", text, re.S | re.M)]


def test_every_configuration_example_loads_and_the_request_example_runs(tmp_path: Path) -> None:
    import shutil

    from gitops_writer.kinds import load_config

    section = _section("Configuration: `.gitops-writer.yaml`")
    configs = [block for block in _blocks(section, "yaml") if block.startswith("# .gitops-writer.yaml")]
    assert len(configs) == 2
    for index, config in enumerate(configs):
        (tmp_path / f"c{index}.yaml").write_text(config)
        loaded = load_config(tmp_path, tmp_path / f"c{index}.yaml")
        assert loaded.requests["ecr"].edits[0].id == "tfvars"
    assert "queue" in load_config(tmp_path, tmp_path / "c0.yaml").requests
    assert load_config(tmp_path, tmp_path / "c1.yaml").requests["ecr"].labels[-1] == "needs-review"
    repo = tmp_path / "gitops-repo"
    shutil.copytree(ROOT / "fixtures" / "gitops-repo", repo)
    (repo / "docs/20-contracts/resource-catalogs/queue-catalog.yaml").write_text("queues: {}\n")
    (tmp_path / "queue.yaml").write_text(configs[0])
    [command] = [line for block in _blocks(section, "sh") for line in block.splitlines() if line]
    args = shlex.split(command)
    assert args[:3] == ["gitops-writer", "request", "queue"]
    args = [str(repo) if a == "fixtures/gitops-repo" else str(tmp_path / a) if a == "queue.yaml" else a for a in args]
    result = subprocess.run([sys.executable, "-m", "gitops_writer", *args[1:]], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "jobs in dev would be created (2 files)" in result.stderr
    assert "capacity = 25" in result.stdout.replace('"capacity"', "capacity")
    refused = subprocess.run(
        [sys.executable, "-m", "gitops_writer", *args[1:], "-f", "environment=prod"], capture_output=True, text=True
    )
    assert refused.returncode == 2 and refused.stderr == "gitops-writer: error: pitr: must be true in prod\n"
    # the ECR override writes requested_by into the tfvars, with the other edits untouched
    ecr = load_config(tmp_path, tmp_path / "c1.yaml").requests["ecr"]
    assert [e.id for e in ecr.edits] == ["tfvars", "catalog", "entity", "location"]
    assert ecr.edits[1] == load_config(tmp_path / "absent").requests["ecr"].edits[1]


def test_the_action_examples_use_inputs_the_action_has() -> None:
    import yaml as pyyaml

    declared = pyyaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    blocks = [pyyaml.safe_load(block) for block in _blocks(_section("Adopting it in a GitOps repository"), "yaml")]
    steps = [step for block in blocks if isinstance(block, list) for step in block]  # not the config examples
    uses = [step for step in steps if "gitops-writer@" in str(step.get("uses", ""))]
    assert len(uses) == 2
    for step in uses:
        assert set(step["with"]) <= set(declared), step["with"]


def test_the_form_contract_example_is_what_generate_writes(tmp_path: Path) -> None:
    section = _section("The Backstage form contract")
    config, excerpt = _blocks(section, "yaml")[0], _blocks(section, "text")[0]
    assert config.startswith("# .gitops-writer.yaml\n")
    (tmp_path / "c.yaml").write_text(config)
    done = subprocess.run(
        [sys.executable, "-m", "gitops_writer", "generate", "template", "ecr", "--config", str(tmp_path / "c.yaml")]
        + ["--repository", "acme/infra-gitops"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    written = done.stdout.splitlines()
    position = 0
    for line in excerpt.splitlines():  # every shown line, in order, as written
        if line.strip() != "# ...":
            position = written.index(line, position) + 1


def test_security_md_states_the_owner_rule_the_code_applies_and_a_private_route() -> None:
    from gitops_writer.kinds.schema import BACKSTAGE_NAME_MAX, BACKSTAGE_NAME_PATTERN

    security = (ROOT / "SECURITY.md").read_text()
    assert f"`{BACKSTAGE_NAME_PATTERN}`, {BACKSTAGE_NAME_MAX} characters" in security
    assert "Report a vulnerability" in security and "/security/advisories/new" in security


# Paths of this repository a README may name; other paths (envs/, catalog/, .github/workflows/...) are the
# GitOps repository's. A path under a gitops_writer package (requests/runner.py) counts as the package's.
OWN_ROOTS = {"gitops_writer", "tests", "examples", "fixtures", "requirements", "bench", ".ci"}
FILE_SUFFIXES = {".py", ".md", ".yml", ".yaml", ".json", ".toml", ".txt", ".sh", ".mjs", ".png", ".tfvars", ".tf"}


def named_paths(text: str) -> list[str]:
    text = re.sub(r"https?://\S+", "", text)
    return [m.group(0) for m in re.finditer(r"(?<![\w.$/{@:-])\.?[\w-]+(?:/[\w.*-]+)+/?", text)]


def missing_paths(text: str) -> list[str]:
    packages = {p.stem for p in (ROOT / "gitops_writer").iterdir() if not p.name.startswith("__")}
    missing = []
    for path in named_paths(text):
        parts = path.rstrip("/").split("/")
        if parts[0] in OWN_ROOTS:
            base = ROOT
        elif parts[0] in packages and (parts[-1].endswith(".py") or parts[0] != "actions"):
            base = ROOT / "gitops_writer"
        else:
            continue
        stem, dot, suffix = parts[-1].rpartition(".")
        if dot and f".{suffix}" not in FILE_SUFFIXES:  # module.attribute: the module's file
            parts[-1] = stem + ".py"
        relative = "/".join(parts)
        found = any(base.glob(relative)) if "*" in relative else (base / relative).exists()
        if not found and not (base / f"{relative}.py").exists():
            missing.append(path)
    return missing


def test_every_path_the_readme_names_exists() -> None:
    assert missing_paths((ROOT / "README.md").read_text()) == []


def test_a_path_that_does_not_exist_is_caught() -> None:
    assert missing_paths("runs `requests/run.py`, see tests/nowhere.py and `envs/dev/x.tfvars`") == [
        "requests/run.py",
        "tests/nowhere.py",
    ]


def test_the_action_tables_are_what_action_yml_says() -> None:
    from tests.action_tables import in_readme, render

    assert in_readme((ROOT / "README.md").read_text()) == render(), "run: python -m tests.action_tables"


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation but '-' and '_' dropped, spaces as '-'."""
    heading = re.sub(r"[`*]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


def test_the_contents_list_every_section_and_every_link_lands_on_a_heading() -> None:
    text = (ROOT / "README.md").read_text()
    unfenced = re.sub(r"(?ms)^ *```.*?^ *```", "", text)
    headings = re.findall(r"(?m)^(#{2,4}) (.+)$", unfenced)
    anchors = {_slug(title) for _, title in headings}
    contents = _section("Contents")
    listed = re.findall(r"\]\(#([^)]+)\)", contents)
    sections = [(title, _slug(title)) for level, title in headings if level == "##" and title != "Contents"]
    wanted = "\n".join(f"- [{title.replace('`', '')}](#{slug})" for title, slug in sections)
    assert listed == [slug for _, slug in sections], f"the README's Contents should read:\n{wanted}"
    links = re.findall(r"\]\(#([^)]+)\)", text)
    assert links and set(links) <= anchors, set(links) - anchors


def _readme_commands(title: str) -> list[list[str]]:
    """The gitops-writer command lines of a section's sh blocks, continuation lines joined."""
    found = []
    for block in _blocks(_section(title), "sh"):
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split("  #", 1)[0].strip()
            if line.startswith("gitops-writer "):
                found.append(shlex.split(line)[1:])
    return found


def test_the_generic_verb_examples_run_on_the_repositorys_files() -> None:
    commands = [c for c in _readme_commands("Using the command line") if c[0] in ("get", "set", "remove")]
    assert len(commands) >= 5
    for args in commands:
        assert args[0] == "get" or "--dry-run" in args, args  # the README never edits the repository
        done = subprocess.run(
            [sys.executable, "-m", "gitops_writer", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (args, done.stderr)
        assert done.stdout


def test_the_quick_start_runs_in_a_copy_of_the_example_repository(tmp_path: Path) -> None:
    import shutil

    repo = Path(shutil.copytree(ROOT / "fixtures" / "gitops-repo", tmp_path / "gitops"))
    commands = _readme_commands("Quick start")
    assert [c[0] for c in commands] == ["init", "kinds", "check", "check", "ecr", "generate", "generate"]
    for args in commands:
        args = [a.replace("OWNER/gitops-writer@SHA", "acme/gitops-writer@" + "0" * 40) for a in args]
        done = subprocess.run(
            [sys.executable, "-m", "gitops_writer", *args], cwd=repo, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, (args, done.stderr)
    assert (repo / ".gitops-writer-baseline.json").is_file()
    assert (repo / ".github/workflows/create-ecr-registry.yml").is_file()
    assert (repo / "catalog/templates/ecr-request.yaml").is_file()
