"""The JSON Schema of `.gitops-writer.yaml`, built from the loader's own key sets, for editors and CI.

`gitops-writer generate config-schema` prints it; the repository keeps it as gitops-writer.schema.json
(a test keeps the two equal). It refuses every key the loader refuses, so a typo shows in the editor;
the finer rules (placeholders, field schemas, names) stay the loader's, which reports them on the
first run.
"""

from __future__ import annotations

from gitops_writer.kinds.build import REMOVE_KEYS
from gitops_writer.kinds.edits import EDIT_KEYS
from gitops_writer.kinds.form import FORM_KEYS, LINK_KEYS, PAGE_KEYS
from gitops_writer.kinds.load import CHECK_KEYS, IGNORE_KEYS, PUBLISHING_KEYS, TOP_LEVEL
from gitops_writer.kinds.merge import KIND_KEYS
from gitops_writer.kinds.model import EDIT_TYPES
from gitops_writer.kinds.notifications import EVENTS
from gitops_writer.kinds.notifications import KEYS as NOTIFY_KEYS
from gitops_writer.kinds.rules import RULES
from gitops_writer.kinds.schema import OBJECT_KEYWORDS, PROPERTY_KEYWORDS
from gitops_writer.kinds.sections import SECTION_KEYS
from gitops_writer.values import JSONObject, JSONValue

TEXT: JSONObject = {"type": "string", "minLength": 1}
TEXTS: JSONObject = {"type": "array", "items": TEXT}
ANY: JSONObject = {}


def _object(properties: JSONObject, keys: frozenset[str], **more: JSONValue) -> JSONObject:
    """A mapping that allows exactly `keys` (the loader's set), typed where `properties` says."""
    assert set(properties) <= keys, set(properties) - keys
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {key: properties.get(key, ANY) for key in sorted(keys)},
        **more,
    }


def config_schema() -> JSONObject:
    top: JSONObject = {
        "base_branch": TEXT,
        "environments": {**TEXTS, "minItems": 1},
        "domains": TEXTS,
        "risks": TEXTS,
        "risk_controls": {"type": "object", "additionalProperties": TEXTS},
        "requests": {
            "type": "object",
            "description": "Request kinds: a built-in kind's name overrides its keys; a new name defines a kind.",
            "propertyNames": {"pattern": "^[A-Za-z_-][A-Za-z0-9_-]*$"},
            "additionalProperties": {"$ref": "#/definitions/kind"},
        },
        "references": {"enum": ["warn", "strict"]},
        "check": _object({"ignore": {"type": "array", "items": _ignore()}}, CHECK_KEYS),
        **_publishing(),
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": ".gitops-writer.yaml",
        "description": "gitops-writer's layout of a GitOps repository: request kinds, publishing, check.",
        **_object(top, TOP_LEVEL),
        "definitions": {"kind": _kind(), "edit": _edit(), "fields": _fields(), "field": _field()},
    }


def _publishing() -> JSONObject:
    reviewers = _object({"users": TEXTS, "teams": TEXTS}, frozenset({"users", "teams"}))
    publishing: JSONObject = {
        "reviewers": {
            "type": "object",
            "description": "Who reviews, by the request's risk (or default).",
            "additionalProperties": reviewers,
        },
        "required_labels": TEXTS,
        "commit": {"enum": ["git", "api"]},
        "author": {"type": "string", "pattern": "<.+@.+>$", "description": "Name <email>"},
        "committer": {"type": "string", "pattern": "<.+@.+>$", "description": "Name <email>"},
        "delete_branch": {"type": "boolean"},
        "notifications": _object(
            {
                "namespace": TEXT,
                "requester_field": TEXT,
                "owner_field": TEXT,
                "notify_owner": {"type": "boolean"},
                "events": {"type": "array", "items": {"enum": list(EVENTS)}},
                "topic": TEXT,
            },
            NOTIFY_KEYS,
            description="Who hears of a request in Backstage's notifications, and when (with a Backstage URL).",
        ),
    }
    assert set(publishing) == PUBLISHING_KEYS
    return publishing


def _ignore() -> JSONObject:
    return _object(
        {
            "rule": {"enum": list(RULES)},
            "reason": {**TEXT, "description": "Why the repository accepts these findings (required)."},
            "paths": {**TEXTS, "description": "fnmatch patterns of repository paths; '*' crosses '/'."},
        },
        IGNORE_KEYS,
        required=["rule", "reason"],
    )


def _field() -> JSONObject:
    return _object({"type": ANY}, PROPERTY_KEYWORDS)


def _fields() -> JSONObject:
    return _object(
        {
            "type": {"const": "object"},
            "additionalProperties": {"const": False},
            "properties": {
                "type": "object",
                "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                "additionalProperties": {"$ref": "#/definitions/field"},
            },
            "required": TEXTS,
        },
        OBJECT_KEYWORDS,
    )


def _edit() -> JSONObject:
    return _object(
        {
            "id": TEXT,
            "kind": {"enum": list(EDIT_TYPES)},
            "path": TEXT,
            "pointer": {"type": "string"},
            "keep": TEXTS,
            "stamp": {"type": "string"},
            "document": {"type": "integer", "minimum": 0},
            "header": {"type": "string"},
            "skeleton": {"type": "string"},
            "drop": {"type": "boolean"},
        },
        EDIT_KEYS,
    )


def _form() -> JSONObject:
    page = _object({"title": TEXT, "description": {"type": "string"}, "fields": TEXTS}, frozenset(PAGE_KEYS))
    link = _object(
        {"title": TEXT, "url": {"type": "string", "pattern": "^https?://"}, "icon": {"type": "string"}},
        frozenset(LINK_KEYS),
    )
    ui: JSONObject = {"type": "object", "propertyNames": {"pattern": "^ui:[A-Za-z]+$"}, "minProperties": 1}
    return _object(
        {
            "title": {"type": "string"},
            "description": {"type": "string"},
            "tags": TEXTS,
            "pages": {"type": "array", "minItems": 1, "items": page},
            "fields": {"type": "object", "additionalProperties": ui},
            "links": {"type": "array", "items": link},
        },
        frozenset(FORM_KEYS),
        description="How the Backstage form looks: pages, ui:* keywords per field, title, tags, links.",
    )


def _kind() -> JSONObject:
    words = {key: TEXT for key in REMOVE_KEYS if key != "labels"}
    return _object(
        {
            "title": TEXT,
            "fields": {"$ref": "#/definitions/fields"},
            "derived": {"type": "object"},
            "inputs": {"type": "object", "additionalProperties": {"type": ["string", "null"]}},
            "shown": {"type": ["array", "object"]},
            "id": {"type": "string"},
            "branch": TEXT,
            "commit": TEXT,
            "labels": TEXTS,
            "remove": _object({**words, "labels": TEXTS}, REMOVE_KEYS),
            "controls": {
                "oneOf": [
                    {"type": "object", "additionalProperties": TEXTS},
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"when": {"type": "object"}, "items": TEXTS},
                            "required": ["when", "items"],
                            "additionalProperties": False,
                        },
                    },
                ]
            },
            "controls_field": TEXT,
            "sections": {
                "type": "array",
                "items": _object(
                    {"title": TEXT, "when": {"type": "object"}, "text": {"type": "string"}, "items": TEXTS},
                    SECTION_KEYS,
                ),
            },
            "template": TEXT,
            "workflow": TEXT,
            "edits": {"type": "array", "items": {"$ref": "#/definitions/edit"}},
            "pr_title": {"type": "string"},
            "pr_body": {"type": "string"},
            "form": _form(),
        },
        KIND_KEYS,
    )
