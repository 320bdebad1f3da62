"""Drawing previz figures in pencil: bodies in every stance, heads by facing, held props.

The geometry comes from `previz_body` (through `FigureLayout.body`); this module only draws it.
Limbs behind the body are drawn first and lighter; a turned head shows its eyes and nose on the
side it faces (the far eye hidden in profile); a back turned to the camera shows hatched hair
and no face.
"""

from __future__ import annotations

import math

import numpy as np

from studio.generation.backends.previz_body import Body
from studio.generation.backends.previz_layout import FigureLayout
from studio.generation.backends.previz_pencil import (
    GRAPHITE,
    PAPER,
    SOFT,
    ellipse,
    fill,
    hatch,
    mix,
    segment,
    stroke,
)
from studio.generation.backends.previz_text import put_text, text_width

_EYE_SPREAD = 0.55  # radians either side of the nose, seen from above
_UPRIGHT_PROPS = {
    "cup",
    "mug",
    "glass",
    "teacup",
    "bottle",
    "thermos",
    "can",
    "oil can",
    "kettle",
    "lamp",
    "lantern",
    "candle",
    "drink",
    "coffee",
    "tea",
    "wine",
    "bucket",
}
_THIN_PROPS = {
    "pen",
    "pencil",
    "key",
    "keys",
    "knife",
    "match",
    "matches",
    "stick",
    "cane",
    "sword",
    "cigarette",
    "torch",
    "flashlight",
    "gun",
    "pistol",
    "rifle",
    "umbrella",
    "axe",
    "hammer",
    "shovel",
    "microphone",
}


class _HeadFrame:
    """Points on a head in its own frame: `a` toward the side the face turns to, `b` toward
    the chin, both in head radii."""

    def __init__(self, body: Body) -> None:
        self.hx, self.hy, self.r = body.head
        self.ax, self.ay = body.face
        self.dx, self.dy = -body.crown[0], -body.crown[1]

    def __call__(self, points: np.ndarray | list) -> np.ndarray:
        p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        x = self.hx + self.r * (p[:, 0] * self.ax + p[:, 1] * self.dx)
        y = self.hy + self.r * (p[:, 0] * self.ay + p[:, 1] * self.dy)
        return np.stack([x, y], axis=1)

    def outline(self, start: float = 0.0, end: float = 2 * math.pi, n: int = 28) -> np.ndarray:
        a = np.linspace(start, end, n)
        return self(np.stack([np.cos(a), 1.15 * np.sin(a)], axis=1))


def draw_figure(
    img: np.ndarray,
    fig: FigureLayout,
    rng: np.random.Generator,
    ph: int,
    body: Body | None = None,
) -> None:
    """Draw one figure: overhead as seen from above, else its body in its pose (`body`, when
    given, replaces the layout's: a turnaround draws a sheet's build)."""
    if fig.overhead:
        draw_figure_overhead(img, fig, rng)
        return
    body = body or fig.body
    ink = mix(fig.colour, 0.8, GRAPHITE)
    far_ink = mix(ink, 0.55)
    tint = mix(fig.colour, 0.28)
    weight = max(1, min(6, round(fig.height / 160)))
    _draw_shadow(img, fig, body, rng, ph)
    for seat_stroke in body.seat:
        stroke(img, seat_stroke, SOFT, rng, 0.7, max(1, weight))
    for limb in (*body.legs, *body.arms):
        if limb.far:
            stroke(img, limb.points, far_ink, rng, 0.8, weight + 1)
    for leg in body.legs:
        if not leg.far:
            stroke(img, leg.points, ink, rng, 0.8, weight + 1)
    _draw_torso(img, body.torso, fig.colour, ink, tint, fig.height, rng, weight)
    for arm in body.arms:
        if not arm.far:
            stroke(img, arm.points, ink, rng, 0.8, weight + 1)
    if body.held is not None:
        _draw_prop(img, fig.pose.prop, body.held, body.head[2], rng, weight)
    draw_head(img, body, ink, tint, rng, weight)


