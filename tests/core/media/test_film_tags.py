"""What web players and editing suites read from a film before its pictures: the index before
the media, BT.709 colour tags, keyframes at most 2 s apart and where they were asked for. Read
back with PyAV and a box walk of our own tests' (`tests/film_file.py`), not the encoder's code."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from studio.media.decode import iter_frames
from studio.media.encode import VideoEncoder
from tests.film_file import colour_tags, keyframe_seconds, top_level, video_colr

W, H = 96, 64
SWATCHES = [(200, 40, 90), (30, 160, 220), (240, 220, 20), (128, 128, 128)]


def swatches() -> np.ndarray:
    picture = np.zeros((H, W, 3), np.uint8)
    for index, colour in enumerate(SWATCHES):
        picture[:, index * W // 4 : (index + 1) * W // 4] = colour
    return picture


@pytest.mark.parametrize(("codec", "suffix", "colr"), [("h264", ".mp4", b"nclx"),
                                                       ("prores", ".mov", b"nclc")])  # fmt: skip
def test_a_film_is_index_first_and_tagged_bt709(
    tmp_path: Path, codec: str, suffix: str, colr: bytes
) -> None:
    target = tmp_path / f"film{suffix}"
    with VideoEncoder(target, W, H, 24, codec=codec, crf=10, preset="ultrafast") as encoder:
        for _ in range(6):
            encoder.write_frame(swatches())
    kinds = top_level(target)
    assert kinds.index(b"moov") < kinds.index(b"mdat")  # plays while it downloads
    assert colour_tags(target) == ("BT709", "BT709", "ITU709", "MPEG")
    box = video_colr(target)
    assert box is not None and box.kind == colr
    assert (box.primaries, box.transfer, box.matrix) == (1, 1, 1)
    assert box.full_range in (False, None)  # limited range where the box can say it


@pytest.mark.parametrize("codec", ["h264", "prores"])
def test_the_colours_come_back_as_drawn_through_the_tags(tmp_path: Path, codec: str) -> None:
    """Encoded with the matrix the tags name: a BT.601 picture tagged BT.709 comes back with
    every swatch 10-20 levels off."""
    target = tmp_path / ("film.mp4" if codec == "h264" else "film.mov")
    with VideoEncoder(target, W, H, 24, codec=codec, crf=0, preset="ultrafast") as encoder:
        encoder.write_frame(swatches())
    (decoded,) = list(iter_frames(target))
    for index, colour in enumerate(SWATCHES):
        middle = decoded[H // 2, index * W // 4 + W // 8].astype(int)
        assert np.abs(middle - colour).max() <= 3, (colour, middle)


def test_keyframes_come_every_two_seconds_and_where_asked(tmp_path: Path) -> None:
    target = tmp_path / "keys.mp4"
    asked = {31, 77, 79}
    noise = np.random.default_rng(5)
    with VideoEncoder(target, W, H, 24, crf=30, preset="veryfast") as encoder:
        for index in range(24 * 7):  # 7 s of slowly changing texture: no scene cut
            picture = np.roll(swatches(), index, axis=1)
            picture = np.clip(picture + noise.integers(0, 8, picture.shape), 0, 255)
            encoder.write_frame(picture.astype(np.uint8), key=index in asked)
    keys = keyframe_seconds(target)
    frames = {round(t * 24) for t in keys}
    assert asked <= frames
    gaps = np.diff(keys + [7.0])
    assert keys[0] == 0.0 and gaps.max() <= 2.0 + 1e-9


def test_a_clip_encoded_into_memory_is_tagged_too(tmp_path: Path) -> None:
    """Takes are encoded into bytes (no faststart there: FFmpeg rewrites a file to move the
    index) and read back through the tags."""
    buffer = io.BytesIO()
    with VideoEncoder(buffer, W, H, 24, crf=0, preset="ultrafast", container="mp4") as encoder:
        encoder.write_frame(swatches())
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(buffer.getvalue())
    assert colour_tags(clip) == ("BT709", "BT709", "ITU709", "MPEG")
    (decoded,) = list(iter_frames(clip))
    assert np.abs(decoded.astype(int) - swatches()).max() <= 3
