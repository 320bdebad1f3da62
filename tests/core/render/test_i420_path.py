"""The I420 fast path: moved stills warped in YUV planes and handed to x264 without RGB work."""

from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from studio.domain.camera import CameraMove
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, Track
from studio.errors import InvalidInput
from studio.media.camera import (
    i420_source,
    move_matrix,
    render_move_frame,
    render_move_i420,
)
from studio.media.colour import rgb_to_i420
from studio.media.decode import encode_png
from studio.media.encode import VideoEncoder
from studio.render.frames import RenderSettings, iter_timeline_frames
from studio.render.pipeline import render_timeline

W, H = 128, 96


def textured(height: int, width: int) -> np.ndarray:
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([xx * 255 // width, yy * 255 // height, (xx * yy) % 256], axis=2)
    noise = np.random.default_rng(3).integers(0, 40, (height, width, 3))
    return cv2.GaussianBlur((base + noise).clip(0, 255).astype(np.uint8), (0, 0), 1.5)


@pytest.mark.parametrize("size", [(200, 150), (201, 151)])  # odd sizes are padded
@pytest.mark.parametrize("movement", ["push_in", "pan_left", "handheld"])
def test_the_i420_warp_matches_the_rgb_warp_converted(size: tuple[int, int], movement: str) -> None:
    image = textured(size[1], size[0])
    source = i420_source(image)
    for t in (0.0, 0.4, 1.0):
        matrix = move_matrix(movement, t, 1.0, 2, size[0], size[1], W, H)
        expected = rgb_to_i420(render_move_frame(image, matrix, W, H))
        got = render_move_i420(source, matrix, W, H)
        assert got.shape == (H * 3 // 2, W) and got.dtype == np.uint8
        difference = np.abs(got.astype(np.int16) - expected).astype(np.float64)
        assert difference[:H].mean() < 0.5  # luma: the same bilinear warp
        assert difference.mean() < 1.0


def test_write_i420_encodes_the_planes_and_refuses_wrong_shapes(tmp_path: Path) -> None:
    pictures = [textured(H, W), np.full((H, W, 3), (200, 40, 90), np.uint8)]
    target = tmp_path / "planes.mp4"
    with VideoEncoder(target, W, H, 24, crf=0, preset="ultrafast") as encoder:
        for picture in pictures:
            encoder.write_i420(rgb_to_i420(picture))
        with pytest.raises(InvalidInput, match="I420 frame 2"):
            encoder.write_i420(np.zeros((H, W), np.uint8))
    with av.open(str(target)) as container:
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(decoded) == 2
    for got, picture in zip(decoded, pictures, strict=True):
        assert np.abs(got.astype(np.int16) - picture).mean() < 4  # 4:2:0 on texture
    with VideoEncoder(tmp_path / "p.mov", W, H, 24, codec="prores") as prores:
        with pytest.raises(InvalidInput, match="RGB frames"):
            prores.write_i420(np.zeros((H * 3 // 2, W), np.uint8))
        prores.write_frame(pictures[0])


def test_x264_runs_frame_threads_as_the_ffmpeg_cli_does(tmp_path: Path) -> None:
    target = tmp_path / "threads.mp4"
    with VideoEncoder(target, W, H, 24, crf=20, preset="veryfast") as encoder:
        for _ in range(3):
            encoder.write_frame(textured(H, W))
    options = target.read_bytes().split(b"options: ")[1][:2000]  # x264's SEI settings
    assert b"sliced_threads=0" in options and b"crf=20.0" in options


def moved_timeline(tmp_path: Path):
    class Media:
        def path(self, asset_id: int) -> Path:
            return tmp_path / "kf.png"

        def kind(self, asset_id: int) -> str:
            return "image"

    (tmp_path / "kf.png").write_bytes(encode_png(textured(150, 200)))
    rate = lambda n: RationalTime(n, 24)  # noqa: E731
    move = CameraMove("push_in", 1.0, 4, 3)
    clip = Clip("m", TimeRange(rate(3), rate(12)), 1, media_duration=rate(18),
                move=move, fade_out=4)  # fmt: skip
    return Timeline("moved", 24, (Track("V1", "video", (clip,)),)), Media()


def test_a_rendered_move_matches_the_rgb_frames(tmp_path: Path) -> None:
    """The render takes the I420 path for the unfaded frames and RGB for the fade: both decode
    back to the RGB frames within a couple of levels."""
    tl, media = moved_timeline(tmp_path)
    settings = RenderSettings(width=W, height=H, crf=0, preset="ultrafast")
    expected = list(iter_timeline_frames(tl, media, settings))
    render_timeline(tl, media, settings, tmp_path / "film.mp4")
    with av.open(str(tmp_path / "film.mp4")) as container:
        decoded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    assert len(decoded) == len(expected) == 12
    errors = [np.abs(a.astype(np.int16) - b).mean() for a, b in zip(decoded, expected, strict=True)]
    assert max(errors) < 3.0
    assert decoded[-1].mean() < decoded[0].mean() - 20  # the fade out went through RGB
