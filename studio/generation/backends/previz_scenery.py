"""Vehicles and landscape features in pencil, in box units (`previz_sketch.Sketch`).

Vehicles are drawn side-on facing screen right; landscape features as seen from eye level.
Each function fills its box: u across, v down, v = 1 the ground.
"""

from __future__ import annotations

import numpy as np

from studio.generation.backends.previz_pencil import SOFT, ellipse
from studio.generation.backends.previz_sketch import Sketch


def _wheels(sk: Sketch, us: tuple[float, ...], r: float, v: float = 0.82) -> None:
    rv = r * sk.w / sk.h
    for u in us:
        sk.oval(u, v, r, rv, 0.55, n=18)
        sk.oval(u, v, r * 0.4, rv * 0.4, 0.1, n=10)


# ---- vehicles ---------------------------------------------------------------------------------
def car(sk: Sketch, roof_sign: bool = False) -> None:
    sk.shape(
        [
            (0.0, 0.82),
            (0.02, 0.5),
            (0.22, 0.45),
            (0.32, 0.12),
            (0.7, 0.12),
            (0.84, 0.45),
            (1.0, 0.52),
            (1.0, 0.82),
        ],
        0.12,
    )
    sk.shape([(0.36, 0.18), (0.5, 0.18), (0.5, 0.44), (0.27, 0.44)], 0.3)
    sk.shape([(0.54, 0.18), (0.67, 0.18), (0.78, 0.44), (0.54, 0.44)], 0.3)
    sk.soft([(0.52, 0.45), (0.52, 0.8)])
    sk.shade([(0.0, 0.65), (1.0, 0.65), (1.0, 0.82), (0.0, 0.82)])
    if roof_sign:
        sk.rect(0.44, 0.02, 0.6, 0.12, 0.35)
    _wheels(sk, (0.2, 0.8), 0.09)


def van(sk: Sketch) -> None:
    sk.shape([(0.0, 0.84), (0.0, 0.06), (0.72, 0.06), (0.86, 0.38), (1.0, 0.45), (1.0, 0.84)], 0.12)
    sk.shape([(0.74, 0.12), (0.84, 0.4), (0.7, 0.4), (0.7, 0.12)], 0.35)
    sk.soft([(0.66, 0.08), (0.66, 0.82)])
    sk.shade([(0.0, 0.7), (1.0, 0.7), (1.0, 0.84), (0.0, 0.84)])
    _wheels(sk, (0.18, 0.82), 0.075, 0.86)


def truck(sk: Sketch) -> None:
    sk.rect(0.0, 0.05, 0.7, 0.8, 0.1)
    sk.shape([(0.72, 0.8), (0.72, 0.25), (0.9, 0.25), (1.0, 0.5), (1.0, 0.8)], 0.15)
    sk.shape([(0.76, 0.3), (0.88, 0.3), (0.95, 0.5), (0.76, 0.5)], 0.4)
    for u in (0.18, 0.36, 0.54):
        sk.soft([(u, 0.08), (u, 0.78)])
    _wheels(sk, (0.12, 0.26, 0.86), 0.055, 0.85)


def bus(sk: Sketch) -> None:
    sk.shape([(0.0, 0.85), (0.0, 0.1), (0.95, 0.1), (1.0, 0.3), (1.0, 0.85)], 0.12)
    for k in range(7):
        u = 0.04 + k * 0.125
        sk.rect(u, 0.2, u + 0.1, 0.45, 0.35)
    sk.rect(0.9, 0.2, 0.97, 0.75, 0.25)
    sk.soft([(0.0, 0.55), (1.0, 0.55)])
    _wheels(sk, (0.15, 0.8), 0.05, 0.87)


def bicycle(sk: Sketch, motor: bool = False) -> None:
    r = 0.22
    rv = r * sk.w / sk.h
    for u in (0.23, 0.77):
        sk.line(ellipse(u, 1 - rv, r, rv, 24), closed=True, weight=sk.weight + (1 if motor else 0))
    hub_v = 1 - rv
    seat, bar = (0.42, 0.3), (0.7, 0.22)
    sk.line([(0.23, hub_v), (0.48, hub_v), seat, (0.23, hub_v)])
    sk.line([(0.48, hub_v), (0.67, 0.32), seat])
    sk.line([(0.77, hub_v), bar, (0.64, 0.16)])
    sk.line([(0.36, 0.28), (0.5, 0.27)], weight=sk.weight + 1)
    if motor:
        sk.shape([(0.36, 0.45), (0.62, 0.38), (0.62, 0.62), (0.4, 0.66)], 0.45, shade=True)
        sk.shape([(0.32, 0.3), (0.66, 0.25), (0.7, 0.35), (0.36, 0.4)], 0.35)


