"""A character's turnaround in pencil: front, three-quarter and profile reference panels.

The character is drawn as what its sheet says it is (`staging_things.character_kind`: a person,
a child sized by age, a robot, a drone, a dog, a horse…), at its height against a metre scale,
with its build (`staging_things.character_build`), turned on the spot: the front view faces the
camera, the three-quarter view is half turned toward screen right, the profile fully (one eye,
the nose out, the body as narrow as it is deep).
"""

from __future__ import annotations

import numpy as np

from studio.generation.backends import previz_creatures as creatures
from studio.generation.backends.previz_body import body
from studio.generation.backends.previz_figures import draw_figure
from studio.generation.backends.previz_layout import FigureLayout
from studio.generation.backends.previz_pencil import (
    BAND,
    GRAPHITE,
    LIGHT,
    PAPER,
    SOFT,
    ellipse,
    hatch,
    mix,
)
from studio.generation.backends.previz_pose import Pose
from studio.generation.backends.previz_sketch import Sketch
from studio.generation.backends.previz_text import put_text, text_width
from studio.script.staging_things import FigureKind

VIEWS = {"front": 0.0, "three-quarter": 0.5, "profile": 1.0}
_RELAXED_ARMS = (0.16, 0.16)
_ROBOT_ASPECT = 0.62
_SMALL = 0.45  # metres: a character shorter than this is drawn again, larger, in an inset


def character_width(kind: FigureKind, turn: float, height: float) -> float:
    """How wide (pixels) a character `height` pixels tall is drawn at `turn` (not a person)."""
    if kind.kind in creatures.QUADRUPEDS:
        return height * creatures.QUADRUPEDS[kind.kind].aspect(turn)
    if kind.kind == "drone":
        return height * 2.6
    if kind.kind == "bird":
        return height * (0.7 + 0.3 * turn)
    return height * _ROBOT_ASPECT


def draw_character(
    canvas: np.ndarray,
    kind: FigureKind,
    feet: tuple[float, float],
    height: float,
    turn: float,
    colour: tuple[int, int, int],
    rng: np.random.Generator,
    build: float = 1.0,
) -> None:
    """Draw a character of `kind`, `height` pixels tall, standing on `feet` (x, y), turned by
    `turn` (0 front, 1 profile) toward screen right."""
    x, floor = feet
    if kind.person:
        pose = Pose("standing", "right" if turn > 0 else "camera", turn)
        fig = FigureLayout("", colour, x, floor - height, height, _RELAXED_ARMS, 0.0, pose=pose)
        parts = body(x, floor - height, height, _RELAXED_ARMS, 0.0, pose, build)
        draw_figure(canvas, fig, rng, canvas.shape[0], parts)
        return
    width = character_width(kind, turn, height) * (build if kind.kind == "robot" else 1.0)
    sk = Sketch(canvas, (x - width / 2, floor - height, x + width / 2, floor), rng)
    if kind.kind in creatures.QUADRUPEDS:
        creatures.draw_quadruped(sk, creatures.QUADRUPEDS[kind.kind], turn, 1, tint=0.1)
    elif kind.kind == "drone":
        creatures.draw_drone(sk, turn)
    elif kind.kind == "bird":
        creatures.draw_bird(sk, turn)
    else:
        creatures.draw_robot(sk, turn)


def turnaround_panel(
    name: str,
    view: str,
    kind: FigureKind,
    colour: tuple[int, int, int],
    size: int,
    seed: int,
    build: float = 1.0,
) -> np.ndarray:
    """One reference panel (size × size RGB) of the character seen from `view` (front,
    three-quarter or profile), drawn to scale against a ruler in metres."""
    img = np.empty((size, size, 3), np.uint8)
    img[:] = PAPER
    band = max(16, round(size * 0.1))
    ph = size - band
    floor = ph * 0.92
    width, _, tall = kind.size
    span = max(2.0, tall + kind.elevation + 0.25)  # metres from the floor to the frame's top
    per_metre = (floor - ph * 0.04) / span
    rng = np.random.default_rng([seed, 16])
    _ruler(img, floor, per_metre, span, size)
    img[int(floor) : int(floor) + 1, int(size * 0.1) : int(size * 0.95)] = mix(SOFT, 0.7)
    height = tall * per_metre
    feet_y = floor - kind.elevation * per_metre
    if kind.elevation:
        shadow = ellipse(size * 0.55, floor, width * per_metre * 0.6, size * 0.012, 14)
        hatch(img, shadow, SOFT, 3.0, rng)  # a flying thing's shadow on the floor under it
        img[int(feet_y) : int(floor), int(size * 0.55)] = LIGHT
    draw_character(img, kind, (size * 0.55, feet_y), height, VIEWS[view], colour, rng, build)
    if tall < _SMALL and not kind.person:
        _detail(img, kind, view, colour, rng, build, ph, height)
    img[ph:] = BAND
    label = f"{name}   {view}   {kind.kind}, {tall:.2f} m"
    scale = max(0.28, band / 40)
    while scale > 0.28 and text_width(label, scale) > size - band * 0.6:
        scale -= 0.02
    put_text(img, label, band * 0.3, ph + band * 0.7, scale, GRAPHITE, 1)
    return img


def _detail(
    img: np.ndarray,
    kind: FigureKind,
    view: str,
    colour: tuple[int, int, int],
    rng: np.random.Generator,
    build: float,
    ph: int,
    height: float,
) -> None:
    """A small character (a drone, a cat) drawn again, larger, in a framed inset; `height` is
    its drawn height at scale."""
    size = img.shape[1]
    big = ph * 0.24
    top = 0.42 if kind.elevation else 0.06  # under a flying thing, above one on the ground
    x0, y0, x1, y1 = int(size * 0.2), int(ph * top), int(size * 0.95), int(ph * (top + 0.38))
    img[y0:y1, x0:x1] = PAPER
    for row in (y0, y1 - 1):
        img[row, x0:x1] = SOFT
    img[y0:y1, x0] = img[y0:y1, x1 - 1] = SOFT
    draw_character(img, kind, ((x0 + x1) / 2, y1 - ph * 0.06), big, VIEWS[view], colour, rng, build)
    put_text(img, f"x{big / height:.1f}", x0 + 4, y0 + 14, max(0.28, size / 1400), SOFT, 1)


def _ruler(img: np.ndarray, floor: float, per_metre: float, span: float, size: int) -> None:
    """A height scale at the left edge: a tick every half metre, a number every metre."""
    x = int(size * 0.06)
    top = int(floor - span * per_metre)
    img[top : int(floor), x] = mix(SOFT, 0.8)
    for k in range(int(span * 2) + 1):
        y = int(floor - k * 0.5 * per_metre)
        img[y, x - (4 if k % 2 == 0 else 2) : x + 1] = SOFT
        if k % 2 == 0 and k:
            put_text(img, str(k // 2), x + 3, y + 4, max(0.28, size / 1400), SOFT, 1)
