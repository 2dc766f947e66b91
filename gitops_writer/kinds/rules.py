"""The rules `check` reports under: each finding's `check` is one of these ids, which a config may name.

The ids are what `check:` `ignore:` entries in `.gitops-writer.yaml` name, and SARIF's `ruleId`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    name: str  # SARIF's rule name: PascalCase
    summary: str  # one sentence
    help: str  # what to do about a finding


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "consistency",
            "KindFilesAgree",
            "A resource a request kind records is missing from one of the kind's files, or its files disagree.",
            "Each request writes a tfvars entry, a catalog entry, an entity file and a Location target; restore "
            "the missing one, or remove the leftovers with `gitops-writer remove KIND -f name=... -f environment=...`.",
        ),
        Rule(
            "references",
            "BackstageReferencesResolve",
            "A Backstage relation, Location target or entity name does not resolve inside the repository.",
            "Define the entity the reference names, correct the reference, or remove the Location target.",
        ),
        Rule(
            "terraform",
            "TerraformDeclaresTheMap",
            "A tfvars map a request kind writes is not declared as a variable by the environment's Terraform.",
            "Declare the variable in the environment's *.tf files, or point the kind's tfvars edit at the map "
            "Terraform reads.",
        ),
        Rule(
            "drift",
            "TemplateAndWorkflowAgree",
            "A Backstage template, the workflow it dispatches and the request kind disagree.",
            "Regenerate the template and workflow with `gitops-writer generate`, or align the inputs and choices "
            "by hand.",
        ),
        Rule(
            "workflows",
            "WorkflowParses",
            "A workflow file is not valid YAML, so GitHub does not run it.",
            "Fix the YAML at the line given; `actionlint` shows more.",
        ),
        Rule(
            "bypass",
            "OneAuditedPath",
            "A Backstage template writes the GitOps repository by another path than the dispatched workflow.",
            "Have the template dispatch the request workflow (github:actions:dispatch) instead of opening the "
            "pull request itself with publish:github:pull-request or publish:github.",
        ),
        Rule(
            "unloaded",
            "EntityFileIsLoaded",
            "A file holds Backstage entities, but no Location in the repository loads it.",
            "Add the file to a Location's targets, or move it out of the catalog if it is documentation.",
        ),
    )
}


def rule(rule_id: str) -> Rule:
    """The rule of an id; a rule this table does not know yet still gets a name and a summary."""
    return RULES.get(rule_id) or Rule(rule_id, rule_id.title().replace("-", ""), f"{rule_id} finding", "")
