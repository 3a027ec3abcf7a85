"""How streamed text reaches the screen: queued per chunk, shown on the panel's paced turns, bounded per
turn, folded away when far above, and never held up by a full garbage collection mid-stream."""

from __future__ import annotations

import asyncio
import gc
import time

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Markdown, Static

from tui.gc_pause import (collect_if_due, collect_when_idle, full_collections_paused, pause_full_collections,
                          release_full_collections)
from tui.router import ChunkRouter
from widgets.agent_panel import AgentPanel
from widgets.frame_pacer import FramePacer, pacer_for
from widgets.paced_stream import MAX_APPEND, split_fragment, widgets_in
from widgets.tool_call import ToolCallView

from tui_fakes import error, status, text, wait_until


class Panels(App[None]):
    """Two agent panels side by side, and a run sink for the router."""

    CSS = "Screen { layout: horizontal; }"

    def __init__(self, max_blocks: int = 300) -> None:
        super().__init__()
        self.max_blocks = max_blocks
        self.events: list[object] = []

    def compose(self) -> ComposeResult:
        yield AgentPanel("one", max_blocks=self.max_blocks)
        yield AgentPanel("two", max_blocks=self.max_blocks)

    def panel_for(self, agent_id: str) -> AgentPanel | None:
        return next((p for p in self.query(AgentPanel) if p.agent_id == agent_id), None)

    async def run_event(self, chunk: object) -> None:
        self.events.append(chunk)

    async def media_added(self, source: object) -> None:
        self.events.append(source)


# --- bounded appends ------------------------------------------------------------------------------
def test_a_fragment_is_cut_after_a_block_within_the_character_budget():
    paragraph = "word " * 50 + "\n\n"  # 252 characters, one widget
    head, rest = split_fragment(paragraph * 40, limit=1000)
    assert head.endswith("\n") and rest.startswith("\n")
    assert len(head) <= 1000 and head + rest == paragraph * 40
    assert head.count("word") == 150  # three paragraphs: the fourth would pass the budget


def test_list_items_count_as_several_widgets_and_a_list_is_never_cut_in_two():
    items = "".join(f"- item {n}\n" for n in range(12))  # about 48 widgets: over a 20-widget budget alone
    head, rest = split_fragment("Intro.\n\n" + items + "\nAfter.\n", widgets=20)
    assert head == "Intro.\n"  # the list would pass the budget: it waits for the next turn
    head, rest = split_fragment(rest.lstrip("\n"), widgets=20)
    assert head == items and rest == "\nAfter.\n"  # then it goes whole: a list cut in two is rebuilt whole
    assert widgets_in(items) == 48 and widgets_in("| a | b | c |\n") == 3


def test_text_without_any_line_end_is_cut_at_the_character_budget():
    head, rest = split_fragment("x" * (MAX_APPEND + 10))
    assert len(head) == MAX_APPEND and len(rest) == 10


# --- queueing: chunks never touch the screen ---------------------------------------------------
async def test_routing_a_thousand_chunks_only_queues_them():
    app = Panels()
    async with app.run_test(size=(120, 30)) as pilot:
        router = ChunkRouter(app)
        panel = app.panel_for("one")
        for n in range(1000):
            await router.route(text("one", f"w{n} "))
        assert router.routed == 1000 and panel.text_chunks == 1000
        assert not panel.log_view.children  # nothing mounted while the chunks came: one block is queued
        await panel.end_text()
        [markdown] = panel.log_view.query_children(Markdown)
        assert markdown.source == "".join(f"w{n} " for n in range(1000))
        await pilot.pause()


