from gitops_writer.yaml.render import Style, detect_style
from gitops_writer.yaml.syntax import parse


def _style(text: str) -> Style:
    return detect_style(text, parse(text)[0])


def test_the_step_comes_from_the_first_mapping_holding_a_nested_one_not_the_first_nested_one_in_the_text():
    text = "a:\n- x:\n      y: 1\nb:\n   z: 1\n"  # x's nested mapping comes first, but the root holds b's
    assert _style(text).step == 3


def test_the_sequence_offset_comes_from_the_first_mapping_holding_a_sequence():
    text = "a:\n  x:\n  - 1\nb:\n    - 2\n"  # x's list comes first, but the root holds b's
    assert _style(text).seq_offset == 4


def test_a_sequence_whose_first_dash_is_hidden_behind_a_comment_is_no_sample_of_the_offset():
    text = "a:\n-   # note\n  1\nb:\n   - 2\n"
    assert _style(text).seq_offset == 3


def test_without_samples_the_defaults_hold_and_the_offset_follows_the_step():
    assert _style("a: 1\nb: [1]\n") == Style(2, 2, "\n", True)
    assert _style("a:\n    b: 1\n") == Style(4, 4, "\n", True)
    assert detect_style("x: 1\r\n", None) == Style(2, 2, "\r\n", True)
