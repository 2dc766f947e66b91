"""gitops_writer.yaml.splice: an edit as splices at parser offsets, written in the text's own style."""

from __future__ import annotations

from gitops_writer.values import JSONValue
from gitops_writer.yaml.render import detect_style
from gitops_writer.yaml.splice import Slot, Splicer, apply
from gitops_writer.yaml.syntax import Node
from gitops_writer.yaml.trees import parse_documents

TEXT = "spec:\n  owner: team-a\n  targets:\n  - ./a.yaml\n  - ./c.yaml\n  flow: {x: 1}\n"


def at(text: str, key: str) -> tuple[Splicer, Node, Slot]:
    doc = parse_documents(text)[0]
    spec = doc.root.items[0][1]
    key_node, node = next((k, v) for k, v in spec.items if k.value == key)
    return Splicer(text, detect_style(text, doc)), node, Slot(spec, key_node)


def test_an_item_goes_in_at_the_list_own_indent() -> None:
    splicer, targets, slot = at(TEXT, "targets")
    new = apply(TEXT, splicer.insert_item(targets, slot, "./b.yaml", 1))
    assert new == TEXT.replace("  - ./c.yaml\n", "  - ./b.yaml\n  - ./c.yaml\n")
    assert apply(TEXT, splicer.append_item(targets, slot, "./d.yaml")) == TEXT.replace(
        "  - ./c.yaml\n", "  - ./c.yaml\n  - ./d.yaml\n"
    )


def test_an_entry_goes_in_a_flow_mapping_in_flow_style() -> None:
    splicer, flow, slot = at(TEXT, "flow")
    assert apply(TEXT, splicer.insert_entry(flow, slot, "z", [2])) == TEXT.replace("{x: 1}", "{x: 1, z: [2]}")


def test_a_replacement_and_a_removal_touch_only_their_entry() -> None:
    splicer, owner, slot = at(TEXT, "owner")
    value: JSONValue = {"team": "b"}
    assert apply(TEXT, splicer.replace_value(owner, slot, value)) == TEXT.replace(
        "owner: team-a\n", "owner:\n    team: b\n"
    )
    spec = parse_documents(TEXT)[0].root.items[0][1]
    assert apply(TEXT, splicer.remove_entry(spec, Slot(None), 0)) == TEXT.replace("  owner: team-a\n", "")
