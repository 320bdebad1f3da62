"""The camera backend and its pure move functions, measured on real frames and a real MP4."""

from __future__ import annotations

import hashlib
import math

import cv2
import numpy as np
import pytest

from studio.errors import Cancelled, InvalidInput
from studio.generation.backends.base import registry
from studio.generation.backends.camera import CameraBackend
from studio.generation.requests import ClipRequest
from studio.media.camera import (
    MOVES,
    ease,
    matrix_scale,
    move_frames,
    move_matrix,
    move_progress,
    render_move_frame,
)
from studio.media.decode import encode_png, iter_frames, probe
from studio.progress import JobContext, Progress

OUT_W, OUT_H = 192, 108


@pytest.fixture(scope="module")
def texture() -> np.ndarray:
    """A blurred-noise keyframe, 480x270: every region is distinct, so shifts can be measured."""
    rng = np.random.default_rng(5)
    noise = rng.integers(0, 256, (270, 480, 3), dtype=np.uint8)
    return cv2.normalize(cv2.GaussianBlur(noise, (0, 0), 2.5), None, 0, 255, cv2.NORM_MINMAX)


@pytest.fixture(scope="module")
def disc() -> np.ndarray:
    """A black disc on white, centred: its measured radius gives the scale of a frame."""
    image = np.full((270, 480, 3), 255, np.uint8)
    cv2.circle(image, (240, 135), 60, (0, 0, 0), -1, cv2.LINE_AA)
    return image


def keyframe(image: np.ndarray) -> tuple[str, bytes]:
    png = encode_png(image)
    return hashlib.sha256(png).hexdigest(), png


def shift(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """How far the content moved from frame a to frame b, in pixels (x right, y down)."""
    grey = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY).astype(np.float32) for f in (a, b)]
    (dx, dy), _ = cv2.phaseCorrelate(grey[0], grey[1])
    return dx, dy


def disc_radius(frame: np.ndarray) -> float:
    dark = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) < 128
    return math.sqrt(dark.sum() / math.pi)


def disc_centre_x(frame: np.ndarray) -> float:
    return float(np.nonzero(cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY) < 128)[1].mean())


def test_ease_is_an_ease_in_out_curve() -> None:
    assert (ease(0.0), ease(0.5), ease(1.0)) == (0.0, 0.5, 1.0)
    values = [ease(i / 100) for i in range(101)]
    assert values == sorted(values)
    assert ease(0.01) < 0.001 and ease(0.99) > 0.999  # slow start and slow end
    assert all(abs(ease(t) + ease(1 - t) - 1) < 1e-12 for t in np.linspace(0, 1, 11))
    assert ease(-1) == 0.0 and ease(2) == 1.0


def test_a_static_matrix_cover_fits_the_source_centre_to_the_output_centre() -> None:
    matrix = move_matrix("static", 0.3, 1.0, 0, 300, 300, 320, 180)
    assert matrix.shape == (2, 3)
    centre = matrix @ np.array([149.5, 149.5, 1.0])
    assert np.allclose(centre, [159.5, 89.5])
    assert matrix_scale(matrix) == pytest.approx(320 / 300)  # cover: the width decides


@pytest.mark.parametrize("movement", MOVES)
def test_no_move_ever_shows_past_the_image_edges(movement: str) -> None:
    for src_w, src_h in ((480, 270), (300, 400), (1000, 200)):
        for t in np.linspace(0, 1, 9):
            matrix = move_matrix(movement, t, 2.5, 3, src_w, src_h, OUT_W, OUT_H)
            inverse = cv2.invertAffineTransform(matrix)
            corners = np.array(
                [(0, 0, 1), (OUT_W - 1, 0, 1), (0, OUT_H - 1, 1), (OUT_W - 1, OUT_H - 1, 1)],
                dtype=float,
            )
            xs, ys = inverse @ corners.T
            assert xs.min() >= -0.01 and xs.max() <= src_w - 1 + 0.01
            assert ys.min() >= -0.01 and ys.max() <= src_h - 1 + 0.01


