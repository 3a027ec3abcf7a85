"""Runs the team on one task inside the app: streams chunks to the router, records them, ends honestly."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from massgen.errors import MassGenError
from massgen.media.errors import one_line
from massgen.stream_chunk import AgentStatus, BaseStreamChunk, ChunkType, TextStreamChunk
from tui.gc_pause import collect_if_due, pause_full_collections, release_full_collections
from tui.messages import RunFinished
from tui.outcome import final_result
from tui.router import ChunkRouter
from tui.run_state import Phase
from tui.team_loader import TeamRunner, run_response
from widgets.status_words import ACTIVE_STATUSES

SLICE_SECONDS = 0.008

if TYPE_CHECKING:
    from massgen.attachments import AgentSpec, Attachment
    from tui.screens.main import MainScreen


class TeamRun:
    """One turn of the team: owns the chunk loop, the cancel request, and the end-of-run bookkeeping.

    It reports to the app by posting RunFinished on its screen; `agents` say what each agent gets of the attachments."""

    def __init__(self, screen: "MainScreen", orchestrator: TeamRunner, task: str, turn: int,
                 attachments: "Sequence[Attachment]" = (), agents: "Sequence[AgentSpec]" = ()) -> None:
        self.screen = screen
        self.orchestrator = orchestrator
        self.task = task
        self.turn = turn
        self.attachments = list(attachments)
        self.agents = list(agents)
        self.router = ChunkRouter(screen)
        self.response: Mapping[str, Any] | None = None
        self.cancel_requested = False
        self.failure: str | None = None
        self.stream_ended_at = 0.0  # loop time of the stream's end, and of all its text being on screen
        self.text_shown_at = 0.0

    async def run(self) -> None:
        """Stream the run into the panels; whatever happens, finish with a status that is true."""
        pause_full_collections()  # no 100 ms collector pause mid-stream (see tui/gc_pause.py)
        try:
            await self._run()
        finally:
            release_full_collections()

    async def _run(self) -> None:
        screen = self.screen
        notes = self._attachment_notes()
        for panel in screen.panels:
            panel.add_note(f"── turn {self.turn}: {one_line(self.task, 70)}", kind="turn")  # mounted in order, unawaited
            for note in notes.get(panel.agent_id, []):
                panel.add_note(note)
            panel.set_status(AgentStatus.IDLE)
            panel.log_view.folding = True
        screen.show_status(Phase.RUNNING, "")
        loop = asyncio.get_running_loop()
        slice_end = loop.time() + SLICE_SECONDS
        try:
            async for chunk in self.orchestrator.run(self.task, attachments=list(self.attachments)):
                await self._handle(chunk)
                if loop.time() > slice_end:  # a fast stream must not starve the UI: let a frame through
                    collect_if_due()
                    await asyncio.sleep(0)
                    slice_end = loop.time() + SLICE_SECONDS
        except asyncio.CancelledError:
            self.cancel_requested = True
            if self.screen.is_attached and self.screen.app.is_running:  # not when the app itself is closing
                await self._finish()
            raise
        except (MassGenError, ValueError, OSError) as exc:
            self.failure = " ".join(str(exc).split()) or type(exc).__name__
        await self._finish()

    def _attachment_notes(self) -> dict[str, list[str]]:
        """What each agent gets of each attachment, as the bar said (a record in its panel)."""
        if not self.attachments or not self.agents:
            return {}
        from tui.attach_flow import attachment_notes

        return attachment_notes(self.attachments, self.agents)

    async def _handle(self, chunk: BaseStreamChunk) -> None:
        if chunk.type == ChunkType.COMPLETE_RESPONSE and isinstance(chunk, TextStreamChunk):
            self.response = chunk.response
            return
        await self.router.route(chunk)

    def cancel(self) -> None:
        """Ask the orchestrator to stop; the loop ends when it does (the app forces it after a grace period)."""
        self.cancel_requested = True
        self.orchestrator.cancel()
        self.screen.show_status(Phase.CANCELLING, "stopping the agents…")

    def _result(self) -> Mapping[str, Any] | None:
        """How the run ended: the COMPLETE_RESPONSE payload, else the orchestrator's result in the same form."""
        return self.response if self.response is not None else run_response(self.orchestrator)

    async def _finish(self) -> None:
        """Close every stream, mark agents that were still at work, and say how the run ended."""
        result = self._result()
        cancelled = self.cancel_requested or (result is not None and result.get("status") == AgentStatus.CANCELLED)
        panels = self.screen.panels
        loop = asyncio.get_running_loop()
        self.stream_ended_at = loop.time()
        await asyncio.gather(*(panel.end_text() for panel in panels))  # every panel's text on screen, together
        self.text_shown_at = loop.time()
        for panel in panels:
            panel.log_view.stop_folding()  # folding only spares frames while streaming: the whole history is back
            await panel.abandon_progress("cancelled" if cancelled else "the run ended")
            if panel.status in ACTIVE_STATUSES or (cancelled and panel.status == AgentStatus.IDLE):
                panel.set_status(AgentStatus.CANCELLED if cancelled else AgentStatus.STOPPED)
        final = final_result(result, self.router.media, self.failure)
        final.task = self.task
        if final.answer and not cancelled:
            self._mark_winner(final.winner)
            votes = f" · {len(final.votes)} votes" if final.votes else ""
            self.screen.show_status(Phase.DONE, f"winner {final.winner or '—'}{votes} · Ctrl+F shows the answer")
        elif cancelled:
            self.screen.show_status(Phase.CANCELLED, "what streamed is kept; type a new task or a follow-up")
        elif self.failure:
            self.screen.show_status(Phase.FAILED, self.failure)
        else:
            self.screen.show_status(Phase.NO_ANSWER, final.problem or "the team gave no answer")
        self.screen.post_message(RunFinished(final if final.answer and not cancelled else None))

    def _mark_winner(self, winner: str | None) -> None:
        panel = self.screen.panel_for(winner) if winner else None
        if panel is not None and panel.status != AgentStatus.FAILED:
            panel.set_status(AgentStatus.WINNER)
