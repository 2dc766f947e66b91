"""A request as typed by a person, and the checks that make it safe to act on."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from gitops_writer.config import Config, RequestKind
from gitops_writer.errors import ValidationError

# AWS ECR repository names (lower case, separators only between alphanumerics), and the org's own rule.
_ECR_NAME = re.compile(r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", re.ASCII)
_ORG_NAME = re.compile(r"[a-z][a-z0-9-]*", re.ASCII)
_PERSON_OR_TEAM = re.compile(r"[a-z0-9][a-z0-9-]*", re.ASCII)
_SLUG = re.compile(r"[a-z][a-z0-9-]*", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_BACKSTAGE_NAME = re.compile(r"[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?", re.ASCII)
BACKSTAGE_NAME_MAX = 63


@dataclass(frozen=True)
class Request:
    kind: str  # a key of config.requests, e.g. "ecr"
    action: str  # "create" or "remove"
    name: str
    environment: str
    owner: str = ""
    requester: str = ""
    domain: str = ""
    risk: str = ""
    date: str = ""  # YYYY-MM-DD; today in UTC when empty

    @property
    def creating(self) -> bool:
        return self.action == "create"


def validate(request: Request, config: Config) -> dict[str, str]:
    """The template fields of a valid request; the first broken rule raises, naming field and rule."""
    kind = config.requests.get(request.kind)
    if kind is None:
        raise ValidationError("kind", f"unknown request kind {request.kind!r}")
    _check(request.name, "name", _ORG_NAME, "must start with a lower-case letter and hold only a-z, 0-9 and '-'")
    if len(request.name) < 2:
        raise ValidationError("name", "must be at least 2 characters long")
    if not _ECR_NAME.fullmatch(request.name):
        raise ValidationError("name", "breaks AWS ECR naming: no '-' at the end and no two separators in a row")
    if request.environment not in config.environments:
        raise ValidationError("environment", f"must be one of {', '.join(config.environments)}")
    if request.creating:
        _check(
            request.owner, "owner", _PERSON_OR_TEAM, "must hold only a-z, 0-9 and '-', starting with a letter or digit"
        )
        _check(
            request.requester,
            "requester",
            _PERSON_OR_TEAM,
            "must hold only a-z, 0-9 and '-', starting with a letter or digit",
        )
        if config.domains:
            if request.domain not in config.domains:
                raise ValidationError("domain", f"must be one of {', '.join(config.domains)}")
        else:
            _check(
                request.domain, "domain", _SLUG, "must start with a lower-case letter and hold only a-z, 0-9 and '-'"
            )
        if request.risk not in config.risks:
            raise ValidationError("risk", f"must be one of {', '.join(config.risks)}")
    date = request.date or dt.datetime.now(dt.UTC).date().isoformat()
    if not _DATE.fullmatch(date):
        raise ValidationError("date", "must be a date written YYYY-MM-DD")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        raise ValidationError("date", f"{date} is not a calendar date") from None
    fields = {
        "name": request.name,
        "name_id": request.name.upper().replace("-", "_").replace(".", "_").replace("/", "_"),
        "environment": request.environment,
        "owner": request.owner,
        "requester": request.requester,
        "domain": request.domain,
        "risk": request.risk,
        "date": date,
        "action": request.action,
    }
    from gitops_writer.config import fill

    fields["id"] = fill(kind.id, fields)
    _check_entity_names(kind, fields)
    return fields


def _check(value: str, field: str, pattern: re.Pattern[str], rule: str) -> None:
    if not value:
        raise ValidationError(field, "is required")
    if len(value) > BACKSTAGE_NAME_MAX:
        raise ValidationError(field, f"must be at most {BACKSTAGE_NAME_MAX} characters long")
    if not pattern.fullmatch(value):
        raise ValidationError(field, rule)


def _check_entity_names(kind: RequestKind, fields: dict[str, str]) -> None:
    """The Backstage entities the request writes must have names Backstage accepts."""
    from gitops_writer.config import fill

    for edit in kind.edits:
        if edit.kind != "file" or not isinstance(edit.value, dict):
            continue
        name = fill(edit.value.get("metadata", {}).get("name", ""), fields)
        if len(name) > BACKSTAGE_NAME_MAX:
            limit = BACKSTAGE_NAME_MAX - (len(name) - len(fields["name"]))
            raise ValidationError(
                "name",
                f"must be at most {limit} characters long, so that the Backstage entity {name[:20]}..."
                f" stays within {BACKSTAGE_NAME_MAX}",
            )
        if name and not _BACKSTAGE_NAME.fullmatch(name):
            raise ValidationError("name", f"gives the Backstage entity name {name!r}, which Backstage rejects")


_REF_FORBIDDEN = re.compile(r"\.\.|@\{|//|[\x00-\x20\x7f~^:?*\[\\]")


def check_branch(branch: str) -> str:
    """A branch name git accepts (git check-ref-format rules), built from the configured template."""
    parts = branch.split("/")
    if (
        not branch
        or _REF_FORBIDDEN.search(branch)
        or branch.startswith(("-", "/"))
        or branch.endswith(("/", ".", ".lock"))
        or branch == "@"
        or any(part.startswith(".") or part.endswith(".lock") for part in parts)
    ):
        raise ValidationError("branch", f"{branch!r} is not a valid git branch name (check the branch template)")
    return branch
