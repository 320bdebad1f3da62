"""Camera-move maths: the pure functions that animate a still with a camera move.

The `camera` clip backend and the renderer (stills moved on the timeline) both use them: `ease`
(the ease-in-out curve), `move_matrix` (the 2x3 affine from the source image to the output frame
at a point of the move), `move_curve`, `render_move_frame` (and its I420 twin) and `move_frames`.

Conventions: the camera moves, the content moves the other way. A pan or dolly to the right
slides the picture to the left; a tilt up slides it down; a push in scales it up. Every frame is
warped straight from the (area-downscaled when much larger) full-resolution keyframe, never from
a previous frame, and the framing always covers the output, so no border ever shows.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from studio.domain.camera import MOVES
from studio.errors import InvalidInput

PUSH_ZOOM = 1.15  # push in / pull out: scale reached over the move at motion 1.0
PAN = 0.12  # pan: travel as a fraction of the output width
TILT = 0.10  # tilt: travel as a fraction of the output height
DOLLY = 0.12  # dolly: travel as a fraction of the width, with a slight scale
DOLLY_ZOOM = 1.04
TRACK = 0.18  # tracking: a longer lateral move with a faint walking bob
SHAKE = 0.006  # handheld: translation amplitude as a fraction of the width
SHAKE_DEGREES = 0.3
_TRANSLATE = {
    # movement: (x travel, y travel) as signed fractions; content moves against the camera
    "pan_left": (PAN, 0.0),
    "pan_right": (-PAN, 0.0),
    "dolly_left": (DOLLY, 0.0),
    "dolly_right": (-DOLLY, 0.0),
    "tilt_up": (0.0, TILT),
    "tilt_down": (0.0, -TILT),
}


def ease(t: float) -> float:
    """Ease-in-out (smoothstep) over 0..1: slow start, slow end, 0 → 0 and 1 → 1."""
    t = min(max(t, 0.0), 1.0)
    return t * t * (3.0 - 2.0 * t)


def _tracking_direction(seed: int) -> float:
    return 1.0 if np.random.default_rng([seed, 17]).random() < 0.5 else -1.0


def _shake(t: float, seed: int) -> tuple[float, float, float]:
    """Smooth deterministic noise in -1..1 for x, y and rotation: a few sines per axis."""
    rng = np.random.default_rng([seed, 29])
    freqs = rng.uniform(1.5, 7.0, (3, 3))
    phases = rng.uniform(0.0, 2 * math.pi, (3, 3))
    weights = np.array([0.55, 0.3, 0.15])
    values = (weights * np.sin(2 * math.pi * freqs * t + phases)).sum(axis=1)
    return float(values[0]), float(values[1]), float(values[2])


class _MoveState(NamedTuple):
    """The move at one point: zoom, offset (pixels) and rotation (radians), and the largest
    |offset| and |rotation| over the whole move, which decide how far the framing is enlarged
    so that the output stays covered."""

    zoom: float = 1.0
    dx: float = 0.0
    dy: float = 0.0
    rotation: float = 0.0
    reach_x: float = 0.0
    reach_y: float = 0.0
    reach_rotation: float = 0.0


def _move_state(
    movement: str, t: float, motion: float, seed: int, out_w: int, out_h: int
) -> _MoveState:
    m = max(motion, 0.0)
    if movement not in MOVES:
        raise InvalidInput(f"unknown camera move {movement!r}", f"use one of {', '.join(MOVES)}")
    if movement == "push_in":
        return _MoveState(zoom=PUSH_ZOOM ** (m * t))
    if movement == "pull_out":
        return _MoveState(zoom=PUSH_ZOOM ** (m * (1.0 - t)))
    if movement in _TRANSLATE:
        fx, fy = _TRANSLATE[movement]
        tx, ty = fx * m * out_w, fy * m * out_h
        zoom = DOLLY_ZOOM ** (m * t) if movement.startswith("dolly") else 1.0
        return _MoveState(zoom, tx * (t - 0.5), ty * (t - 0.5), 0.0, abs(tx) / 2, abs(ty) / 2)
    if movement == "tracking":
        travel = -_tracking_direction(seed) * TRACK * m * out_w
        bob = 0.004 * m * out_h
        dy = bob * math.sin(2 * math.pi * 4 * t)
        return _MoveState(1.0, travel * (t - 0.5), dy, 0.0, abs(travel) / 2, bob)
    if movement == "handheld":
        sx, sy, sr = _shake(t, seed)
        amp, rot = SHAKE * m * out_w, math.radians(SHAKE_DEGREES) * m
        return _MoveState(1.0, amp * sx, amp * sy, rot * sr, amp, amp, rot)
    return _MoveState()  # static holds the frame


def move_matrix(
    movement: str,
    t: float,
    motion: float,
    seed: int,
    src_w: int,
    src_h: int,
    out_w: int,
    out_h: int,
) -> np.ndarray:
    """The 2x3 affine that maps source pixels to output pixels at point `t` of the move.

    `t` runs from 0 (the move's first frame) to 1 (its last) and is used as given: pass
    `ease(u)` for an eased move (as `move_frames` does), u itself for constant speed. The source
    is cover-fitted to the output (centred crop) and enlarged just enough that the whole move,
    over t in 0..1, never shows past the image's edges. `motion` scales the move (1.0: a push in
    to 115 %, a pan of 12 % of the width); `seed` picks the handheld shake and the tracking
    direction.
    """
    state = _move_state(movement, t, motion, seed, out_w, out_h)
    cover = max(out_w / src_w, out_h / src_h)
    aspect = max(out_w / out_h, out_h / out_w)
    rotation_margin = math.cos(state.reach_rotation) + aspect * math.sin(state.reach_rotation)
    base = max(
        1.0,
        (out_w + 2 * state.reach_x) / (cover * src_w) * rotation_margin,
        (out_h + 2 * state.reach_y) / (cover * src_h) * rotation_margin,
    )
    scale = cover * base * state.zoom
    cos_r, sin_r = scale * math.cos(state.rotation), scale * math.sin(state.rotation)
    linear = np.array([[cos_r, -sin_r], [sin_r, cos_r]])
    src_centre = np.array([(src_w - 1) / 2, (src_h - 1) / 2])
    out_centre = np.array([(out_w - 1) / 2 + state.dx, (out_h - 1) / 2 + state.dy])
    offset = out_centre - linear @ src_centre
    return np.hstack([linear, offset[:, None]])


def matrix_scale(matrix: np.ndarray) -> float:
    """The uniform scale of an affine from `move_matrix`."""
    return float(math.sqrt(abs(np.linalg.det(matrix[:, :2]))))


def fit_source(image: np.ndarray, scale: float) -> np.ndarray:
    """Area-downscale `image` by `scale` when it is below 1 (so warps never alias); else as is."""
    import cv2

    if scale >= 1.0:
        return image
    h, w = image.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)


def render_move_frame(image: np.ndarray, matrix: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    """Warp `image` by `matrix` (from `move_matrix` for this image's size) into an out_w×out_h
    frame, bilinear. For a source much larger than the frame, shrink it first with `fit_source`
    and compute the matrix for the shrunk size, as `move_frames` does."""
    import cv2

    return cv2.warpAffine(
        image, matrix, (out_w, out_h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT101
    )


class I420Source(NamedTuple):
    """A source picture as I420 planes (BT.709 limited range, chroma at half size, centred on
    each 2x2 block of luma), for warping straight into what the H.264 encoder takes."""

    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    width: int  # the picture's size before padding to even
    height: int


def i420_source(image: np.ndarray) -> I420Source:
    """Convert an RGB uint8 picture to `I420Source` once (an odd edge is padded by repeating)."""
    import cv2

    from studio.media.colour import rgb_to_i420

    h, w = image.shape[:2]
    even = cv2.copyMakeBorder(image, 0, h % 2, 0, w % 2, cv2.BORDER_REPLICATE)
    eh, ew = even.shape[:2]
    flat = rgb_to_i420(even).reshape(-1)
    luma, chroma = eh * ew, (eh // 2) * (ew // 2)
    planes = [flat[:luma].reshape(eh, ew)]
    planes += [flat[luma + i * chroma : luma + (i + 1) * chroma].reshape(eh // 2, ew // 2)
               for i in (0, 1)]  # fmt: skip
    return I420Source(*planes, w, h)


def i420_planes(buffer: np.ndarray, width: int, height: int) -> tuple[np.ndarray, ...]:
    """Views of the Y, U and V planes inside an I420 buffer of (height*3/2, width) bytes."""
    flat = buffer.reshape(-1)
    luma, chroma = width * height, (width // 2) * (height // 2)
    return (
        flat[:luma].reshape(height, width),
        flat[luma : luma + chroma].reshape(height // 2, width // 2),
        flat[luma + chroma : luma + 2 * chroma].reshape(height // 2, width // 2),
    )


def render_move_i420(source: I420Source, matrix: np.ndarray, out_w: int, out_h: int) -> np.ndarray:
    """`render_move_frame` in I420: the planes warped by `matrix` (from `move_matrix` for the
    source's size) into an (out_h*3/2, out_w) uint8 buffer, as `colour.rgb_to_i420` lays it
    out. Half the bytes of an RGB warp, and no colour conversion afterwards; the result differs
    from converting `render_move_frame`'s output by well under a level on average."""
    import cv2

    out = np.empty((out_h * 3 // 2, out_w), np.uint8)
    y, u, v = i420_planes(out, out_w, out_h)
    flags, border = cv2.INTER_LINEAR, cv2.BORDER_REFLECT101
    cv2.warpAffine(source.y, matrix, (out_w, out_h), dst=y, flags=flags, borderMode=border)
    chroma = matrix.copy()  # chroma pixel c sits at luma 2c + 0.5
    chroma[:, 2] = (matrix[:, :2] @ (0.5, 0.5) + matrix[:, 2] - 0.5) / 2
    half = (out_w // 2, out_h // 2)
    cv2.warpAffine(source.u, chroma, half, dst=u, flags=flags, borderMode=border)
    cv2.warpAffine(source.v, chroma, half, dst=v, flags=flags, borderMode=border)
    return out


def move_progress(total: int, handles: int = 0) -> tuple[list[float], float]:
    """Per-frame t values, eased over the whole length (handles included), and the factor by which
    the move's strength must grow so that the shot's frames alone (the middle ones) cover the
    default amount: in the handles the move starts and settles."""
    if total < 1 or handles < 0 or 2 * handles >= total:
        raise InvalidInput(f"a clip of {total} frames cannot have {handles} handle frames a side")
    if total == 1:
        return [0.0], 1.0
    curve = [ease(i / (total - 1)) for i in range(total)]
    if handles == 0:
        return curve, 1.0
    first, last = curve[handles], curve[total - 1 - handles]
    span = max(last - first, 0.25)
    return curve, 1.0 / span


def move_curve(movement: str, total: int, handles: int = 0) -> tuple[list[float], float]:
    """`move_progress` as a move plays it: a handheld shake or a static hold runs at constant
    speed over the whole length, unboosted; every other move eases (see `move_progress`)."""
    curve, boost = move_progress(total, handles)
    if movement in ("handheld", "static"):
        return [i / max(total - 1, 1) for i in range(total)], 1.0
    return curve, boost


def move_frames(
    image: np.ndarray,
    movement: str,
    total: int,
    out_w: int,
    out_h: int,
    motion: float = 1.0,
    seed: int = 0,
    handles: int = 0,
) -> Iterator[np.ndarray]:
    """Yield `total` RGB frames of `image` animated by the camera move.

    The ease-in-out curve spans the whole clip, handles included, and the move is scaled so that
    the middle `total - 2*handles` frames (the shot) cover the default amount at motion 1.0; in
    the handles the move starts and settles. A handheld shake runs at constant speed.
    """
    curve, boost = move_curve(movement, total, handles)
    strength = motion * boost
    src_h, src_w = image.shape[:2]
    scales = [
        matrix_scale(move_matrix(movement, t, strength, seed, src_w, src_h, out_w, out_h))
        for t in (0.0, 0.5, 1.0)
    ]
    source = fit_source(image, max(scales))
    src_h, src_w = source.shape[:2]
    for t in curve:
        matrix = move_matrix(movement, t, strength, seed, src_w, src_h, out_w, out_h)
        yield render_move_frame(source, matrix, out_w, out_h)
