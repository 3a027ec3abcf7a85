"""The Orchestrator: runs every agent on one task concurrently, shares answers, counts votes, has the
winner present, and streams it all as one async iterator of chunks."""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, AsyncIterator, Awaitable, Mapping, Sequence

from massgen.attachments import PrepareCache, load_attachments
from massgen.media.item import MediaItem
from massgen.stream_chunk import BaseStreamChunk, ChunkType, TextStreamChunk

from .builders import build_backend, build_tool_runner
from .context import ContextBuilder, attachment_chunk
from .result import OrchestratorResult
from .state import Limits, TeamState
from .tools import workflow_tools
from .turn import Outcome, Turn, present, run_turn, status

ORCHESTRATOR = "orchestrator"
QUEUE_SIZE = 256
_END = object()
Prepared = Mapping[str, Sequence[dict[str, Any]]]  # agent id -> its items for the user's attachments
log = logging.getLogger(__name__)


class Orchestrator:
    """A team on a task. `backends` (agent id -> LLMBackend) replaces building them from the config."""

    def __init__(self, team_config: Any, session: Any = None, backends: Mapping[str, Any] | None = None,
                 tool_runners: Mapping[str, Any] | None = None, attachment_cache: PrepareCache | None = None) -> None:
        self.team = team_config
        self.agent_ids = [agent.id for agent in team_config.agents]
        self.limits = Limits.from_config(getattr(team_config, "orchestrator", None))
        self.result: OrchestratorResult | None = None
        self.history: list[dict[str, Any]] = []
        self._session = session
        self._backends: dict[str, Any] = dict(backends or {})
        self._runners: dict[str, Any] = dict(tool_runners or {})
        self._build_errors: dict[str, str] = {}
        self._context = ContextBuilder(attachment_cache)  # the attachment bar's cache by default
        self._cancel: asyncio.Event | None = None
        self._running = False

    @property
    def session(self) -> Any:
        """The session folder writer; a new one under the config's output_dir (or ./massgen_outputs) by default."""
        if self._session is None:
            from massgen.session import Session

            self._session = Session.create(getattr(self.team, "output_dir", None))
        return self._session

    def run(self, task: str, attachments: Sequence[Any] = ()) -> AsyncIterator[BaseStreamChunk]:
        """Stream the team's work on `task`; a second call continues the conversation (follow-up)."""
        if not isinstance(task, str) or not task.strip():
            raise ValueError("task: give the team something to do (an empty message was sent)")
        if self._running:
            raise RuntimeError("the team is already working; cancel() the current run or wait for it to end")
        _ = self.session  # make the session folder now, so a bad output_dir is an error here (SessionError)
        self._running = True
        return self._stream(task.strip(), list(attachments))

    follow_up = run

    def cancel(self) -> None:
        """Stop every agent cleanly; the run's stream ends with cancelled statuses and the result."""
        if self._cancel is not None:
            self._cancel.set()

    async def aclose(self) -> None:
        """Close every backend (connections) and flush the session."""
        for backend in self._backends.values():
            await backend.aclose()
        if self._session is not None:
            await self._session.close()

    # streaming --------------------------------------------------------------------------
    async def _stream(self, task: str, attachments: list[Any]) -> AsyncIterator[BaseStreamChunk]:
        self._cancel = asyncio.Event()
        queue: asyncio.Queue[Any] = asyncio.Queue(QUEUE_SIZE)
        self.result = OrchestratorResult(task, session_folder=str(self.session.folder))
        worker = asyncio.create_task(self._drive(task, attachments, queue.put, self.result))
        worker.add_done_callback(lambda _: queue.put_nowait(_END) if not queue.full() else None)
        recording = True
        try:
            while True:
                item = await _next(queue, worker)
                if item is _END:
                    break
                if recording:
                    problem = await self._record(item)
                    if problem is not None:
                        recording = False
                        yield problem
                yield item
            await worker  # re-raise anything unexpected from the run itself
        finally:
            if not worker.done():
                worker.cancel()
                await asyncio.gather(worker, return_exceptions=True)
            if recording:
                await self._record(None)
            self._running = False

    async def _record(self, chunk: BaseStreamChunk | None) -> BaseStreamChunk | None:
        """Write a chunk to the transcript (None: just flush); an ERROR chunk if the disk refuses."""
        try:
            if chunk is not None:
                await self.session.record(chunk)
            if chunk is None or chunk.type == ChunkType.COMPLETE_RESPONSE:
                await self.session.flush()
        except OSError as exc:
            log.warning("session transcript not written: %s", exc)
            return error_chunk(f"the session transcript could not be written ({exc.strerror or exc}); "
                               "the run goes on without it")
        return None

    async def _saved(self, emit: Any, what: str, work: Awaitable[Any]) -> Any:
        """Save a file; if the disk refuses, say so in the stream and go on."""
        try:
            return await work
        except OSError as exc:
            await emit(error_chunk(f"could not save {what} ({exc.strerror or exc})"))
            return None

    async def _drive(self, task: str, attachments: list[Any], emit: Any, result: OrchestratorResult) -> None:
        state = TeamState(self.agent_ids, self.limits)
        await emit(status(ORCHESTRATOR, "working", f"{len(self.agent_ids)} agents on the task"))
        await self._prepare_agents(state, emit)
        shared = await self._attach(state, attachments, emit)
        deadline = asyncio.get_running_loop().time() + self.limits.timeout_seconds
        ended = await self._supervise(self._coordinate(state, task, shared, emit), deadline)
        await self._mark_interrupted(state, ended, emit)
        final, media, detail = "", [], ""
        winner = state.winner()
        if ended == "ok" and winner is not None and state.agents[winner].live:
            final, media, detail = await self._present(state, winner, task, shared, emit, deadline)
        elif winner is not None and ended != "cancelled":
            final, media = state.agents[winner].latest.content, list(state.agents[winner].latest.media)
            detail = "time limit reached; the most-voted answer is the final answer" if ended == "timeout" else \
                "the winner can no longer present; its answer is the final answer"
        await self._finish(state, result, ended, winner, final, media, detail, task, emit)

    async def _attach(self, state: TeamState, attachments: list[Any], emit: Any) -> dict[str, list[dict[str, Any]]]:
        """Report and record the user's attachments; per live agent, the items its backend gets of them."""
        loaded = await load_attachments(attachments)
        for attachment in loaded:
            await emit(attachment_chunk(attachment) if attachment.ok else error_chunk(attachment.error or ""))
        usable = [os.path.abspath(a.path) for a in loaded if a.ok]
        for runner in self._runners.values():
            if hasattr(runner, "allow"):
                runner.allow(usable)
        limits = {a.agent_id: self._backends[a.agent_id].limits for a in state.live() if a.agent_id in self._backends}
        return await self._context.user_items(loaded, limits)

    async def _prepare_agents(self, state: TeamState, emit: Any) -> None:
        """Build missing backends and tool runners (in a thread: SDK imports are slow); failures mark the agent."""
        for agent in self.team.agents:
            if agent.id not in self._build_errors:
                try:
                    if agent.id not in self._backends:
                        self._backends[agent.id] = await asyncio.to_thread(build_backend, agent)
                    if agent.id not in self._runners:
                        self._runners[agent.id] = build_tool_runner(agent, self.session)
                except ValueError as exc:  # ConfigError and friends: one line naming what to set
                    self._build_errors[agent.id] = str(exc)
            if agent.id in self._build_errors:
                state.fail(agent.id, self._build_errors[agent.id])
                await emit(status(agent.id, "failed", self._build_errors[agent.id]))

    async def _supervise(self, coro: Any, deadline: float) -> str:
        """Run `coro` until it ends ("ok"), the deadline passes ("timeout") or cancel() ("cancelled")."""
        work = asyncio.create_task(coro)
        waiter = asyncio.create_task(self._cancel.wait())
        try:
            timeout = max(0.0, deadline - asyncio.get_running_loop().time())
            done, _ = await asyncio.wait({work, waiter}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiter.cancel()
            if not work.done():
                work.cancel()
                await asyncio.gather(work, return_exceptions=True)
        if work in done:
            work.result()
            return "ok"
        return "cancelled" if self._cancel.is_set() else "timeout"

    # coordination -----------------------------------------------------------------------
    async def _coordinate(self, state: TeamState, task: str, shared: Prepared, emit: Any) -> None:
        """Give turns to every agent that needs one until all live agents have voted (or run out of turns)."""
        running: dict[asyncio.Task[Outcome], tuple[str, int]] = {}
        try:
            while True:
                busy = {aid for aid, _ in running.values()}
                for aid in self.agent_ids:
                    if aid not in busy and state.needs_turn(aid):
                        state.agents[aid].turns += 1
                        turn = asyncio.create_task(_guarded(self._turn(state, aid, task, shared, emit)))
                        running[turn] = (aid, state.version)
                if not running:
                    return
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for finished in done:
                    aid, seen = running.pop(finished)
                    await self._apply(state, aid, finished.result(), seen, emit)
        finally:
            for pending in running:
                pending.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _turn(self, state: TeamState, aid: str, task: str, shared: Prepared, emit: Any) -> Outcome:
        agent, config, backend = state.agents[aid], self.team.agent(aid), self._backends[aid]
        agent.status = "working"
        await emit(status(aid, "working", f"turn {agent.turns}"))
        messages, can_answer, labels = await self._context.turn_messages(
            agent, config.system_message, backend.limits, state, task, shared.get(aid, []), self.history)
        runner = self._runners.get(aid)
        tools = workflow_tools(can_answer, labels) + (list(runner.definitions) if runner else [])
        turn = Turn(aid, backend, messages, tools, emit, self.session, state, runner,
                    self.limits.max_reask, self.limits.max_tool_steps)
        return await run_turn(turn)

    async def _apply(self, state: TeamState, aid: str, outcome: Outcome, seen: int, emit: Any) -> None:
        """Record a finished turn: an answer (resetting votes), a vote (unless stale) or a failure."""
        agent = state.agents[aid]
        if outcome.kind == "failed":
            state.fail(aid, outcome.content)
            await emit(status(aid, "failed", outcome.content))
        elif outcome.kind == "answer":
            answer = state.add_answer(aid, outcome.content, outcome.media)
            agent.status = "answered"
            await self._saved(emit, f"{aid}'s answer", self.session.save_answer(
                aid, answer.version, answer.content, turn=len(self.history) // 2 + 1,
                media_paths=[m.path for m in answer.media]))
            await emit(status(aid, "answered", f"{answer.label}; votes reset"))
        elif seen != state.version:
            agent.status = "working"
            await emit(status(aid, "working", "vote set aside: new answers arrived, looking again"))
        else:
            target = state.agent_for_label(outcome.target_label)
            state.add_vote(aid, target, outcome.reason)
            agent.status = "voted"
            await emit(status(aid, "voted", f"for {target} ({outcome.target_label}): {outcome.reason}".strip()))

    # the end ----------------------------------------------------------------------------
    async def _present(self, state: TeamState, winner: str, task: str, shared: Prepared, emit: Any,
                       deadline: float) -> tuple[str, list[MediaItem], str]:
        """The winner presents the final answer; its stored answer stands in if that fails or runs out of time."""
        agent, config, backend = state.agents[winner], self.team.agent(winner), self._backends[winner]
        stored, media = agent.latest.content, list(agent.latest.media)
        agent.status = "winner"
        votes = f"{state.tally().get(winner, 0)} votes for {agent.latest.label}"
        await emit(status(ORCHESTRATOR, "winner", f"{winner}: {votes}"))
        await emit(status(winner, "winner", votes))
        await emit(status(ORCHESTRATOR, "presenting", winner))
        agent.status = "presenting"
        await emit(status(winner, "presenting"))
        messages = await self._context.presentation_messages(agent, config.system_message, backend.limits,
                                                             state, task, shared.get(winner, []), self.history)
        box: list[Outcome] = []

        async def _go() -> None:
            box.append(await _guarded(present(Turn(winner, backend, messages, [], emit, self.session, state))))

        ended = await self._supervise(_go(), deadline)
        if ended != "ok" or box[0].kind == "failed" or not box[0].content:
            why = box[0].content if box and box[0].kind == "failed" else ended
            return stored, media, f"presentation did not finish ({why}); the winning answer is the final answer"
        return box[0].content, media + box[0].media, ""

    async def _mark_interrupted(self, state: TeamState, ended: str, emit: Any) -> None:
        if ended == "ok":
            return
        why = "cancelled" if ended == "cancelled" else f"stopped at the time limit ({self.limits.timeout_seconds:g} s)"
        for agent in state.live():
            if ended == "cancelled" or agent.status == "working":
                agent.status = "cancelled"
                await emit(status(agent.agent_id, "cancelled", why))

    async def _finish(self, state: TeamState, result: OrchestratorResult, ended: str, winner: str | None,
                      final: str, media: list[MediaItem], detail: str, task: str, emit: Any) -> None:
        result.winner, result.final_answer, result.media = winner, final, media
        if ended == "cancelled":
            result.status, result.detail = "cancelled", "cancelled by the user"
        elif not final:
            reasons = "; ".join(f"{a.agent_id}: {a.failed}" for a in state.agents.values() if a.failed)
            result.status, result.detail = "failed", f"no agent gave an answer ({reasons or ended})"
        else:
            result.status, result.detail = "done", detail or f"{winner} won with {state.tally().get(winner, 0)} votes"
            path = await self._saved(emit, "the final answer", self.session.save_final_answer(final, [m.path for m in media]))
            result.final_answer_file = str(path) if path else None
            self.history += [{"role": "user", "content": task}, {"role": "assistant", "content": final}]
        for agent in state.agents.values():
            if agent.live and agent.status != "cancelled":
                agent.status = "done"
                await emit(status(agent.agent_id, "done"))
        result.fill_from(state)
        await emit(status(ORCHESTRATOR, result.status, result.detail))
        await emit(TextStreamChunk(type=ChunkType.COMPLETE_RESPONSE, source=ORCHESTRATOR, response=result.to_dict()))


def error_chunk(text: str) -> TextStreamChunk:
    return TextStreamChunk(type=ChunkType.ERROR, source=ORCHESTRATOR, error=text, content=text)


async def _next(queue: asyncio.Queue[Any], worker: asyncio.Task[None]) -> Any:
    """The next queued chunk, or _END once the worker has finished and the queue is drained."""
    if worker.done() and queue.empty():
        return _END
    return await queue.get()


async def _guarded(work: Awaitable[Outcome]) -> Outcome:
    """A turn's outcome; an unexpected exception in one agent fails that agent only, and is logged."""
    try:
        return await work
    except Exception as exc:  # noqa: BLE001 - the boundary that keeps one agent's bug from stopping the team
        log.debug("agent turn raised", exc_info=exc)
        return Outcome("failed", content=f"{type(exc).__name__}: {exc}")
