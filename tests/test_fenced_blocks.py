"""FencedBlocks finds ```tool_call blocks in streamed text the same way however the text is split into
deltas, keeps backticks inside the JSON from ending a block, and shows everything else."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from massgen.backend.fenced_blocks import FencedBlocks

CALL = json.dumps({"name": "new_answer", "arguments": {"content": "Code:\n```python\nx = 1\n```\nend"}})


def scan(text: str, cuts: list[int] = ()) -> tuple[str, list[str], bool, str]:
    """(text shown, block bodies, unterminated, joined deltas) for `text` fed in pieces cut at `cuts`."""
    blocks = FencedBlocks()
    edges = [0, *sorted({c for c in cuts if 0 < c < len(text)}), len(text)]
    shown = "".join(blocks.feed(text[a:b]) for a, b in zip(edges, edges[1:])) + blocks.finish()
    return blocks.visible, blocks.blocks, blocks.unterminated, shown


@pytest.mark.parametrize("text, shown, bodies", [
    (f"Answer.\n\n```tool_call\n{CALL}\n```\n", "Answer.\n\n\n", [f"\n{CALL}"]),
    (f"Inline ```tool_call {CALL}``` and after", "Inline  and after", [f" {CALL}"]),
    ("a ```python\nx\n``` b ```tool_call\n{bad\n```\nc", "a ```python\nx\n``` b \nc", ["\n{bad"]),
    ('one ```tool_call {"name": "a"}``` two ``` tool_call\n{"name": "b"}\n```', "one  two ", [' {"name": "a"}', '\n{"name": "b"}']),
    ("bad on one line ```tool_call {nope} ``` tail", "bad on one line  tail", [" {nope} "]),
    ("no block, ends in ``", "no block, ends in ``", []),
    ("ends in ```tool_ca", "ends in ```tool_ca", []),
    ("a ```tool_calls thing", "a ```tool_calls thing", []),
])
def test_blocks_are_cut_out_and_the_rest_is_shown(text, shown, bodies) -> None:
    visible, blocks, unterminated, streamed = scan(text)
    assert (visible, blocks, unterminated) == (shown, bodies, False) and streamed == shown


def test_an_unclosed_block_hides_the_rest_and_says_so() -> None:
    visible, blocks, unterminated, _ = scan('text ```tool_call {"name": "vote", "arguments": {')
    assert visible == "text " and blocks == [' {"name": "vote", "arguments": {'] and unterminated


def test_a_possible_opening_is_held_back_until_it_is_decided() -> None:
    blocks = FencedBlocks()
    assert blocks.feed("Done. ``") == "Done. "
    assert blocks.feed("`tool_") == ""
    assert blocks.feed("call\n{}") == ""
    assert blocks.feed("\n```\nBye") == "\nBye"


PIECES = st.sampled_from(["text ", "\n", "`", "```", "```tool_call", "``` tool_call\n", CALL, '{"a": 1}',
                          "{bad", '"str ``` in"', " ", "}"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join), st.lists(st.integers(0, 400), max_size=30))
def test_the_result_does_not_depend_on_how_the_text_is_split(text, cuts) -> None:
    whole = scan(text)
    split = scan(text, cuts)
    assert split == whole and split[3] == split[0]
    assert len(split[0]) + sum(len(b) for b in split[1]) <= len(text)
