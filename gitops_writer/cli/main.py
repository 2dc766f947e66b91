"""The command group, and the one place where errors become exit codes and one line on stderr."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Sequence
from typing import NoReturn

import click

from gitops_writer import __version__
from gitops_writer.cli import check, colour, ecr, edit, generate, init, pr, recover, refresh, request
from gitops_writer.errors import ExitCode, GitopsWriterError, ValidationError

_REQUEST_OPTIONS = ("-f", "--field", "--fields-file")
# Click 8.2 and later raise it where 8.1 printed the help itself.
_NO_ARGS_IS_HELP: type[click.UsageError] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _Group(click.Group):
    """`remove FILE POINTER` is the generic verb; `remove KIND -f name=... -f environment=...` removes a request."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name, command, rest = super().resolve_command(ctx, args)
        if name == "remove" and any(arg.startswith(_REQUEST_OPTIONS) for arg in rest):
            return name, request.remove_command, rest
        return name, command, rest


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gitops-writer")
@click.option(
    "--color",
    type=click.Choice(colour.MODES),
    default="auto",
    show_default=True,
    expose_value=False,
    is_eager=True,
    callback=colour.remember,
    help="Colour diffs and findings: auto (on a terminal, unless NO_COLOR is set), always or never.",
)
def cli() -> None:
    """Edit Terraform tfvars and Backstage catalog YAML without touching their formatting.

    `remove KIND -f name=NAME -f environment=ENV` removes a request (see `remove-request --help`).
    """


for command in (
    edit.get,
    edit.set_,
    edit.remove,
    ecr.ecr,
    request.request_command,
    request.remove_command,
    request.kinds_command,
    recover.recover,
    pr.pr,
    refresh.refresh,
    check.check,
    init.init,
    generate.generate,
):
    cli.add_command(command)


class Terminated(BaseException):
    """SIGTERM (what CI runners send on cancel), unwinding like Ctrl-C so every file is put back.

    Not a KeyboardInterrupt, which Click would turn into a bare "Aborted".
    """


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> NoReturn:
    """Run one command; every outcome ends here as an exit code and at most one line on stderr."""
    from gitops_writer.actions.workflow import show_progress

    show_progress()
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals to whoever owns it
        previous = None
    try:
        _main(argv)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> NoReturn:
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="gitops-writer", standalone_mode=False)
    except click.exceptions.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except click.Abort:
        _fail("aborted", ExitCode.DOMAIN)
    except _NO_ARGS_IS_HELP as exc:  # a group without its subcommand: the help, as help
        click.echo(exc.ctx.get_help() if exc.ctx is not None else cli.get_help(click.Context(cli)))
        raise SystemExit(ExitCode.OK) from None
    except click.UsageError as exc:
        _fail(exc.format_message().replace("\n", " "), ExitCode.USAGE)
    except click.ClickException as exc:
        _fail(exc.format_message().replace("\n", " "), ExitCode.USAGE)
    except ValidationError as exc:  # one line per broken rule
        for line in exc.lines[:-1]:
            _say(line, title=type(exc).__name__)
        _fail(exc.lines[-1], exc.exit_code, title=type(exc).__name__)
    except GitopsWriterError as exc:
        _fail(str(exc), exc.exit_code, title=type(exc).__name__)
    except Terminated:
        _fail("terminated (SIGTERM)", ExitCode.DOMAIN)
    except KeyboardInterrupt:
        _fail("interrupted", ExitCode.DOMAIN)
    except (BrokenPipeError, SystemExit) as exc:
        if isinstance(exc, SystemExit):
            raise
        raise SystemExit(ExitCode.DOMAIN) from None
    except Exception as exc:  # the last line of defence: one line, never a traceback
        if os.environ.get("GITOPS_WRITER_DEBUG"):
            raise
        _fail(
            f"internal error: {type(exc).__name__}: {exc} (set GITOPS_WRITER_DEBUG=1 for a traceback)",
            ExitCode.INTERNAL,
        )
    raise SystemExit(ExitCode.OK)


def _fail(message: str, code: int, title: str = "gitops-writer") -> NoReturn:
    _say(message, title)
    raise SystemExit(code)


def _say(message: str, title: str = "gitops-writer") -> None:
    line = " ".join(str(message).split("\n"))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        from gitops_writer.annotations import error_annotation

        error_annotation(title, line)
    click.echo(f"gitops-writer: error: {line}", err=True)


def run() -> NoReturn:
    """The console script: `main` without the cyclic garbage collector, then leave without tearing down
    the parsed trees.

    A command is one short process. Its syntax trees hold no cycles, yet one collection pass over a
    100,000-node tree costs a large request a twentieth of its run; and freeing a few hundred thousand
    tree objects one by one at the end would cost a fifth. Every file is written and closed by then,
    so only the standard streams need flushing.
    """
    gc.disable()
    try:
        main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    os._exit(code)
