"""The built-in `previz` keyframe backend: a pencil storyboard panel drawn from the shot.

No model and no GPU: numpy and OpenCV draw the panel in a few milliseconds. `panel_layout` is a
pure function that decides where everything goes (figure boxes by shot size and blocking, poses
read from the shot's words by `previz_pose`, the horizon by camera angle, props by seed and
INT/EXT, arrows for the camera move) as the dataclasses of `previz_layout`;
`studio.generation.backends.previz_draw` turns a layout into pixels. The same request always
gives the same pixels; the seed varies the composition.
"""

from __future__ import annotations

import math
import re

import numpy as np

from studio.domain.camera import MOVES
from studio.errors import InvalidInput
from studio.generation.backends.base import Capabilities
from studio.generation.backends.previz_body import DROP
from studio.generation.backends.previz_layout import (
    ArrowLayout,
    FigureLayout,
    Layout,
    Point,
    PropLayout,
)
from studio.generation.backends.previz_pencil import parse_colour
from studio.generation.backends.previz_pose import Pose, infer_poses
from studio.generation.backends.previz_staged import staged_layout
from studio.generation.requests import Figure, GenerationResult, KeyframeRequest, Request
from studio.progress import JobContext

# Shot size → (figure height, head top) as fractions of the picture height. For EWS and WS the
# head top is None: the feet stand on the ground between the horizon and the frame's bottom.
SIZES: dict[str, tuple[float, float | None]] = {
    "EWS": (0.10, None),
    "WS": (0.30, None),
    "FS": (0.80, 0.10),
    "MWS": (1.25, 0.08),
    "MS": (1.90, 0.08),
    "MCU": (2.70, 0.07),
    "CU": (4.20, 0.06),
    "ECU": (12.0, -0.33),
    "INSERT": (0.0, None),
}
_GROUND_DEPTH = {"EWS": 0.35, "WS": 0.6}
ANGLES = ("eye", "low", "high", "overhead", "dutch", "pov")
_HORIZON = {"eye": 0.5, "pov": 0.5, "dutch": 0.5, "low": 0.78, "high": 0.22}
INTERIOR_PROPS = ("window", "door", "table")
EXTERIOR_PROPS = ("mountains", "tree", "tree")


def _where(request: KeyframeRequest) -> str:
    return f"shot {request.shot_number}" if request.shot_number else "previz panel"


def validate(request: KeyframeRequest) -> None:
    """Raise InvalidInput for a size, angle, move or picture size the panel cannot draw."""
    checks = (("shot size", request.size, tuple(SIZES)), ("camera angle", request.angle, ANGLES))
    checks += (("camera move", request.movement, MOVES),)
    for what, value, allowed in checks:
        if value not in allowed:
            raise InvalidInput(
                f"{_where(request)}: unknown {what} {value!r}", f"use one of {', '.join(allowed)}"
            )
    if not (32 <= request.width <= 8192 and 32 <= request.height <= 8192):
        raise InvalidInput(
            f"{_where(request)}: panel size {request.width}x{request.height} is out of range",
            "use 32 to 8192 pixels a side",
        )


def caption_height(width: int, height: int) -> int:
    """Height of the caption band at the bottom of a panel."""
    return max(16, round(min(height * 0.17, width * 0.1)))


def is_interior(description: str, rng: np.random.Generator, setting: str = "") -> bool:
    """The scene's setting (INT/EXT) decides, else INT/EXT words in the description, else the
    seed."""
    if setting.upper().startswith(("INT", "I/E")):
        return True
    if setting.upper().startswith(("EXT", "EST")):
        return False
    has_int = re.search(r"\b(INT|INTERIOR|INSIDE)\b", description, re.IGNORECASE) is not None
    has_ext = re.search(r"\b(EXT|EXTERIOR|OUTSIDE)\b", description, re.IGNORECASE) is not None
    if has_int != has_ext:
        return has_int
    return bool(rng.random() < 0.5)


def _horizon(angle: str, width: int, ph: int, rng: np.random.Generator) -> tuple[Point, Point]:
    y = ph * (_HORIZON[angle] + rng.uniform(-0.04, 0.04))
    tilt = 0.0
    if angle == "dutch":
        tilt = math.radians(rng.uniform(8, 14)) * (1 if rng.random() < 0.5 else -1)
    dy = math.tan(tilt) * width / 2
    return ((0.0, y - dy), (float(width), y + dy))


