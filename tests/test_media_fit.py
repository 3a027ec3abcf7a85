"""massgen.media.fit_image on real images made with Pillow: dimensions, byte sizes, alpha and the
output format are checked on the actual output bytes."""

from __future__ import annotations

import io
import math

import media_samples as ms
import pytest
from PIL import Image

from massgen.media import MediaError, MediaRef, fit_image, limits_for, sniff_bytes


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def assert_output(fitted, max_bytes=None, max_side=None, max_pixels=None) -> Image.Image:
    """The output is what it says: its sniffed type, its real dimensions, and within the limits."""
    assert sniff_bytes(fitted.data).mime_type == fitted.mime_type
    image = decoded(fitted.data)
    assert image.size == (fitted.width, fitted.height)
    assert fitted.size_bytes == len(fitted.data)
    if max_bytes is not None:
        assert len(fitted.data) <= max_bytes
    if max_side is not None:
        assert max(image.size) <= max_side
    if max_pixels is not None:
        assert image.width * image.height <= max_pixels
    return image


def test_an_image_that_fits_is_sent_unchanged(tmp_path) -> None:
    path = tmp_path / "small.png"
    path.write_bytes(ms.image_bytes("PNG", (120, 80)))
    fitted = fit_image(path, 1_000_000, max_pixels=1_000_000, max_side=1000, accepted_mimes={"image/png"})
    assert not fitted.changed and fitted.data == path.read_bytes()
    assert (fitted.width, fitted.height, fitted.original_size) == (120, 80, (120, 80))


def test_downscale_to_max_side_keeps_aspect(tmp_path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(ms.photo_jpeg((1600, 1200)))
    fitted = fit_image(path, 10_000_000, max_side=400)
    assert_output(fitted, max_side=400)
    assert (fitted.width, fitted.height) == (400, 300)
    assert fitted.changed and fitted.original_size == (1600, 1200) and fitted.mime_type == "image/jpeg"
    assert "downscaled 1600x1200 -> 400x300" in fitted.note


def test_downscale_to_max_pixels(tmp_path) -> None:
    path = tmp_path / "wide.png"
    ms.noise_image((900, 300)).save(path)
    fitted = fit_image(path, None, max_pixels=30_000)
    image = assert_output(fitted, max_pixels=30_000)
    assert math.isclose(image.width / image.height, 3.0, rel_tol=0.02)
    assert image.width * image.height > 0.95 * 30_000  # as large as the limit allows


def test_byte_limit_on_incompressible_pixels(tmp_path) -> None:
    path = tmp_path / "noise.png"
    ms.noise_image((1000, 800)).save(path)
    assert path.stat().st_size > 2_000_000
    fitted = fit_image(path, 150_000)
    assert_output(fitted, max_bytes=150_000)
    assert fitted.mime_type == "image/jpeg" and fitted.width < 1000
    assert math.isclose(fitted.width / fitted.height, 1.25, rel_tol=0.02)


def test_alpha_is_kept_where_the_format_allows(tmp_path) -> None:
    image = ms.noise_image((600, 400)).convert("RGBA")  # opaque noise ...
    image.paste((0, 0, 0, 0), (0, 0, 100, 100))  # ... with a fully transparent corner
    path = tmp_path / "logo.png"
    image.save(path)
    fitted = fit_image(path, 120_000, max_side=500, accepted_mimes={"image/png", "image/webp", "image/jpeg"})
    out = assert_output(fitted, max_bytes=120_000, max_side=500)
    assert fitted.mime_type in ("image/png", "image/webp")
    assert "A" in out.mode and out.convert("RGBA").getpixel((5, 5))[3] == 0
    assert out.convert("RGBA").getpixel((out.width - 5, out.height - 5))[3] == 255


def test_alpha_is_flattened_onto_white_when_only_jpeg_is_accepted(tmp_path) -> None:
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (200, 0, 400, 300))
    path = tmp_path / "sticker.png"
    image.save(path)
    fitted = fit_image(path, 1_000_000, accepted_mimes={"image/jpeg"})
    out = assert_output(fitted)
    assert fitted.mime_type == "image/jpeg" and out.mode == "RGB"
    assert min(out.getpixel((20, 20))) > 240  # transparent became white, not black
    red = out.getpixel((380, 150))
    assert red[0] > 170 and red[1] < 50


def test_palette_transparency_is_alpha(tmp_path) -> None:
    image = Image.new("P", (300, 200), 1)
    image.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 50, 50))
    path = tmp_path / "icon.gif"
    image.save(path, transparency=0)
    fitted = fit_image(path, None, max_side=150, accepted_mimes={"image/png"})
    out = assert_output(fitted, max_side=150).convert("RGBA")
    assert fitted.mime_type == "image/png" and out.getpixel((3, 3))[3] == 0 and out.getpixel((140, 90))[3] == 255


def test_unaccepted_format_is_converted_without_resizing(tmp_path) -> None:
    path = tmp_path / "scan.bmp"
    Image.new("RGB", (300, 200), (10, 120, 240)).save(path)
    fitted = fit_image(path, 5_000_000, accepted_mimes={"image/png", "image/jpeg"})
    out = assert_output(fitted)
    assert fitted.mime_type == "image/png" and out.size == (300, 200) and out.getpixel((5, 5)) == (10, 120, 240)