def _draw_shadow(
    img: np.ndarray, fig: FigureLayout, body: Body, rng: np.random.Generator, ph: int
) -> None:
    if body.floor >= ph:
        return
    x0, _, x1, _ = body.extent()
    half = max(fig.height * 0.2, (x1 - x0) * 0.55)
    centre = (x0 + x1) / 2 + fig.height * 0.05
    shadow = ellipse(centre, body.floor, half, fig.height * 0.035, 16)
    hatch(img, shadow, SOFT, max(2.5, fig.height / 40), rng)


def _draw_torso(
    img: np.ndarray,
    torso: np.ndarray,
    colour: tuple[int, int, int],
    ink: tuple,
    tint: tuple,
    height: float,
    rng: np.random.Generator,
    weight: int,
) -> None:
    fill(img, torso, tint)
    shade = np.array([(torso[0] + torso[1]) / 2, torso[1], torso[2], (torso[2] + torso[3]) / 2])
    hatch(img, shade, mix(colour, 0.55), max(2.5, height / 45), rng)
    stroke(img, torso, ink, rng, 0.8, weight, closed=True)


def draw_head(
    img: np.ndarray, body: Body, ink: tuple, tint: tuple, rng: np.random.Generator, weight: int
) -> None:
    """The head: a face turned by `body.turn`, or hair only for a back turned to the camera."""
    frame = _HeadFrame(body)
    outline = frame.outline()
    fill(img, outline, tint)
    hair = mix(ink, 0.6)
    if body.turn >= 2.0:  # seen from behind: hair, ears, no face
        back = frame.outline(math.pi * 0.82, math.pi * 2.18, 24)
        if frame.r > 6:
            hatch(img, back, hair, max(2.0, frame.r / 7), rng, slope=-1.0)
        else:
            fill(img, back, hair)
        if frame.r > 10:
            for side in (-1, 1):
                stroke(img, frame(_ear(side)), hair, rng, 0.4, max(1, weight - 1))
        stroke(img, outline, ink, rng, 0.8, weight, closed=True)
        return
    stroke(img, outline, ink, rng, 0.8, weight, closed=True)
    turn = min(max(body.turn, 0.0), 1.0) * math.pi / 2
    if frame.r > 14:
        _draw_face(img, frame, turn, ink, hair, rng, weight)
    elif frame.r > 5 and turn > 0.3:  # a small turned head: a nose tick shows the way it looks
        tip = math.sin(turn)
        stroke(img, frame([(0.7 * tip, 0.05), (1.25 * tip, 0.25)]), ink, rng, 0.3, weight)


def _ear(side: int) -> np.ndarray:
    a = np.linspace(-1.2, 1.2, 8)
    return np.stack([side * (0.98 + 0.12 * np.cos(a)), 0.05 + 0.22 * np.sin(a)], axis=1)