@pytest.mark.parametrize(
    "movement,dx,dy",
    [("pan_right", -1, 0), ("pan_left", 1, 0), ("tilt_up", 0, 1), ("tilt_down", 0, -1)],
)
def test_pans_and_tilts_move_the_content_against_the_camera(
    texture: np.ndarray, movement: str, dx: int, dy: int
) -> None:
    frames = list(move_frames(texture, movement, 32, OUT_W, OUT_H, handles=4))
    moved_x, moved_y = shift(frames[4], frames[27])  # the shot's first and last frames
    expected_x = dx * 0.12 * OUT_W
    expected_y = dy * 0.10 * OUT_H
    assert moved_x == pytest.approx(expected_x, abs=0.1 * OUT_W * 0.12 + 0.5)
    assert moved_y == pytest.approx(expected_y, abs=0.1 * OUT_H * 0.10 + 0.5)


def test_motion_scales_the_move(texture: np.ndarray) -> None:
    def travel(motion: float) -> float:
        frames = list(move_frames(texture, "pan_right", 20, OUT_W, OUT_H, motion=motion))
        return shift(frames[0], frames[-1])[0]

    assert travel(2.0) == pytest.approx(2 * travel(1.0), rel=0.1)
    assert abs(travel(0.0)) < 0.5


def test_push_in_scales_up_to_115_percent_and_pull_out_down(disc: np.ndarray) -> None:
    push = list(move_frames(disc, "push_in", 30, OUT_W, OUT_H, handles=3))
    assert disc_radius(push[26]) / disc_radius(push[3]) == pytest.approx(1.15, abs=0.03)
    pull = list(move_frames(disc, "pull_out", 30, OUT_W, OUT_H, handles=3))
    assert disc_radius(pull[26]) / disc_radius(pull[3]) == pytest.approx(1 / 1.15, abs=0.03)
    radii = [disc_radius(f) for f in push]
    assert radii == sorted(radii)  # never back and forth


def test_dollies_slide_with_a_slight_scale(disc: np.ndarray) -> None:
    right = list(move_frames(disc, "dolly_right", 24, OUT_W, OUT_H))
    left = list(move_frames(disc, "dolly_left", 24, OUT_W, OUT_H))
    assert disc_centre_x(right[-1]) < disc_centre_x(right[0]) - 0.08 * OUT_W
    assert disc_centre_x(left[-1]) > disc_centre_x(left[0]) + 0.08 * OUT_W
    assert 1.02 < disc_radius(right[-1]) / disc_radius(right[0]) < 1.07


def test_tracking_is_a_long_lateral_move(texture: np.ndarray) -> None:
    frames = list(move_frames(texture, "tracking", 24, OUT_W, OUT_H, seed=1))
    moved_x, moved_y = shift(frames[0], frames[-1])
    assert abs(moved_x) == pytest.approx(0.18 * OUT_W, rel=0.1)
    assert abs(moved_y) < 2


def test_handheld_frames_differ_but_stay_close_and_repeat_by_seed(texture: np.ndarray) -> None:
    frames = list(move_frames(texture, "handheld", 24, OUT_W, OUT_H, seed=9))
    assert len({f.tobytes() for f in frames}) == 24
    for frame in frames[1:]:
        moved_x, moved_y = shift(frames[0], frame)
        assert math.hypot(moved_x, moved_y) < 0.03 * OUT_W
    again = list(move_frames(texture, "handheld", 24, OUT_W, OUT_H, seed=9))
    assert all(np.array_equal(a, b) for a, b in zip(frames, again, strict=True))
    other = list(move_frames(texture, "handheld", 24, OUT_W, OUT_H, seed=10))
    assert not np.array_equal(frames[12], other[12])


def test_static_holds_the_frame(texture: np.ndarray) -> None:
    frames = list(move_frames(texture, "static", 10, OUT_W, OUT_H, handles=2))
    assert len(frames) == 10 and all(np.array_equal(frames[0], f) for f in frames)
    assert frames[0].shape == (OUT_H, OUT_W, 3)


