"""`gitops-writer check`: is the repository whole? One line per finding, exit 1 on errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from gitops_writer.cli.options import config_option, repo_option
from gitops_writer.errors import ExitCode


@click.command("check")
@repo_option
@config_option
@click.option("--kind", "kinds", multiple=True, help="Check only this request kind's files (repeatable).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(repo: Path, config_file: Path | None, kinds: tuple[str, ...], as_json: bool) -> None:
    """Report what does not fit together: a resource missing from one of its files, references that
    resolve to nothing, tfvars maps Terraform does not declare, templates and workflows that disagree."""
    from gitops_writer.check.run import check_repository
    from gitops_writer.kinds import load_config

    findings = check_repository(repo, load_config(repo, config_file), kinds or None)
    errors = sum(1 for f in findings if f.severity == "error")
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], indent=2))
    else:
        for finding in findings:
            click.echo(finding.text())
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from gitops_writer.actions.workflow import file_annotation

        for finding in findings:
            file_annotation(
                finding.severity, finding.path, finding.line, f"gitops-writer {finding.check}", finding.message
            )
    warnings = len(findings) - errors
    click.echo(f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}", err=True)
    if errors:
        raise SystemExit(ExitCode.DOMAIN)
