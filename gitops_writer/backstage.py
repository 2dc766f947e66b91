"""Backstage entity documents as data, and new entity files written in the house style."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gitops_writer.errors import UsageError, VerificationError
from gitops_writer.values import JSONObject, JSONValue, check_value, same_value

CATALOG_API_VERSION = "backstage.io/v1alpha1"


def entity(
    kind: str,
    name: str,
    spec: Mapping[str, JSONValue],
    *,
    api_version: str = CATALOG_API_VERSION,
    namespace: str | None = None,
    title: str | None = None,
    description: str | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    tags: Sequence[str] = (),
    links: Sequence[Mapping[str, str]] = (),
) -> JSONObject:
    """An entity as plain data, keys in the order Backstage's own examples use; empty fields left out."""
    metadata: JSONObject = {"name": name}
    optional: JSONObject = {
        "namespace": namespace,
        "title": title,
        "description": description,
        "labels": dict[str, JSONValue](labels or {}),
        "annotations": dict[str, JSONValue](annotations or {}),
        "tags": list[JSONValue](tags),
        "links": [dict[str, JSONValue](link) for link in links],
    }
    metadata.update({key: value for key, value in optional.items() if value not in (None, {}, [])})
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata, "spec": dict(spec)}


def render_entity(data: Mapping[str, JSONValue], *, explicit_start: bool = False) -> str:
    """A new entity file: 2-space block style, strings quoted only where a YAML reader would misread them."""
    value = dict(data)
    check_value(value, what="entity")
    for field in ("apiVersion", "kind", "metadata"):
        if field not in value:
            raise UsageError(f"entity: {field} is required")
    if not isinstance(value["metadata"], dict) or not value["metadata"].get("name"):
        raise UsageError("entity: metadata.name is required")
    return render_document(value, explicit_start=explicit_start)


def render_document(data: Mapping[str, JSONValue], *, explicit_start: bool = False) -> str:
    """A new YAML file in the same house style, for any mapping (a request contract, say), verified."""
    from gitops_writer.yaml.decode import to_value
    from gitops_writer.yaml.render import Style, block_lines, join
    from gitops_writer.yaml.trees import parse_documents

    value = dict(data)
    check_value(value, what="document")
    text = ("---\n" if explicit_start else "") + join(block_lines(value, 0, Style(2, 2, "\n")), Style())
    documents = parse_documents(text)
    if len(documents) != 1 or not same_value(to_value(documents[0].root, documents[0]), value):
        raise VerificationError("the rendered entity does not read back as the given data")
    return text
