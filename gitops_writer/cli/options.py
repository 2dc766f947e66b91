"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])

dry_run_option = click.option("--dry-run", is_flag=True, help="Print the unified diff of the edit and write nothing.")
check_option = click.option("--check", is_flag=True, help="Write nothing; exit 1 if the edit would change the file.")
document_option = click.option(
    "--document",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="YAML only: which document of a multi-document file (0-based).",
)


repo_option = click.option(
    "--repo",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The GitOps repository's working tree.",
)
config_option = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Layout file (default: REPO/.gitops-writer.yaml).",
)


def _github_options() -> list[Callable[[F], F]]:
    """Where the pull requests live: the options of every command that talks to GitHub."""
    return [
        click.option(
            "--base-branch",
            help="Branch the PR targets and the request is built on (default: config, else development).",
        ),
        click.option("--token", envvar=None, help="GitHub token (default: $GITHUB_TOKEN, then $GH_TOKEN)."),
        click.option("--repository", help="OWNER/NAME on GitHub (default: $GITHUB_REPOSITORY)."),
        click.option("--api-url", help="GitHub API URL (default: $GITHUB_API_URL, else api.github.com)."),
        click.option("--remote", default="origin", show_default=True, help="Git remote to fetch from and push to."),
    ]


json_option = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def backstage_options(command: F) -> F:
    """Where the requester hears back: Backstage's notifications backend (nothing is sent without a URL)."""
    for option in reversed(
        [
            click.option(
                "--backstage-url",
                envvar="BACKSTAGE_URL",
                help="Backstage backend URL to notify the requester through (default: $BACKSTAGE_URL).",
            ),
            click.option(
                "--backstage-token",
                envvar="BACKSTAGE_TOKEN",
                help="Backstage static token (externalAccess) for notifications (default: $BACKSTAGE_TOKEN).",
            ),
        ]
    ):
        command = option(command)
    return command


def github_options(command: F) -> F:
    """The GitHub options alone, for commands that work on pull requests already opened (refresh)."""
    for option in reversed(_github_options()):
        command = option(command)
    return command


def publish_options(command: F) -> F:
    """The options shared by every command that can open a pull request."""
    for option in reversed(
        [
            click.option(
                "--publish", is_flag=True, help="Commit on the request branch, push, and open or update the PR."
            ),
            *_github_options(),
            click.option(
                "--on-closed",
                type=click.Choice(["recreate", "skip"]),
                default="recreate",
                show_default=True,
                help="What to do when the request's PR was closed without merging.",
            ),
            click.option(
                "--extra-body-file",
                type=click.Path(dir_okay=False, path_type=Path),
                help="Text appended to the PR body, e.g. a plan.",
            ),
            click.option("--draft", is_flag=True, help="Open the PR as a draft."),
            click.option(
                "--draft-on-update/--ready-on-update",
                default=None,
                help="Turn an open PR into a draft, or mark it ready for review (default: leave it as it is).",
            ),
            click.option("--reviewers", help="Comma-separated users asked to review (default: the config's, by risk)."),
            click.option(
                "--team-reviewers", help="Comma-separated team slugs asked to review (default: the config's)."
            ),
            click.option("--assignees", help="Comma-separated users the PR is assigned to."),
            click.option(
                "--commit",
                type=click.Choice(["git", "api"]),
                help="git commits and pushes; api has GitHub make (and sign) the commit (default: config, else git).",
            ),
            click.option("--author", help="Commit author, 'Name <email>' (default: config, else the committer)."),
            click.option(
                "--committer",
                help="Commit committer, 'Name <email>' (default: config, else git config, else github-actions[bot]).",
            ),
            click.option(
                "--delete-branch/--keep-branch",
                default=None,
                help="Delete the request branch once the request has nothing left to do (default: config, else keep).",
            ),
            click.option("--labels", help="Comma-separated PR labels instead of the configured ones."),
            click.option("--force", is_flag=True, help="Replace commits on the request branch made by someone else."),
            json_option,
        ]
    ):
        command = option(command)
    return backstage_options(command)


strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Refuse a request whose new entity names an entity the repository does not define (default: warn).",
)


def complete_kind(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[click.shell_completion.CompletionItem]:
    """Shell completion of a KIND: the kinds of the repository's config (--repo, --config), else the built-in ones."""
    from gitops_writer.errors import GitopsWriterError
    from gitops_writer.kinds import load_config

    repo = ctx.params.get("repo") or Path(".")
    try:
        kinds = {
            name: kind.title for name, kind in load_config(Path(repo), ctx.params.get("config_file")).requests.items()
        }
    except (GitopsWriterError, OSError):
        from gitops_writer.kinds import builtin_kinds

        kinds = {name: str(data.get("title", name)) for name, data in builtin_kinds().items()}
    return [
        click.shell_completion.CompletionItem(name, help=title)
        for name, title in kinds.items()
        if name.startswith(incomplete)
    ]


kind_argument = click.argument("kind", shell_complete=complete_kind)