def test_exif_orientation_is_applied(tmp_path) -> None:
    image = Image.new("RGB", (400, 200), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, 200, 200))  # left half red as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # display rotated 90 degrees clockwise
    path = tmp_path / "phone.jpg"
    image.save(path, exif=exif, quality=95)
    fitted = fit_image(path, None, max_side=100)
    out = assert_output(fitted, max_side=100)
    assert out.size == (50, 100)  # upright: portrait
    top, bottom = out.getpixel((25, 10)), out.getpixel((25, 90))
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60


def test_16_bit_greyscale_is_scaled_not_clipped(tmp_path) -> None:
    path = tmp_path / "depth.png"
    Image.new("I;16", (200, 100), 30000).save(path)
    fitted = fit_image(path, None, max_side=50, accepted_mimes={"image/png"})
    out = assert_output(fitted, max_side=50)
    assert abs(out.convert("L").getpixel((10, 10)) - 30000 // 256) <= 2


def test_cmyk_jpeg_becomes_rgb(tmp_path) -> None:
    path = tmp_path / "print.jpg"
    Image.new("CMYK", (400, 400), (0, 255, 255, 0)).save(path, quality=95)
    fitted = fit_image(path, None, max_side=200)
    out = assert_output(fitted, max_side=200)
    assert out.mode == "RGB" and out.getpixel((100, 100))[0] > 200 and out.getpixel((100, 100))[1] < 60


def test_animated_gif_keeps_its_first_frame(tmp_path) -> None:
    frames = [Image.new("RGB", (200, 200), c) for c in ((250, 0, 0), (0, 250, 0))]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100)
    fitted = fit_image(path, None, max_side=100, accepted_mimes={"image/png", "image/jpeg"})
    out = assert_output(fitted, max_side=100).convert("RGB")
    assert out.getpixel((50, 50))[0] > 200 and out.getpixel((50, 50))[1] < 50


def test_big_jpeg_uses_draft_decoding(tmp_path) -> None:
    path = tmp_path / "large.jpg"
    path.write_bytes(ms.photo_jpeg((4000, 3000), quality=80))
    fitted = fit_image(path, 2_000_000, max_side=500)
    assert_output(fitted, max_bytes=2_000_000, max_side=500)
    assert (fitted.width, fitted.height) == (500, 375)


def test_limits_objects_are_accepted(tmp_path) -> None:
    path = tmp_path / "pic.webp"
    ms.noise_image((300, 200)).save(path, quality=90)
    grok = limits_for("grok")
    fitted = fit_image(path, grok)
    assert fitted.mime_type in grok.limit("image").mime_types
    assert fitted.size_bytes <= grok.max_bytes("image")
    assert fit_image(path, limits_for("gemini").limit("image")).changed is False
    with pytest.raises(MediaError, match="takes no image input"):
        fit_image(path, limits_for("chatcompletion"))


def test_sources_may_be_bytes_or_refs() -> None:
    data = ms.image_bytes("PNG", (300, 300))
    for source in (data, MediaRef.from_bytes(data), MediaRef.from_base64(MediaRef.from_bytes(data).base64())):
        fitted = fit_image(source, None, max_side=30)
        assert (fitted.width, fitted.height) == (30, 30)


# -- bad input ----------------------------------------------------------------------------------


def test_decompression_bomb_is_refused(tmp_path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(ms.png_bomb(20000, 20000))
    with pytest.raises(MediaError, match="bomb.png: image has 400,000,000 pixels.*decompression bomb"):
        fit_image(path, 1_000_000)


def test_damaged_pixel_data_is_found_when_decoding(tmp_path) -> None:
    data = bytearray(ms.image_bytes("PNG", (300, 300), color=(1, 2, 3)))
    at = data.index(b"IDAT")
    data[at + 10 : at + 30] = b"\x55" * 20
    path = tmp_path / "broken.png"
    path.write_bytes(bytes(data))
    with pytest.raises(MediaError, match="broken.png: damaged PNG image .*; re-export"):
        fit_image(path, None, max_side=100)


def test_truncated_jpeg_is_refused(tmp_path) -> None:
    data = ms.photo_jpeg((800, 600))
    path = tmp_path / "half.jpg"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError, match="half.jpg: truncated JPEG"):
        fit_image(path, None, max_side=100)


def test_not_an_image(tmp_path) -> None:
    (tmp_path / "voice.wav").write_bytes(ms.wav_bytes())
    with pytest.raises(MediaError, match="voice.wav: is not an image \\(it is a WAV audio\\)"):
        fit_image(tmp_path / "voice.wav", 1000)


def test_impossible_byte_limit(tmp_path) -> None:
    path = tmp_path / "noise.png"
    ms.noise_image((200, 200)).save(path)
    with pytest.raises(MediaError, match="cannot be made smaller than 20 bytes"):
        fit_image(path, 20)


def test_undecodable_format_passes_only_when_it_fits(tmp_path) -> None:
    path = tmp_path / "phone.heic"
    path.write_bytes(ms.ftyp(b"heic", b"mif1", b"heic") + ms.box(b"meta", b"\0" * 100))
    kept = fit_image(path, 1_000_000, accepted_mimes={"image/heic"})
    assert not kept.changed and kept.mime_type == "image/heic"
    with pytest.raises(MediaError, match="phone.heic: an HEIC image cannot be converted here; convert it"):
        fit_image(path, 1_000_000, accepted_mimes={"image/jpeg"})


def test_url_refs_cannot_be_fitted() -> None:
    with pytest.raises(MediaError, match="not local image data"):
        fit_image(MediaRef.from_url("https://example.org/a.png"), 1000)
