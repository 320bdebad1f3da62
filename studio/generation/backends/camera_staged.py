"""A camera clip re-rendered from a staged previz keyframe: the move is a path of the camera in
the scene plan, so a dolly or a push shows real parallax (near things sweep past, far ones
hardly move) instead of a flat warp of the picture.

The path, over the move's eased progress (`studio.media.camera.move_curve`, the same timing as
the warp): a push in or pull out travels along the view, a dolly or tracking shot across it,
each a quarter of the distance to what the camera frames at motion 1; a pan turns 8°, a tilt 6°.
A handheld shake or a static hold has no path: the camera backend warps the keyframe as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import replace

import numpy as np

from studio.generation.backends.previz import panel_layout
from studio.generation.backends.previz_draw import draw_panel
from studio.generation.requests import KeyframeRequest, Stage
from studio.media.camera import move_curve

TRAVEL = 0.25  # of the distance to the subject, at motion 1
TURN = {"pan_left": 8.0, "pan_right": -8.0}  # degrees of pan (counter-clockwise: left)
TILT = {"tilt_up": 6.0, "tilt_down": -6.0}
ALONG = {"push_in": 1.0, "pull_out": -1.0}
ACROSS = {"dolly_left": -1.0, "dolly_right": 1.0, "tracking": 1.0}
PATHS = frozenset((*TURN, *TILT, *ALONG, *ACROSS))


def subject_distance(stage: Stage) -> float:
    """Metres from the camera to the nearest figure it frames (to its nearest figure or thing
    when it frames none by name; 2 m when the scene is empty)."""
    here = np.array([stage.x, stage.y])
    framed = [f for f in stage.figures if f.name in stage.subject]
    framed += [t for t in stage.things if t.name in stage.subject]
    spots = framed or [*stage.figures, *stage.things]
    if not spots:
        return 2.0
    return max(0.3, min(float(np.hypot(*(np.array([s.x, s.y]) - here))) for s in spots))


def moved(stage: Stage, movement: str, amount: float) -> Stage:
    """The stage's camera `amount` (0 → 1, times the motion) of the way along `movement`."""
    travel = TRAVEL * subject_distance(stage) * amount
    pan = math.radians(stage.pan)
    if movement in ALONG:
        step = ALONG[movement] * travel
        return replace(stage, x=stage.x + step * math.cos(pan), y=stage.y + step * math.sin(pan))
    if movement in ACROSS:
        step = ACROSS[movement] * travel
        return replace(stage, x=stage.x + step * math.sin(pan), y=stage.y - step * math.cos(pan))
    if movement in TURN:
        return replace(stage, pan=stage.pan + TURN[movement] * amount)
    return replace(stage, tilt=stage.tilt + TILT.get(movement, 0.0) * amount)


def staged_frames(
    keyframe: KeyframeRequest,
    movement: str,
    total: int,
    width: int,
    height: int,
    motion: float = 1.0,
    handles: int = 0,
) -> Iterator[np.ndarray]:
    """Yield `total` RGB frames of the staged keyframe, each drawn from the camera where the
    move has taken it."""
    curve, boost = move_curve(movement, total, handles)
    base = replace(keyframe, width=width, height=height)
    for t in curve:
        request = replace(base, stage=moved(base.stage, movement, t * motion * boost))
        yield draw_panel(panel_layout(request), request)