def _draw_face(
    img: np.ndarray,
    frame: _HeadFrame,
    turn: float,
    ink: tuple,
    hair: tuple,
    rng: np.random.Generator,
    weight: int,
) -> None:
    """Eyes, brows, nose and mouth at `turn` radians from the camera toward the face side."""
    for side in (-1, 1):
        azimuth = turn + side * _EYE_SPREAD
        if math.cos(azimuth) < 0.12:  # the far eye, hidden behind the nose in profile
            continue
        a, width = 0.72 * math.sin(azimuth), 0.14 * math.cos(azimuth) ** 0.5
        eye = ellipse(a, -0.05, width, 0.07, 14)
        stroke(img, frame(eye), ink, rng, 0.5, weight, closed=True)
        brow = [(a - width * 1.3, -0.28), (a + width * 1.3, -0.3)]
        stroke(img, frame(segment(*brow)), ink, rng, 0.6, weight)
    tip = math.sin(turn)
    nose = [(0.95 * tip, 0.0), (0.95 * tip + 0.1 + 0.15 * tip, 0.35), (0.95 * tip, 0.42)]
    if tip < 0.2:
        nose = [(0.0, 0.0), (-0.08, 0.35), (0.06, 0.4)]
    stroke(img, frame(nose), ink, rng, 0.5, weight)
    left = 0.8 * math.sin(max(turn - 0.55, -1.2))
    right = min(0.8 * math.sin(turn + 0.55), 0.95)
    stroke(img, frame(segment((left, 0.62), (right, 0.6))), ink, rng, 0.6, weight)
    # hair: the crown, reaching down the back of the head as it turns
    start, end = math.pi * 1.05 - turn * 0.5, math.pi * 1.95 - turn * 0.25
    cap = frame.outline(start, end, 16)
    inner = frame([(-0.45 * math.sin(turn), -0.5 + 0.45 * math.sin(turn))])
    hatch(img, np.vstack([cap, inner]), hair, max(2.5, frame.r / 8), rng, slope=-1.0)
    if turn > 0.6:
        stroke(img, frame(_ear(-1) * (0.5, 1) + (-0.1, 0)), hair, rng, 0.4, max(1, weight - 1))


def _draw_prop(
    img: np.ndarray,
    prop: str,
    at: tuple[float, float],
    head_r: float,
    rng: np.random.Generator,
    weight: int,
) -> None:
    """A held object, sketched by its kind: upright (a cup), thin (a pen) or flat (a letter)."""
    x, y = at
    size = max(head_r * 0.75, 2.5)
    if prop in _THIN_PROPS:
        stroke(
            img,
            segment((x - size * 0.9, y + size * 0.5), (x + size * 0.9, y - size * 0.5)),
            GRAPHITE,
            rng,
            0.4,
            weight + 1,
        )
        return
    w, h = (size * 0.6, size) if prop in _UPRIGHT_PROPS else (size, size * 0.65)
    box = np.array([(x - w, y - h), (x + w, y - h), (x + w, y + h), (x - w, y + h)])
    fill(img, box, mix(SOFT, 0.5) if prop in _UPRIGHT_PROPS else mix(PAPER, 0.5, (255, 255, 255)))
    stroke(img, box, GRAPHITE, rng, 0.5, weight, closed=True)


def draw_figure_overhead(img: np.ndarray, fig: FigureLayout, rng: np.random.Generator) -> None:
    """A figure seen from straight above: shoulders as an ellipse, the head a circle."""
    ink, tint = mix(fig.colour, 0.8, GRAPHITE), mix(fig.colour, 0.28)
    hx, hy, hr = fig.head
    weight = max(1, min(5, round(fig.height / 160)))
    shadow = ellipse(hx + hr * 0.8, hy + hr * 0.8, fig.height * 0.14, fig.height * 0.07, 20)
    hatch(img, shadow, SOFT, max(2.5, hr / 4), rng)
    shoulders = ellipse(hx, hy, fig.height * 0.13, fig.height * 0.06, 24)
    fill(img, shoulders, tint)
    stroke(img, shoulders, ink, rng, 0.7, weight, closed=True)
    head = ellipse(hx, hy, hr, hr, 20)
    fill(img, head, mix(fig.colour, 0.5))
    stroke(img, head, ink, rng, 0.7, weight, closed=True)


def draw_label(img: np.ndarray, fig: FigureLayout, scale: float) -> None:
    """The figure's name just above its box (below the frame's top edge)."""
    if not fig.name:
        return
    x0, y0, x1, _ = fig.box
    width = text_width(fig.name, scale)
    x = min(max((x0 + x1) / 2 - width / 2, 2), img.shape[1] - width - 2)
    height = 22 * scale
    baseline = y0 - 6 if y0 - 6 > height + 2 else height + 4
    colour = mix(fig.colour, 0.85, GRAPHITE)
    put_text(img, fig.name, x, baseline, scale, colour, max(1, round(scale * 2)))
