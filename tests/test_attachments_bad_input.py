"""Bad attachments: each gets the right chip (facts or a one-line error naming the file and the fix) or
stays text, and nothing hangs or raises."""

from __future__ import annotations

import glob
import os
import stat
import threading
from pathlib import Path
from typing import Callable, TypeVar

import pytest

from media_samples import image_bytes, png_bomb, wav_bytes
from massgen.attachments import (AgentSpec, Attachment, add_unique, load_attachment, load_attachments, plan_attachments,
                                 scan_paste)
from massgen.media import probe_reading

T = TypeVar("T")
TEAM = [AgentSpec.of("claude", "claude"), AgentSpec.of("gemini", "gemini"), AgentSpec.of("grok", "grok")]


def within(seconds: float, work: Callable[[], T]) -> T:
    """Run `work` in a daemon thread and fail (instead of hanging the suite) if it takes longer."""
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # re-raised in the test thread below
            errors.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s: it hangs"
    if errors:
        raise errors[0]
    return result[0]


def dropped(text: str, cwd: Path, home: Path | None = None, **kw) -> list[Attachment]:
    """What a paste becomes in the bar: its attachments, loaded (empty list when it stays text)."""
    found = within(5, lambda: scan_paste(text, cwd, home or cwd, **kw))
    return [] if found is None else within(5, lambda: [load_attachment(d) for d in found])


def only_error(attachments: list[Attachment]) -> str:
    (one,) = attachments
    assert not one.ok and one.item is None
    assert one.error and "\n" not in one.error
    return one.error


def left_out_everywhere(attachment: Attachment, words: str) -> None:
    """Every agent's line says the file is left out, with the reason."""
    for decisions in plan_attachments([attachment], TEAM).values():
        assert decisions[0].action == "left_out"
        assert words in decisions[0].line


def test_missing_path_pasted_alone_stays_text_and_typed_gets_a_message(tmp_path):
    assert dropped(str(tmp_path / "gone.png"), tmp_path) == []
    error = only_error([load_attachment(tmp_path / "gone.png")])
    assert error == f"{tmp_path / 'gone.png'}: file not found; check the path, or drop the file onto the terminal"