def boat(sk: Sketch) -> None:
    sk.line([(0.0, 0.95), (0.3, 0.9), (0.6, 0.97), (1.0, 0.92)], SOFT, passes=1)
    sk.shape([(0.0, 0.55), (1.0, 0.5), (0.85, 0.88), (0.12, 0.88)], 0.15, shade=True)
    sk.rect(0.3, 0.25, 0.62, 0.53, 0.1)
    sk.rect(0.36, 0.31, 0.46, 0.42, 0.35)
    sk.line([(0.72, 0.52), (0.72, 0.0)])
    sk.line([(0.72, 0.0), (0.95, 0.5)], SOFT, passes=1)


def ship(sk: Sketch) -> None:
    sk.shape([(0.0, 0.55), (1.0, 0.5), (0.92, 0.9), (0.06, 0.9)], 0.2, shade=True)
    sk.rect(0.15, 0.32, 0.7, 0.55, 0.08)
    sk.rect(0.25, 0.18, 0.55, 0.32, 0.08)
    for u in (0.2, 0.3, 0.4, 0.5, 0.6):
        sk.oval(u, 0.44, 0.015, 0.03, 0.6, n=8)
    sk.shape([(0.62, 0.32), (0.64, 0.05), (0.72, 0.05), (0.72, 0.32)], 0.55)  # funnel
    sk.line([(0.85, 0.5), (0.85, 0.1)], passes=1)


def train(sk: Sketch) -> None:
    sk.rect(0.0, 0.25, 0.45, 0.85, 0.12)
    for k in range(3):
        sk.rect(0.04 + k * 0.14, 0.35, 0.14 + k * 0.14, 0.5, 0.35)
    sk.shape(
        [
            (0.48, 0.85),
            (0.48, 0.3),
            (0.8, 0.3),
            (0.8, 0.1),
            (0.9, 0.1),
            (0.9, 0.3),
            (0.96, 0.45),
            (1.0, 0.85),
        ],
        0.2,
    )
    sk.rect(0.54, 0.36, 0.7, 0.5, 0.4)
    sk.line([(0.0, 0.97), (1.0, 0.97)], SOFT, passes=1)
    _wheels(sk, (0.1, 0.35, 0.6, 0.85), 0.05, 0.88)


def helicopter(sk: Sketch) -> None:
    sk.line([(0.05, 0.08), (0.95, 0.08)], weight=sk.weight + 1)
    sk.line([(0.55, 0.08), (0.55, 0.25)])
    sk.oval(0.6, 0.45, 0.25, 0.22, 0.15)
    sk.shape([(0.7, 0.28), (0.84, 0.4), (0.8, 0.55), (0.65, 0.4)], 0.4)
    sk.shape([(0.36, 0.4), (0.02, 0.36), (0.02, 0.46), (0.36, 0.52)], 0.12)  # tail boom
    sk.oval(0.05, 0.35, 0.05, 0.12, 0.05)
    sk.line([(0.4, 0.85), (0.85, 0.85)])
    sk.line([(0.5, 0.67), (0.48, 0.85)], passes=1)
    sk.line([(0.72, 0.66), (0.74, 0.85)], passes=1)


def plane(sk: Sketch) -> None:
    sk.shape([(0.0, 0.45), (0.05, 0.3), (0.9, 0.38), (1.0, 0.48), (0.9, 0.58), (0.05, 0.55)], 0.1)
    sk.shape([(0.05, 0.32), (0.0, 0.05), (0.1, 0.05), (0.2, 0.36)], 0.2)  # fin
    sk.shape([(0.45, 0.5), (0.3, 0.95), (0.42, 0.95), (0.62, 0.52)], 0.2)  # wing
    for k in range(8):
        sk.oval(0.25 + k * 0.07, 0.44, 0.012, 0.025, 0.6, n=6)