def _figure(
    figure: Figure,
    index: int,
    request: KeyframeRequest,
    ph: int,
    horizon: tuple[Point, Point],
    poses: tuple[Pose, ...],
) -> FigureLayout:
    rng = np.random.default_rng([request.seed, figure.seed, index])
    size_frac, top_frac = SIZES[request.size]
    height = size_frac * ph * rng.uniform(0.93, 1.05)
    cx = (min(max(figure.x, 0.0), 1.0) + rng.normal(0, 0.015)) * request.width
    view = {"low": 1.0, "high": -1.0}.get(request.angle, 0.0)
    arms = (float(rng.uniform(0.05, 0.6)), float(rng.uniform(0.05, 0.6)))
    colour = parse_colour(figure.colour)
    pose = poses[index]
    if request.angle == "overhead":
        height = min(height, 1.6 * ph)
        cy = ph * (0.5 + rng.uniform(-0.15, 0.15))
        return FigureLayout(
            figure.name, colour, cx, cy - height * 0.1, height, arms, -1.0, True, pose
        )
    if top_frac is None:
        (x0, y0), (x1, y1) = horizon
        horizon_y = y0 + (y1 - y0) * (cx - x0) / (x1 - x0)
        feet = horizon_y + (ph - horizon_y) * _GROUND_DEPTH[request.size] * rng.uniform(0.85, 1.15)
        top = min(feet, ph * 0.97) - height
    else:
        top = _reframe(pose, poses, (top_frac + rng.uniform(-0.02, 0.02)) * ph, height, ph)
    return FigureLayout(figure.name, colour, cx, top, height, arms, view, pose=pose)


def _reframe(pose: Pose, poses: tuple[Pose, ...], top: float, height: float, ph: int) -> float:
    """Where a framed figure's standing head top goes when every figure is low: the camera
    frames seated (kneeling) heads as it frames standing ones, and puts lying figures' floor low
    in the frame. Where stances mix, the floor stays, so a seated head is lower than a standing
    one."""
    if any(p.stance != pose.stance for p in poses):
        return top
    if pose.stance == "lying":
        return ph * 0.85 - height
    return top - DROP.get(pose.stance, 0.0) * height


def _props(
    request: KeyframeRequest, interior: bool, ph: int, horizon_y: float, rng: np.random.Generator
) -> tuple[PropLayout, ...]:
    w = request.width
    if request.size == "INSERT":
        kind = ("cup", "letter", "key", "phone")[int(rng.integers(4))]
        cx, cy = w * rng.uniform(0.4, 0.6), ph * rng.uniform(0.45, 0.55)
        half_w, half_h = w * 0.22, ph * 0.3
        return (PropLayout(f"insert-{kind}", (cx - half_w, cy - half_h, cx + half_w, cy + half_h)),)
    scale = min(SIZES[request.size][0], 1.2) / 1.2  # background props grow with the shot size
    pool = INTERIOR_PROPS if interior else EXTERIOR_PROPS
    count = int(rng.integers(1, 4))
    props = []
    for kind in rng.choice(pool, size=count, replace=True):
        cx = w * rng.uniform(0.08, 0.92)
        if kind == "mountains":
            peak = horizon_y - ph * rng.uniform(0.12, 0.3)
            box = (cx - w * 0.35, peak, cx + w * 0.35, horizon_y)
        elif kind == "tree":
            tree_h = ph * (0.25 + 0.6 * scale) * rng.uniform(0.8, 1.2)
            base = horizon_y + ph * 0.05
            box = (cx - tree_h * 0.25, base - tree_h, cx + tree_h * 0.25, base)
        elif kind == "window":
            win_w, win_h = w * (0.1 + 0.12 * scale), ph * (0.18 + 0.25 * scale)
            bottom = horizon_y - ph * 0.12
            box = (cx - win_w / 2, bottom - win_h, cx + win_w / 2, bottom)
        elif kind == "door":
            door_h = ph * (0.3 + 0.6 * scale)
            box = (cx - door_h * 0.22, horizon_y - door_h, cx + door_h * 0.22, horizon_y)
        else:  # table
            table_w, table_h = w * (0.15 + 0.2 * scale), ph * (0.08 + 0.2 * scale)
            top = min(horizon_y + ph * 0.08, ph * 0.85)
            box = (cx - table_w / 2, top, cx + table_w / 2, top + table_h)
        props.append(PropLayout(str(kind), tuple(float(v) for v in box)))
    return tuple(props)


