"""The staging vocabulary drawn in pencil: `draw_thing` fits a named thing to a pixel box.

Every noun of `studio.script.staging_things.VOCABULARY` has a drawing (near-synonyms share one:
a couch is a sofa, a taxi a car with a roof sign); an unknown noun becomes a labelled block of its
box. `draw_hand` draws the hand of an insert: open, holding a thing, or writing. Drawings are
deterministic (the jitter is seeded by the name) and touch no pixel outside their box. The
drawings themselves live in `previz_furniture` (set pieces), `previz_scenery` (vehicles,
landscape) and `previz_creatures` (animals); props are here.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Callable
from functools import lru_cache

import numpy as np

from studio.generation.backends import previz_creatures as cr
from studio.generation.backends import previz_furniture as fu
from studio.generation.backends import previz_scenery as sc
from studio.generation.backends.previz_pencil import GRAPHITE, PAPER, SOFT, ellipse
from studio.generation.backends.previz_sketch import Sketch
from studio.generation.backends.previz_text import put_text, text_width
from studio.script.staging_things import noun_for

Box = tuple[int, int, int, int]
_MARGIN = 0.04  # of the box on each side, so the pencil's wobble stays inside it


# ---- props ------------------------------------------------------------------------------------
def letter(sk: Sketch) -> None:
    sk.shape([(0.05, 0.02), (0.95, 0.0), (1.0, 0.98), (0.0, 1.0)], 0.0)
    for k in range(7):
        v = 0.14 + k * 0.11
        sk.soft([(0.15, v), (0.85 - 0.25 * (k == 6), v)])
    sk.line([(0.6, 0.92), (0.85, 0.88)], passes=1, weight=1)


def envelope(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 1.0, 0.03)
    sk.line([(0.0, 0.0), (0.5, 0.6), (1.0, 0.0)])
    sk.rect(0.8, 0.1, 0.92, 0.3, 0.3)


def photo(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 1.0, 0.0)
    sk.rect(0.08, 0.08, 0.92, 0.92, 0.06)
    sk.shape([(0.08, 0.92), (0.35, 0.45), (0.55, 0.7), (0.7, 0.5), (0.92, 0.92)], 0.3)
    sk.oval(0.75, 0.25, 0.07, 0.1, 0.1, n=10)


def map_(sk: Sketch) -> None:
    sk.shape(
        [
            (0.0, 0.05),
            (0.33, 0.0),
            (0.66, 0.05),
            (1.0, 0.0),
            (1.0, 0.95),
            (0.66, 1.0),
            (0.33, 0.95),
            (0.0, 1.0),
        ],
        0.04,
    )
    for u in (0.33, 0.66):
        sk.soft([(u, 0.0), (u, 1.0)])
    route = [(0.1, 0.8), (0.3, 0.6), (0.5, 0.7), (0.7, 0.35)]
    for a, b in zip(route, route[1:], strict=False):
        sk.line([a, ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)], passes=1)
    sk.line([(0.75, 0.22), (0.87, 0.36)], weight=sk.weight + 1)
    sk.line([(0.87, 0.22), (0.75, 0.36)], weight=sk.weight + 1)


def box(sk: Sketch, string: bool = False) -> None:
    sk.shape([(0.0, 0.3), (0.3, 0.0), (1.0, 0.0), (0.7, 0.3)], 0.08)  # top
    sk.rect(0.0, 0.3, 0.7, 1.0, 0.15)
    sk.shape([(0.7, 0.3), (1.0, 0.0), (1.0, 0.7), (0.7, 1.0)], 0.3)
    if string:
        sk.line([(0.35, 0.3), (0.35, 1.0)], passes=1)
        sk.line([(0.15, 0.15), (0.85, 0.15)], passes=1)
        sk.line([(0.0, 0.65), (0.7, 0.65)], passes=1)
    else:
        sk.shape([(0.0, 0.3), (-0.0, 0.05), (0.3, 0.0)], 0.04)  # an open flap


def cup(sk: Sketch) -> None:
    sk.oval(0.5, 0.93, 0.48, 0.07, 0.1)  # saucer
    sk.shape([(0.15, 0.15), (0.25, 0.9), (0.7, 0.9), (0.8, 0.15)], 0.1)
    sk.oval(0.475, 0.15, 0.325, 0.08, 0.3)
    sk.arc(0.82, 0.45, 0.14, 0.18, -1.5, 1.5, weight=sk.weight + 1)


def mug(sk: Sketch) -> None:
    sk.rect(0.08, 0.1, 0.72, 1.0, 0.18)
    sk.oval(0.4, 0.1, 0.32, 0.07, 0.45)
    sk.arc(0.72, 0.5, 0.22, 0.25, -1.5, 1.5, weight=sk.weight + 2)
    sk.shade([(0.5, 0.15), (0.72, 0.15), (0.72, 1.0), (0.5, 1.0)])


def glass(sk: Sketch) -> None:
    sk.line([(0.05, 0.0), (0.2, 1.0), (0.8, 1.0), (0.95, 0.0)])
    sk.oval(0.5, 0.0, 0.45, 0.05, 0.0, n=14)
    sk.shape([(0.1, 0.4), (0.2, 0.98), (0.8, 0.98), (0.9, 0.4)], 0.08)
    sk.soft([(0.25, 0.15), (0.32, 0.8)])


def bottle(sk: Sketch) -> None:
    sk.shape(
        [
            (0.38, 0.0),
            (0.62, 0.0),
            (0.62, 0.25),
            (0.9, 0.42),
            (0.9, 1.0),
            (0.1, 1.0),
            (0.1, 0.42),
            (0.38, 0.25),
        ],
        0.3,
    )
    sk.rect(0.1, 0.55, 0.9, 0.8, 0.02)
    sk.soft([(0.2, 0.45), (0.22, 0.95)])


def kettle(sk: Sketch) -> None:
    sk.shape([(0.15, 1.0), (0.2, 0.35), (0.8, 0.35), (0.85, 1.0)], 0.15)
    sk.arc(0.5, 0.35, 0.3, 0.25, np.pi, 2 * np.pi, weight=sk.weight + 2)
    sk.shape([(0.18, 0.55), (0.0, 0.3), (0.05, 0.28), (0.2, 0.45)], 0.2)  # spout
    sk.oval(0.5, 0.33, 0.06, 0.03, 0.5, n=8)


def phone(sk: Sketch) -> None:
    sk.rect(0.05, 0.0, 0.95, 1.0, 0.6)
    sk.rect(0.14, 0.08, 0.86, 0.88, 0.08)
    sk.oval(0.5, 0.94, 0.06, 0.025, 0.2, n=8)


def book(sk: Sketch, open_: bool = False) -> None:
    if open_:
        sk.shape([(0.0, 0.1), (0.5, 0.18), (0.5, 1.0), (0.0, 0.92)], 0.0)
        sk.shape([(0.5, 0.18), (1.0, 0.1), (1.0, 0.92), (0.5, 1.0)], 0.0)
        for k in range(6):
            v = 0.28 + k * 0.1
            sk.soft([(0.08, v - 0.03), (0.42, v)])
            sk.soft([(0.58, v), (0.92, v - 0.03)])
        return
    sk.shape([(0.0, 0.1), (0.75, 0.1), (0.75, 1.0), (0.0, 1.0)], 0.3)
    sk.shape([(0.75, 0.1), (1.0, 0.0), (1.0, 0.9), (0.75, 1.0)], 0.03)
    sk.shape([(0.0, 0.1), (0.25, 0.0), (1.0, 0.0), (0.75, 0.1)], 0.1)
    for k in range(4):
        sk.soft([(0.78, 0.2 + k * 0.2), (0.97, 0.12 + k * 0.2)])
    sk.rect(0.15, 0.3, 0.6, 0.45, 0.05)


def key(sk: Sketch) -> None:
    sk.line(ellipse(0.16, 0.5, 0.14, 0.42, 18), closed=True, weight=sk.weight + 1)
    sk.line([(0.3, 0.5), (1.0, 0.5)], weight=sk.weight + 2)
    for u in (0.75, 0.88):
        sk.line([(u, 0.5), (u, 0.9)], weight=sk.weight + 1)


def knife(sk: Sketch) -> None:
    sk.rect(0.0, 0.3, 0.35, 0.75, 0.55)
    sk.shape([(0.35, 0.3), (0.95, 0.35), (1.0, 0.5), (0.35, 0.75)], 0.05)
    sk.soft([(0.4, 0.45), (0.9, 0.45)])


def gun(sk: Sketch) -> None:
    sk.shape(
        [
            (0.0, 0.05),
            (1.0, 0.05),
            (1.0, 0.3),
            (0.4, 0.3),
            (0.38, 0.4),
            (0.42, 1.0),
            (0.12, 1.0),
            (0.15, 0.3),
            (0.0, 0.3),
        ],
        0.55,
    )
    sk.arc(0.45, 0.35, 0.1, 0.15, 0.0, np.pi)


def bag(sk: Sketch) -> None:
    sk.arc(0.5, 0.35, 0.25, 0.32, np.pi, 2 * np.pi, weight=sk.weight + 1)
    sk.shape([(0.05, 0.35), (0.95, 0.35), (1.0, 1.0), (0.0, 1.0)], 0.2)
    sk.shade([(0.6, 0.35), (0.95, 0.35), (1.0, 1.0), (0.65, 1.0)])
    sk.rect(0.42, 0.42, 0.58, 0.52, 0.5)


def suitcase(sk: Sketch) -> None:
    sk.rect(0.35, 0.0, 0.65, 0.12, 0.0)
    sk.rect(0.0, 0.12, 1.0, 1.0, 0.25)
    for u in (0.25, 0.75):
        sk.line([(u, 0.12), (u, 1.0)], weight=sk.weight + 1)
    sk.oval(0.1, 0.95, 0.05, 0.03, 0.7, n=8)


def umbrella(sk: Sketch) -> None:
    canopy = np.vstack([ellipse(0.5, 0.35, 0.5, 0.33, 18, np.pi, 2 * np.pi), [(1.0, 0.35)]])
    scallops = [(1.0 - k * 0.25, 0.35 + (0.05 if k % 2 else 0.0)) for k in range(5)]
    sk.shape(np.vstack([canopy, scallops]), 0.3)
    sk.line([(0.5, 0.0), (0.5, 0.92)], weight=sk.weight + 1)
    sk.arc(0.43, 0.92, 0.07, 0.06, 0.0, np.pi, weight=sk.weight + 1)


def candle(sk: Sketch) -> None:
    sk.shape([(0.5, 0.0), (0.35, 0.18), (0.5, 0.28), (0.65, 0.18)], 0.0)
    sk.line([(0.5, 0.28), (0.5, 0.34)], passes=1)
    sk.rect(0.3, 0.34, 0.7, 0.88, 0.04)
    sk.oval(0.5, 0.92, 0.48, 0.07, 0.35)


def lamp(sk: Sketch) -> None:
    sk.shape([(0.2, 0.0), (0.8, 0.0), (1.0, 0.45), (0.0, 0.45)], 0.08, shade=True)
    sk.line([(0.5, 0.45), (0.5, 0.9)], weight=sk.weight + 1)
    sk.oval(0.5, 0.93, 0.32, 0.07, 0.4)


def lantern(sk: Sketch) -> None:
    sk.arc(0.5, 0.12, 0.18, 0.12, np.pi, 2 * np.pi, weight=sk.weight + 1)
    sk.shape([(0.2, 0.12), (0.8, 0.12), (0.7, 0.25), (0.3, 0.25)], 0.45)
    sk.shape(
        [(0.25, 0.25), (0.75, 0.25), (0.85, 0.6), (0.75, 0.85), (0.25, 0.85), (0.15, 0.6)], 0.02
    )
    sk.shape([(0.5, 0.4), (0.42, 0.6), (0.5, 0.7), (0.58, 0.6)], 0.25)
    sk.rect(0.15, 0.85, 0.85, 1.0, 0.45)


def torch(sk: Sketch) -> None:
    sk.rect(0.0, 0.38, 0.55, 0.62, 0.45)
    sk.shape([(0.55, 0.3), (0.7, 0.2), (0.7, 0.8), (0.55, 0.7)], 0.3)
    for v in (0.05, 0.5, 0.95):
        sk.soft([(0.72, 0.2 + 0.6 * (v == 0.5) * 0.5 + (v - 0.5) * 0.3), (1.0, v)])


def camera(sk: Sketch) -> None:
    sk.rect(0.0, 0.22, 1.0, 1.0, 0.45)
    sk.rect(0.3, 0.05, 0.6, 0.22, 0.45)
    sk.oval(0.5, 0.62, 0.27, 0.3, 0.15)
    sk.oval(0.5, 0.62, 0.15, 0.17, 0.7)
    sk.rect(0.78, 0.3, 0.9, 0.4, 0.05)


def laptop(sk: Sketch) -> None:
    sk.shape([(0.12, 0.0), (0.88, 0.0), (0.86, 0.62), (0.14, 0.62)], 0.55)
    sk.rect(0.18, 0.06, 0.82, 0.56, 0.15)
    sk.shape([(0.14, 0.62), (0.86, 0.62), (1.0, 1.0), (0.0, 1.0)], 0.1)
    for k in range(3):
        v = 0.7 + k * 0.08
        sk.soft([(0.12 + k * 0.03, v), (0.88 - k * 0.03, v)])


def can(sk: Sketch) -> None:
    sk.rect(0.1, 0.1, 0.9, 0.92, 0.15)
    sk.oval(0.5, 0.1, 0.4, 0.09, 0.05)
    sk.arc(0.5, 0.92, 0.4, 0.08, 0.0, np.pi)
    sk.rect(0.1, 0.38, 0.9, 0.65, 0.35)
    sk.line([(0.7, 0.1), (0.95, -0.0)], weight=sk.weight + 1)  # a spout, as oil cans have


def plate(sk: Sketch) -> None:
    sk.oval(0.5, 0.5, 0.5, 0.45, 0.04)
    sk.oval(0.5, 0.5, 0.32, 0.28, 0.1)


def rope(sk: Sketch) -> None:
    for k in range(4):
        sk.line(ellipse(0.5, 0.55 + k * 0.03, 0.48 - k * 0.09, 0.4 - k * 0.08, 24), closed=True)
    sk.line([(0.9, 0.6), (1.0, 0.95)], weight=sk.weight + 1)


def flower(sk: Sketch) -> None:
    sk.line([(0.5, 0.35), (0.48, 1.0)], weight=sk.weight + 1)
    sk.shape([(0.48, 0.7), (0.2, 0.55), (0.3, 0.72)], 0.25)
    for k in range(6):
        a = k * np.pi / 3
        sk.oval(0.5 + 0.18 * np.cos(a), 0.22 + 0.12 * np.sin(a), 0.13, 0.09, 0.05, n=10)
    sk.oval(0.5, 0.22, 0.08, 0.06, 0.55, n=10)


def clock(sk: Sketch) -> None:
    sk.oval(0.5, 0.5, 0.48, 0.48, 0.05)
    for k in range(12):
        a = k * np.pi / 6
        sk.soft(
            [
                (0.5 + 0.38 * np.cos(a), 0.5 + 0.38 * np.sin(a)),
                (0.5 + 0.44 * np.cos(a), 0.5 + 0.44 * np.sin(a)),
            ]
        )
    sk.line([(0.5, 0.5), (0.5, 0.18)], weight=sk.weight + 1)
    sk.line([(0.5, 0.5), (0.72, 0.6)], weight=sk.weight + 1)


def radio(sk: Sketch) -> None:
    sk.line([(0.75, 0.3), (0.95, 0.0)])
    sk.rect(0.0, 0.3, 1.0, 1.0, 0.25)
    sk.oval(0.3, 0.65, 0.2, 0.25, 0.45)
    for k in range(4):
        sk.soft([(0.15, 0.5 + k * 0.08), (0.45, 0.5 + k * 0.08)])
    sk.rect(0.6, 0.45, 0.92, 0.6, 0.05)
    sk.oval(0.76, 0.8, 0.06, 0.08, 0.6, n=8)


# ---- the drawings, by noun --------------------------------------------------------------------
Drawing = tuple[float | None, Callable[[Sketch], None]]  # natural width/height (None: any), draw

DRAWINGS: dict[str, Drawing] = {
    "letter": (0.72, letter),
    "envelope": (2.0, envelope),
    "parcel": (1.4, lambda sk: box(sk, string=True)),
    "box": (1.6, box),
    "cup": (1.1, cup),
    "mug": (1.05, mug),
    "glass": (0.6, glass),
    "bottle": (0.3, bottle),
    "kettle": (1.1, kettle),
    "phone": (0.5, phone),
    "book": (0.8, book),
    "logbook": (1.5, lambda sk: book(sk, open_=True)),
    "key": (2.6, key),
    "knife": (4.0, knife),
    "gun": (1.5, gun),
    "bag": (1.2, bag),
    "suitcase": (0.9, suitcase),
    "umbrella": (0.9, umbrella),
    "candle": (0.4, candle),
    "lamp": (0.65, lamp),
    "lantern": (0.6, lantern),
    "torch": (2.0, torch),
    "camera": (1.4, camera),
    "laptop": (1.3, laptop),
    "photo": (1.4, photo),
    "map": (1.3, map_),
    "can": (0.65, can),
    "plate": (2.2, plate),
    "rope": (1.4, rope),
    "flower": (0.5, flower),
    "clock": (1.0, clock),
    "radio": (1.5, radio),
    "table": (1.9, fu.table),
    "desk": (1.8, lambda sk: fu.table(sk, drawers=True)),
    "chair": (0.6, fu.chair),
    "stool": (0.6, fu.stool),
    "bench": (2.8, fu.bench),
    "sofa": (2.2, fu.sofa),
    "bed": (2.2, fu.bed),
    "wardrobe": (0.6, fu.wardrobe),
    "cupboard": (0.75, lambda sk: fu.wardrobe(sk, tall=False)),
    "shelf": (0.8, lambda sk: fu.shelves(sk, books=4)),
    "bookcase": (0.6, fu.shelves),
    "fridge": (0.45, fu.fridge),
    "stove": (0.75, fu.stove),
    "sink": (1.0, fu.sink),
    "bath": (2.4, fu.bath),
    "mirror": (0.7, fu.mirror),
    "fireplace": (1.3, fu.fireplace),
    "piano": (1.3, fu.piano),
    "door": (0.45, fu.door),
    "window": (1.0, fu.window),
    "stairs": (1.1, fu.stairs),
    "railing": (3.0, fu.railing),
    "counter": (2.2, fu.counter),
    "bar": (2.8, lambda sk: fu.counter(sk, stools=True)),
    "tent": (1.5, fu.tent),
    "fence": (4.0, fu.fence),
    "gate": (0.8, fu.gate),
    "wall": (2.0, fu.wall),
    "bonfire": (1.4, fu.bonfire),
    "grave": (1.0, fu.grave),
    "car": (2.6, sc.car),
    "taxi": (2.6, lambda sk: sc.car(sk, roof_sign=True)),
    "van": (2.3, sc.van),
    "truck": (2.6, sc.truck),
    "bus": (3.6, sc.bus),
    "bicycle": (1.7, sc.bicycle),
    "motorbike": (1.7, lambda sk: sc.bicycle(sk, motor=True)),
    "boat": (2.6, sc.boat),
    "ship": (3.5, sc.ship),
    "train": (2.8, sc.train),
    "helicopter": (2.2, sc.helicopter),
    "plane": (2.6, sc.plane),
    "bird": (1.0, cr.draw_bird),
    "gull": (2.0, cr.draw_gull),
    "seal": (2.2, cr.draw_seal),
    # characters that are not people, drawn on a staged panel by their kind
    "drone": (2.4, cr.draw_drone),
    "robot": (0.55, cr.draw_robot),
    "fish": (2.2, cr.draw_fish),
    "lighthouse": (0.45, sc.lighthouse),
    "tree": (0.7, sc.tree),
    "rock": (1.4, sc.rock),
    "cliff": (1.4, sc.cliff),
    "sea": (None, sc.sea),
    "bay": (None, sc.bay),
    "beach": (None, sc.beach),
    "river": (None, sc.river),
    "lake": (2.0, sc.lake),
    "road": (None, sc.road),
    "path": (None, sc.path),
    "bridge": (2.6, sc.bridge),
    "hill": (2.5, sc.hill),
    "mountain": (1.6, sc.mountain),
    "forest": (2.5, sc.forest),
    "field": (None, sc.field),
    "house": (1.2, sc.house),
    "barn": (1.4, sc.barn),
    "tower": (0.5, sc.tower),
    "pier": (2.8, sc.pier),
    "dune": (2.8, sc.dune),
}
for _name, _spec in cr.QUADRUPEDS.items():
    DRAWINGS[_name] = (_spec.aspect(1.0), lambda sk, spec=_spec: cr.draw_quadruped(sk, spec))
SYNONYMS = {
    "couch": "sofa",
    "photograph": "photo",
    "bike": "bicycle",
    "staircase": "stairs",
    "rail": "railing",
    "boulder": "rock",
}


def drawing_for(name: str) -> Drawing | None:
    """The drawing of a noun of the vocabulary (singular or plural, or a synonym), or None for
    an unknown noun."""
    noun = noun_for(name) or name.strip().lower()
    return DRAWINGS.get(SYNONYMS.get(noun, noun))


def fitted(box: tuple[float, float, float, float], aspect: float | None) -> tuple[float, ...]:
    """The part of `box` a drawing of natural `aspect` fills: the box itself within 40 % of that
    aspect, else the largest such box standing on the bottom edge, centred; inset a little."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    if aspect is not None and w > 0 and h > 0:
        target = min(max(w / h, aspect / 1.4), aspect * 1.4)
        if w / h > target:
            x0, x1 = (x0 + x1) / 2 - h * target / 2, (x0 + x1) / 2 + h * target / 2
        else:
            y0 = y1 - w / target
    mx, my = (x1 - x0) * _MARGIN, (y1 - y0) * _MARGIN
    return (x0 + mx, y0 + my, x1 - mx, y1 - my)


