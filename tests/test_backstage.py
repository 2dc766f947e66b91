"""Every entity gitops_writer.backstage renders passes Backstage's own validators."""

from __future__ import annotations

from typing import Any

import pytest

from gitops_writer.backstage import entity, render_entity
from gitops_writer.errors import UsageError
from tests.backstage_node import backstage_validate_all, yaml_js_load_all


def ecr_resource(name: str, **extra: Any) -> dict[str, Any]:
    return entity(
        "Resource",
        f"ecr-{name}",
        {
            "type": "container-repository",
            "owner": "group:team-payments",
            "dependencyOf": ["resource:goldenpath-ecr-registry"],
        },
        **{"description": f"ECR repository {name}", **extra},
        tags=["ecr", "risk-low"],
        annotations={
            "goldenpath.io/id": f"REGISTRY_{name.upper().replace('-', '_')}",
            "goldenpath.io/created": "2026-11-29",
        },
    )


ENTITIES = {
    "ecr-resource": ecr_resource("payments-api"),
    "tricky-strings": ecr_resource("on", title="yes", links=[{"url": "https://example.com/#x", "title": "a: b"}]),
    "multi-line-description": ecr_resource("search", description="First line.\nSecond line.\n"),
    "location": entity("Location", "ecr-resources", {"targets": ["./resources/ecr/payments-api.yaml"]}),
    "template": entity(
        "Template",
        "create-ecr-registry",
        {
            "owner": "group:platform-team",
            "type": "service",
            "parameters": [{"title": "Registry", "properties": {"registry_name": {"type": "string"}}}],
            "steps": [
                {
                    "id": "dispatch",
                    "action": "github:actions:dispatch",
                    "input": {"workflowId": "create-ecr-registry.yml"},
                }
            ],
        },
        api_version="scaffolder.backstage.io/v1beta3",
    ),
}


def test_rendered_entities_pass_backstage_validation_and_read_back() -> None:
    texts = [render_entity(e) for e in ENTITIES.values()]
    backstage_validate_all(texts)
    for data, documents in zip(ENTITIES.values(), yaml_js_load_all(texts), strict=False):
        assert documents == [data]


def test_house_style(snapshot: Any) -> None:
    text = render_entity(ENTITIES["ecr-resource"])
    assert text.startswith("apiVersion: backstage.io/v1alpha1\nkind: Resource\n")
    assert "\n  tags:\n    - ecr\n" in text and '"2026-11-29"' in text
    assert text == snapshot


def test_explicit_start() -> None:
    assert render_entity(ENTITIES["location"], explicit_start=True).startswith("---\napiVersion:")


def test_backstage_rejects_a_bad_name(backstage_validate: Any) -> None:
    with pytest.raises(AssertionError, match="metadata.name"):
        backstage_validate(render_entity(ecr_resource("Bad_Name!")))


def test_missing_fields_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="metadata.name"):
        render_entity({"apiVersion": "v1", "kind": "Resource", "metadata": {}})


def test_yaml_js_load_reads_each_document(yaml_js_load: Any) -> None:
    assert yaml_js_load('a: "1.0"\nb: 2026-01-05\n---\nc: yes\n') == [{"a": "1.0", "b": "2026-01-05"}, {"c": "yes"}]


def test_missing_node_modules_says_what_to_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    import tests.backstage_node as backstage_node

    monkeypatch.setattr(backstage_node, "NODE_DIR", tmp_path)
    with pytest.raises(RuntimeError, match="README's test command"):
        backstage_node.yaml_js_load("a: 1\n")
