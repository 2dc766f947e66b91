"""Options shared by several commands, defined once."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import click

from gitops_writer.publish.flags import PublishFlags

F = TypeVar("F", bound=Callable[..., object])
Command = Callable[..., None]

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


def github_options(command: Command) -> Command:
    """The GitHub options alone, for commands that work on pull requests already opened (refresh): the
    command gets them as `github`, PublishFlags."""

    @functools.wraps(command)
    def gathered(**params: object) -> None:
        command(github=publish_flags(params), **params)

    for option in reversed(_github_options()):
        gathered = option(gathered)
    return gathered


@dataclass(frozen=True)
class Publishing:
    """What a command that can open a pull request was told about it, read once from its options."""

    publish: bool  # commit, push and open the pull request; else edit the working tree (or print the diff)
    flags: PublishFlags
    as_json: bool
    backstage_url: str | None = None
    backstage_token: str | None = field(default=None, repr=False)


def publish_options(command: Command) -> Command:
    """The options shared by every command that can open a pull request; the command gets them as
    `publishing`, one Publishing."""

    @functools.wraps(command)
    def gathered(**params: object) -> None:
        publish, as_json = params.pop("publish") is True, params.pop("as_json") is True
        url, token = _text(params, "backstage_url"), _text(params, "backstage_token")
        command(publishing=Publishing(publish, publish_flags(params), as_json, url, token), **params)

    for option in reversed(_publish_options()):
        gathered = option(gathered)
    return backstage_options(gathered)


def _publish_options() -> list[Callable[[F], F]]:
    return [
        click.option("--publish", is_flag=True, help="Commit on the request branch, push, and open or update the PR."),
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
        click.option("--team-reviewers", help="Comma-separated team slugs asked to review (default: the config's)."),
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


def publish_flags(params: dict[str, object]) -> PublishFlags:
    """The publish options among a command's parameters, taken out of them as one PublishFlags."""
    extra_body_file = params.pop("extra_body_file", None)
    on_closed, commit = params.pop("on_closed", None), params.pop("commit", None)
    return PublishFlags(
        token=_text(params, "token"),
        repository=_text(params, "repository"),
        api_url=_text(params, "api_url"),
        base_branch=_text(params, "base_branch"),
        remote=_text(params, "remote") or "origin",
        on_closed="skip" if on_closed == "skip" else "recreate",
        extra_body_file=extra_body_file if isinstance(extra_body_file, Path) else None,
        labels=_text(params, "labels"),
        draft=params.pop("draft", False) is True,
        reviewers=_text(params, "reviewers"),
        team_reviewers=_text(params, "team_reviewers"),
        assignees=_text(params, "assignees"),
        author=_text(params, "author"),
        committer=_text(params, "committer"),
        draft_on_update=_switch(params, "draft_on_update"),
        commit="api" if commit == "api" else "git" if commit == "git" else None,
        delete_branch=_switch(params, "delete_branch"),
        force=params.pop("force", False) is True,
    )


def _text(params: dict[str, object], name: str) -> str | None:
    value = params.pop(name, None)
    return None if value is None else str(value)


def _switch(params: dict[str, object], name: str) -> bool | None:
    value = params.pop(name, None)
    return None if value is None else value is True


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