def _region(canvas: np.ndarray, box: Box) -> tuple[np.ndarray, int, int] | None:
    """The canvas view under the box (clipped to the canvas) and the box's offset into it."""
    h, w = canvas.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in box)
    cx0, cy0, cx1, cy1 = max(x0, 0), max(y0, 0), min(x1, w), min(y1, h)
    if cx1 - cx0 < 2 or cy1 - cy0 < 2:
        return None
    return canvas[cy0:cy1, cx0:cx1], cx0, cy0


_PER_THREAD = threading.local()


@lru_cache(maxsize=512)
def _seeded(name: str) -> dict:
    return np.random.default_rng(zlib.crc32(name.encode("utf-8"))).bit_generator.state


def _rng(name: str) -> np.random.Generator:
    """The generator of a thing's jitter, seeded by its name: this thread's one generator, its
    state reset (a tenth of the cost of a new generator, which a panel of 20 things felt)."""
    rng = getattr(_PER_THREAD, "rng", None)
    if rng is None:
        rng = _PER_THREAD.rng = np.random.default_rng(0)
    rng.bit_generator.state = _seeded(name)
    return rng


def draw_thing(canvas: np.ndarray, name: str, kind: str, box: Box) -> None:
    """Draw the thing called `name` (a noun of the staging vocabulary, of `kind`: prop, vehicle,
    animal, set_piece, landscape) in pencil, fitted to the pixel box (x0, y0, x1, y1; x1 and y1
    exclusive). An unknown noun is drawn as a labelled block. Nothing outside the box changes."""
    region = _region(canvas, box)
    if region is None:
        return
    roi, ox, oy = region
    local = (box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy)
    drawing = drawing_for(name)
    rng = _rng(name)
    if drawing is None:
        _labelled_block(roi, name, kind, local, rng)
        return
    aspect, draw = drawing
    draw(Sketch(roi, fitted(local, aspect), rng))