# ---- landscape --------------------------------------------------------------------------------
def lighthouse(sk: Sketch) -> None:
    tower = [(0.3, 1.0), (0.38, 0.25), (0.62, 0.25), (0.7, 1.0)]
    sk.shape(tower, 0.04)
    for v0, v1 in ((0.42, 0.55), (0.7, 0.84)):  # bands
        a0, a1 = 0.38 - (v0 - 0.25) * 0.107, 0.38 - (v1 - 0.25) * 0.107
        sk.shape([(a0, v0), (1 - a0, v0), (1 - a1, v1), (a1, v1)], 0.45)
    sk.rect(0.33, 0.22, 0.67, 0.25, 0.4)  # gallery
    sk.rect(0.4, 0.1, 0.6, 0.22, 0.02)  # lamp room
    sk.shape([(0.38, 0.1), (0.5, 0.02), (0.62, 0.1)], 0.5)
    for side in (-1, 1):
        sk.soft([(0.5 + side * 0.12, 0.14), (0.5 + side * 0.5, 0.08)])
        sk.soft([(0.5 + side * 0.12, 0.18), (0.5 + side * 0.5, 0.24)])
    sk.ground()


def tree(sk: Sketch) -> None:
    sk.shape([(0.45, 1.0), (0.47, 0.5), (0.53, 0.5), (0.55, 1.0)], 0.3)
    canopy = ellipse(0.5, 0.32, 0.46, 0.3, 20)
    canopy += sk.rng.normal(0, 0.015, canopy.shape)
    sk.shape(canopy, 0.1)
    sk.shade(canopy[:10])
    sk.ground()


def rock(sk: Sketch) -> None:
    outline = [(0.0, 1.0), (0.08, 0.5), (0.3, 0.18), (0.62, 0.1), (0.88, 0.35), (1.0, 1.0)]
    sk.shape(outline, 0.18)
    sk.shade([(0.62, 0.1), (0.88, 0.35), (1.0, 1.0), (0.6, 1.0), (0.55, 0.5)])
    sk.soft([(0.3, 0.18), (0.42, 0.55), (0.35, 1.0)])


def cliff(sk: Sketch) -> None:
    sk.shape(
        [(0.0, 0.05), (0.55, 0.05), (0.62, 0.3), (0.7, 0.45), (0.72, 0.7), (0.85, 1.0), (0.0, 1.0)],
        0.2,
    )
    sk.shade([(0.55, 0.05), (0.62, 0.3), (0.7, 0.45), (0.72, 0.7), (0.85, 1.0), (0.5, 1.0)])
    for v in (0.3, 0.55, 0.8):
        sk.soft([(0.1, v), (0.55, v + 0.05)])
    waves(sk, 0.85, u0=0.75)


def waves(sk: Sketch, v0: float = 0.2, u0: float = 0.0) -> None:
    rows = 5
    for k in range(rows):
        v = v0 + (1 - v0) * (k + 0.5) / rows
        u = np.linspace(u0, 1.0, 16)
        wv = v + 0.025 * np.sin(u * 30 + k * 1.7)
        sk.line(np.stack([u, wv], axis=1), passes=1, weight=1)


def sea(sk: Sketch) -> None:
    sk.line([(0.0, 0.15), (1.0, 0.15)])
    waves(sk, 0.15)


def bay(sk: Sketch) -> None:
    """Water held between two headlands, the far shore on the horizon."""
    sk.line([(0.0, 0.25), (1.0, 0.25)], SOFT, passes=1)
    waves(sk, 0.3)
    sk.shape([(0.0, 0.2), (0.15, 0.22), (0.35, 0.45), (0.3, 0.7), (0.45, 1.0), (0.0, 1.0)], 0.2)
    sk.shape([(1.0, 0.22), (0.8, 0.26), (0.62, 0.5), (0.7, 0.75), (0.58, 1.0), (1.0, 1.0)], 0.2)
    sk.shade([(0.0, 0.2), (0.15, 0.22), (0.35, 0.45), (0.3, 0.7), (0.0, 0.7)])


def beach(sk: Sketch) -> None:
    waves(sk, 0.0)
    sand = [(0.0, 0.5), (0.3, 0.45), (0.7, 0.55), (1.0, 0.5), (1.0, 1.0), (0.0, 1.0)]
    sk.shape(sand, 0.06)
    pts = sk.rng.random((20, 2)) * (1.0, 0.4) + (0.0, 0.58)
    for u, v in pts:
        sk.soft([(u, v), (u + 0.01, v)])


