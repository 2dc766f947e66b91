"""`gitops-writer ecr request|remove`: the ECR registry request, a shorthand for `request ecr -f ...`."""

from __future__ import annotations

from pathlib import Path

import click

from gitops_writer.cli.options import (
    Publishing,
    config_option,
    dry_run_option,
    publish_options,
    repo_option,
    strict_option,
)


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
@strict_option
@dry_run_option
@publish_options
def ecr_request(
    name: str,
    environment: str,
    owner: str,
    requester: str,
    domain: str,
    risk: str,
    date: str | None,
    repo: Path,
    config_file: Path | None,
    publishing: Publishing,
    update: bool,
    strict: bool,
    dry_run: bool,
) -> None:
    """Add a registry to the tfvars, the governance catalog and the Backstage catalog."""
    from gitops_writer.cli.request import execute
    from gitops_writer.requests.model import Request
    from gitops_writer.requests.runner import RunOptions

    fields = {"name": name, "environment": environment, "owner": owner, "requester": requester}
    request = Request("ecr", "create", {**fields, "domain": domain, "risk": risk}, date or "")
    execute(
        repo, request, RunOptions(update=update, dry_run=dry_run, config_file=config_file, strict=strict), publishing
    )


@ecr.command("remove")
@repo_option
@click.option("--name", required=True, help="Registry name.")
@click.option("--environment", required=True, help="Environment to remove it from.")
@click.option("--date", help="Date recorded as the catalog's last update, YYYY-MM-DD (default: today, UTC).")
@config_option
@dry_run_option
@publish_options
def ecr_remove(
    repo: Path,
    name: str,
    environment: str,
    date: str | None,
    config_file: Path | None,
    dry_run: bool,
    publishing: Publishing,
) -> None:
    """Remove a registry from one environment; the shared records go with its last environment."""
    from gitops_writer.cli.request import execute
    from gitops_writer.requests.model import Request
    from gitops_writer.requests.runner import RunOptions

    request = Request("ecr", "remove", {"name": name, "environment": environment}, date or "")
    execute(repo, request, RunOptions(dry_run=dry_run, config_file=config_file), publishing)
