"""`gitops-writer ecr request|remove`: the ECR registry request."""

from __future__ import annotations

from pathlib import Path

import click

from gitops_writer.cli.options import config_option, dry_run_option, publish_options, repo_option


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
def ecr_request(repo: Path, config_file: Path | None, update: bool, dry_run: bool, **options: object) -> None:
    """Add a registry to the tfvars, the governance catalog and the Backstage catalog."""
    from gitops_writer.requests import commands

    fields = {k: options.pop(k) for k in ("name", "environment", "owner", "requester", "domain", "risk", "date")}
    commands.run("ecr", "create", repo, fields, config_file, update=update, dry_run=dry_run, **options)  # type: ignore[arg-type]


@ecr.command("remove")
@repo_option
@click.option("--name", required=True, help="Registry name.")
@click.option("--environment", required=True, help="Environment it was requested in.")
@click.option("--date", help="Date recorded as the catalog's last update, YYYY-MM-DD (default: today, UTC).")
@config_option
@dry_run_option
@publish_options
def ecr_remove(repo: Path, config_file: Path | None, dry_run: bool, **options: object) -> None:
    """Remove a registry from every file the request wrote."""
    from gitops_writer.requests import commands

    fields = {k: options.pop(k) for k in ("name", "environment", "date")}
    commands.run("ecr", "remove", repo, fields, config_file, update=False, dry_run=dry_run, **options)  # type: ignore[arg-type]