def test_the_easing_spans_the_handles_so_the_move_settles_in_them() -> None:
    curve, boost = move_progress(40, handles=8)
    steps = np.diff(curve)
    assert steps[0] < steps[19] / 5 and steps[-1] < steps[19] / 5  # slow at both ends
    assert curve[8] > 0 and curve[31] < 1  # the shot is inside the move, the handles continue it
    assert boost * (curve[31] - curve[8]) == pytest.approx(1.0)
    assert move_progress(5) == ([0.0, ease(0.25), 0.5, ease(0.75), 1.0], 1.0)
    with pytest.raises(InvalidInput, match="handle"):
        move_progress(10, handles=5)


def test_a_large_keyframe_is_area_downscaled_not_aliased() -> None:
    checker = (np.indices((1070, 1900)).sum(axis=0) % 2 * 255).astype(np.uint8)
    image = cv2.merge([checker] * 3)  # a one-pixel checker: grey once properly averaged
    (frame,) = move_frames(image, "static", 1, 320, 180)
    assert abs(float(frame.mean()) - 127.5) < 3 and frame.std() < 6
    matrix = move_matrix("static", 0, 1, 0, 1900, 1070, 320, 180)
    naive = render_move_frame(image, matrix, 320, 180)
    assert naive.std() > 30  # what a plain warp of the full-size checker would give


def clip_request(sha: str, **changes: object) -> ClipRequest:
    base = dict(
        source_keyframe=sha,
        movement="pan_right",
        frames=16,
        handles=3,
        fps=24,
        width=OUT_W,
        height=OUT_H,
    )
    return ClipRequest(**(base | changes))


def test_the_backend_encodes_an_mp4_with_handles_and_the_move(texture: np.ndarray) -> None:
    sha, png = keyframe(texture)
    seen: list[Progress] = []
    result = CameraBackend().generate(clip_request(sha), {sha: png}, JobContext(seen.append))

    assert (result.extension, result.mime, result.frames, result.fps) == (
        ".mp4",
        "video/mp4",
        22,
        24,
    )
    assert (result.width, result.height) == (OUT_W, OUT_H)
    assert result.duration_seconds == pytest.approx(22 / 24)
    info = probe(result.data)
    assert (info.frames, info.fps, info.width, info.height) == (22, 24, OUT_W, OUT_H)
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    frames = list(iter_frames(result.data))
    assert len(frames) == 16 + 2 * 3
    moved_x, _ = shift(frames[3], frames[18])  # first and last frames of the shot
    assert moved_x == pytest.approx(-0.12 * OUT_W, abs=3)
    assert len(seen) >= 3 and seen[-1].fraction == 1.0


def test_a_corrupt_or_missing_keyframe_names_its_sha256() -> None:
    sha = hashlib.sha256(b"not an image").hexdigest()
    with pytest.raises(InvalidInput, match=sha):
        CameraBackend().generate(clip_request(sha), {sha: b"not an image"}, JobContext())
    with pytest.raises(InvalidInput, match=sha):
        CameraBackend().generate(clip_request(sha), {}, JobContext())


def test_cancelling_mid_clip_raises_cancelled(texture: np.ndarray) -> None:
    sha, png = keyframe(texture)
    checks: list[int] = []

    def cancelled_after_five() -> bool:
        checks.append(1)
        return len(checks) > 5

    ctx = JobContext(is_cancelled=cancelled_after_five)
    with pytest.raises(Cancelled):
        CameraBackend().generate(clip_request(sha, frames=60), {sha: png}, ctx)
    assert len(checks) == 6  # it stopped at the first check after the cancel, mid-clip


def test_bad_requests_are_refused(texture: np.ndarray) -> None:
    sha, png = keyframe(texture)
    for changes, words in [
        ({"movement": "crane"}, "camera move"),
        ({"width": 191}, "even"),
        ({"frames": 0}, "not possible"),
        ({"motion": -1.0}, "not possible"),
    ]:
        with pytest.raises(InvalidInput, match=words):
            CameraBackend().generate(clip_request(sha, **changes), {sha: png}, JobContext())


def test_the_registry_finds_camera_as_a_clip_backend() -> None:
    backend = registry.get("camera")
    assert (backend.name, backend.version, backend.capabilities.kind) == ("camera", "2", "clip")
    assert not backend.capabilities.needs_gpu
