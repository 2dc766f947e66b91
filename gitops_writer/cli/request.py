"""`gitops-writer request KIND -f FIELD=VALUE ...`, `remove KIND ...` and `kinds`: any request kind."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from gitops_writer.cli.colour import echo_diff
from gitops_writer.cli.options import (
    Command,
    Publishing,
    config_option,
    dry_run_option,
    kind_argument,
    publish_options,
    repo_option,
    strict_option,
)
from gitops_writer.errors import GitopsWriterError, UsageError
from gitops_writer.repo.reading import LIMIT, decode, loads_json, read_text

if TYPE_CHECKING:
    from gitops_writer.kinds import Config
    from gitops_writer.publish.flags import PublishFlags
    from gitops_writer.publish.options import PublishOptions
    from gitops_writer.requests.model import Given, Request
    from gitops_writer.requests.runner import RunOptions

field_option = click.option(
    "-f",
    "--field",
    "field_pairs",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A request field; typed by the kind's schema (-f capacity=25, -f pitr=false). Repeat for each, "
    "and for each item of a list field (-f subnets=a -f subnets=b).",
)
fields_file_option = click.option(
    "--fields-file",
    metavar="FILE",
    help="A JSON object of fields ('-' for stdin); -f options win over it.",
)
date_option = click.option("--date", help="Date recorded in the catalog, YYYY-MM-DD (default: today, UTC).")


@dataclass(frozen=True)
class Asked:
    """KIND and its fields as the command line gives them (-f pairs over a fields file), and the date."""

    kind: str
    fields: dict[str, Given]
    date: str  # "": today

    def request(self, action: str) -> Request:
        from gitops_writer.requests.model import Request

        return Request(self.kind, action, self.fields, self.date)


def request_options(command: Command) -> Command:
    """KIND and the fields of a request, the working tree and its config: `request` and `remove` alike. The
    command gets KIND, the fields and the date as `asked`, one Asked."""

    @functools.wraps(command)
    def gathered(**params: object) -> None:
        pairs, given, date = params.pop("field_pairs"), params.pop("fields_file"), params.pop("date")
        fields = read_fields([str(pair) for pair in pairs] if isinstance(pairs, tuple) else [], _text(given))
        command(asked=Asked(str(params.pop("kind")), fields, _text(date) or ""), **params)

    gathered = config_option(gathered)
    for option in reversed([kind_argument, repo_option, field_option, fields_file_option, date_option]):
        gathered = option(gathered)
    return gathered


def _text(value: object) -> str | None:
    return None if value is None else str(value)


@click.command("request")
@request_options
@click.option("--update", is_flag=True, help="Rewrite the values of an existing request that differ.")
@strict_option
@dry_run_option
@publish_options
def request_command(
    asked: Asked,
    repo: Path,
    config_file: Path | None,
    update: bool,
    strict: bool,
    dry_run: bool,
    publishing: Publishing,
) -> None:
    """Make a request of KIND (see `gitops-writer kinds`): edit the files, optionally open the PR."""
    from gitops_writer.requests.runner import RunOptions

    options = RunOptions(update=update, dry_run=dry_run, config_file=config_file, strict=strict)
    execute(repo, asked.request("create"), options, publishing)


@click.command("remove-request")
@request_options
@dry_run_option
@publish_options
def remove_command(asked: Asked, repo: Path, config_file: Path | None, dry_run: bool, publishing: Publishing) -> None:
    """Remove a request of KIND in one environment (-f name=... -f environment=...)."""
    from gitops_writer.requests.runner import RunOptions

    execute(repo, asked.request("remove"), RunOptions(dry_run=dry_run, config_file=config_file), publishing)


@click.command("kinds")
@repo_option
@config_option
@click.option("--json", "as_json", is_flag=True, help="Print the kinds as JSON.")
def kinds_command(repo: Path, config_file: Path | None, as_json: bool) -> None:
    """List the request kinds of the repository, with their fields, types, enums and defaults."""
    from gitops_writer.kinds import load_config

    config = load_config(repo, config_file)
    described = [kind.describe() for kind in config.requests.values()]
    if as_json:
        click.echo(json.dumps({"source": config.source, "kinds": described}, indent=2))
        return
    for kind in described:
        click.echo(f"{kind['name']}: {kind['title']} ({kind['source']})")
        for field in kind["fields"]:
            facts = [field["type"], "required" if field["required"] else "optional"]
            if "enum" in field:
                facts.append(
                    "one of " + ", ".join(json.dumps(v) if not isinstance(v, str) else v for v in field["enum"])
                )
            if "default" in field:
                facts.append(f"default {json.dumps(field['default'])}")
            click.echo(f"  {field['name']}: {'; '.join(facts)}")


def read_fields(pairs: Sequence[str], fields_file: str | None) -> dict[str, Given]:
    """The fields of a fields file (a JSON object), then the -f FIELD=VALUE pairs over them.

    A field given more than once is a tuple of its texts: the items of a list field, or for any other
    field the last one, which wins.
    """
    fields: dict[str, Given] = {}
    if fields_file is not None:
        name = "<stdin>" if fields_file == "-" else fields_file
        try:
            loaded = loads_json(_read_fields_file(fields_file))
        except ValueError as exc:
            raise UsageError(f"--fields-file {name}: not JSON ({exc})") from None
        if not isinstance(loaded, Mapping):
            raise UsageError(f"--fields-file {name}: must hold a JSON object of fields")
        fields.update(loaded)
    given: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"-f {pair!r}: write FIELD=VALUE")
        given.setdefault(key.strip(), []).append(value)
    for key, values in given.items():  # a tuple: a list field's items, or the last one wins
        fields[key] = values[0] if len(values) == 1 else tuple(values)
    return fields


def _read_fields_file(given: str) -> str:
    """A regular file's text (never a device or a FIFO, at most LIMIT bytes), or stdin's for `-`."""
    try:
        if given != "-":
            return read_text(Path(given), f"--fields-file {given}", follow=True)
        data = sys.stdin.buffer.read(LIMIT + 1)
        if len(data) > LIMIT:
            raise UsageError(f"--fields-file -: stdin holds more than {LIMIT // (1024 * 1024)} MiB")
        return decode(data, "--fields-file -")
    except UsageError:
        raise
    except GitopsWriterError as exc:
        raise UsageError(str(exc)) from None


def execute(repo: Path, request: Request, options: RunOptions, publishing: Publishing) -> None:
    """Run a request and say what happened: the diff or JSON on stdout, one status line on stderr."""
    if options.dry_run and publishing.publish:
        raise click.UsageError("--dry-run and --publish exclude each other")
    if publishing.publish:
        _publish(repo, request, options, publishing)
    else:
        _run(repo, request, options, publishing)


def _publish(repo: Path, request: Request, options: RunOptions, publishing: Publishing) -> None:
    """Publish the request; its requester hears of the pull request, or of the refusal."""
    from gitops_writer.actions.workflow import report_to_actions
    from gitops_writer.kinds import load_config
    from gitops_writer.notify import notifier
    from gitops_writer.publish.request import publish_request

    local = None
    try:
        local = load_config(repo, options.config_file)
        flags = _publish_options(publishing.flags, local, request)
        result = publish_request(repo, request, options, flags, local=local)
    except GitopsWriterError as exc:
        tell = notifier(
            publishing.backstage_url, publishing.backstage_token, local, repository=publishing.flags.repository
        )
        if tell is not None:
            tell.refused(request, local, exc)
        raise
    report_to_actions(result)
    for warning in result.warnings:
        click.echo(f"gitops-writer: warning: {warning}", err=True)
    if publishing.as_json:
        click.echo(result.to_json())
    else:
        click.echo(f"{result.operation}: {result.url or 'no pull request'} (branch {result.branch or '-'})")
    tell = notifier(publishing.backstage_url, publishing.backstage_token, local, repository=flags.repository)
    if tell is not None:
        tell.published(request, local, result)


def _run(repo: Path, request: Request, options: RunOptions, publishing: Publishing) -> None:
    """Edit the working tree, or print the diff of a dry run."""
    from gitops_writer.kinds import load_config
    from gitops_writer.requests.runner import run

    local = load_config(repo, options.config_file)
    if options.dry_run and (local.publishing or publishing.flags.names_people):
        from gitops_writer.publish.settings import check_publishing

        # what publishing would refuse, found now rather than on the real run
        check_publishing(local.publishing, publishing.flags, f"config {local.source}")
    report = run(repo, request, options, local)
    for warning in report.warnings:
        click.echo(f"gitops-writer: warning: {warning}", err=True)
    if publishing.as_json:
        click.echo(report.to_json())
    elif options.dry_run:
        echo_diff(report.diff)
    click.echo(report.summary(), err=True)
    sys.stderr.flush()


def _publish_options(flags: PublishFlags, config: Config, request: Request) -> PublishOptions:
    """The publish options from the command line, over the config's publishing settings for the request's risk."""
    from gitops_writer.publish.options import resolve_options

    kind = config.requests.get(request.kind)
    risk = request.fields.get(kind.controls_field if kind is not None else "risk")
    return resolve_options(
        flags, config=config.publishing, default_base=config.base_branch, risk=None if risk is None else str(risk)
    )
