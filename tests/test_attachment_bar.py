"""The attachment bar and the paste helper, driven through Textual's pilot in tiny host apps."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input, Static, TextArea

from media_samples import noise_image, wav_bytes
from massgen.attachments import AgentSpec, Attachment, PrepareCache, load_attachment
from widgets.attachment_bar import CHIP_WIDTHS, AttachmentBar, AttachmentChip, RemoveMark
from widgets.paste_attach import PasteAttachMixin, PathsPasted, intercept_app_paste

TEAM = [AgentSpec.of("claude", "claude"), AgentSpec.of("gpt", "openai"), AgentSpec.of("grok", "grok")]


class BarApp(App[None]):
    """Hosts one AttachmentBar and records the messages it posts."""

    def __init__(self, attachments: list[Attachment], agents=TEAM, **bar_options) -> None:
        super().__init__()
        self.bar = AttachmentBar(attachments, agents, cache=PrepareCache(), **bar_options)
        self.removed: list[Attachment] = []
        self.previewed: list[Attachment] = []

    def compose(self) -> ComposeResult:
        yield self.bar
        yield Static("below", id="below")

    def on_attachment_bar_removed(self, message: AttachmentBar.Removed) -> None:
        self.removed.append(message.attachment)

    def on_attachment_bar_preview(self, message: AttachmentBar.Preview) -> None:
        self.previewed.append(message.attachment)


@pytest.fixture
def three(tmp_path: Path) -> list[Attachment]:
    """A wide image (fitted for gpt), an audio file (left out for most) and a missing file."""
    Image.linear_gradient("L").resize((3000, 2000)).convert("RGB").save(tmp_path / "wide.png")
    (tmp_path / "memo.wav").write_bytes(wav_bytes(1.0))
    return [load_attachment(tmp_path / n) for n in ("wide.png", "memo.wav", "gone.png")]


def chip_text(chip: AttachmentChip) -> list[str]:
    return [str(s.render()) for s in chip.query(Static) if not isinstance(s, RemoveMark)]


async def test_one_chip_per_file_with_facts_and_a_line_per_agent(three):
    app = BarApp(three, prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        chips = app.bar.chips
        assert [c.attachment for c in chips] == three
        wide = chip_text(chips[0])
        assert wide[0] == "▣ wide.png" and wide[1] == f"PNG · {three[0].facts()[1]} · 3000x2000"
        assert wide[2:] == ["⤓ claude fitted to 1568x1045, max 5 MB", "⤓ gpt fitted to 2048x1365, max 20 MB", "✓ grok as is"]
        memo = chip_text(chips[1])
        assert memo[0] == "♪ memo.wav" and memo[1].endswith("· 0:01")
        assert memo[2] == "✗ claude left out: claude does not take audio; set OPENAI_API_KEY for a transcript"
        assert "grok: left out: grok does not take audio" in chips[1].tooltip
        gone = chip_text(chips[2])
        assert gone[0] == "✗ gone.png" and gone[1].startswith("file not found")
        assert chips[2].has_class("-error") and len(gone) == 2
        assert chips[0].region.width == max(map(len, wide)) + 4  # border and padding around the longest line
        assert chips[0].region.height == len(wide) + 2


async def test_a_long_name_is_cut_and_the_chip_stays_within_its_widest(tmp_path):
    long_name = "a photo with a very long name taken on a long holiday by the sea.png"
    Image.new("RGB", (40, 30)).save(tmp_path / long_name)
    app = BarApp([load_attachment(tmp_path / long_name)], prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        (chip,) = app.bar.chips
        assert chip.region.width == CHIP_WIDTHS[1]
        title = chip.query_one(".chip-title", Static)
        assert title.region.width < len(long_name)


async def test_remove_by_click_and_by_key_posts_removed_and_moves_focus(three):
    app = BarApp(three, prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        first_mark = app.bar.chips[0].query_one(RemoveMark)
        await pilot.click(first_mark)
        await pilot.pause()
        assert app.removed == [three[0]] and app.previewed == []
        assert [c.attachment for c in app.bar.chips] == three[1:] == app.bar.attachments
        app.bar.chips[0].focus()
        await pilot.press("delete")
        await pilot.pause()
        assert app.removed == three[:2]
        assert app.focused is app.bar.chips[0] and app.bar.chips[0].attachment is three[2]
        await pilot.press("x")
        await pilot.pause()
        assert app.removed == three and app.bar.chips == []
        assert app.bar.has_class("-empty") and app.bar.region.height == 0


async def test_enter_and_click_ask_for_a_preview(three):
    app = BarApp(three, prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.bar.chips[0].focus()
        await pilot.press("enter")
        await pilot.click(app.bar.chips[1], offset=(2, 2))
        await pilot.pause()
        assert app.previewed == three[:2]
        app.bar.chips[2].focus()
        await pilot.press("enter")  # a missing file has nothing to preview
        await pilot.pause()
        assert app.previewed == three[:2]


async def test_left_and_right_move_between_chips(three):
    app = BarApp(three, prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        app.bar.chips[0].focus()
        await pilot.press("right")
        assert app.focused is app.bar.chips[1]
        await pilot.press("left", "left")
        assert app.focused is app.bar.chips[2]


async def test_an_empty_bar_takes_no_room_and_appears_when_files_come(three):
    app = BarApp([], prefit=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.bar.region.height == 0
        await app.bar.set_attachments(three[:1])
        await pilot.pause()
        assert len(app.bar.chips) == 1 and app.bar.region.height > 0
        await app.bar.set_agents(TEAM[:1])
        await pilot.pause()
        assert chip_text(app.bar.chips[0])[2:] == ["⤓ claude fitted to 1568x1045, max 5 MB"]


async def test_prefit_replaces_the_target_with_the_real_fitted_size(tmp_path):
    noise_image((600, 400)).save(tmp_path / "noisy.png")
    attachment = load_attachment(tmp_path / "noisy.png")
    agent = AgentSpec.of("tiny", "claude", {"max_bytes": {"image": "200KB"}})
    app = BarApp([attachment], [agent])
    async with app.run_test(size=(120, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        (line,) = chip_text(app.bar.chips[0])[2:]
        fitted = app.bar.cache.peek_fitted(attachment, agent.limits.limit("image"))
        assert line.startswith(f"⤓ tiny fitted to {fitted.item.width}x{fitted.item.height}, ")
        assert app.bar.cache.fits_made == 1


# --- pasting --------------------------------------------------------------------------------------


class Prompt(PasteAttachMixin, TextArea):
    """A prompt that turns dropped files into PathsPasted and inserts ordinary pastes."""


class PasteApp(App[None]):
    def __init__(self, home: Path, intercept: bool = False) -> None:
        super().__init__()
        self.home, self.intercept = home, intercept
        self.pasted: list[list[Path]] = []
        self.bubbled: list[str] = []

    def compose(self) -> ComposeResult:
        prompt = Prompt(id="prompt")
        prompt.paste_cwd = prompt.paste_home = self.home
        yield prompt
        yield Input(id="line")

    async def on_event(self, event: events.Event) -> None:
        if self.intercept and intercept_app_paste(self, event, cwd=self.home, home=self.home):
            return
        await super().on_event(event)

    def on_paths_pasted(self, message: PathsPasted) -> None:
        self.pasted.append(message.paths)

    def on_paste(self, event: events.Paste) -> None:
        """Pastes that bubbled up from the focused widget (a claimed drop must not)."""
        if event.is_forwarded:
            self.bubbled.append(event.text)


@pytest.fixture
def two_files(tmp_path: Path) -> list[Path]:
    paths = [tmp_path / "a b.png", tmp_path / "c.png"]
    for path in paths:
        path.write_bytes(b"x")
    return paths


async def test_a_drop_on_the_prompt_attaches_and_inserts_nothing(two_files, tmp_path):
    app = PasteApp(tmp_path)
    async with app.run_test() as pilot:
        prompt = app.query_one(Prompt)
        prompt.focus()
        app.post_message(events.Paste("'" + "' '".join(map(str, two_files)) + "' "))
        await pilot.pause()
        assert app.pasted == [two_files] and prompt.text == "" and app.bubbled == []
        app.post_message(events.Paste("hello there"))
        await pilot.pause()
        assert prompt.text == "hello there" and len(app.pasted) == 1 and app.bubbled == ["hello there"]


async def test_app_level_intercept_catches_drops_wherever_focus_is(two_files, tmp_path):
    app = PasteApp(tmp_path, intercept=True)
    async with app.run_test() as pilot:
        line = app.query_one(Input)
        line.focus()
        app.post_message(events.Paste("\n".join(map(str, two_files))))
        await pilot.pause()
        assert app.pasted == [two_files] and line.value == ""
        app.post_message(events.Paste("just text"))
        await pilot.pause()
        assert line.value == "just text" and len(app.pasted) == 1
