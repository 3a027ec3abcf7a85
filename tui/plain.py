"""The run without the interactive UI: the same chunks printed to stdout with Rich, for scripts and CI.

Text is printed a line at a time per agent (`agent │ text`) so that agents streaming at once stay
readable; statuses, tool calls, media and errors get one line each; the final answer comes last.
Exit code: 0 with an answer, 1 without one, 130 when interrupted.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Callable, Mapping

from rich.console import Console
from rich.markdown import Markdown
from rich.text import Text

from massgen.media import MediaError, MediaItem, caption
from massgen.stream_chunk import (ORCHESTRATOR, BaseStreamChunk, ChunkType, MultimodalStreamChunk, TextStreamChunk,
                                  text_of)
from tui.outcome import final_result
from tui.team_loader import LoadedTeam, TeamRunner, run_response
from widgets.final_result import FinalResult, vote_summary
from widgets.status_words import status_look
from widgets.tool_summary import summarise_call

COLOURS = ("cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta")
PROGRESS_STEPS = (25, 50, 75)


class PlainPrinter:
    """Turns chunks into lines; `simple` drops colour and Markdown rendering."""

    def __init__(self, console: Console, agents: list[str], simple: bool = False) -> None:
        self.console = console
        self.simple = simple
        width = max((len(a) for a in agents), default=8)
        self.width = max(width, len(ORCHESTRATOR))
        self.colours = {agent: COLOURS[i % len(COLOURS)] for i, agent in enumerate(agents)}
        self.partial: dict[str, str] = {}
        self.progress_shown: dict[str, int] = {}
        self.media: list[MediaItem] = []

    def line(self, source: str, text: str, style: str = "") -> None:
        """`source │ text`, the source padded and coloured."""
        label = Text(f"{source:<{self.width}} │ ", style="" if self.simple else self.colours.get(source, "white"))
        body = Text(text, style="" if self.simple else style)
        self.console.print(label + body, soft_wrap=True, highlight=False, markup=False)

    def handle(self, chunk: BaseStreamChunk) -> None:
        source = chunk.source or ORCHESTRATOR
        kind = chunk.type
        if kind in (ChunkType.CONTENT, ChunkType.REASONING):
            reasoning = chunk.reasoning_delta if isinstance(chunk, TextStreamChunk) else None
            self._text(source, text_of(chunk) or reasoning or "")
            return
        self.flush(source)
        if kind == ChunkType.AGENT_STATUS and isinstance(chunk, TextStreamChunk):
            look = status_look(chunk.status or "")
            detail = f": {chunk.content}" if chunk.content else ""
            self.line(source, f"{look.symbol} {look.label}{detail}", "bold")
        elif kind == ChunkType.TOOL_CALLS and isinstance(chunk, TextStreamChunk):
            for call in chunk.tool_calls or []:
                self.line(source, summarise_call(call), "dim")
        elif kind == ChunkType.ERROR:
            self.line(source, f"✗ {text_of(chunk) or 'error'}", "bold red")
        elif kind == ChunkType.MEDIA_PROGRESS and isinstance(chunk, MultimodalStreamChunk):
            self._progress(source, chunk)
        elif kind == ChunkType.MEDIA and isinstance(chunk, MultimodalStreamChunk):
            self._media(source, chunk)
        elif kind == ChunkType.TOOL_STATUS and isinstance(chunk, TextStreamChunk):
            detail = f": {chunk.content}" if chunk.content else ""
            self.line(source, f"⚙ {chunk.status}{detail}", "dim")
        elif kind == ChunkType.BACKEND_STATUS and isinstance(chunk, TextStreamChunk):
            self.line(source, f"… {chunk.content or chunk.status}", "dim")

    def _text(self, source: str, delta: str) -> None:
        pending = self.partial.get(source, "") + delta
        *complete, rest = pending.split("\n")
        for text in complete:
            self.line(source, text)
        self.partial[source] = rest

    def flush(self, source: str | None = None) -> None:
        """Print any half line still held (for one agent, or all)."""
        for agent in [source] if source else list(self.partial):
            rest = self.partial.pop(agent, "")
            if rest:
                self.line(agent, rest)

    def _progress(self, source: str, chunk: MultimodalStreamChunk) -> None:
        percent = chunk.get_progress() or 0.0
        key = chunk.media_id or source
        shown = self.progress_shown.get(key, -1)
        step = max([s for s in PROGRESS_STEPS if percent >= s], default=0)
        if step > shown:
            self.progress_shown[key] = step
            kind = chunk.media_type.value if chunk.media_type else "media"
            self.line(source, f"◑ {kind} {percent:.0f}% {chunk.text_content or ''}".rstrip(), "dim")

    def _media(self, source: str, chunk: MultimodalStreamChunk) -> None:
        try:
            media = chunk.item()
        except MediaError as exc:
            self.line(source, f"✗ media could not be read: {exc}", "bold red")
            return
        self.media.append(media)
        where = f"  {media.path}" if media.path else ""
        self.line(source, f"{caption(media)}{where}", "bold")

    def final(self, result: FinalResult) -> None:
        """The winner, the votes and the answer (rendered as Markdown unless `simple`)."""
        self.flush()
        self.console.rule("Final answer" if not self.simple else "", style="dim")
        if result.problem:
            self.console.print(f"No answer: {result.problem}", markup=False, style=None if self.simple else "bold red")
            return
        if result.winner:
            self.console.print(f"Winner: {result.winner}", markup=False, style=None if self.simple else "bold yellow")
        for line in vote_summary(result.votes):
            self.console.print(f"Votes: {line}", markup=False)
        self.console.print()
        self.console.print(result.answer if self.simple else Markdown(result.answer), markup=False, soft_wrap=self.simple)
        for media in result.media:
            self.console.print(f"{caption(media)}  {media.path or ''}".rstrip(), markup=False)


async def stream_plain(runner: TeamRunner, task: str, printer: PlainPrinter) -> tuple[FinalResult, str | None]:
    """Run the team on `task`, printing as it goes; the final result (with `problem` set if none) and the
    session folder the run wrote."""
    response: Mapping[str, Any] | None = None
    async for chunk in runner.run(task, attachments=()):
        if chunk.type == ChunkType.COMPLETE_RESPONSE and isinstance(chunk, TextStreamChunk):
            response = chunk.response
            continue
        printer.handle(chunk)
    printer.flush()
    result = response if response is not None else run_response(runner)
    folder = result.get("session_folder") if result is not None else None
    return final_result(result, printer.media), str(folder) if folder else None


def _build(team: LoadedTeam, output_dir: Path | None) -> TeamRunner:
    from massgen.orchestrator import Orchestrator
    from massgen.session import Session

    if team.config is None:
        raise ValueError("the team has no config to run; give --config FILE")
    session = Session.create(output_dir or team.output_dir)
    return Orchestrator(team.config, session=session)


def run_plain(task: str, team: LoadedTeam | None = None, output_dir: Path | None = None,
              console: Console | None = None,
              build: Callable[[LoadedTeam, Path | None], TeamRunner] = _build) -> int:
    """Load the team (the default one without a config), run it once, print everything; the exit code."""
    from tui.team_loader import read_team

    team = team or read_team(None)
    console = console or Console(highlight=False, soft_wrap=True)
    simple = team.display_type == "simple"
    if team.notice:
        console.print(team.notice, markup=False, style=None if simple else "yellow")
    printer = PlainPrinter(console, [agent for agent, _, _ in team.agents], simple=simple)
    runner = build(team, output_dir)
    try:
        final, folder = asyncio.run(_run(runner, task, printer))
    except KeyboardInterrupt:
        printer.flush()
        console.print("Interrupted; what streamed so far is in the session folder.", markup=False)
        return 130
    printer.final(final)
    if folder is not None:
        console.print(f"Session saved to {folder}", markup=False, style=None if simple else "dim")
    return 0 if final.answer else 1


async def _run(runner: TeamRunner, task: str, printer: PlainPrinter) -> tuple[FinalResult, str | None]:
    try:
        return await stream_plain(runner, task, printer)
    finally:
        await runner.aclose()
