"""massgen.media.probe: every bad attachment gives one clear line naming the file and the fix, never a
traceback and never a hang; good ones are measured from their headers only."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import media_samples as ms
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from massgen.media import MediaError, display_name, probe, probe_bytes, probe_reading
from massgen.media.fileio import reading
from massgen.stream_chunk import MediaType

NOBODY = 65534


def assert_clear_error(exc: MediaError, name: str, *words: str) -> None:
    """One printable line, a ValueError, naming the file, saying what is wrong and what to do."""
    message = str(exc)
    assert isinstance(exc, ValueError)
    assert "\n" not in message and "Traceback" not in message
    message.encode("utf-8")  # printable: no lone surrogates from undecodable names
    assert name in message, message
    assert "; " in message, f"no fix in: {message}"
    for word in words:
        assert word in message, message


def probe_error(path, *words: str, name: str | None = None) -> MediaError:
    with pytest.raises(MediaError) as info:
        probe(path)
    assert_clear_error(info.value, name or os.path.basename(os.fsdecode(path)), *words)
    return info.value


# -- good files: measured, headers only ---------------------------------------------------------


def test_probe_measures_an_image_from_its_header(tmp_path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(ms.photo_jpeg((1600, 1200)))
    info = probe(path)
    assert (info.mime_type, info.media_type, info.width, info.height) == ("image/jpeg", MediaType.IMAGE, 1600, 1200)
    assert info.size_bytes == path.stat().st_size and info.extension == "jpg"
    assert info.mtime_ns == path.stat().st_mtime_ns and info.realpath == str(path.resolve())
    assert (info.filename, info.path) == ("photo.jpg", str(path))  # the item a chunk carries, as probe found it


def test_probe_reads_audio_and_video_durations(tmp_path) -> None:
    (tmp_path / "a.wav").write_bytes(ms.wav_bytes(seconds=2.5))
    (tmp_path / "clip.mp4").write_bytes(ms.mp4_bytes(seconds=7))
    assert probe(tmp_path / "a.wav").duration_seconds == 2.5
    video = probe(tmp_path / "clip.mp4")
    assert (video.media_type, video.duration_seconds) == (MediaType.VIDEO, 7.0)


def test_probe_of_a_1gb_sparse_video_reads_only_headers(tmp_path) -> None:
    path = tmp_path / "big.mp4"
    ms.write_sparse_mp4(path, 1 << 30, seconds=600)
    info, bytes_read = probe_reading(path)
    assert (info.size_bytes, info.mime_type, info.duration_seconds) == (1 << 30, "video/mp4", 600.0)
    assert bytes_read < 64 * 1024, bytes_read


def test_probe_walks_a_large_png_without_reading_its_pixels(tmp_path) -> None:
    path = tmp_path / "noise.png"
    ms.noise_image((1200, 900)).save(path)
    info, bytes_read = probe_reading(path)
    assert (info.width, info.height) == (1200, 900)
    assert bytes_read < info.size_bytes // 10


def test_content_wins_over_a_wrong_image_extension(tmp_path) -> None:
    path = tmp_path / "really_a_jpeg.png"
    path.write_bytes(ms.image_bytes("JPEG"))
    assert probe(path).mime_type == "image/jpeg"


# -- bad files -----------------------------------------------------------------------------------


def test_text_named_png(tmp_path) -> None:
    path = tmp_path / "photo.png"
    path.write_text("this is a shopping list, not a picture\n")
    err = probe_error(path, "not an image", "plain text", "attach the real file")
    assert str(err) == f"{path}: not an image (it is plain text); attach the real file"


@pytest.mark.parametrize("name,data,kind", [
    ("song.mp3", b"just words\n" * 10, "not an audio file"),
    ("clip.mp4", ms.image_bytes("PNG"), "not a video"),
    ("paper.pdf", b"<html>not a pdf</html>", "not a PDF document"),
])
def test_other_kinds_of_wrong_content(tmp_path, name: str, data: bytes, kind: str) -> None:
    (tmp_path / name).write_bytes(data)
    probe_error(tmp_path / name, kind)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP", "BMP"])
def test_truncated_images(tmp_path, fmt: str) -> None:
    full = tmp_path / "full"
    ms.noise_image((200, 150)).save(full, fmt)
    data = full.read_bytes()
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(data[: len(data) * 2 // 3])
    probe_error(path, "truncated", "re-download")


def test_truncated_pdf(tmp_path) -> None:
    data = ms.pdf_bytes(pages=3)
    path = tmp_path / "report.pdf"
    path.write_bytes(data[: len(data) // 2])
    probe_error(path, "truncated PDF")


@pytest.mark.parametrize("name,data", [
    ("garbage.png", b"\x89PNG\r\n\x1a\n" + b"garbage!" * 40),
    ("bad_ihdr.png", ms.image_bytes("PNG")[:16] + b"\xff\xff\xff\xff" + ms.image_bytes("PNG")[20:]),
    ("header.jpg", (lambda j: j[:2] + bytes(range(7, 200)) + j[195:])(ms.photo_jpeg((300, 200)))),
    ("garbage.gif", b"GIF89a" + b"\xff" * 40 + b";"),
    ("garbage.webp", b"RIFF\x30\0\0\0WEBPVP8 " + b"\xff" * 40),
])
def test_corrupt_images(tmp_path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    probe_error(tmp_path / name, "damaged", "re-export")


def test_empty_file(tmp_path) -> None:
    (tmp_path / "empty.jpg").write_bytes(b"")
    probe_error(tmp_path / "empty.jpg", "is empty", "0 bytes")


def test_directory(tmp_path) -> None:
    (tmp_path / "holiday.png").mkdir()
    probe_error(tmp_path / "holiday.png", "is a folder", "attach a file inside it")


def _probe_in_thread(path) -> tuple[threading.Thread, list]:
    outcome: list = []

    def run() -> None:
        try:
            probe(path)
            outcome.append("no error")
        except MediaError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    return thread, outcome


def test_fifo_is_refused_without_blocking(tmp_path) -> None:
    path = tmp_path / "pipe.png"
    os.mkfifo(path)
    thread, outcome = _probe_in_thread(path)
    assert not thread.is_alive(), "probe blocked on a FIFO with no writer"
    assert isinstance(outcome[0], MediaError)
    assert_clear_error(outcome[0], "pipe.png", "named pipe")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_character_devices_are_refused_without_reading(device: str) -> None:
    thread, outcome = _probe_in_thread(device)
    assert not thread.is_alive()
    assert_clear_error(outcome[0], device, "character device")


def _block_device(tmp_path: Path) -> str | None:
    for entry in sorted(os.scandir("/dev"), key=lambda e: e.name):
        try:
            if stat.S_ISBLK(os.stat(entry.path).st_mode):
                return entry.path
        except OSError:
            continue
    node = tmp_path / "disk"
    try:
        os.mknod(node, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except (PermissionError, OSError):
        return None
    return str(node)


def test_block_device_is_refused(tmp_path) -> None:
    device = _block_device(tmp_path)
    if device is None:
        pytest.skip("no block device exists and mknod is not permitted here")
    thread, outcome = _probe_in_thread(device)
    assert not thread.is_alive()
    assert_clear_error(outcome[0], os.path.basename(device), "block device")


def test_socket_is_refused() -> None:
    short_dir = tempfile.mkdtemp(prefix="mg")
    path = os.path.join(short_dir, "s.png")
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(path)
        probe_error(path, "is a socket")
    finally:
        sock.close()
        shutil.rmtree(short_dir)


def test_missing_file(tmp_path) -> None:
    probe_error(tmp_path / "nope.png", "file not found", "check the path")


def test_path_through_a_file(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    probe_error(tmp_path / "notes.txt" / "inner.png", "not a folder")


def test_broken_symlink(tmp_path) -> None:
    link = tmp_path / "latest.png"
    link.symlink_to(tmp_path / "deleted.png")
    probe_error(link, "broken link", "deleted.png")


def test_symlink_loop(tmp_path) -> None:
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    probe_error(tmp_path / "a.png", "symbolic link loop")


def test_symlink_to_a_good_file_is_followed(tmp_path) -> None:
    (tmp_path / "real.png").write_bytes(ms.image_bytes("PNG", (30, 20)))
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    info = probe(tmp_path / "link.png")
    assert (info.width, info.height) == (30, 20) and info.realpath == str(tmp_path / "real.png")


def test_decompression_bomb(tmp_path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(ms.png_bomb(20000, 20000))
    assert path.stat().st_size < 100_000
    probe_error(path, "400,000,000 pixels", "decompression bomb", "scale it down")


def test_odd_paths() -> None:
    with pytest.raises(MediaError, match="no file name"):
        probe("")
    with pytest.raises(MediaError, match="NUL"):
        probe("bad\0name.png")


# -- unreadable files (root reads everything, so the check runs as an unprivileged user) --------

_AS_NOBODY = """
import os, sys
from massgen.media import MediaError, probe
import massgen.media.probe, PIL.Image, PIL.PngImagePlugin, mutagen, puremagic  # loaded while still root
os.setgroups([]); os.setgid({uid}); os.setuid({uid})
try:
    probe(sys.argv[1]); print("NO ERROR")