def move_arrows(movement: str, width: int, ph: int) -> tuple[ArrowLayout, ...]:
    """Arrows that show the camera move on the panel."""
    w, m = float(width), min(width, ph) * 0.06
    cx, cy = w / 2, ph / 2
    corners = ((m, m), (w - m, m), (m, ph - m), (w - m, ph - m))
    inner = [(x + (cx - x) * 0.22, y + (cy - y) * 0.22) for x, y in corners]
    row, col = ph * 0.14, w * 0.92
    table: dict[str, tuple[ArrowLayout, ...]] = {
        "static": (),
        "push_in": tuple(ArrowLayout(c, i) for c, i in zip(corners, inner, strict=True)),
        "pull_out": tuple(ArrowLayout(i, c) for c, i in zip(corners, inner, strict=True)),
        "pan_left": (ArrowLayout((w * 0.62, row), (w * 0.38, row)),),
        "pan_right": (ArrowLayout((w * 0.38, row), (w * 0.62, row)),),
        "dolly_left": (ArrowLayout((w * 0.66, row), (w * 0.34, row)),),
        "dolly_right": (ArrowLayout((w * 0.34, row), (w * 0.66, row)),),
        "tilt_up": (ArrowLayout((col, ph * 0.62), (col, ph * 0.38)),),
        "tilt_down": (ArrowLayout((col, ph * 0.38), (col, ph * 0.62)),),
        "tracking": (ArrowLayout((w * 0.1, ph * 0.9), (w * 0.9, ph * 0.9), "dashed"),),
        "handheld": (ArrowLayout((w * 0.8, ph * 0.08), (w * 0.95, ph * 0.08), "squiggle"),),
    }
    return table[movement]


def panel_layout(request: KeyframeRequest) -> Layout:
    """Decide where everything in the panel goes. Pure: the same request, the same layout."""
    validate(request)
    rng = np.random.default_rng(request.seed)
    ph = request.height - caption_height(request.width, request.height)
    frame = dict(
        width=request.width,
        height=request.height,
        picture_height=ph,
        size=request.size,
        angle=request.angle,
        movement=request.movement,
        arrows=move_arrows(request.movement, request.width, ph),
    )
    if request.stage is not None:
        return Layout(
            **frame,
            interior=request.stage.set.interior,
            horizon=None,
            figures=(),
            props=(),
            staged=staged_layout(request, ph),
            lens=round(request.stage.focal_mm),
        )
    interior = is_interior(request.description, rng, request.setting)
    angle = request.angle if request.angle != "overhead" else "eye"
    horizon = _horizon(angle, request.width, ph, rng)
    figures = ()
    if request.size != "INSERT":
        poses = infer_poses(request.description, request.figures, request.size)
        figures = tuple(
            _figure(fig, i, request, ph, horizon, poses) for i, fig in enumerate(request.figures)
        )
    horizon_mid = (horizon[0][1] + horizon[1][1]) / 2
    props = _props(request, interior, ph, horizon_mid, rng)
    return Layout(
        **frame,
        interior=interior,
        horizon=None if request.angle == "overhead" else horizon,
        figures=figures,
        props=props,
    )


class PrevizBackend:
    """Draws a pencil storyboard panel for a KeyframeRequest; no model, no GPU."""

    name = "previz"
    version = "3"  # 3: a staged request is drawn through its camera in the scene plan
    capabilities = Capabilities(
        kind="keyframe", accepts=frozenset({"text", "figures"}), max_width=8192, max_height=8192
    )

    def generate(
        self, request: Request, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Draw the panel and return it as PNG bytes."""
        from studio.generation.backends.previz_draw import draw_panel
        from studio.media.decode import encode_png

        if not isinstance(request, KeyframeRequest):
            raise InvalidInput(f"the previz backend draws keyframes, not {request.kind} requests")
        ctx.check_cancelled()
        ctx.report(0.0, "drawing the storyboard panel")
        layout = panel_layout(request)
        rgb = draw_panel(layout, request)
        ctx.check_cancelled()
        data = encode_png(rgb)
        ctx.report(1.0, "panel drawn")
        info = {
            "backend": self.name,
            "size": layout.size,
            "angle": layout.angle,
            "movement": layout.movement,
            "interior": layout.interior,
            "figures": [f.name for f in layout.figures],
            "poses": [
                {"stance": f.pose.stance, "facing": f.pose.facing, "gesture": f.pose.gesture}
                for f in layout.figures
            ],
            "props": [p.kind for p in layout.props],
        }
        if layout.staged is not None:
            info["staged"] = [item.name for item in layout.staged.items]
        return GenerationResult(data, ".png", "image/png", request.width, request.height, info=info)
