"""check/loaded.py: an entity file no Location loads is named once, and its entities are not judged."""

from __future__ import annotations

from pathlib import Path

from tests.fit.support import gw


def test_an_entity_file_no_location_loads_is_named_once_and_its_entities_are_not_judged(built: Path) -> None:
    (built / "docs").mkdir(exist_ok=True)
    (built / "docs/entities.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Resource\nmetadata:\n  name: payments-api\nspec:\n"
        "  type: x\n  owner: nobody-we-know\n"
    )
    done = gw("check", f"--repo={built}", "--json")
    assert done.code == 0
    assert [(f["path"], f["check"], f["severity"]) for f in done.findings] == [
        ("docs/entities.yaml", "unloaded", "warning")
    ]
