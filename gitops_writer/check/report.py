"""`check` as a CI gate: the config's accepted rules, a baseline of known findings, and the report formats.

A finding is known by its fingerprint: rule, path, resource and message, with line and column numbers
taken out, so that moving a finding within its file (or another file's lines) does not make it new.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gitops_writer.check.findings import ERROR, Finding
from gitops_writer.errors import UsageError
from gitops_writer.kinds.rules import RULES, rule
from gitops_writer.values import JSONObject

if TYPE_CHECKING:
    from gitops_writer.kinds.model import CheckIgnore

BASELINE_FORMAT = "gitops-writer-baseline/1"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "gitopsWriterFinding/v1"
_POSITIONS = re.compile(r":\d+(?::\d+)?\b|\b(line|column) \d+")
NEW, KNOWN = "new", "known"


def fingerprint(finding: Finding) -> str:
    message = _POSITIONS.sub(lambda m: f"{m.group(1)} N" if m.group(1) else "", finding.message)
    key = "\0".join((finding.check, finding.path, finding.resource, message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Reported:
    finding: Finding
    fingerprint: str
    state: str = ""  # NEW or KNOWN when compared with a baseline
    ignored: str = ""  # the config's reason, when an ignore entry covers the finding


@dataclass(frozen=True)
class Report:
    shown: tuple[Reported, ...]
    ignored: tuple[Reported, ...]
    baseline: bool = False
    fixed: int = 0  # baseline entries found no more

    @property
    def failing(self) -> bool:
        return any(r.finding.severity == ERROR and r.state != KNOWN for r in self.shown)

    def summary(self) -> str:
        errors = sum(1 for r in self.shown if r.finding.severity == ERROR)
        warnings = len(self.shown) - errors
        parts = [f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"]
        if self.baseline:
            known = sum(1 for r in self.shown if r.state == KNOWN)
            parts.append(f"{len(self.shown) - known} new, {known} known from the baseline")
            if self.fixed:
                parts.append(f"{self.fixed} baseline finding{'s' * (self.fixed != 1)} fixed (--write-baseline forgets)")
        if self.ignored:
            parts.append(f"{len(self.ignored)} ignored by the config")
        return "; ".join(parts)


def gate(
    findings: Iterable[Finding], ignores: Sequence[CheckIgnore] = (), baseline: Mapping[str, int] | None = None
) -> Report:
    """Findings sorted into ignored (by the config), known (in the baseline) and new."""
    shown: list[Reported] = []
    ignored: list[Reported] = []
    remaining = Counter(baseline or {})
    for finding in findings:
        print_ = fingerprint(finding)
        reason = next((i.reason for i in ignores if i.covers(finding.check, finding.path)), "")
        if reason:
            ignored.append(Reported(finding, print_, ignored=reason))
            continue
        state = ""
        if baseline is not None:
            state = KNOWN if remaining[print_] > 0 else NEW
            remaining[print_] -= 1
        shown.append(Reported(finding, print_, state))
    fixed = sum(count for count in remaining.values() if count > 0)
    return Report(tuple(shown), tuple(ignored), baseline is not None, fixed)


def read_baseline(path: Path) -> Counter[str]:
    """The fingerprints a baseline file lists, with how often each occurs."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"--baseline {path}: cannot read it ({type(exc).__name__})") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"--baseline {path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    entries = data.get("findings") if isinstance(data, dict) and data.get("format") == BASELINE_FORMAT else None
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("id"), str) for e in entries):
        raise UsageError(f"--baseline {path}: not a baseline written by `check --write-baseline` ({BASELINE_FORMAT})")
    return Counter(entry["id"] for entry in entries)


def baseline_text(report: Report) -> str:
    """Every finding shown, without lines: the file stays the same while findings only move."""
    entries = sorted(
        (
            {
                "id": r.fingerprint,
                "rule": r.finding.check,
                "path": r.finding.path,
                "severity": r.finding.severity,
                "message": r.finding.message,
            }
            for r in report.shown
        ),
        key=lambda e: (e["path"], e["rule"], e["message"], e["id"]),
    )
    return json.dumps({"format": BASELINE_FORMAT, "findings": entries}, indent=2, ensure_ascii=False) + "\n"


def as_text(report: Report, paint: Callable[[str, str], str] = lambda text, style: text) -> list[str]:
    lines = []
    for reported in report.shown:
        finding = reported.finding
        where = paint(f"{finding.path}:{finding.line}:", "path")
        severity = paint(f"{finding.severity}:", finding.severity)
        known = paint(" (known)", "known") if reported.state == KNOWN else ""
        lines.append(f"{where} {severity} {finding.message}{known}")
    return lines


def as_json(report: Report) -> str:
    rows = []
    for reported in report.shown:
        row = {**reported.finding.as_object(), "id": reported.fingerprint}
        if reported.state:
            row["baseline"] = reported.state
        rows.append(row)
    return json.dumps(rows, indent=2, ensure_ascii=False)


def as_sarif(report: Report, version: str, prefix: str = "") -> str:
    """SARIF 2.1.0 for code scanning: paths relative to the repository's root (`prefix` is where --repo is)."""
    ids = list(RULES)
    for reported in (*report.shown, *report.ignored):
        if reported.finding.check not in ids:
            ids.append(reported.finding.check)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "gitops-writer",
                        "version": version,
                        "rules": [_sarif_rule(rule_id) for rule_id in ids],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [_sarif_result(reported, ids, prefix) for reported in (*report.shown, *report.ignored)],
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False)


def _sarif_rule(rule_id: str) -> JSONObject:
    described = rule(rule_id)
    return {
        "id": rule_id,
        "name": described.name,
        "shortDescription": {"text": described.summary},
        "fullDescription": {"text": described.summary},
        "help": {
            "text": described.help or described.summary,
            "markdown": f"**{described.summary}**\n\n{described.help}".rstrip(),
        },
        "defaultConfiguration": {"level": "error"},
    }


def _sarif_result(reported: Reported, ids: list[str], prefix: str) -> JSONObject:
    finding = reported.finding
    result: JSONObject = {
        "ruleId": finding.check,
        "ruleIndex": ids.index(finding.check),
        "level": "error" if finding.severity == ERROR else "warning",
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": prefix + finding.path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": max(1, finding.line)},
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT: reported.fingerprint},
    }
    if reported.state:
        result["baselineState"] = "unchanged" if reported.state == KNOWN else "new"
    if reported.ignored:
        result["suppressions"] = [{"kind": "external", "justification": reported.ignored}]
    return result


def repository_prefix(repo: Path) -> str:
    """Where `repo` lies inside its git work tree ("" at the top, or outside any), as 'dir/sub/'."""
    here = repo.resolve()
    for top in (here, *here.parents):
        if (top / ".git").exists():
            relative = here.relative_to(top).as_posix()
            return "" if relative == "." else relative + "/"
    return ""
