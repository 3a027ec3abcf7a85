"""The Orchestrator: runs every agent on one task concurrently, shares answers, counts votes, has the
winner present, and streams it all as one async iterator of chunks."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any, AsyncIterator, Awaitable, Coroutine, Mapping, Sequence, TypeVar

from massgen.attachments import Attachment, Dropped, PrepareCache, load_attachments
from massgen.media.item import MediaItem
from massgen.session import RunSession
from massgen.stream_chunk import ORCHESTRATOR, AgentStatus, BaseStreamChunk, ChunkType, TextStreamChunk

from .builders import build_backend, build_tool_runner
from .context import ContextBuilder, attachment_chunk
from .result import OrchestratorResult, RunOutcome
from .state import Answer, RunLimits, TeamState
from .tools import workflow_tools
from .turn import AgentTurn, Emit, Outcome, OutcomeKind, ToolRunner, present, run_turn, status

if TYPE_CHECKING:
    from massgen.backend.base import LLMBackend
    from massgen.config import TeamConfig

QUEUE_SIZE = 256
_END = object()
Prepared = Mapping[str, Sequence[dict[str, Any]]]  # agent id -> its items for the user's attachments
UserFile = Attachment | Dropped | str | os.PathLike[str]  # what run() takes as an attachment
T = TypeVar("T")
log = logging.getLogger(__name__)


class Ended(Enum):
    """How supervised work stopped: it finished, the run's time ran out, or cancel() was called."""

    OK = "ok"
    TIMEOUT = "timeout"
    CANCELLED = "cancelled"


@dataclass
class Ending:
    """What the run ends with: the final answer and its media, and why it is that (empty: the presentation)."""

    final: str = ""
    media: list[MediaItem] = field(default_factory=list)
    detail: str = ""