def test_directory(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    error = only_error(dropped(f"'{folder}' ", tmp_path))
    assert error.startswith(str(folder)) and "is a folder" in error


def test_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    assert "named pipe" in only_error(dropped(str(fifo), tmp_path))


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_device(device, tmp_path):
    error = only_error(dropped(device, tmp_path))
    assert error.startswith(device) and "character device" in error


def _write_only_file() -> str | None:
    """A regular file that even root cannot open for reading: a write-only sysfs attribute."""
    for candidate in ["/sys/bus/pci/rescan", "/sys/kernel/uevent_helper", *glob.glob("/sys/module/*/uevent")[:20]]:
        try:
            st = os.stat(candidate)
            if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o444:
                continue
            os.close(os.open(candidate, os.O_RDONLY | os.O_NONBLOCK))
        except PermissionError:
            return candidate
        except OSError:
            continue
    return None


def test_unreadable_file(tmp_path):
    path = _write_only_file()
    if path is None:
        pytest.skip("no write-only sysfs attribute here, and root can read any ordinary file")
    error = only_error(dropped(path, tmp_path))
    assert error.startswith(path) and "permission denied" in error


def test_empty_file(tmp_path):
    (tmp_path / "empty.pdf").touch()
    assert "is empty (0 bytes)" in only_error(dropped(str(tmp_path / "empty.pdf"), tmp_path))


def test_truncated_png(tmp_path):
    png = image_bytes("PNG", (300, 200))
    path = tmp_path / "cut.png"
    path.write_bytes(png[: len(png) // 2])
    error = only_error(dropped(str(path), tmp_path))
    assert "truncated" in error and "re-download" in error


def test_text_named_png(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("just some notes, not a picture\n")
    assert "not an image (it is plain text)" in only_error(dropped(str(path), tmp_path))


def test_decompression_bomb(tmp_path):
    path = tmp_path / "bomb.png"
    path.write_bytes(png_bomb(30_000, 30_000))
    assert "decompression bomb" in only_error(dropped(str(path), tmp_path))


def test_5gb_sparse_file_reads_headers_only(tmp_path):
    """A 5 GB WAV whose data is a hole: probed from its header, left out where it is over every limit."""
    path = tmp_path / "huge.wav"
    size = 5 * 1024**3
    header = bytearray(wav_bytes(0.01)[:44])
    header[4:8] = header[40:44] = (0xFFFFFFFF).to_bytes(4, "little")  # "larger than 4 GB", as writers do
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(size)
    (attachment,) = dropped(str(path), tmp_path)
    assert attachment.ok and attachment.item.size_bytes == 5 * 1024**3
    assert probe_reading(path)[1] <= 64 * 1024  # what loading it read: headers only
    assert attachment.facts()[:2] == ["WAV", "5 GB"]
    plan = plan_attachments([attachment], TEAM)
    assert plan["gemini"][0].action == "left_out" and "over gemini's 2 GB limit" in plan["gemini"][0].line
    assert plan["claude"][0].line == "claude: left out: claude does not take audio; set OPENAI_API_KEY for a transcript"


def test_symlink_loop(tmp_path):
    os.symlink(tmp_path / "b.png", tmp_path / "a.png")
    os.symlink(tmp_path / "a.png", tmp_path / "b.png")
    assert "symbolic link loop" in only_error(dropped(str(tmp_path / "a.png"), tmp_path))


def test_broken_symlink(tmp_path):
    os.symlink(tmp_path / "deleted.png", tmp_path / "link.png")
    error = only_error(dropped(str(tmp_path / "link.png"), tmp_path))
    assert "broken link" in error and "deleted.png" in error


@pytest.mark.parametrize("name", ["two words.png", "it's \"quoted\".png", "café ☕ 写真.png", "line\nbreak.png"])
def test_awkward_names_attach_and_show_printably(name, tmp_path):
    path = tmp_path / name
    path.write_bytes(image_bytes("PNG"))
    quoted = "'" + str(path).replace("'", "'\\''") + "' "
    (attachment,) = dropped(quoted, tmp_path)
    assert attachment.ok and attachment.path == path
    assert "\n" not in attachment.name and "\n" not in attachment.summary()
    assert attachment.facts()[0] == "PNG"


def test_file_uri_with_percent_20(tmp_path):
    path = tmp_path / "my photo.png"
    path.write_bytes(image_bytes("PNG"))
    (attachment,) = dropped(f"file://{str(path).replace(' ', '%20')}", tmp_path)
    assert attachment.ok and attachment.path == path


def test_relative_path_against_given_cwd(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "pic.png").write_bytes(image_bytes("PNG"))
    (attachment,) = dropped("sub/pic.png", tmp_path)
    assert attachment.ok and attachment.path == tmp_path / "sub" / "pic.png"


def test_tilde_against_given_home(tmp_path):
    (tmp_path / "pic.png").write_bytes(image_bytes("PNG"))
    (attachment,) = dropped("~/pic.png", Path("/"), tmp_path)
    assert attachment.ok and attachment.path == tmp_path / "pic.png"


def test_windows_path_mapped_to_mnt_c(tmp_path):
    target = tmp_path / "mnt" / "c" / "Users" / "me" / "pic.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(image_bytes("PNG"))
    (attachment,) = dropped("C:\\Users\\me\\pic.png", tmp_path, wsl_root=tmp_path / "mnt")
    assert attachment.ok and attachment.path == target


def test_windows_path_without_mount_gets_a_clear_message(tmp_path):
    error = only_error(dropped('"C:\\Users\\me\\pic.png"', tmp_path, wsl_root=tmp_path / "no-mnt"))
    assert error.startswith("C:\\Users\\me\\pic.png: is a Windows path and drive C: is not mounted here")
    assert "copy the file onto this computer" in error


def test_wsl_mnt_path_single_quoted(tmp_path):
    target = tmp_path / "mnt" / "c" / "My Files" / "pic.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(image_bytes("PNG"))
    (attachment,) = dropped(f"'{target}'", tmp_path)
    assert attachment.ok and attachment.path == target


def test_duplicates_in_one_paste_attach_once_and_again_are_skipped(tmp_path):
    path = tmp_path / "pic.png"
    path.write_bytes(image_bytes("PNG"))
    os.symlink(path, tmp_path / "alias.png")
    attachments = dropped(f"'{path}' '{path}' file://{path}", tmp_path)
    assert [a.path for a in attachments] == [path]
    kept, skipped = add_unique(attachments, dropped(f"'{tmp_path / 'alias.png'}'", tmp_path))
    assert kept == attachments and [a.path for a in skipped] == [tmp_path / "alias.png"]


def test_paste_mixing_existing_and_missing_attaches_the_existing_and_names_the_missing(tmp_path):
    """A drop whose every word is a path is a drop: the user expects the files, and to hear which are gone."""
    path = tmp_path / "pic.png"
    path.write_bytes(image_bytes("PNG"))
    present, missing = dropped(f"'{path}' '{tmp_path / 'gone.png'}' ", tmp_path)
    assert present.ok
    assert missing.error.endswith("gone.png: file not found; check the path, or drop the file onto the terminal")
    left_out_everywhere(missing, "file not found")


def test_http_url_stays_text(tmp_path):
    assert dropped("https://example.com/pic.png", tmp_path) == []
    assert dropped("http://example.com/a%20b.png http://example.com/c.png", tmp_path) == []


def test_unknown_binary_is_left_out_with_its_type(tmp_path):
    path = tmp_path / "blob.dat"
    path.write_bytes(bytes(range(256)) * 8)
    (attachment,) = dropped(str(path), tmp_path)
    assert attachment.ok
    left_out_everywhere(attachment, "does not take files")


def test_audio_for_a_backend_without_audio_is_left_out_with_the_reason(tmp_path):
    path = tmp_path / "memo.wav"
    path.write_bytes(wav_bytes(0.5))
    (attachment,) = dropped(str(path), tmp_path)
    plan = plan_attachments([attachment], TEAM)
    assert plan["gemini"][0].action == "as_is"
    assert plan["grok"][0].line == "grok: left out: grok does not take audio; set OPENAI_API_KEY for a transcript"


async def test_loading_a_mixed_drop_off_the_loop_keeps_order_and_never_raises(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "pic.png").write_bytes(image_bytes("PNG"))
    (tmp_path / "empty.txt").touch()
    found = scan_paste(f"{tmp_path / 'pipe'}\n{tmp_path / 'pic.png'}\n{tmp_path / 'empty.txt'}", tmp_path, tmp_path)
    pipe, pic, empty = await load_attachments(found)
    assert "named pipe" in pipe.error and pic.ok and "is empty" in empty.error
    assert pipe.summary() == f"pipe · {pipe.problem}" and pipe.problem.startswith("is a named pipe (FIFO)")