def river(sk: Sketch) -> None:
    for side in (-1, 1):
        vs = np.linspace(0.0, 1.0, 12)
        us = 0.5 + side * (0.05 + 0.35 * vs) + 0.08 * np.sin(vs * 6)
        sk.line(np.stack([us, vs], axis=1))
    for v in (0.3, 0.55, 0.8):
        sk.soft([(0.45, v), (0.58, v + 0.02)])


def lake(sk: Sketch) -> None:
    """Still water to a far shore of low hills, reeds at the near edge."""
    far = [(0.0, 0.35), (0.2, 0.2), (0.4, 0.3), (0.65, 0.15), (1.0, 0.32), (1.0, 0.4), (0.0, 0.4)]
    sk.shape(far, 0.15, shade=True)
    sk.line([(0.0, 0.4), (1.0, 0.4)])
    for k in range(4):
        v = 0.5 + k * 0.11
        sk.soft([(0.15 + k * 0.06, v), (0.55 - k * 0.03, v)])
        sk.soft([(0.6 + k * 0.02, v + 0.03), (0.9 - k * 0.04, v + 0.03)])
    for k, u in enumerate((0.04, 0.08, 0.12, 0.86, 0.9)):
        sk.line([(u, 1.0), (u + 0.02 * (k % 2) - 0.01, 0.72 - 0.04 * (k % 3))], weight=1)
    sk.line([(0.0, 1.0), (0.2, 0.95), (0.8, 0.97), (1.0, 1.0)], SOFT, weight=1)


def road(sk: Sketch) -> None:
    sk.line([(0.45, 0.0), (0.0, 1.0)])
    sk.line([(0.55, 0.0), (1.0, 1.0)])
    for k in range(5):
        t0, t1 = k / 5, k / 5 + 0.1
        sk.line([(0.5, t0**1.3), (0.5, t1**1.3)], weight=sk.weight + int(k > 2), passes=1)


def path(sk: Sketch) -> None:
    vs = np.linspace(0.0, 1.0, 12)
    for side in (-1, 1):
        us = 0.5 + 0.15 * np.sin(vs * 4) + side * (0.02 + 0.2 * vs)
        sk.line(np.stack([us, vs], axis=1))
    for k in range(6):
        v = 0.15 + k * 0.15
        u = 0.5 + 0.15 * np.sin(v * 4)
        sk.oval(u + 0.05 * ((k % 2) - 0.5), v, 0.015 + 0.02 * v, 0.01 + 0.012 * v, 0.3, n=8)
    for side in (-1, 1):
        for k in range(4):
            u = 0.5 + side * (0.3 + 0.04 * k)
            sk.soft([(u, 0.5 + k * 0.12), (u + side * 0.03, 0.44 + k * 0.12)])


def bridge(sk: Sketch) -> None:
    sk.rect(0.0, 0.25, 1.0, 0.36, 0.25)
    sk.line(ellipse(0.5, 1.0, 0.42, 0.62, 20, np.pi, 2 * np.pi))
    for u in (0.15, 0.3, 0.5, 0.7, 0.85):
        sk.soft([(u, 0.36), (u, 1.0 - 0.62 * np.sqrt(max(0.0, 1 - ((u - 0.5) / 0.42) ** 2)))])
    sk.line([(0.0, 0.1), (1.0, 0.1)], passes=1)
    for u in np.linspace(0.0, 1.0, 9):
        sk.line([(u, 0.1), (u, 0.25)], passes=1, weight=1)
    waves(sk, 0.85)


def hill(sk: Sketch) -> None:
    sk.shape(np.vstack([ellipse(0.5, 1.0, 0.52, 0.9, 20, np.pi, 2 * np.pi), [(1.0, 1.0)]]), 0.08)
    for u in (0.3, 0.5, 0.7):
        sk.soft([(u - 0.05, 0.5 + abs(u - 0.5)), (u + 0.05, 0.48 + abs(u - 0.5))])