def _labelled_block(
    roi: np.ndarray, name: str, kind: str, box: tuple[float, ...], rng: np.random.Generator
) -> None:
    """An unknown thing: a hatched block filling its box, its name written small at the top."""
    sk = Sketch(roi, fitted(box, None), rng)
    sk.shape([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)], 0.05)
    sk.shade([(0.55, 0.35), (1.0, 0.35), (1.0, 1.0), (0.55, 1.0)])
    label_box(roi, name.strip() or kind or "thing", sk)


def label_box(roi: np.ndarray, text: str, sk: Sketch) -> tuple[int, int, int, int]:
    """Write `text` small at the top of the sketch's box on a paper ground; returns the label's
    pixel box (x0, y0, x1, y1) in `roi`."""
    scale = max(0.28, min(0.5, sk.h / 90))
    while scale > 0.28 and text_width(text, scale) > sk.w * 0.92:
        scale -= 0.04
    width = min(text_width(text, scale), sk.w * 0.92)
    height = 22 * scale
    x0, y0 = sk.x0 + (sk.w - width) / 2, sk.y0 + 3
    x1, y1 = int(x0 + width + 2), int(y0 + height + 4)
    roi[max(int(y0), 0) : y1, max(int(x0) - 1, 0) : x1] = PAPER
    put_text(roi, text, x0, y0 + height, scale, GRAPHITE, 1)
    return (int(x0), int(y0), x1, y1)


