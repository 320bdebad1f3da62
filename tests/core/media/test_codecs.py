"""The codec registry drives the encoder: every registered codec writes a real file with its
container, pixel format and sound codec, decoded back with PyAV."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studio.errors import InvalidInput
from studio.media.codecs import CODECS, CONTAINERS, container_for_suffix, video_codec
from studio.media.decode import iter_frames, probe
from studio.media.encode import VideoEncoder
from studio.render.frames import RenderSettings, needs_rgb

W, H = 64, 48


@pytest.mark.parametrize("name", list(CODECS))
def test_every_registered_codec_writes_its_container_and_reads_back(tmp_path: Path, name):
    codec = CODECS[name]
    path = tmp_path / f"film{codec.suffix}"
    assert container_for_suffix(path) == codec.container
    frame = np.zeros((H, W, 3), np.uint8)
    frame[:, : W // 2] = (200, 40, 40)
    tone = np.zeros((48_000 // 4, 2), np.float32)
    with VideoEncoder(path, W, H, 24, codec=name, audio_rate=48_000) as encoder:
        for _ in range(6):
            encoder.write_frame(frame)
        encoder.write_audio(tone)
    info = probe(path)
    assert (info.frames, info.pix_fmt, info.audio_codec) == (6, codec.pix_fmt, codec.audio_codec)
    back = list(iter_frames(path))
    assert len(back) == 6 and np.abs(back[3].astype(int) - frame).mean() < 6


def test_an_unknown_codec_is_refused_naming_the_registered_ones():
    with pytest.raises(InvalidInput, match="'vp9'") as refused:
        RenderSettings(codec="vp9")
    assert all(name in str(refused.value) for name in CODECS)
    with pytest.raises(InvalidInput, match="unknown video codec"):
        video_codec("mpeg1")


def test_only_an_i420_encoder_lets_frames_skip_rgb():
    for name, codec in CODECS.items():
        assert needs_rgb(RenderSettings(codec=name)) is not codec.takes_i420
    assert all(c.container in CONTAINERS for c in CODECS.values())