class Orchestrator:
    """A team on a task. `backends` (agent id -> LLMBackend) replaces building them from the config."""

    def __init__(self, team_config: "TeamConfig", session: RunSession | None = None,
                 backends: "Mapping[str, LLMBackend] | None" = None,
                 tool_runners: Mapping[str, ToolRunner | None] | None = None,
                 attachment_cache: PrepareCache | None = None) -> None:
        self.team = team_config
        self.agent_ids = [agent.id for agent in team_config.agents]
        self.limits = RunLimits.from_config(team_config.orchestrator)
        self.result: OrchestratorResult | None = None
        self.history: list[dict[str, Any]] = []
        self._session = session
        self._backends: dict[str, LLMBackend] = dict(backends or {})
        self._runners: dict[str, ToolRunner | None] = dict(tool_runners or {})
        self._build_errors: dict[str, str] = {}
        self._context = ContextBuilder(attachment_cache)  # the attachment bar's cache by default
        self._cancel = asyncio.Event()
        self._running = False

    @property
    def session(self) -> RunSession:
        """The session folder writer; a new one under the config's output_dir (or ./massgen_outputs) by default."""
        if self._session is None:
            from massgen.session import Session

            self._session = Session.create(self.team.output_dir)
        return self._session

    def run(self, task: str, attachments: Sequence[UserFile] = ()) -> AsyncIterator[BaseStreamChunk]:
        """Stream the team's work on `task`; a second call continues the conversation (follow-up)."""
        if not isinstance(task, str) or not task.strip():
            raise ValueError("task: give the team something to do (an empty message was sent)")
        if self._running:
            raise RuntimeError("the team is already working; cancel() the current run or wait for it to end")
        _ = self.session  # make the session folder now, so a bad output_dir is an error here (SessionError)
        self._running = True
        return self._stream(task.strip(), list(attachments))

    def cancel(self) -> None:
        """Stop every agent cleanly; the run's stream ends with cancelled statuses and the result."""
        self._cancel.set()

    async def aclose(self) -> None:
        """Close every backend (connections) and flush the session."""
        for backend in self._backends.values():
            await backend.aclose()
        if self._session is not None:
            await self._session.close()

    # streaming --------------------------------------------------------------------------
    async def _stream(self, task: str, attachments: list[UserFile]) -> AsyncIterator[BaseStreamChunk]:
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
            return orchestrator_error(f"the session transcript could not be written ({exc.strerror or exc}); "
                               "the run goes on without it")
        return None

    async def _saved(self, emit: Emit, what: str, work: Awaitable[T]) -> T | None:
        """Save a file; if the disk refuses, say so in the stream and go on."""
        try:
            return await work
        except OSError as exc:
            await emit(orchestrator_error(f"could not save {what} ({exc.strerror or exc})"))
            return None

    async def _drive(self, task: str, attachments: list[UserFile], emit: Emit, result: OrchestratorResult) -> None:
        state = TeamState(self.agent_ids, self.limits)
        await emit(status(ORCHESTRATOR, AgentStatus.WORKING, f"{len(self.agent_ids)} agents on the task"))
        await self._prepare_agents(state, emit)
        shared = await self._attach(state, attachments, emit)
        deadline = asyncio.get_running_loop().time() + self.limits.timeout_seconds
        ended = await self._supervise(self._coordinate(state, task, shared, emit), deadline)
        await self._mark_interrupted(state, ended, emit)
        ending = Ending()
        best = state.winning_answer()
        if ended == Ended.OK and best is not None and state.agents[best.agent_id].live:
            ending = await self._present(state, best, task, shared, emit, deadline)
        elif best is not None and ended != Ended.CANCELLED:
            detail = "time limit reached; the most-voted answer is the final answer" if ended == Ended.TIMEOUT else \
                "the winner can no longer present; its answer is the final answer"
            ending = Ending(best.content, list(best.media), detail)
        await self._finish(state, result, ended, best, ending, task, emit)

    async def _attach(self, state: TeamState, attachments: list[UserFile], emit: Emit) -> Prepared:
        """Report and record the user's attachments; per live agent, the items its backend gets of them."""
        loaded = await load_attachments(attachments)
        for attachment in loaded:
            await emit(attachment_chunk(attachment) if attachment.ok else orchestrator_error(attachment.error or ""))
        usable = [os.path.abspath(a.path) for a in loaded if a.ok]
        for runner in self._runners.values():
            if runner is not None:
                runner.allow(usable)
        limits = {a.agent_id: self._backends[a.agent_id].limits for a in state.live() if a.agent_id in self._backends}
        return await self._context.user_items(loaded, limits)

    async def _prepare_agents(self, state: TeamState, emit: Emit) -> None:
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
                await emit(status(agent.id, AgentStatus.FAILED, self._build_errors[agent.id]))

    async def _supervise(self, coro: Coroutine[Any, Any, None], deadline: float) -> Ended:
        """Run `coro` until it ends, the deadline passes or cancel() is called."""
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
            return Ended.OK
        return Ended.CANCELLED if self._cancel.is_set() else Ended.TIMEOUT

    # coordination -----------------------------------------------------------------------
    async def _coordinate(self, state: TeamState, task: str, shared: Prepared, emit: Emit) -> None:
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

    async def _turn(self, state: TeamState, aid: str, task: str, shared: Prepared, emit: Emit) -> Outcome:
        agent, config, backend = state.agents[aid], self.team.agent(aid), self._backends[aid]
        agent.status = AgentStatus.WORKING
        await emit(status(aid, AgentStatus.WORKING, f"turn {agent.turns}"))
        messages, can_answer, labels = await self._context.turn_messages(
            agent, config.system_message, backend.limits, state, task, shared.get(aid, []), self.history)
        runner = self._runners.get(aid)
        tools = workflow_tools(can_answer, labels) + (list(runner.definitions) if runner else [])
        turn = AgentTurn(aid, backend, messages, tools, emit, self.session, state, runner,
                    self.limits.max_reask, self.limits.max_tool_steps)
        return await run_turn(turn)

    async def _apply(self, state: TeamState, aid: str, outcome: Outcome, seen: int, emit: Emit) -> None:
        """Record a finished turn: an answer (resetting votes), a vote (unless stale) or a failure."""
        agent = state.agents[aid]
        target = state.agent_for_label(outcome.target_label) if seen == state.version else None
        if outcome.kind == OutcomeKind.FAILED:
            state.fail(aid, outcome.content)
            await emit(status(aid, AgentStatus.FAILED, outcome.content))
        elif outcome.kind == OutcomeKind.ANSWER:
            answer = state.add_answer(aid, outcome.content, outcome.media)
            agent.status = AgentStatus.ANSWERED
            await self._saved(emit, f"{aid}'s answer", self.session.save_answer(
                aid, answer.version, answer.content, turn=len(self.history) // 2 + 1,
                media_paths=[m.path for m in answer.media]))
            await emit(status(aid, AgentStatus.ANSWERED, f"{answer.label}; votes reset"))
        elif target is None:  # answers changed since the turn began: the vote may no longer be meant
            agent.status = AgentStatus.WORKING
            await emit(status(aid, AgentStatus.WORKING, "vote set aside: new answers arrived, looking again"))
        else:
            state.add_vote(aid, target, outcome.reason)
            agent.status = AgentStatus.VOTED
            why = f"for {target} ({outcome.target_label}): {outcome.reason}".strip()
            await emit(status(aid, AgentStatus.VOTED, why))

    # the end ----------------------------------------------------------------------------
    async def _present(self, state: TeamState, best: Answer, task: str, shared: Prepared, emit: Emit,
                       deadline: float) -> Ending:
        """The winner presents the final answer; its stored answer stands in if that fails or runs out of time."""
        winner = best.agent_id
        agent, config, backend = state.agents[winner], self.team.agent(winner), self._backends[winner]
        agent.status = AgentStatus.WINNER
        votes = f"{state.tally().get(winner, 0)} votes for {best.label}"
        await emit(status(ORCHESTRATOR, AgentStatus.WINNER, f"{winner}: {votes}"))
        await emit(status(winner, AgentStatus.WINNER, votes))
        await emit(status(ORCHESTRATOR, AgentStatus.PRESENTING, winner))
        agent.status = AgentStatus.PRESENTING
        await emit(status(winner, AgentStatus.PRESENTING))
        messages = await self._context.presentation_messages(agent, config.system_message, backend.limits,
                                                             state, task, shared.get(winner, []), self.history)
        box: list[Outcome] = []

        async def _go() -> None:
            box.append(await _guarded(present(AgentTurn(winner, backend, messages, [], emit, self.session, state))))

        ended = await self._supervise(_go(), deadline)
        if ended != Ended.OK or box[0].kind == OutcomeKind.FAILED or not box[0].content:
            why = box[0].content if box and box[0].kind == OutcomeKind.FAILED else ended.value
            return Ending(best.content, list(best.media),
                          f"presentation did not finish ({why}); the winning answer is the final answer")
        return Ending(box[0].content, list(best.media) + box[0].media)

    async def _mark_interrupted(self, state: TeamState, ended: Ended, emit: Emit) -> None:
        if ended == Ended.OK:
            return
        why = "cancelled" if ended == Ended.CANCELLED else \
            f"stopped at the time limit ({self.limits.timeout_seconds:g} s)"
        for agent in state.live():
            if ended == Ended.CANCELLED or agent.status == AgentStatus.WORKING:
                agent.status = AgentStatus.CANCELLED
                await emit(status(agent.agent_id, AgentStatus.CANCELLED, why))

    async def _finish(self, state: TeamState, result: OrchestratorResult, ended: Ended, best: Answer | None,
                      ending: Ending, task: str, emit: Emit) -> None:
        winner = best.agent_id if best is not None else None
        result.winner, result.final_answer, result.media = winner, ending.final, ending.media
        if ended == Ended.CANCELLED:
            result.status, result.detail = RunOutcome.CANCELLED, "cancelled by the user"
        elif not ending.final or winner is None:
            reasons = "; ".join(f"{a.agent_id}: {a.failed}" for a in state.agents.values() if a.failed)
            result.status, result.detail = RunOutcome.FAILED, f"no agent gave an answer ({reasons or ended.value})"
        else:
            result.status = RunOutcome.DONE
            result.detail = ending.detail or f"{winner} won with {state.tally().get(winner, 0)} votes"
            path = await self._saved(emit, "the final answer",
                                     self.session.save_final_answer(ending.final, [m.path for m in ending.media]))
            result.final_answer_file = str(path) if path else None
            self.history += [{"role": "user", "content": task}, {"role": "assistant", "content": ending.final}]
        for agent in state.agents.values():
            if agent.live and agent.status != AgentStatus.CANCELLED:
                agent.status = AgentStatus.DONE
                await emit(status(agent.agent_id, AgentStatus.DONE))
        result.fill_from(state)
        await emit(status(ORCHESTRATOR, result.status.agent_status, result.detail))
        await emit(TextStreamChunk(type=ChunkType.COMPLETE_RESPONSE, source=ORCHESTRATOR, response=result.to_dict()))


def orchestrator_error(text: str) -> TextStreamChunk:
    """An ERROR from the team itself (not one agent): an attachment that failed, a file the disk refused."""
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
        return Outcome(OutcomeKind.FAILED, content=f"{type(exc).__name__}: {exc}")
