"""massgen.media.check_for_backend: per backend, send as is, fit, upload or leave out, with a reason;
and a fitted image really passes the check it was fitted for."""

from __future__ import annotations

import media_samples as ms
import pytest

from massgen.media import (
    MediaItem,
    MediaRef,
    check_for_backend,
    fit_image,
    human_size,
    limits_for,
    probe,
    probe_bytes,
)
from massgen.media.limits import MB
from massgen.media.sniff import make_sniffed
from massgen.providers import PROVIDERS


def info(mime: str, size: int, width: int | None = None, height: int | None = None) -> MediaItem:
    found = make_sniffed(mime, "")
    return MediaItem(path=f"x.{found.extension}", mime_type=mime, media_type=found.media_type, size_bytes=size,
                     extension=found.extension, label=found.label, width=width, height=height)


def test_small_common_image_goes_as_is_everywhere_it_is_taken() -> None:
    small = info("image/png", 200_000, 800, 600)
    for backend in ("openai", "claude", "gemini", "grok", "claude_code", "demo"):
        verdict = check_for_backend(small, limits_for(backend))
        assert (verdict.action, verdict.reason, verdict.sendable) == ("as_is", "fits", True), backend


def test_image_over_the_byte_limit_is_fitted() -> None:
    verdict = check_for_backend(info("image/jpeg", 6 * MB, 1600, 1200), limits_for("claude"))
    assert verdict.action == "fit" and verdict.target_bytes == limits_for("claude").max_bytes("image")
    assert "6 MB is over claude's 5 MB limit" in verdict.reason


def test_image_over_the_side_limit_gets_target_dimensions() -> None:
    verdict = check_for_backend(info("image/jpeg", 3 * MB, 4000, 3000), limits_for("openai"))
    side = limits_for("openai").limit("image").max_side
    assert verdict.action == "fit"
    assert (verdict.target_width, verdict.target_height) == (side, side * 3 // 4)
    assert f"resized to {side}x{side * 3 // 4}" in verdict.reason


def test_image_format_not_taken_is_converted() -> None:
    verdict = check_for_backend(info("image/bmp", 100_000, 200, 100), limits_for("claude"))
    assert verdict.action == "fit" and "does not take image/bmp" in verdict.reason and "re-encoded" in verdict.reason


def test_undecodable_image_format() -> None:
    heic = info("image/heic", 2 * MB, 4000, 3000)
    assert check_for_backend(heic, limits_for("gemini")).action == "as_is"
    rejected = check_for_backend(heic, limits_for("claude"))
    assert rejected.action == "reject" and "convert it to PNG or JPEG" in rejected.reason
    assert check_for_backend(info("image/heic", 30 * MB), limits_for("gemini")).action == "upload"


def test_modality_not_taken_is_rejected_with_the_reason() -> None:
    verdict = check_for_backend(info("audio/wav", 1000), limits_for("claude"))
    assert (verdict.action, verdict.sendable) == ("reject", False)
    assert verdict.reason == "claude does not take audio"
    note = check_for_backend(info("image/png", 1000, 10, 10), limits_for("chatcompletion"))
    assert note.action == "reject" and "multimodal_capabilities" in note.reason


def test_large_video_is_uploaded_then_rejected_past_the_file_api_limit() -> None:
    gemini = limits_for("gemini")
    assert check_for_backend(info("video/mp4", 10 * MB), gemini).action == "as_is"
    upload = check_for_backend(info("video/mp4", 300 * MB), gemini)
    assert upload.action == "upload" and "over the 15 MB inline limit" in upload.reason
    too_big = check_for_backend(info("video/mp4", 3 * 1024 * MB), gemini)
    assert too_big.action == "reject" and "over gemini's 2 GB limit" in too_big.reason


def test_wrong_audio_format_for_an_override() -> None:
    openai_audio = limits_for("openai", {"input": ["image", "audio"]})
    assert check_for_backend(info("audio/mpeg", 1 * MB), openai_audio).action == "as_is"
    flac = check_for_backend(info("audio/flac", 1 * MB), openai_audio)
    assert flac.action == "reject" and "does not take audio/flac" in flac.reason


def test_per_agent_byte_override() -> None:
    strict = limits_for("gemini", {"max_bytes": {"document": "1MB"}})
    assert check_for_backend(info("application/pdf", 2 * MB), strict).action == "upload"
    assert check_for_backend(info("application/pdf", 2 * MB), limits_for("gemini")).action == "as_is"


def test_refs_without_local_bytes() -> None:
    url = MediaRef.from_url("https://example.org/cat.png")
    assert check_for_backend(url, limits_for("openai")).action == "as_is"
    assert check_for_backend(url, limits_for("claude_code")).action == "as_is"
    doc = MediaRef.from_file_id("file-1", mime_type="application/pdf")
    assert check_for_backend(doc, limits_for("grok")).action == "reject"


@pytest.mark.parametrize("n,text", [(512, "512 B"), (900 * 1024, "900 KB"), (5 * MB, "5 MB"),
                                    (int(6.2 * MB), "6.2 MB"), (2 * 1024 * MB, "2 GB")])
def test_human_size(n: int, text: str) -> None:
    assert human_size(n) == text


@pytest.mark.parametrize("backend", sorted(p.name for p in PROVIDERS.values() if p.limits.accepts("image")))
def test_fitting_an_image_makes_it_pass_its_backends_check(tmp_path, backend: str) -> None:
    """The loop the attachment bar relies on: probe -> verdict 'fit' -> fit_image -> verdict 'as_is'."""
    path = tmp_path / "huge.bmp"
    ms.noise_image((2600, 2200)).save(path)
    limits = limits_for(backend, {"max_bytes": {"image": "3MB"}})
    verdict = check_for_backend(probe(path), limits)
    assert verdict.action == "fit"
    fitted = fit_image(path, limits)
    after = probe_bytes(fitted.data, "fitted")
    assert check_for_backend(after, limits).action == "as_is", (backend, fitted.note)
    if verdict.target_width:
        assert fitted.width <= verdict.target_width and fitted.height <= verdict.target_height
