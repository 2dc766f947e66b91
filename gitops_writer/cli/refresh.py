"""`gitops-writer refresh`: rebuild every open request pull request on the tip of its base branch."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitops_writer.cli.options import backstage_options, config_option, github_options, json_option, repo_option

if TYPE_CHECKING:
    from gitops_writer.publish.flags import PublishFlags


@click.command()
@repo_option
@config_option
@github_options
@click.option(
    "--max-pulls",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Change (push, close or label) at most this many pull requests per run; the rest wait for the next.",
)
@click.option(
    "--label",
    default="gitops-writer-blocked",
    show_default=True,
    help="Label for a request that no longer applies to the base.",
)
@click.option(
    "--up-to-date",
    is_flag=True,
    help="Rebuild every branch behind its base, also those that would merge cleanly (for rules that require it).",
)
@click.option("--dry-run", is_flag=True, help="Say what each pull request would need; push and change nothing.")
@json_option
@backstage_options
def refresh(
    repo: Path,
    config_file: Path | None,
    max_pulls: int,
    label: str,
    up_to_date: bool,
    dry_run: bool,
    as_json: bool,
    backstage_url: str | None,
    backstage_token: str | None,
    github: PublishFlags,
) -> None:
    """Rebuild every open request PR on the tip of its base branch, so each one stays mergeable.

    A branch is pushed (with a lease) only when merging it as it stands would conflict or differ from
    the request made afresh. Branches with anyone else's commits are left alone; a request already on
    the base closes its PR and deletes its branch; one that no longer applies is labelled.
    """
    from gitops_writer.actions.workflow import report_to_actions
    from gitops_writer.errors import GitopsWriterError
    from gitops_writer.kinds import load_config
    from gitops_writer.notify import notifier
    from gitops_writer.publish.options import resolve_options
    from gitops_writer.publish.refresh import RefreshOptions
    from gitops_writer.publish.refresh import refresh as run

    config = load_config(repo, config_file)
    # the config's publishing settings too: a branch published as its committer is the tool's own
    options = resolve_options(github, config=config.publishing, default_base=config.base_branch)
    report = run(
        repo,
        RefreshOptions(options, config_file, max_pulls=max_pulls, label=label, up_to_date=up_to_date, dry_run=dry_run),
    )
    report_to_actions(report)
    tell = notifier(backstage_url, backstage_token, config, repository=options.repository)
    if tell is not None:
        tell.refreshed(report, config)
    if as_json:
        click.echo(report.to_json())
    else:
        for line in report.lines():
            click.echo(line)
    click.echo(report.tally(), err=True)
    failed = [pull for pull in report.pulls if pull.status == "failed"]
    if failed:
        raise GitopsWriterError(
            f"{len(failed)} pull request(s) could not be refreshed: "
            + "; ".join(f"#{pull.number}: {pull.reason}" for pull in failed)
        )
