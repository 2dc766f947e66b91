"""Request kinds as data: the format, the built-in kinds (`ecr.yaml`), loading and the template engine.

See `load.py` for how `.gitops-writer.yaml` merges over the built-in kinds, `schema.py` for the
checks a kind's field schema passes, and `template.py` for the placeholder rules.
"""

from gitops_writer.kinds.load import CONFIG_FILE, build_config, builtin_kinds, load_config
from gitops_writer.kinds.merge import merge_kind
from gitops_writer.kinds.model import BUILT_INS, EDIT_TYPES, Config, Derived, EditTemplate, RequestKind, Words
from gitops_writer.kinds.template import fill, fill_text, placeholders

__all__ = [
    "BUILT_INS",
    "CONFIG_FILE",
    "EDIT_TYPES",
    "Config",
    "Derived",
    "EditTemplate",
    "RequestKind",
    "Words",
    "build_config",
    "builtin_kinds",
    "fill",
    "fill_text",
    "load_config",
    "merge_kind",
    "placeholders",
]
