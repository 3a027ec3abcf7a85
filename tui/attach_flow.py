"""Getting files into the attachment bar of the main screen: drops (pastes), `@path` mentions and paths
that arrived as keystrokes (both found when the prompt is sent), and the file picker.

Probing runs in a thread; every problem is a one-line toast (the file is not added); the bar shows,
per agent, what it will receive (verdicts from the team's backend types and per-agent limits)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from massgen.attachments import (AgentSpec, Attachment, Dropped, add_unique, extract_at_paths, find_typed_paths,
                                 load_attachments, plan_attachments)
from massgen.media.limits import BackendLimits, limits_for
from widgets.attachment_bar import AttachmentBar

if TYPE_CHECKING:
    from massgen.config import AgentConfig
    from tui.screens.main import MainScreen
    from tui.team_loader import LoadedTeam

MAX_PROBLEM_TOASTS = 3
PROBLEM_SECONDS = 8


def agent_specs(team: "LoadedTeam") -> list[AgentSpec]:
    """Each agent's id, backend type and limits (with its YAML overrides) as the attachment plan needs them."""
    if team.config is None:
        return [AgentSpec(aid, backend, _limits(backend, None)) for aid, backend, _ in team.agents]
    return [AgentSpec(a.id, a.backend.type, _limits(a.backend.type, _overrides(a))) for a in team.config.agents]


def _limits(backend_type: str, overrides: dict[str, Any] | None) -> BackendLimits:
    """The provider table's limits (an unknown type takes no media: every file is then noted as left out)."""
    try:
        return limits_for(backend_type, overrides)
    except ValueError:
        return BackendLimits(backend_type)


def _overrides(agent: "AgentConfig") -> dict[str, Any] | None:
    """`multimodal_capabilities` and `media_limits` of an agent config, in the form limits_for takes."""
    out: dict[str, Any] = {}
    capabilities = agent.capabilities
    if capabilities is not None:
        for key, value in (("input", capabilities.input), ("output", capabilities.output)):
            if value is not None:
                out[key] = list(value)
    if agent.limits:
        out["max_bytes"] = dict(agent.limits)
    return out or None


def split_submission(text: str, cwd: Path, home: Path) -> tuple[str, list[Dropped]]:
    """The task text and the files it names: a drop typed as keystrokes, bare file paths, `@path` mentions."""
    rest, typed = find_typed_paths(text, cwd, home)
    rest, mentioned = extract_at_paths(rest, cwd, home)
    return rest.strip(), typed + [d for d in mentioned if d.path not in {t.path for t in typed}]


def history_entry(text: str, attachments: Sequence[Attachment]) -> str:
    """The prompt as history keeps it: the text plus an `@"path"` per attachment (recalling it attaches them again)."""
    mentions = [f'@"{a.path}"' for a in attachments if '"' not in str(a.path)]
    return " ".join([text, *mentions])


def attachment_notes(attachments: Sequence[Attachment], agents: Sequence[AgentSpec]) -> dict[str, list[str]]:
    """Per agent, one line per attachment saying what it gets: `📎 photo.png: fitted to 1568x1045, 2.1 MB`."""
    from massgen.attachments import DEFAULT_CACHE

    plan = plan_attachments(attachments, agents, DEFAULT_CACHE)
    return {agent: [f"📎 {d.attachment.name}: {d.summary}" for d in decisions] for agent, decisions in plan.items()}


class AttachFlow:
    """The main screen's attachments: adds (deduplicated, problems toasted), hands them over when sent."""

    def __init__(self, screen: "MainScreen") -> None:
        self.screen = screen
        self.cwd: Path | None = None  # None: the process's (tests set a folder)
        self.home: Path | None = None

    @property
    def bar(self) -> AttachmentBar | None:
        found = self.screen.query(AttachmentBar)
        return found.first() if found else None

    @property
    def attachments(self) -> list[Attachment]:
        bar = self.bar
        return bar.attachments if bar is not None else []

    def where(self) -> tuple[Path, Path]:
        return self.cwd or Path.cwd(), self.home or Path.home()

    async def add(self, items: Iterable[Dropped | Path | str]) -> bool:
        """Probe the files (in a thread) and add the usable new ones; False when any could not be attached."""
        loaded = await load_attachments(items)
        good = [a for a in loaded if a.ok]
        bad = [a for a in loaded if not a.ok]
        self._toast_problems(bad)
        bar = await self.screen.attachment_bar()
        kept, skipped = add_unique(bar.attachments, good)
        if skipped:
            names = ", ".join(a.name for a in skipped)
            self.screen.notify(f"Already attached: {names}", severity="warning")
        added = len(kept) - len(bar.attachments)
        if added:
            await bar.set_attachments(kept)
            if self.screen.app.screen is not self.screen:  # dropped while another view is up
                self.screen.notify(f"Attached {added} file(s); they are shown above the prompt of the main screen")
        return not bad

    async def from_prompt(self, text: str) -> tuple[str, bool]:
        """Attach the files a sent prompt names; (the text to send, whether every named file could be attached)."""
        rest, found = split_submission(text, *self.where())
        if not found:
            return rest, True
        return rest, await self.add(found)

    async def clear(self) -> None:
        bar = self.bar
        if bar is not None and bar.attachments:
            await bar.set_attachments([])

    async def set_agents(self, agents: Sequence[AgentSpec]) -> None:
        bar = await self.screen.attachment_bar()
        await bar.set_agents(agents)

    def _toast_problems(self, bad: Sequence[Attachment]) -> None:
        for attachment in bad[:MAX_PROBLEM_TOASTS]:
            message = attachment.error or f"{attachment.name}: could not be attached"
            self.screen.notify(message, title="Not attached", severity="error", timeout=PROBLEM_SECONDS)
        if len(bad) > MAX_PROBLEM_TOASTS:
            self.screen.notify(f"… and {len(bad) - MAX_PROBLEM_TOASTS} more files could not be attached",
                                   severity="error", timeout=PROBLEM_SECONDS)