except MediaError as exc:
    print("MediaError:", exc)
"""


def test_unreadable_file(tmp_path) -> None:
    if os.geteuid() != 0:
        path = tmp_path / "secret.png"
        path.write_bytes(ms.image_bytes("PNG"))
        path.chmod(0)
        probe_error(path, "cannot be read", "permission denied", "chmod")
        return
    # As root, permission bits do not stop reads; drop to `nobody` in a child, where they do.
    folder = tempfile.mkdtemp(prefix="mg-unreadable-")
    try:
        os.chmod(folder, 0o711)
        path = os.path.join(folder, "secret.png")
        Path(path).write_bytes(ms.image_bytes("PNG"))
        os.chmod(path, 0)
        run = subprocess.run([sys.executable, "-c", _AS_NOBODY.format(uid=NOBODY), path],
                             capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(folder)
    assert run.returncode == 0, run.stderr
    line = run.stdout.strip()
    assert line.startswith("MediaError: ") and "\n" not in line, run.stdout + run.stderr
    assert "secret.png: cannot be read (permission denied)" in line and "chmod" in line


def _write_only_sysfs_file() -> str | None:
    """sysfs 'uevent' files are write-only (0200); the kernel refuses to open them for reading even as root."""
    bus = Path("/sys/bus")
    if not bus.is_dir():
        return None
    for candidate in sorted(bus.glob("*/uevent")):
        try:
            if stat.S_IMODE(candidate.stat().st_mode) & 0o444 == 0:
                return str(candidate)
        except OSError:
            continue
    return None


def test_unreadable_file_even_for_root() -> None:
    path = _write_only_sysfs_file()
    if path is None:
        pytest.skip("no write-only sysfs file on this system")
    probe_error(path, "cannot be read (permission denied)", name="uevent")


def test_read_errors_after_opening_are_media_errors() -> None:
    """An I/O error mid-read (a failing disk or network share) is reported like any other bad file."""
    with pytest.raises(MediaError) as info:
        with reading("share/photo.png"):
            raise OSError(errno.EIO, "Input/output error")
    assert_clear_error(info.value, "share/photo.png", "cannot be read (Input/output error)", "local disk")


def test_typescript_named_ts_is_not_called_a_bad_video(tmp_path) -> None:
    (tmp_path / "app.ts").write_text("export const answer: number = 42;\n")
    assert probe(tmp_path / "app.ts").mime_type == "text/plain"


# -- names that are not UTF-8 -------------------------------------------------------------------


def test_non_utf8_name_in_an_error(tmp_path) -> None:
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9.png"
    with open(raw_name, "wb") as f:
        f.write(b"plain words\n")
    for path in (raw_name, os.fsdecode(raw_name), Path(os.fsdecode(raw_name))):
        probe_error(path, "not an image", name="caf\\xe9.png")


def test_non_utf8_name_of_a_good_file(tmp_path) -> None:
    raw_name = os.fsencode(tmp_path) + b"/\xff\xfeimage.png"
    with open(raw_name, "wb") as f:
        f.write(ms.image_bytes("PNG", (12, 10)))
    info = probe(raw_name)
    assert (info.width, info.height) == (12, 10)
    assert display_name(info.path).endswith("\\xff\\xfeimage.png")
    assert os.path.exists(info.path)  # the undecodable bytes survive for reopening


# -- fuzz: damaged images never escape as anything but MediaError ------------------------------

_SEEDS = [ms.image_bytes(f, (40, 30), color=(9, 99, 199)) for f in ("PNG", "GIF", "WEBP", "BMP", "TIFF")]
_SEEDS.append(ms.photo_jpeg((40, 30)))


@pytest.mark.filterwarnings("ignore::UserWarning")  # Pillow's TIFF plugin warns about the damage it finds
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(_SEEDS), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=8),
       st.integers(1, 10_000))
def test_mutated_images_give_media_errors_only(seed: bytes, flips, cut: int) -> None:
    data = bytearray(seed[: max(1, len(seed) * cut // 10_000)])
    for pos, value in flips:
        data[pos % len(data)] = value
    try:
        info = probe_bytes(bytes(data), "fuzz.img")
    except MediaError as exc:
        assert_clear_error(exc, "fuzz.img")
    else:
        assert info.size_bytes == len(data)
