"""Drawing a previz `Layout` as a pencil sketch with numpy and OpenCV.

Off-white paper, grey strokes with a slight deterministic wobble (every stroke's jitter comes from
a generator seeded by the request), hatching for shadows and a light paper grain. Colours are RGB.
The pencil primitives live in `previz_pencil`, the figures in `previz_figures`; this module draws
the paper, background, props, move arrows and caption, and puts a panel together.
"""

from __future__ import annotations

import math
import zlib
from functools import lru_cache

import cv2
import numpy as np

from studio.generation.backends import previz_things
from studio.generation.backends.previz_figures import draw_figure, draw_label
from studio.generation.backends.previz_layout import (
    FigureLayout,
    Layout,
    PropLayout,
    SetLayout,
    StagedLayout,
    ThingLayout,
)
from studio.generation.backends.previz_pencil import (  # noqa: F401 - the primitives, re-exported
    BAND,
    GRAPHITE,
    LIGHT,
    PAPER,
    SOFT,
    ellipse,
    fill,
    hatch,
    mix,
    segment,
    stroke,
)
from studio.generation.backends.previz_text import put_text, text_width, wrap
from studio.generation.requests import KeyframeRequest


# ---- paper ------------------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _grain(width: int, height: int) -> np.ndarray:
    """How much darker than plain paper each pixel is: soft fibres plus sparse specks (few
    distinct values, so the PNG stays small and quick to write)."""
    rng = np.random.default_rng(width * 100_003 + height)
    coarse = rng.integers(0, 9, (max(height // 6, 1), max(width // 6, 1)), dtype=np.uint8)
    grain = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR)
    specks = (rng.random((height, width)) < 0.04) * rng.integers(3, 10, (height, width))
    grain = cv2.add(grain, specks.astype(np.uint8))
    return cv2.merge([grain, grain, grain])


# ---- background and props ---------------------------------------------------------------------
def draw_background(img: np.ndarray, layout: Layout, rng: np.random.Generator) -> None:
    ph, w = layout.picture_height, layout.width
    if layout.horizon is None:  # overhead: a floor seen from above
        step = max(w / 7, 12)
        for i in range(1, 8):
            x = i * step + rng.normal(0, 2)
            stroke(img, segment((x, 0), (x + rng.normal(0, 4), ph)), LIGHT, rng, 0.8, 1, passes=1)
        return
    (x0, y0), (x1, y1) = layout.horizon
    stroke(img, segment((x0, y0), (x1, y1)), SOFT, rng, 0.8, 1)
    slope = (y1 - y0) / max(x1 - x0, 1)
    if layout.interior:  # floorboards converging on a vanishing point
        vx = w * rng.uniform(0.35, 0.65)
        vy = y0 + slope * vx
        for fx in np.linspace(-w * 0.6, w * 1.6, 11):
            stroke(img, segment((vx, vy), (fx, ph)), LIGHT, rng, 0.8, 1, passes=1)
        return
    depth = max(ph - max(y0, y1), 0)
    for k in range(1, 6):  # ground lines, closer together near the horizon
        dy = depth * (k / 6) ** 1.6
        xs = (w * rng.uniform(0.0, 0.5), w * rng.uniform(0.5, 1.0))
        pts = segment((xs[0], y0 + slope * xs[0] + dy), (xs[1], y0 + slope * xs[1] + dy))
        stroke(img, pts, LIGHT, rng, 1.0, 1, passes=1)


def draw_prop(img: np.ndarray, prop: PropLayout, rng: np.random.Generator) -> None:
    x0, y0, x1, y1 = prop.box
    w, h = x1 - x0, y1 - y0
    spacing = max(3.0, min(w, h) / 14)
    if prop.kind == "mountains":
        n = int(rng.integers(2, 4))
        xs = np.linspace(x0, x1, 2 * n + 1)
        ys = [y1 if i % 2 == 0 else y0 + h * rng.uniform(0, 0.45) for i in range(2 * n + 1)]
        pts = np.stack([xs, ys], axis=1)
        fill(img, pts, mix(SOFT, 0.12))
        stroke(img, pts, GRAPHITE, rng, 0.9, 1)
        for i in range(1, 2 * n, 2):
            hatch(img, np.array([pts[i], pts[i + 1], (pts[i][0], y1)]), SOFT, spacing, rng)
    elif prop.kind == "tree":
        cx = (x0 + x1) / 2
        stroke(img, segment((cx - w * 0.06, y1), (cx - w * 0.04, y0 + h * 0.45)), GRAPHITE, rng)
        stroke(img, segment((cx + w * 0.06, y1), (cx + w * 0.04, y0 + h * 0.45)), GRAPHITE, rng)
        canopy = ellipse(cx, y0 + h * 0.3, w * 0.5, h * 0.3, 20)
        canopy += rng.normal(0, min(w, h) * 0.02, canopy.shape)
        fill(img, canopy, mix(SOFT, 0.1))
        stroke(img, canopy, GRAPHITE, rng, 1.0, 1, closed=True)
        hatch(img, canopy[: len(canopy) // 2], SOFT, spacing, rng, slope=-1.0)
    elif prop.kind == "window":
        rect = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        stroke(img, rect, GRAPHITE, rng, 0.7, 1, closed=True)
        stroke(img, segment(((x0 + x1) / 2, y0), ((x0 + x1) / 2, y1)), GRAPHITE, rng)
        stroke(img, segment((x0, (y0 + y1) / 2), (x1, (y0 + y1) / 2)), GRAPHITE, rng)
        hatch(
            img, np.array([(x0, y0), (x0 + w * 0.4, y0), (x0, y0 + h * 0.4)]), LIGHT, spacing, rng
        )
    elif prop.kind == "door":
        stroke(img, np.array([(x0, y1), (x0, y0), (x1, y0), (x1, y1)]), GRAPHITE, rng, 0.7, 2)
        inner = np.array(
            [
                (x0 + w * 0.1, y1),
                (x0 + w * 0.1, y0 + h * 0.05),
                (x1 - w * 0.1, y0 + h * 0.05),
                (x1 - w * 0.1, y1),
            ]
        )
        hatch(img, inner, LIGHT, spacing, rng)
        cv2.circle(
            img,
            (int(x1 - w * 0.22), int(y0 + h * 0.55)),
            max(1, int(w * 0.04)),
            GRAPHITE,
            1,
            cv2.LINE_AA,
        )
    elif prop.kind == "table":
        top = np.array(
            [(x0 + w * 0.08, y0), (x1 - w * 0.08, y0), (x1, y0 + h * 0.25), (x0, y0 + h * 0.25)]
        )
        fill(img, top, mix(SOFT, 0.15))
        stroke(img, top, GRAPHITE, rng, 0.7, 1, closed=True)
        for lx in (x0 + w * 0.06, x1 - w * 0.06):
            stroke(img, segment((lx, y0 + h * 0.25), (lx, y1)), GRAPHITE, rng, 0.7, 2)
        under = np.array([(x0, y0 + h * 0.25), (x1, y0 + h * 0.25), (x1, y1), (x0, y1)])
        hatch(img, under, LIGHT, spacing, rng)
    else:
        draw_insert(img, prop, rng)


def draw_insert(img: np.ndarray, prop: PropLayout, rng: np.random.Generator) -> None:
    """INSERT shots: one object in close-up on a surface."""
    x0, y0, x1, y1 = prop.box
    w, h = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    surface = y0 + h * 0.85
    stroke(img, segment((0, surface), (img.shape[1], surface)), SOFT, rng, 1.0, 1)
    shadow = ellipse(cx + w * 0.08, surface, w * 0.45, h * 0.08, 20)
    hatch(img, shadow, SOFT, max(3.0, w / 30), rng)
    kind = prop.kind.removeprefix("insert-")
    if kind == "cup":
        body = np.array(
            [
                (cx - w * 0.3, y0 + h * 0.2),
                (cx - w * 0.24, surface),
                (cx + w * 0.24, surface),
                (cx + w * 0.3, y0 + h * 0.2),
            ]
        )
        fill(img, body, mix(SOFT, 0.1))
        stroke(img, body, GRAPHITE, rng, 0.8, 2)
        stroke(img, ellipse(cx, y0 + h * 0.2, w * 0.3, h * 0.07), GRAPHITE, rng, 0.8, 2)
        handle = ellipse(cx + w * 0.32, y0 + h * 0.45, w * 0.12, h * 0.15, 16, -1.4, 1.4)
        stroke(img, handle, GRAPHITE, rng, 0.8, 2)
    elif kind == "letter":
        sheet = np.array(
            [
                (x0, y0 + h * 0.3),
                (x1, y0 + h * 0.2),
                (x1 - w * 0.05, surface),
                (x0 + w * 0.05, surface),
            ]
        )
        fill(img, sheet, (250, 248, 242))
        stroke(img, sheet, GRAPHITE, rng, 0.8, 1, closed=True)
        for k in range(6):
            y = y0 + h * (0.35 + k * 0.075)
            stroke(
                img,
                segment((x0 + w * 0.12, y), (x1 - w * rng.uniform(0.1, 0.4), y - h * 0.02)),
                SOFT,
                rng,
                0.8,
                1,
                passes=1,
            )
    elif kind == "key":
        bow = ellipse(cx - w * 0.3, cy, w * 0.12, w * 0.12, 20)
        stroke(img, bow, GRAPHITE, rng, 0.8, 2, closed=True)
        stroke(img, segment((cx - w * 0.18, cy), (cx + w * 0.4, cy)), GRAPHITE, rng, 0.8, 3)
        for k in range(3):
            tx = cx + w * (0.22 + k * 0.06)
            stroke(img, segment((tx, cy), (tx, cy + h * 0.1)), GRAPHITE, rng, 0.6, 2)
    else:  # phone
        body = np.array(
            [
                (cx - w * 0.18, y0),
                (cx + w * 0.18, y0),
                (cx + w * 0.18, surface),
                (cx - w * 0.18, surface),
            ]
        )
        fill(img, body, mix(GRAPHITE, 0.25))
        stroke(img, body, GRAPHITE, rng, 0.8, 2, closed=True)
        screen = body + np.array(
            [
                (w * 0.03, h * 0.06),
                (-w * 0.03, h * 0.06),
                (-w * 0.03, -h * 0.06),
                (w * 0.03, -h * 0.06),
            ]
        )
        hatch(img, screen, SOFT, max(3.0, w / 40), rng)


# ---- staged panels: the set and its things through the shot's camera ---------------------------
def draw_set(img: np.ndarray, the_set: SetLayout, rng: np.random.Generator) -> None:
    """Walls, floor, doors and windows, or the ground and its horizon, as projected."""
    ph, w = img.shape[:2]
    if the_set.horizon is not None:
        horizon = np.array(the_set.horizon)
        below = np.vstack([horizon, [(horizon[-1][0], ph * 4), (horizon[0][0], ph * 4)]])
        fill(img, below, mix(SOFT, 0.1 if the_set.water else 0.05))
        stroke(img, horizon, SOFT, rng, 0.6, 1)
    if the_set.floor is not None:
        fill(img, np.array(the_set.floor), mix(SOFT, 0.07))
    for wall in the_set.walls:
        pts = np.array(wall)
        fill(img, pts, mix(SOFT, 0.03))
        stroke(img, pts, SOFT, rng, 0.6, 1, closed=True)
    for line in the_set.lines:
        wobble = 1.5 if the_set.water else 0.8
        stroke(img, segment(*line, step=25.0), LIGHT, rng, wobble, 1, passes=1)
    for kind, quad in the_set.openings:
        pts = np.array(quad)
        fill(img, pts, mix(SOFT, 0.18 if kind == "door" else 0.0))
        stroke(img, pts, GRAPHITE, rng, 0.6, 1, closed=True)
        if kind == "window":  # the glazing bars
            (a, b, c, d) = pts[:4] if len(pts) >= 4 else (pts[0],) * 4
            stroke(img, segment((a + b) / 2, (c + d) / 2), SOFT, rng, 0.5, 1, passes=1)
            stroke(img, segment((a + d) / 2, (b + c) / 2), SOFT, rng, 0.5, 1, passes=1)


def draw_thing(canvas: np.ndarray, name: str, kind: str, box: ThingLayout) -> None:
    """A thing at its projected box in pencil, labelled with its name. A noun the vocabulary
    draws (`previz_things`) is its drawing fitted to the box, over the box's faces filled with
    paper (so it hides what is behind); another is the box itself: visible faces filled, shaded
    by the way they face, outlined."""
    rng = np.random.default_rng(zlib.crc32(f"{name}|{kind}".encode()))
    x0, y0, x1, y1 = box.bounds
    # a character that is not a person ("COURIER-7", a drone) is drawn as its kind
    noun = name if previz_things.drawing_for(name) is not None else kind
    drawn = min(x1 - x0, y1 - y0) >= 4 and previz_things.drawing_for(noun) is not None
    for face, shade in zip(box.faces, box.shades, strict=True):
        pts = np.array(face)
        fill(canvas, pts, PAPER if drawn else mix(SOFT, shade))
        if not drawn:
            stroke(canvas, pts, GRAPHITE, rng, 0.5, 1, closed=True, passes=1)
    if drawn:
        bounds = (math.floor(x0), math.floor(y0), math.ceil(x1), math.ceil(y1))
        previz_things.draw_thing(canvas, noun, kind, bounds)
    if max(x1 - x0, y1 - y0) < 14:  # too small to name
        return
    scale = max(0.28, min(0.5, (x1 - x0) / 160))
    label = name.upper()
    tx = min(max((x0 + x1) / 2 - text_width(label, scale) / 2, 2.0), canvas.shape[1] - 40.0)
    ty = min(max(y0 - 4.0, 12.0), canvas.shape[0] - 4.0)
    put_text(canvas, label, tx, ty, scale, GRAPHITE, 1)


def draw_staged(img: np.ndarray, staged: StagedLayout, seed: int, ph: int) -> None:
    draw_set(img, staged.set, np.random.default_rng([seed, 1]))
    label_scale = max(0.3, ph / 700)
    for index, item in enumerate(staged.items):
        if isinstance(item, FigureLayout):
            draw_figure(img, item, np.random.default_rng([seed, 3, index]), ph)
            draw_label(img, item, label_scale)
        else:
            draw_thing(img, item.name, item.kind, item)


# ---- move arrows and caption ------------------------------------------------------------------
def draw_arrows(img: np.ndarray, layout: Layout, rng: np.random.Generator) -> None:
    weight = max(2, round(min(layout.width, layout.picture_height) / 120))
    for arrow in layout.arrows:
        (sx, sy), (ex, ey) = arrow.start, arrow.end
        length = math.hypot(ex - sx, ey - sy)
        if arrow.style == "squiggle":
            xs = np.linspace(sx, ex, 24)
            ys = sy + rng.uniform(-1, 1, 24) * length * 0.12
            stroke(img, np.stack([xs, ys], axis=1), GRAPHITE, rng, 0.3, weight)
            continue
        if arrow.style == "dashed":
            dash = max(6.0, length / 30)
            for t in np.arange(0, length - dash * 3, dash * 2):
                p0 = (sx + (ex - sx) * t / length, sy + (ey - sy) * t / length)
                p1 = (sx + (ex - sx) * (t + dash) / length, sy + (ey - sy) * (t + dash) / length)
                stroke(img, np.array([p0, p1]), GRAPHITE, rng, 0.3, weight, passes=1)
            sx, sy = sx + (ex - sx) * 0.85, sy + (ey - sy) * 0.85
        tip = min(0.45, 18 * weight / max(length, 1))
        cv2.arrowedLine(
            img,
            (int(sx), int(sy)),
            (int(ex), int(ey)),
            GRAPHITE,
            weight,
            cv2.LINE_AA,
            tipLength=tip,
        )


def _move_words(movement: str) -> str:
    return movement.replace("_", " ")


def draw_caption(img: np.ndarray, layout: Layout, request: KeyframeRequest) -> None:
    h, w, top = layout.height, layout.width, layout.picture_height
    img[top:h] = BAND
    cv2.line(img, (0, top), (w, top), SOFT, 1, cv2.LINE_AA)
    band = h - top
    scale = max(0.28, band * 0.22 / 22)
    line_h = 22 * scale * 1.45
    pad = max(3.0, band * 0.08)
    head = f"{request.shot_number}   " if request.shot_number else ""
    head += f"{layout.size} / {layout.angle} / "
    head += f"{_move_words(layout.movement)}   {layout.lens or request.lens}mm"
    put_text(img, head, pad, top + pad + 22 * scale, scale, GRAPHITE, max(1, round(scale * 2.2)))
    rows = int((band - pad - line_h) // line_h)
    text = " ".join(request.description.split())
    if rows <= 0 or not text:
        return
    for i, line in enumerate(wrap(text, scale, w - 2 * pad, rows)):
        put_text(img, line, pad, top + pad + 22 * scale + line_h * (i + 1), scale, SOFT, 1)


# ---- the panel --------------------------------------------------------------------------------
def draw_panel(layout: Layout, request: KeyframeRequest) -> np.ndarray:
    """Render `layout` as an (height, width, 3) RGB uint8 pencil sketch."""
    img = np.empty((layout.height, layout.width, 3), np.uint8)
    img[:] = PAPER
    picture = img[: layout.picture_height]
    if layout.staged is not None:
        draw_staged(picture, layout.staged, request.seed, layout.picture_height)
    else:
        draw_background(picture, layout, np.random.default_rng([request.seed, 1]))
        prop_rng = np.random.default_rng([request.seed, 2])
        for prop in layout.props:
            draw_prop(picture, prop, prop_rng)
        label_scale = max(0.3, layout.picture_height / 700)
        for index, fig in enumerate(layout.figures):
            draw_figure(
                picture, fig, np.random.default_rng([request.seed, 3, index]), layout.picture_height
            )
        for fig in layout.figures:
            draw_label(picture, fig, label_scale)
    if layout.angle == "pov":
        draw_pov_corners(picture)
    draw_arrows(picture, layout, np.random.default_rng([request.seed, 4]))
    draw_caption(img, layout, request)
    cv2.subtract(img, _grain(layout.width, layout.height), dst=img)
    cv2.rectangle(img, (0, 0), (layout.width - 1, layout.height - 1), SOFT, 1)
    return img


def draw_pov_corners(img: np.ndarray) -> None:
    """A point-of-view shot: viewfinder brackets in the corners."""
    h, w = img.shape[:2]
    m, arm = int(min(w, h) * 0.05), int(min(w, h) * 0.12)
    corners = ((m, m, 1, 1), (w - m, m, -1, 1), (m, h - m, 1, -1), (w - m, h - m, -1, -1))
    for x, y, dx, dy in corners:
        cv2.line(img, (x, y), (x + dx * arm, y), GRAPHITE, 2, cv2.LINE_AA)
        cv2.line(img, (x, y), (x, y + dy * arm), GRAPHITE, 2, cv2.LINE_AA)
