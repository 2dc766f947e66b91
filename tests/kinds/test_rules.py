"""kinds/rules.py: the rules `check` reports under, as SARIF names them."""

from __future__ import annotations

import re

from gitops_writer.kinds.rules import RULES, rule


def test_each_rule_has_its_id_a_pascal_case_name_and_words() -> None:
    for rule_id, known in RULES.items():
        assert known.id == rule_id and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", rule_id)
        assert re.fullmatch(r"(?:[A-Z][a-z]+)+", known.name) and known.summary.endswith(".") and known.help
        assert rule(rule_id) is known


def test_an_unknown_id_still_gets_a_name_and_a_summary() -> None:
    unknown = rule("new-kind-of-finding")
    assert (unknown.id, unknown.name, unknown.summary) == (
        "new-kind-of-finding",
        "NewKindOfFinding",
        "new-kind-of-finding finding",
    )