# ---- hands ------------------------------------------------------------------------------------
_WRITING = {"pen", "pencil", "writing", "quill", "chalk"}


def draw_hand(canvas: np.ndarray, box: Box, holding: str | None = None) -> None:
    """An insert of a hand: open and resting (None), writing (a pen over a sheet), or holding a
    thing (drawn in its grip: a noun of the vocabulary, or a labelled block)."""
    region = _region(canvas, box)
    if region is None:
        return
    roi, ox, oy = region
    local = fitted((box[0] - ox, box[1] - oy, box[2] - ox, box[3] - oy), 1.6)
    sk = Sketch(roi, local, _rng(f"hand {holding}"))
    thing = (holding or "").strip().lower()
    if thing in _WRITING:
        sk.shape([(0.05, 0.55), (0.95, 0.5), (1.0, 1.0), (0.0, 1.0)], 0.0)
        for k in range(3):
            v = 0.62 + k * 0.1
            sk.soft([(0.12, v), (0.5 + 0.1 * k, v - 0.01)])
        sk.line([(0.5, 0.84), (0.56, 0.8), (0.6, 0.85), (0.64, 0.8)], passes=1)
        sk.line([(0.62, 0.82), (0.86, 0.2)], weight=sk.weight + 1)  # the pen
        _hand(sk, 0.72, 0.48, grip=True)
        return
    if thing:
        inner = (sk.x0 + sk.w * 0.22, sk.y0 + sk.h * 0.02, sk.x0 + sk.w * 0.62, sk.y0 + sk.h * 0.72)
        drawing = drawing_for(thing)
        if drawing is None:
            block = Sketch(roi, inner, sk.rng)
            block.rect(0.0, 0.0, 1.0, 1.0, 0.1)
            label_box(roi, holding or "", block)
        else:
            drawing[1](Sketch(roi, fitted(inner, drawing[0]), sk.rng))
        _hand(sk, 0.6, 0.6, grip=True)
        return
    sk.line([(0.0, 0.95), (1.0, 0.95)], SOFT, weight=1, passes=1)
    _hand(sk, 0.5, 0.6, grip=False)


