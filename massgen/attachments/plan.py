"""Per agent and per attachment: sent as is, fitted, uploaded, replaced by a stand-in, or left out.

`massgen.media.check_for_backend` judges the file against the backend's limits; this module adds
what to do when the backend cannot take it (a PDF's text, a text file's content) and words for
the attachment bar, such as "claude: fitted to 1568x1045, max 5 MB" or "grok: left out: ..."."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal, Mapping, Sequence

from massgen.media.errors import MediaError
from massgen.media.limits import BackendLimits, limits_for
from massgen.media.verdict import Verdict, check_for_backend
from massgen.media.words import human_size

from .cache import PrepareCache
from .model import Attachment
from .standins import stand_in_kind
from .transcript import transcript_problem

Action = Literal["as_is", "fit", "upload", "stand_in", "left_out"]
_STAND_IN_WORDS = {"pdf_text": "sent as its extracted text", "text": "sent as text", "transcript": "sent as a transcript"}


@dataclass(frozen=True)
class AgentSpec:
    """What the plan needs to know of an agent: its id, its backend type and that backend's limits."""

    id: str
    backend_type: str
    limits: BackendLimits

    @classmethod
    def of(cls, agent_id: str, backend_type: str, overrides: Mapping[str, Any] | None = None) -> "AgentSpec":
        """An agent with the limits table's entry for its backend, plus any per-agent YAML overrides."""
        return cls(agent_id, backend_type, limits_for(backend_type, overrides))


@dataclass(frozen=True)
class Decision:
    """What one agent gets for one attachment; `verdict` is massgen.media's judgement (None for a bad file)."""

    agent_id: str
    attachment: Attachment
    action: Action
    reason: str
    verdict: Verdict | None = None
    fitted: tuple[int, int, int] | None = None  # width, height, bytes of the fitted copy, once made

    @property
    def sends_file(self) -> bool:
        return self.action in ("as_is", "fit", "upload")

    @property
    def summary(self) -> str:
        """The verdict in a few words: 'as is', 'fitted to 1568x1045, max 5 MB', 'left out: ...'."""
        verdict = self.verdict
        if self.action == "fit" and self.fitted is not None:
            width, height, size = self.fitted
            return f"fitted to {width}x{height}, {human_size(size)}"
        if self.action == "fit" and verdict is not None:
            return _fit_summary(verdict, self.attachment)
        if self.action == "upload":
            uploaded = self.attachment.item.size_bytes if self.attachment.item else None
            return f"uploaded through the file API ({human_size(uploaded)})" if uploaded is not None \
                else "uploaded through the file API"
        if self.action == "stand_in":
            return self.reason
        if self.action == "left_out":
            return f"left out: {self.reason}"
        return "as is"

    @property
    def line(self) -> str:
        """`agent: summary`, one line for the bar."""
        return f"{self.agent_id}: {self.summary}"


def decide(attachment: Attachment, agent_id: str, limits: BackendLimits, cache: PrepareCache | None = None) -> Decision:
    """What `limits.backend_type` does with this attachment, including stand-ins for what it cannot take.

    With a cache, a fit already made gives its real size (or its failure) instead of the target."""
    info = attachment.item
    if info is None or attachment.error:
        return Decision(agent_id, attachment, "left_out", attachment.problem or "the file could not be read")
    verdict = check_for_backend(info, limits)
    if verdict.action == "fit" and cache is not None:
        return _known_fit(Decision(agent_id, attachment, "fit", verdict.reason, verdict), limits, cache)
    if verdict.action != "reject":
        return Decision(agent_id, attachment, verdict.action, verdict.reason, verdict)
    stand_in = stand_in_kind(info.mime_type)
    problem = transcript_problem(info.mime_type, info.size_bytes or 0) if stand_in == "transcript" else None
    if stand_in is None or problem is not None:
        return Decision(agent_id, attachment, "left_out", f"{verdict.reason}; {problem}" if problem else verdict.reason,
                        verdict)
    found = cache.peek_stand_in(attachment) if cache is not None else None
    if isinstance(found, MediaError):  # already tried, and failed: the agent gets the note, so the bar says so
        return Decision(agent_id, attachment, "left_out", f"{found.problem}; {found.fix}", verdict)
    return Decision(agent_id, attachment, "stand_in", _STAND_IN_WORDS[stand_in], verdict)


def plan_attachments(attachments: Sequence[Attachment], agents: Sequence[AgentSpec],
                     cache: PrepareCache | None = None) -> dict[str, list[Decision]]:
    """For each agent id, one Decision per attachment, in attachment order (no file is read)."""
    return {agent.id: [decide(a, agent.id, agent.limits, cache) for a in attachments] for agent in agents}


def _known_fit(decision: Decision, limits: BackendLimits, cache: PrepareCache) -> Decision:
    """The decision with the fitted copy's real size, or left out if fitting already failed."""
    limit = limits.limit(decision.attachment.item.media_type) if decision.attachment.item else None
    found = cache.peek_fitted(decision.attachment, limit) if limit else None
    if isinstance(found, MediaError):
        return replace(decision, action="left_out", reason=f"{found.problem}; {found.fix}")
    info = found.probed() if found is not None else None
    if info is not None:
        return replace(decision, fitted=(info.width or 0, info.height or 0, info.size_bytes or 0))
    return decision


def _fit_summary(verdict: Verdict, attachment: Attachment) -> str:
    """'fitted to 1568x1045, max 5 MB', or 're-encoded to fit, max 5 MB' when the pixel size stays."""
    info, width, height = attachment.item, verdict.target_width, verdict.target_height
    resized = bool(width and height and info and (width, height) != (info.width, info.height))
    words = f"fitted to {width}x{height}" if resized else "re-encoded to fit"
    return words + (f", max {human_size(verdict.target_bytes)}" if verdict.target_bytes else "")
