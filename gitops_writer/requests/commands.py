"""The request commands behind the CLI: dry-run, write in place, or publish a pull request."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from gitops_writer.config import load_config
from gitops_writer.requests.model import Request, validate
from gitops_writer.requests.run import apply_request, plan_request


def run(
    kind: str,
    action: str,
    repo: Path,
    fields: dict[str, Any],
    config_file: Path | None,
    *,
    update: bool,
    dry_run: bool,
    publish: bool,
    as_json: bool,
    **publishing: Any,
) -> None:
    request = Request(kind=kind, action=action, **{k: v or "" for k, v in fields.items()})
    config = load_config(repo, config_file)
    if dry_run and publish:
        raise click.UsageError("--dry-run and --publish exclude each other")
    if publish:
        _publish(repo, request, config_file, config.base_branch, update=update, as_json=as_json, **publishing)
        return
    planned = (
        plan_request(repo, request, config, update=update)
        if dry_run
        else apply_request(repo, request, config, update=update)
    )
    outcome = planned.outcome
    if as_json:
        click.echo(
            json.dumps(
                {
                    "operation": outcome.status,
                    "written": not dry_run and outcome.changed,
                    "files": [c.path for c in outcome.changes if c.changed],
                    "branch": planned.publish.branch,
                    "diff": planned.diff,
                },
                indent=2,
            )
        )
    elif dry_run:
        click.echo(planned.diff, nl=False)
    verb = "would be" if dry_run else "is"
    what = {"unchanged": "unchanged", "created": "created", "updated": "updated", "removed": "removed"}[outcome.status]
    files = sum(1 for c in outcome.changes if c.changed)
    click.echo(
        f"{request.name} in {request.environment} {verb} {what}" + (f" ({files} files)" if files else ""), err=True
    )


def _publish(
    repo: Path, request: Request, config_file: Path | None, default_base: str, *, update: bool, as_json: bool, **o: Any
) -> None:
    from gitops_writer.publish import options_from_env, publish, report_to_actions

    labels = tuple(label.strip() for label in o["labels"].split(",") if label.strip()) if o.get("labels") else None
    options = options_from_env(
        token=o.get("token"),
        repository=o.get("repository"),
        api_url=o.get("api_url"),
        base_branch=o.get("base_branch") or default_base,
        remote=o.get("remote"),
        on_closed=o.get("on_closed"),
        extra_body_file=o.get("extra_body_file"),
        draft=bool(o.get("draft")),
        labels=labels,
        force=bool(o.get("force")),
    )
    validate(request, load_config(repo, config_file))  # fail fast, before any fetch or push

    def build(tree: Path):
        return plan_request(tree, request, load_config(tree, config_file), update=update).publish

    result = publish(repo, build, options)
    report_to_actions(result)
    for warning in result.warnings:
        click.echo(f"gitops-writer: warning: {warning}", err=True)
    if as_json:
        click.echo(result.to_json())
    else:
        link = result.url or "no pull request"
        click.echo(f"{result.operation}: {link} (branch {result.branch or '-'})")