def _hand(sk: Sketch, cu: float, cv: float, grip: bool) -> None:
    """A right hand seen from the back, reaching in from screen right: the sleeve, the palm,
    four fingers (lying flat, or curled round a grip) and the thumb."""
    sk.shape(
        [(1.0, cv - 0.13), (cu + 0.12, cv - 0.12), (cu + 0.12, cv + 0.17), (1.0, cv + 0.2)], 0.35
    )
    sk.line([(cu + 0.2, cv - 0.125), (cu + 0.2, cv + 0.18)], passes=1)
    for k in range(4):
        fv = cv - 0.1 + k * 0.068
        if grip:
            sk.oval(cu - 0.17, fv, 0.06, 0.034, 0.06, n=12)
        else:
            length = (0.2, 0.24, 0.22, 0.17)[k]
            sk.oval(cu - 0.14 - length / 2, fv, length / 2, 0.032, 0.06, n=14)
    sk.oval(cu, cv + 0.01, 0.16, 0.15, 0.06)
    sk.shade(ellipse(cu + 0.04, cv + 0.08, 0.1, 0.06, 10))
    for k in range(3):
        fv = cv - 0.066 + k * 0.068
        sk.soft([(cu - 0.12, fv), (cu - 0.08, fv + 0.005)])
    sk.shape(
        [
            (cu - 0.02, cv - 0.13),
            (cu - 0.18, cv - 0.25),
            (cu - 0.24, cv - 0.22),
            (cu - 0.1, cv - 0.07),
        ],
        0.06,
    )
