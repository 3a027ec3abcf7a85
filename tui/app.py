"""The massgen-tui application: loads the team after the first frame, runs it, saves, opens views."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from massgen.errors import MassGenError
from tui.commands import KeyBindingCommands
from tui.messages import MediaAdded, RunFinished
from tui.run_state import Phase
from tui.team_loader import LoadedTeam, RunnerFactory, TeamRunner, load_team
from widgets.prompt_input import PromptHistory

if TYPE_CHECKING:  # imported after the first frame (media, sessions and runs pull in Pillow and more)
    from massgen.attachments import Attachment
    from massgen.config import TeamConfig
    from massgen.media import MediaItem
    from massgen.session import RunSession
    from tui.image_edits import ImageEdits
    from tui.screens.main import MainScreen
    from tui.session_keeper import SessionKeeper
    from tui.team_run import TeamRun
    from widgets.final_result import FinalResult
    from widgets.media_view import MediaView
    from widgets.paste_attach import PathsPasted

CANCEL_GRACE_SECONDS = 3.0
CLOSE_SECONDS = 5.0
FIRST_FRAME_GRACE = 0.05


def default_orchestrator(team: "TeamConfig | None", session: "RunSession") -> TeamRunner:
    """The real team (imported here, after the first frame: it may import provider SDKs)."""
    from massgen.orchestrator import Orchestrator

    if team is None:
        raise ValueError("the team has no config to run; give --config FILE")
    return Orchestrator(team, session=session)


def _main_screen() -> Screen[None]:
    """The main screen, imported when the app starts (its module imports this one, for its typed `app`)."""
    from tui.screens.main import MainScreen

    return MainScreen()


@dataclass
class AppOptions:
    """What the command line (or a test) asks of the app."""

    config: Path | None = None
    output_dir: Path | None = None
    scratch_dir: Path | None = None  # where the unsaved session folder goes (default: the system's temp folder)
    theme: str | None = None
    prompt: str | None = None
    environ: dict[str, str] | None = None
    team: LoadedTeam | None = None
    team_loader: Callable[["AppOptions"], LoadedTeam] = field(default=load_team)
    orchestrator_factory: RunnerFactory = field(default=default_orchestrator)


class MassGenApp(App[int]):
    """Chat with a team of agents; every action has a key (Footer) and a palette entry."""

    # Every screen's stylesheet is read up front: a screen pushed later with a new .tcss makes Textual
    # re-style the whole app (hundreds of blocks after a long run), which stalls the loop.
    CSS_PATH = ["app.tcss", "screens/main.tcss", "screens/final.tcss", "screens/viewer.tcss"]
    TITLE = "massgen-tui"
    COMMANDS = App.COMMANDS | {KeyBindingCommands}
    ESCAPE_TO_MINIMIZE = False
    MODES = {"main": _main_screen}  # a mode (not the default screen) so that the screen's .tcss is loaded
    DEFAULT_MODE = "main"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the session folder (transcript, answers, media)"),
        Binding("ctrl+t", "toggle_theme", "Theme", tooltip="Switch between the light and the dark theme"),
        Binding("f1", "help", "Help", tooltip="Keys, mouse and what the screen shows"),
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="Quit massgen-tui"),
    ]

    def __init__(self, options: AppOptions | None = None) -> None:
        super().__init__()
        self.options = options or AppOptions()
        self.history = PromptHistory()
        self.team: LoadedTeam | None = None
        self.orchestrator: TeamRunner | None = None
        self.media: list[MediaItem] = []  # every picture and file shown, in order (MediaAdded)
        self.finals: list[FinalResult] = []
        self.keeper: SessionKeeper | None = None
        self.run_: TeamRun | None = None
        self.turns = 0
        self._pending_prompt = self.options.prompt
        self._pending_attachments: list[Attachment] = []
        self._edits: ImageEdits | None = None
        if self.options.theme:
            self.theme = self.options.theme

    @property
    def main(self) -> "MainScreen":
        from tui.screens.main import MainScreen

        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)  # the bottom of the one mode's stack
        return screen

    @property
    def session(self) -> "RunSession | None":
        """The session runs and edits write to (None while the team loads)."""
        return self.keeper.session if self.keeper is not None else None

    def images(self) -> list[MediaItem]:
        """The pictures shown so far, oldest first."""
        from massgen.media import MediaType

        return [m for m in self.media if m.media_type == MediaType.IMAGE]

    def first_frame_shown(self) -> None:
        """Called by the main screen after its first refresh. The team is loaded a moment later: reading a
        config imports pydantic and more, in a thread that holds the GIL while the frame is being written."""
        self.set_timer(FIRST_FRAME_GRACE, self._load)

    def _load(self) -> None:
        self.run_worker(self._load_team(), group="load", exclusive=True)

    async def _load_team(self) -> None:
        """After the first frame: read the config (or pick the demo team) and build the orchestrator."""
        try:
            team = self.options.team
            if team is None:
                team = await asyncio.to_thread(self.options.team_loader, self.options)
        except (MassGenError, ValueError, OSError) as exc:
            self.exit(2, return_code=2, message=f"massgen-tui: {exc}")
            return
        self.team = team
        await self.main.set_team(team)
        from tui.session_keeper import SessionKeeper

        self.keeper = SessionKeeper(self.options.output_dir, self.options.scratch_dir)
        try:
            session = self.keeper.open(team.save_outputs, team.output_dir)
            self.orchestrator = await asyncio.to_thread(self.options.orchestrator_factory, team.config, session)
        except (MassGenError, ValueError, OSError) as exc:
            self.main.show_status(Phase.FAILED, " ".join(str(exc).split()))
            return
        if self._pending_prompt:
            prompt, self._pending_prompt = self._pending_prompt, None
            attachments, self._pending_attachments = self._pending_attachments, []
            self.history.add(prompt)
            self.start_run(prompt, attachments)

    # --- running ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run_ is not None

    def start_run(self, task: str, attachments: Sequence[Attachment] = ()) -> bool:
        """Start the team on a task (a follow-up continues the conversation); False if it cannot start now."""
        if self.running:
            self.notify("The team is still working: Esc cancels the run.", severity="warning")
            return False
        if self.orchestrator is None:
            if self.team is None:
                self._pending_prompt, self._pending_attachments = task, list(attachments)
                self.notify("The team is still loading; the task starts as soon as it is ready.")
                return True
            self.notify("The team could not be built; see the status bar.", severity="error")
            return False
        from tui.attach_flow import agent_specs
        from tui.team_run import TeamRun

        if self.keeper is not None:
            self.keeper.begin()
        self.turns += 1
        agents = agent_specs(self.team) if attachments and self.team is not None else []
        self.run_ = TeamRun(self.main, self.orchestrator, task, self.turns, attachments, agents)
        self.run_worker(self.run_.run(), group="run", exclusive=True, exit_on_error=True)
        return True

    def cancel_run(self) -> None:
        """Esc: stop the run, keep what streamed; force the worker down if the team does not stop in time."""
        run = self.run_
        if run is None or run.cancel_requested:
            return
        run.cancel()
        self.set_timer(CANCEL_GRACE_SECONDS, lambda: self._force_cancel(run))

    def _force_cancel(self, run: TeamRun) -> None:
        if self.run_ is run:
            self.workers.cancel_group(self, "run")

    def on_run_finished(self, message: RunFinished) -> None:
        """The run is over: keep its answer; then (in a worker, a save may take a while) show it."""
        self.run_ = None
        if message.final is not None:
            self.finals.append(message.final)
            self.main.has_final = True
        self.run_worker(self._after_run(message.final), group="after-run")

    async def _after_run(self, final: "FinalResult | None") -> None:
        """Say where the run was saved (save_outputs), then show the final answer."""
        if self.keeper is not None and self.keeper.automatic:
            await self.save(quiet=False)
        if final is not None:
            self.show_final()

    def on_media_added(self, message: MediaAdded) -> None:
        """A picture or file is on screen: kept for the viewer and `/edit`; an edit's version joins an open viewer."""
        from massgen.media import MediaType
        from tui.screens.viewer import ViewerScreen

        self.media.append(message.item)
        if message.item.media_type == MediaType.IMAGE:
            self.main.has_images = True
        if message.edited and isinstance(self.screen, ViewerScreen):
            self.screen.add_version(message.item, self.images())

    # --- views ------------------------------------------------------------------------
    def show_final(self) -> None:
        from tui.screens.final import FinalScreen

        if not self.finals:
            self.notify("No final answer yet.", severity="warning")
            return
        image_mode = self.team.image_mode if self.team else "inline"
        self.push_screen(FinalScreen(self.finals[-1], image_mode, len(self.finals)))

    def preview(self, attachment: Attachment) -> None:
        """An attachment's picture full screen; other kinds say where the file is."""
        from massgen.media import MediaItem, MediaType
        from tui.screens.viewer import ViewerScreen

        info = attachment.item
        if info is None or info.media_type != MediaType.IMAGE:
            kind = info.label if info is not None else "this file"
            self.notify(f"No preview for {kind}; it is at {attachment.path}", severity="warning")
            return
        item = MediaItem(mime_type=info.mime_type, path=info.path, agent="you")
        self.push_screen(ViewerScreen(item, [item], self.keeper, selects=False))

    def open_viewer(self, item: MediaItem | None) -> None:
        from tui.screens.viewer import ViewerScreen

        images = self.images()
        if not images:
            self.notify("No images yet.", severity="warning")
            return
        chosen = item if item is not None else images[-1]
        self.push_screen(ViewerScreen(chosen, images, self.keeper))

    # --- attachments and image edits ----------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        """A paste that is a drop of files attaches them, wherever focus is; any other paste stays text."""
        if isinstance(event, events.Paste) and not event.is_forwarded:
            from widgets.paste_attach import intercept_app_paste

            if intercept_app_paste(self, event):
                return
        await super().on_event(event)

    async def on_paths_pasted(self, message: PathsPasted) -> None:
        await self.main.attach.add(message.dropped)

    @property
    def edits(self) -> ImageEdits:
        if self._edits is None:
            from tui.image_edits import ImageEdits

            self._edits = ImageEdits(self, self.options.environ)
        return self._edits

    def on_media_view_focused(self, message: MediaView.Focused) -> None:
        self.edits.selected = message.item

    def on_media_view_edit_requested(self, message: MediaView.EditRequested) -> None:
        self.edits.ask(message.item)

    # --- actions ----------------------------------------------------------------------
    async def action_save(self) -> None:
        await self.save(quiet=False)

    async def save(self, quiet: bool) -> None:
        """Write (or bring up to date) the session folder and say where it is."""
        if self.keeper is None:
            self.notify("Nothing to save yet: the team is still loading.", severity="warning")
            return
        try:
            folder = await self.keeper.save()
        except (MassGenError, ValueError, OSError) as exc:
            self.notify(f"Could not save: {' '.join(str(exc).split())}", severity="error", timeout=10)
            return
        if not quiet:
            self.notify(f"Saved to {folder}", title="Session saved", timeout=8)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.current_theme.dark else "textual-dark"

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        if self.run_ is not None:
            self.run_.cancel()
            self.workers.cancel_group(self, "run")
        if self.keeper is not None:
            await self.keeper.close(self.orchestrator)
        self.exit(0)

    async def on_unmount(self) -> None:
        """However the app ends (Ctrl+Q, an exit, a test leaving run_test): close the team, remove scratch."""
        keeper = self.keeper
        if keeper is None:
            return
        try:
            await asyncio.wait_for(keeper.close(self.orchestrator), CLOSE_SECONDS)
        except (asyncio.TimeoutError, MassGenError, OSError):
            pass  # shutting down: what matters now is that no scratch folder is left behind
        finally:
            if keeper.scratch is not None:
                keeper.scratch.remove()