async def test_a_status_waits_behind_the_blocks_that_came_before_it():
    app = Panels()
    async with app.run_test(size=(120, 30)) as pilot:
        router = ChunkRouter(app)
        panel = app.panel_for("one")
        await router.route(text("one", "Working on it."))
        await router.route(error("one", "rate limited (HTTP 429)"))
        await router.route(status("one", "failed"))
        assert panel.status == "idle" and panel.detail == "rate limited (HTTP 429)"
        await wait_until(pilot, lambda: panel.status == "failed")
        assert [type(c) for c in panel.log_view.children] == [Markdown, Static]  # the error came first
        assert panel.has_class("-failed") and panel.header.detail == "rate limited (HTTP 429)"


async def test_blocks_keep_stream_order_across_turns():
    app = Panels()
    async with app.run_test(size=(120, 30)):
        panel = app.panel_for("one")
        await panel.append_text("before ")
        panel.add_tool_calls([{"id": "1", "name": "vote", "arguments": {"agent_id": "agent1", "reason": "ok"}}])
        await panel.append_text("after", kind="reasoning")
        panel.add_note("a note")
        await panel.end_text()
        kinds = [type(c) for c in panel.log_view.children]
        assert kinds == [Markdown, ToolCallView, Markdown, Static]
        assert [m.source for m in panel.log_view.query_children(Markdown)] == ["before ", "after"]


async def test_text_of_a_pruned_block_is_dropped_not_shown_elsewhere():
    app = Panels(max_blocks=2)
    async with app.run_test(size=(120, 30)):
        panel = app.panel_for("one")
        await panel.append_text("first")
        panel.add_note("n1")
        panel.add_note("n2")
        await panel.end_text()
        assert [str(c.render()) for c in panel.log_view.children][1:] == ["n1", "n2"]
        assert panel.pruned == 1 and not panel.log_view.query_children(Markdown)


# --- the pacer ---------------------------------------------------------------------------------------
class Recorder:
    """A stand-in panel: records when it is served."""

    def __init__(self, name: str, log: list[str], turns: int = 1, urgent: bool = False) -> None:
        self.name, self.log, self.left, self.urgent = name, log, turns, urgent
        self.painted_at = 0.0
        self.after = 0

    async def paint_step(self) -> bool:
        self.log.append(self.name)
        self.left -= 1
        return self.left > 0

    def after_paint(self) -> None:
        self.after += 1


async def test_the_pacer_serves_one_panel_per_turn_the_longest_waiting_first():
    app = App()
    async with app.run_test() as pilot:
        log: list[str] = []
        pacer = FramePacer(app.screen, interval=0.0)
        a, b = Recorder("a", log, turns=3), Recorder("b", log, turns=3)
        pacer.request(a)
        pacer.request(b)
        await wait_until(pilot, lambda: len(log) == 6)
        assert log == ["a", "b", "a", "b", "a", "b"]  # turns alternate: neither panel hogs the frames
        assert a.after == 3 and pacer.turns == 6


async def test_a_panel_waits_its_interval_unless_someone_awaits_it():
    app = App()
    async with app.run_test() as pilot:
        log: list[str] = []
        pacer = FramePacer(app.screen, interval=30.0)
        slow = Recorder("slow", log, turns=2)
        pacer.request(slow)
        await wait_until(pilot, lambda: log == ["slow"])
        await pilot.pause(0.3)
        assert log == ["slow"]  # its second turn is 30 s away
        slow.urgent = True
        pacer.request(slow)
        await wait_until(pilot, lambda: log == ["slow", "slow"])


async def test_deferred_callbacks_are_coalesced_by_key():
    app = App()
    async with app.run_test() as pilot:
        calls: list[str] = []
        pacer = pacer_for(app.screen)
        assert pacer_for(app.screen) is pacer
        pacer.defer("status", lambda: calls.append("first"))
        pacer.defer("status", lambda: calls.append("second"))
        await wait_until(pilot, lambda: bool(calls))
        await pilot.pause(0.1)
        assert calls == ["second"]


# --- folding history -----------------------------------------------------------------------------------
async def _folded_log(app: Panels, pilot) -> object:
    panel = app.panel_for("one")
    for n in range(40):
        panel.add_note(f"note {n}")
    await panel.end_text()
    await pilot.pause(0.3)
    return panel.log_view


