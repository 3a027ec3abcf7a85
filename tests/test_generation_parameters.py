"""Parameter mapping per backend: durations snapped or clamped to what each API takes, sizes and ratios."""

from __future__ import annotations

import pytest

from massgen.generation.config import GenerationRequest
from massgen.generation.errors import GenerationInputError
from massgen.generation.config import picture_size
from massgen.generation.video_grok import grok_seconds
from massgen.generation.video_sora import snap_seconds
from massgen.generation.video_veo import veo_seconds


@pytest.mark.parametrize("duration,expected", [(None, "4"), (1, "4"), (6, "4"), (6.5, "8"), (10, "8"), (11, "12"), (60, "12")])
def test_sora_seconds_snap_to_4_8_12(duration, expected):
    assert snap_seconds(duration) == expected


@pytest.mark.parametrize("duration,expected", [(None, 8), (1, 4), (5.4, 5), (30, 8)])
def test_veo_seconds_are_clamped(duration, expected):
    assert veo_seconds(duration) == expected


@pytest.mark.parametrize("duration,expected", [(None, 6), (0.4, 1), (9, 9), (99, 15)])
def test_grok_seconds_are_clamped(duration, expected):
    assert grok_seconds(duration) == expected


@pytest.mark.parametrize("size,ratio,expected", [
    ("640x480", None, (640, 480)), (None, "16:9", (1024, 576)), (None, "9:16", (576, 1024)),
    (None, None, (1024, 768)), ("9000x10", None, (2048, 64)),
])
def test_picture_sizes(size, ratio, expected):
    assert picture_size(size, ratio, (1024, 768)) == expected


def test_zero_duration_is_an_error_not_a_default():
    with pytest.raises(GenerationInputError, match="more than 0"):
        GenerationRequest("x", duration=0)
    assert GenerationRequest("x", duration="2.5").duration == 2.5


@pytest.mark.parametrize("field,value", [("audio_format", "ogg"), ("audio_type", "music"), ("seed", 1.5),
                                         ("seed", True), ("input_images", [3])])
def test_bad_request_fields_name_the_field(field, value):
    with pytest.raises(GenerationInputError, match=field):
        GenerationRequest("x", **{field: value})


def test_audio_takes_no_input_images():
    with pytest.raises(GenerationInputError, match="audio is made from text only"):
        GenerationRequest("hello", media_type="audio", input_images=["a.png"])