def mountain(sk: Sketch) -> None:
    peaks = [(0.0, 1.0), (0.3, 0.3), (0.42, 0.45), (0.62, 0.0), (1.0, 1.0)]
    sk.shape(peaks, 0.12)
    sk.shape([(0.55, 0.11), (0.62, 0.0), (0.7, 0.13), (0.64, 0.1), (0.6, 0.15)], 0.0)  # snow
    sk.shade([(0.62, 0.0), (1.0, 1.0), (0.7, 1.0)])


def forest(sk: Sketch) -> None:
    n = 7
    for k in range(n):
        u = (k + 0.5) / n + sk.rng.normal(0, 0.015)
        top = 0.1 + 0.25 * ((k * 37) % 5) / 5
        conifer(sk, u, top, 0.55 / n * 2)
    sk.ground()


def conifer(sk: Sketch, u: float, top: float, width: float) -> None:
    sk.shape([(u - width / 2, 0.92), (u, top), (u + width / 2, 0.92)], 0.22)
    sk.line([(u, 0.92), (u, 1.0)], passes=1)


def field(sk: Sketch) -> None:
    sk.line([(0.0, 0.1), (1.0, 0.1)])
    for k in range(9):
        end = k / 8
        sk.line([(0.5 + (end - 0.5) * 0.3, 0.1), (end * 1.6 - 0.3, 1.0)], SOFT, weight=1, passes=1)


def house(sk: Sketch) -> None:
    sk.rect(0.1, 0.42, 0.9, 1.0, 0.06)
    sk.shape([(0.02, 0.45), (0.5, 0.05), (0.98, 0.45)], 0.3, shade=True)
    sk.rect(0.7, 0.12, 0.78, 0.28, 0.4)  # chimney
    sk.rect(0.43, 0.68, 0.57, 1.0, 0.35)
    for u in (0.18, 0.66):
        sk.rect(u, 0.55, u + 0.16, 0.72, 0.2)


def barn(sk: Sketch) -> None:
    sk.shape(
        [
            (0.05, 1.0),
            (0.05, 0.45),
            (0.2, 0.18),
            (0.5, 0.05),
            (0.8, 0.18),
            (0.95, 0.45),
            (0.95, 1.0),
        ],
        0.1,
    )
    sk.rect(0.33, 0.5, 0.67, 1.0, 0.2)
    sk.line([(0.33, 0.5), (0.67, 1.0)])
    sk.line([(0.67, 0.5), (0.33, 1.0)])
    sk.rect(0.43, 0.25, 0.57, 0.38, 0.4)


def tower(sk: Sketch) -> None:
    sk.rect(0.25, 0.15, 0.75, 1.0, 0.1)
    for k in range(4):
        u = 0.2 + k * 0.16
        sk.rect(u, 0.05, u + 0.1, 0.15, 0.2)
    sk.rect(0.2, 0.13, 0.8, 0.18, 0.25)
    sk.shape([(0.43, 0.5), (0.43, 0.38), (0.5, 0.33), (0.57, 0.38), (0.57, 0.5)], 0.6)
    sk.shape([(0.42, 1.0), (0.42, 0.82), (0.5, 0.76), (0.58, 0.82), (0.58, 1.0)], 0.5)


def pier(sk: Sketch) -> None:
    sk.shape([(0.0, 0.35), (1.0, 0.45), (1.0, 0.52), (0.0, 0.42)], 0.25)
    for k in range(7):
        u = 0.05 + k * 0.15
        v = 0.43 + u * 0.09
        sk.line([(u, v), (u, 0.95)], weight=sk.weight + 1)
    for k in range(7):
        u = 0.03 + k * 0.15
        sk.line([(u, 0.3 + u * 0.1), (u, 0.4 + u * 0.1)], passes=1)
    sk.line([(0.0, 0.3), (1.0, 0.4)], passes=1)
    waves(sk, 0.6)


def dune(sk: Sketch) -> None:
    crest = ellipse(0.45, 1.0, 0.5, 0.8, 18, np.pi, 2 * np.pi)
    sk.shape(np.vstack([crest, [(1.0, 1.0)]]), 0.06)
    sk.shade([(0.45, 0.2), (0.95, 1.0), (0.5, 1.0)])
    for k in range(4):
        v = 0.45 + k * 0.13
        sk.soft([(0.1 + k * 0.02, v + 0.05), (0.35, v), (0.5, v + 0.04)])
