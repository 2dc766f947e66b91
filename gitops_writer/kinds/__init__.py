"""Request kinds as data: the format, the built-in kinds (`ecr.yaml`), loading and the template engine.

`load.py` reads `.gitops-writer.yaml` (`reader.py`) and merges it over the built-in kinds (`merge.py`;
the rules are in load.py's docstring); `build.py` checks each kind into a `RequestKind` (`model.py`)
with its field schema (`schema.py`), edits (`edits.py`), form (`form.py`) and sections (`sections.py`).
`setting.py` holds the value checks they share, `template.py` the placeholder rules, `validate.py` the
one JSON Schema validator, and `config_schema.py` the JSON Schema of the config file itself.
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
