"""`gitops-writer pr section`: a tool's own section of a request's pull request body, updated in place."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click


@click.group()
def pr() -> None:
    """Work on a request's open pull request."""


@pr.command("section")
@click.option("--branch", required=True, help="The request branch, e.g. registry/create-payments-api.")
@click.option(
    "--name", required=True, help="Section name, e.g. plan: the text between <!-- gitops-writer:plan --> markers."
)
@click.option(
    "--body-file",
    required=True,
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="The section's text (Markdown); - reads standard input.",
)
@click.option("--base-branch", help="Only the pull request into this branch (default: the one open PR of the branch).")
@click.option("--token", envvar=None, help="GitHub token (default: $GITHUB_TOKEN, then $GH_TOKEN).")
@click.option("--repository", help="OWNER/NAME on GitHub (default: $GITHUB_REPOSITORY).")
@click.option("--api-url", help="GitHub API URL (default: $GITHUB_API_URL, else api.github.com).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def section(
    branch: str,
    name: str,
    body_file: Path,
    base_branch: str | None,
    token: str | None,
    repository: str | None,
    api_url: str | None,
    as_json: bool,
) -> None:
    """Replace the text of one section of the PR body, leaving everything a person wrote alone.

    The section is created at the end of the body on first use; its text is cut, with a note, so the
    body stays within GitHub's 65,536 characters.
    """
    from gitops_writer.publish import section as sections
    from gitops_writer.publish.flags import PublishFlags
    from gitops_writer.publish.github import GitHubClient
    from gitops_writer.publish.options import resolve_options
    from gitops_writer.repo.reading import read_text

    sections.check_name(name)
    if str(body_file) == "-":
        text = sys.stdin.read()
    else:
        text = read_text(body_file, follow=True)
    options = resolve_options(PublishFlags(token=token, repository=repository, api_url=api_url))
    with GitHubClient(options.api_url, options.repository, options.token) as github:
        result = sections.write(github, branch, name, text, base_branch)
    if as_json:
        click.echo(
            json.dumps(
                {"number": result.number, "url": result.url, "changed": result.changed, "truncated": result.truncated}
            )
        )
    else:
        what = "updated" if result.changed else "already up to date"
        note = " (truncated to fit GitHub's body limit)" if result.truncated else ""
        click.echo(f"section {name} of #{result.number} {what}{note}: {result.url}")
