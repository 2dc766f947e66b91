"""`gitops-writer check`: is the repository whole? One line per finding, exit 1 on new errors."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from gitops_writer.cli.colour import echo, painter
from gitops_writer.cli.options import complete_kind, config_option, repo_option
from gitops_writer.errors import ExitCode


@click.command("check")
@repo_option
@config_option
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    shell_complete=complete_kind,
    help="Check only this request kind's files (repeatable).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json", "sarif"]),
    default=None,
    help="text (default): one line each; json: a list; sarif: SARIF 2.1.0 for code scanning. Alone on stdout.",
)
@click.option("--json", "as_json", is_flag=True, help="The same as --format json.")
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Findings this file lists are known: shown, but only new errors fail.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write every finding shown to this file as the baseline, and exit 0.",
)
def check(
    repo: Path,
    config_file: Path | None,
    kinds: tuple[str, ...],
    output: str | None,
    as_json: bool,
    baseline: Path | None,
    write_baseline: Path | None,
) -> None:
    """Report what does not fit together: a resource missing from one of its files, references that
    resolve to nothing, tfvars maps Terraform does not declare, templates and workflows that disagree,
    workflows GitHub cannot parse, templates that open pull requests around the request workflow, and
    entity files no Location loads.

    The config's `check: ignore:` entries accept a rule's findings (with a reason); `--baseline`
    accepts the findings a file lists, so that only new errors fail."""
    from gitops_writer import __version__
    from gitops_writer.check.report import as_json as json_report
    from gitops_writer.check.report import (
        as_sarif,
        as_text,
        baseline_text,
        gate,
        read_baseline,
        repository_prefix,
    )
    from gitops_writer.check.run import check_repository
    from gitops_writer.kinds import load_config
    from gitops_writer.publish.flags import PublishFlags
    from gitops_writer.publish.settings import check_publishing

    if as_json and output not in (None, "json"):
        raise click.UsageError("--json is --format json: give one of them")
    output = output or ("json" if as_json else "text")
    config = load_config(repo, config_file)
    check_publishing(config.publishing, PublishFlags(), f"config {config.source}")
    known = read_baseline(baseline) if baseline is not None else None
    findings = check_repository(repo, config, kinds or None)
    report = gate(findings, config.check_ignores, known)
    if output == "json":
        click.echo(json_report(report))
    elif output == "sarif":
        click.echo(as_sarif(report, __version__, repository_prefix(repo)))
    else:
        for line in as_text(report, painter()):
            echo(line)
    if os.environ.get("GITHUB_ACTIONS") == "true":  # on stderr: stdout stays the report alone
        from gitops_writer.annotations import file_annotation

        for shown in report.shown:
            finding = shown.finding
            title = f"gitops-writer {finding.check}" + (" (known)" if shown.state == "known" else "")
            file_annotation(finding.severity, finding.path, finding.line, title, finding.message, sys.stderr)
    if write_baseline is not None:
        _write(write_baseline, baseline_text(report))
        click.echo(f"{report.summary()}; baseline written to {write_baseline}", err=True)
        return
    click.echo(report.summary(), err=True)
    if report.failing:
        raise SystemExit(ExitCode.DOMAIN)


def _write(path: Path, text: str) -> None:
    """The whole file or none of it."""
    from gitops_writer.errors import UsageError

    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UsageError(f"--write-baseline {path}: cannot write it ({exc.strerror or type(exc).__name__})") from None
