"""The widgets' pure helpers: picture fitting, grid shape, tool-call summaries, history, votes, media sources."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from massgen.media import MediaError, MediaItem, caption, human_duration, human_size
from massgen.stream_chunk import MultimodalStreamChunk
from tui.panel_grid import grid_shape
from tui.outcome import final_result
from tui.run_state import Phase, RunStatus
from widgets.final_result import Vote, vote_summary
from widgets.image_renderer import UnknownRenderer, fit_cells, set_image_renderer
from widgets.media_files import MediaUnavailable, load_thumbnail
from widgets.prompt_input import PromptHistory
from widgets.tool_summary import call_name_and_args, summarise_call

from tui_fakes import png_bytes


@pytest.mark.parametrize("size, cols, rows", [((1000, 500), 40, 30), ((500, 1000), 80, 12), ((4096, 4096), 60, 16)])
def test_fit_cells_keeps_the_shape_within_the_box(size, cols, rows):
    width, height = size
    got_cols, got_rows = fit_cells(width, height, cols, rows, cell=(10, 20))
    assert 1 <= got_cols <= cols and 1 <= got_rows <= rows
    shown_ratio = (got_cols * 10) / (got_rows * 20)
    assert shown_ratio == pytest.approx(width / height, rel=0.15)


def test_fit_cells_does_not_blow_up_a_small_picture():
    assert fit_cells(40, 20, 100, 50, cell=(10, 20)) == (4, 1)
    assert fit_cells(0, 20, 100, 50) == (0, 0)


def test_unknown_renderer_is_refused_with_the_choices():
    with pytest.raises(UnknownRenderer, match="halfcell"):
        set_image_renderer("crayon")


@pytest.mark.parametrize("count, width, height, expected", [
    (3, 160, 40, (3, 40)),      # wide: three columns side by side
    (3, 80, 40, (1, 14)),       # narrow: one column, rows at least the minimum height, scrolling
    (8, 200, 40, (4, 20)),      # eight agents: four columns, two rows
    (1, 80, 30, (1, 30)),
])
def test_grid_shape_uses_the_width(count, width, height, expected):
    assert grid_shape(count, width, height) == expected


def test_coordination_calls_read_as_words():
    assert summarise_call({"id": "1", "name": "new_answer", "arguments": {"content": "Paris"}}) == "✓ new answer: Paris"
    markdown = "## Plan\n\n*Offline demo*: canned **text**\nwith `code` and [a link](http://x).\n\n- one\n- two"
    assert summarise_call({"name": "new_answer", "arguments": {"content": markdown}}) == \
        "✓ new answer: Plan Offline demo: canned text with code and a link. one two"
    assert summarise_call({"name": "vote", "arguments": {"agent_id": "agent2", "reason": "clear"}}) == \
        "☑ vote for agent2: clear"
    long = summarise_call({"name": "generate_image", "arguments": {"prompt": "x" * 200}})
    assert long.startswith("⚙ generate_image(prompt=") and len(long) < 80 and long.endswith("…)")


def test_chat_completions_calls_and_bad_json_are_read():
    name, args = call_name_and_args({"function": {"name": "f", "arguments": '{"a": 1}'}})
    assert (name, args) == ("f", {"a": 1})
    assert call_name_and_args({"name": "f", "arguments": "{not json"})[1] == {"arguments": "{not json"}


def test_history_walks_back_and_returns_the_draft():
    history = PromptHistory()
    for prompt in ("one", "two", "two", "  ", "three"):
        history.add(prompt)
    assert history.entries == ["one", "two", "three"]
    assert history.previous("draft") == "three"
    assert history.previous("three") == "two"
    assert history.previous("two") == "one"
    assert history.previous("one") is None
    assert history.next() == "two"
    assert history.next() == "three"
    assert history.next() == "draft"
    assert history.next() is None


def test_vote_summary_orders_by_votes():
    votes = [Vote("a", "b"), Vote("c", "a"), Vote("d", "b")]
    assert vote_summary(votes) == ["b  2 votes  (a, d)", "a  1 vote  (c)"]


def test_final_result_reads_the_orchestrator_response(tmp_path: Path):
    picture = MediaItem("image/png", media_id="img-1", agent="artist", path=str(tmp_path / "p.png"))
    other = MediaItem("image/png", media_id="img-2", agent="planner", path=str(tmp_path / "q.png"))
    response = {"status": "done", "winner": "artist", "final_answer": "Answer",
                "votes": {"critic": {"target": "artist", "reason": "good"}},
                "media": [{"path": str(tmp_path / "p.png"), "media_id": "img-1"}]}
    final = final_result(response, [picture, other])
    assert (final.winner, final.answer, final.problem) == ("artist", "Answer", None)
    assert final.votes == [Vote("critic", "artist", "good")]
    assert final.media == [picture]


def test_final_result_without_answer_says_why():
    final = final_result({"status": "failed", "detail": "no agent gave an answer (critic: 429)", "final_answer": ""}, [])
    assert final.answer == "" and final.problem == "no agent gave an answer (critic: 429)"
    assert final_result(None, []).problem == "the team gave no result"


def test_run_status_counts_agents():
    status = RunStatus(Phase.RUNNING)
    status.counts.update(["thinking", "thinking", "answered"])
    assert status.text() == "Running: 1 answered, 2 thinking"
    assert RunStatus(Phase.NO_ANSWER, "all agents failed").text() == "No answer: all agents failed"


def _media_chunk(**fields) -> MultimodalStreamChunk:
    return MultimodalStreamChunk(type="media", source="artist", media_type="image", media_id="m1", **fields)


def test_the_item_a_chunk_carries_handles_each_encoding(tmp_path: Path):
    raw = png_bytes()
    path = tmp_path / "a.png"
    path.write_bytes(raw)
    assert _media_chunk(media_encoding="file_path", media_data=str(path)).item().path == str(path)
    assert _media_chunk(media_encoding="base64", media_data=base64.b64encode(raw).decode()).item().data == raw
    assert _media_chunk(media_encoding="binary", media_data=raw).item().data == raw
    data_url = "data:image/png;base64," + base64.b64encode(raw).decode()
    assert _media_chunk(media_encoding="url", media_data=data_url).item().data == raw
    remote = _media_chunk(media_encoding="url", media_data="https://example.com/x.png").item()
    assert remote.url == "https://example.com/x.png" and remote.data is None
    assert (remote.agent, remote.media_id) == ("artist", "m1")


def test_bad_base64_is_a_clear_error():
    with pytest.raises(MediaError, match="base64"):
        _media_chunk(media_encoding="base64", media_data="@@@@").item()


def test_thumbnail_is_small_and_corrupt_images_are_named(tmp_path: Path):
    thumb = load_thumbnail(MediaItem("image/png", data=png_bytes(1200, 800)), 256)
    assert max(thumb.size) == 256 and thumb.size[0] > thumb.size[1]
    broken = tmp_path / "broken.png"
    broken.write_bytes(png_bytes()[:40])
    with pytest.raises(MediaUnavailable, match="broken.png"):
        load_thumbnail(MediaItem("image/png", path=str(broken)), 256)
    with pytest.raises(MediaUnavailable, match="not downloaded"):
        load_thumbnail(MediaItem("image/png", url="https://example.com/x.png"), 256)


def test_caption_names_type_size_and_duration():
    item = MediaItem(mime_type="audio/mpeg", size_bytes=1_258_291, duration_seconds=42.4, filename="speech.mp3")
    assert caption(item) == "♪ audio · speech.mp3 · 1.2 MB · 0:42"
    assert human_size(512) == "512 B" and human_duration(3725) == "1:02:05"