async def test_history_far_above_is_folded_while_following():
    app = Panels()
    async with app.run_test(size=(120, 24)) as pilot:
        log = await _folded_log(app, pilot)
        folded = [c for c in log.children if not c.display]
        assert folded and log.following and log.scroll_y == log.max_scroll_y
        [note] = log.query_children(".folded")
        assert f"{len(folded)} earlier blocks folded" in str(note.render())
        assert str(log.children[-1].render()) == "note 39"  # the newest stays


async def test_scrolling_up_unfolds_everything_and_keeps_the_view_still():
    app = Panels()
    async with app.run_test(size=(120, 24)) as pilot:
        log = await _folded_log(app, pilot)
        log.scroll_to(y=log.max_scroll_y - 5, animate=False)  # what a few turns of the wheel do
        await pilot.pause(0.2)
        assert all(c.display for c in log.children if not c.has_class("folded"))
        assert log.max_scroll_y - log.scroll_y == 5  # the same lines on screen as before the unfolding


async def test_jumping_to_the_top_shows_the_real_top():
    app = Panels()
    async with app.run_test(size=(120, 24)) as pilot:
        log = await _folded_log(app, pilot)
        log.scroll_home(animate=False)
        await pilot.pause(0.2)
        assert log.scroll_y == 0 and all(c.display for c in log.children if not c.has_class("folded"))
        top = app.screen.get_widget_at(log.region.x + 2, log.region.y)[0]
        assert str(top.render()) == "note 0"


# --- garbage collection ---------------------------------------------------------------------------
def test_full_collections_wait_until_the_run_is_over_and_idle(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("tui.gc_pause.IDLE_SECONDS", 0.05)
    before = gc.get_threshold()
    pause_full_collections()
    try:
        assert full_collections_paused() and gc.get_threshold()[2] > 10**8
        assert gc.get_threshold()[:2] == before[:2]  # young collections go on
        pause_full_collections()  # a nested holder
        release_full_collections()
        time.sleep(0.1)
        assert not collect_when_idle() and full_collections_paused()  # one run still streams
    finally:
        release_full_collections()
    assert full_collections_paused()  # not at once: the collection waits for a quiet moment
    time.sleep(0.3)
    assert not full_collections_paused() and gc.get_threshold() == before  # the timer thread gave them back
    assert not collect_when_idle()  # nothing left to do


def test_a_long_run_still_gets_a_full_collection_now_and_then(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("tui.gc_pause.IDLE_SECONDS", 0.05)
    monkeypatch.setattr("tui.gc_pause.MAX_PAUSE_SECONDS", 0.1)
    collections: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "stop" and info["generation"] == 2:
            collections.append(2)

    gc.callbacks.append(seen)
    pause_full_collections()
    try:
        assert not collect_if_due()  # too soon
        time.sleep(0.15)
        collections.clear()  # (an idle collection left by an earlier test may have run meanwhile)
        assert collect_if_due() and collections  # a full collection, here and now
        assert not collect_if_due()  # the clock starts again
        assert full_collections_paused()
    finally:
        release_full_collections()
        gc.callbacks.remove(seen)
        time.sleep(0.3)
    assert not full_collections_paused()


async def test_a_run_pauses_full_collections_and_gives_them_back():
    from tui_fakes import ScriptedOrchestrator, scripted_app, team_ready

    orch = ScriptedOrchestrator([text("planner", "hello"), "hold"])
    app = scripted_app(orch, prompt="x")
    async with app.run_test(size=(120, 30)) as pilot:
        await team_ready(pilot, app)
        await wait_until(pilot, lambda: orch.holding)
        assert full_collections_paused()
        app.cancel_run()
        await wait_until(pilot, lambda: not app.running)
    await asyncio.sleep(1.2)  # IDLE_SECONDS later, in a timer thread even though the app has closed
    assert not full_collections_paused()
