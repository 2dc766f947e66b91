"""cli/options.py: the options several commands share, and the publish options read once into Publishing."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from gitops_writer.cli.options import Publishing, github_options, publish_options
from gitops_writer.publish.flags import PublishFlags

seen: list[object] = []


@click.command()
@publish_options
def publishes(publishing: Publishing) -> None:
    seen.append(publishing)


@click.command()
@github_options
def refreshes(github: PublishFlags) -> None:
    seen.append(github)


def _run(command: click.Command, *args: str) -> object:
    seen.clear()
    done = CliRunner().invoke(command, list(args), catch_exceptions=False)
    assert done.exit_code == 0, done.output
    (value,) = seen
    return value


def test_the_publish_options_reach_the_command_as_one_publishing_value() -> None:
    given = _run(
        publishes,
        "--publish",
        "--json",
        "--reviewers=alice, bob",
        "--ready-on-update",
        "--keep-branch",
        "--commit=api",
        "--on-closed=skip",
        "--extra-body-file=plan.md",
        "--backstage-url=https://backstage.example",
        "--backstage-token=s3cret",
    )
    assert given == Publishing(
        publish=True,
        flags=PublishFlags(
            reviewers="alice, bob",
            draft_on_update=False,
            delete_branch=False,
            commit="api",
            on_closed="skip",
            extra_body_file=Path("plan.md"),
        ),
        as_json=True,
        backstage_url="https://backstage.example",
        backstage_token="s3cret",
    )
    assert "s3cret" not in repr(given)


def test_nothing_given_is_publish_flags_defaults() -> None:
    assert _run(publishes) == Publishing(publish=False, flags=PublishFlags(), as_json=False)


def test_the_github_options_alone_are_publish_flags_too() -> None:
    assert _run(refreshes, "--repository=acme/infra", "--remote=upstream") == PublishFlags(
        repository="acme/infra", remote="upstream"
    )
