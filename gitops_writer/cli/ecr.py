"""`gitops-writer ecr request|remove`: the ECR registry request, a shorthand for `request ecr -f ...`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gitops_writer.cli.options import config_option, dry_run_option, publish_options, repo_option

FIELDS = ("name", "environment", "owner", "requester", "domain", "risk")


@click.group()
def ecr() -> None:
    """Request or remove an AWS ECR repository: edit the tfvars and catalogs, optionally open the PR."""


@ecr.command("request")
@repo_option
@click.option("--name", required=True, help="Registry name, e.g. payments-api.")
@click.option("--environment", required=True, help="Target environment, e.g. dev.")
@click.option("--owner", required=True, help="Owning team (Backstage group name).")
@click.option("--requester", required=True, help="Who asked for it (Backstage user name).")
@click.option("--domain", required=True, help="Business domain.")
@click.option("--risk", required=True, help="Risk level: low, medium or high (or as configured).")
@click.option("--date", help="Date recorded in the catalog, YYYY-MM-DD (default: today, UTC).")
@config_option
@click.option("--update", is_flag=True, help="Rewrite the values of an existing registry that differ.")
@dry_run_option
@publish_options
def ecr_request(
    repo: Path, config_file: Path | None, update: bool, dry_run: bool, date: str | None, **options: Any
) -> None:
    """Add a registry to the tfvars, the governance catalog and the Backstage catalog."""
    from gitops_writer.cli.request import execute

    fields = {k: options.pop(k) for k in FIELDS}
    execute(repo, "ecr", "create", fields, date, config_file, update=update, dry_run=dry_run, **options)


@ecr.command("remove")
@repo_option
@click.option("--name", required=True, help="Registry name.")
@click.option("--environment", required=True, help="Environment to remove it from.")
@click.option("--date", help="Date recorded as the catalog's last update, YYYY-MM-DD (default: today, UTC).")
@config_option
@dry_run_option
@publish_options
def ecr_remove(repo: Path, config_file: Path | None, dry_run: bool, date: str | None, **options: Any) -> None:
    """Remove a registry from one environment; the shared records go with its last environment."""
    from gitops_writer.cli.request import execute

    fields = {k: options.pop(k) for k in ("name", "environment")}
    execute(repo, "ecr", "remove", fields, date, config_file, update=False, dry_run=dry_run, **options)
