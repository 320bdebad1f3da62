"""Set pieces in pencil: furniture and the fittings of a set, in box units (`Sketch`).

Seen from the front at eye level, a little from above where a top would not read otherwise.
"""

from __future__ import annotations

import numpy as np

from studio.generation.backends.previz_pencil import SOFT, ellipse
from studio.generation.backends.previz_sketch import Sketch


def table(sk: Sketch, drawers: bool = False) -> None:
    sk.shape([(0.06, 0.0), (0.94, 0.0), (1.0, 0.16), (0.0, 0.16)], 0.12)
    sk.rect(0.0, 0.16, 1.0, 0.24, 0.3)
    for u in (0.04, 0.9):
        sk.rect(u, 0.24, u + 0.06, 1.0, 0.3)
    if drawers:
        sk.rect(0.62, 0.24, 0.9, 0.8, 0.08)
        for v in (0.42, 0.6):
            sk.soft([(0.62, v), (0.9, v)])
            sk.oval(0.76, v - 0.08, 0.02, 0.015, 0.6, n=6)
    sk.shade([(0.1, 0.24), (0.9, 0.24), (0.9, 0.45), (0.1, 0.45)])


def chair(sk: Sketch, back: bool = True) -> None:
    top = 0.0 if back else 0.45
    if back:
        sk.rect(0.15, 0.0, 0.85, 0.1, 0.25)
        for u in (0.15, 0.8):
            sk.rect(u, 0.1, u + 0.05, 0.5, 0.3)
        for u in (0.35, 0.5, 0.62):
            sk.soft([(u, 0.1), (u, 0.48)])
    sk.shape([(0.1, max(top, 0.48)), (0.9, max(top, 0.48)), (1.0, 0.56), (0.0, 0.56)], 0.15)
    for u in (0.04, 0.88):
        sk.line([(u + 0.04, 0.56), (u + 0.04, 1.0)], weight=sk.weight + 1)
    sk.line([(0.25, 0.56), (0.25, 0.92)], SOFT, passes=1)
    sk.line([(0.75, 0.56), (0.75, 0.92)], SOFT, passes=1)


def stool(sk: Sketch) -> None:
    sk.oval(0.5, 0.08, 0.45, 0.08, 0.15)
    for a, b in ((0.15, 0.0), (0.85, 1.0), (0.38, 0.3), (0.62, 0.7)):
        sk.line([(a, 0.12), (b, 1.0)], weight=sk.weight + (1 if a in (0.15, 0.85) else 0))
    sk.soft([(0.1, 0.6), (0.9, 0.6)])


def bench(sk: Sketch) -> None:
    for v in (0.05, 0.18, 0.31):
        sk.rect(0.0, v, 1.0, v + 0.08, 0.15)
    sk.shape([(0.02, 0.52), (0.98, 0.52), (1.0, 0.62), (0.0, 0.62)], 0.2)
    for u in (0.06, 0.9):
        sk.rect(u, 0.05, u + 0.04, 1.0, 0.45)


def sofa(sk: Sketch) -> None:
    sk.rect(0.05, 0.05, 0.95, 0.55, 0.12)  # back
    sk.rect(0.1, 0.5, 0.9, 0.78, 0.08)  # seat
    sk.soft([(0.5, 0.52), (0.5, 0.76)])
    for u in (0.0, 0.86):
        sk.rect(u, 0.3, u + 0.14, 0.88, 0.18)
    sk.shade([(0.1, 0.7), (0.9, 0.7), (0.9, 0.88), (0.1, 0.88)])
    for u in (0.04, 0.94):
        sk.line([(u, 0.88), (u, 1.0)], weight=sk.weight + 1)


def bed(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 0.08, 1.0, 0.35)  # headboard
    sk.rect(0.08, 0.45, 1.0, 0.8, 0.06)  # mattress
    sk.oval(0.2, 0.4, 0.11, 0.08, 0.0)  # pillow
    sk.shape([(0.35, 0.35), (0.98, 0.4), (1.0, 0.82), (0.35, 0.82)], 0.16, shade=True)  # blanket
    sk.rect(0.92, 0.55, 1.0, 1.0, 0.3)
    sk.line([(0.1, 0.8), (0.1, 1.0)], weight=sk.weight + 1)


def wardrobe(sk: Sketch, tall: bool = True) -> None:
    top = 0.0 if tall else 0.1
    sk.rect(0.0, top, 1.0, 0.96, 0.12)
    sk.line([(0.5, top + 0.03), (0.5, 0.93)])
    for u in (0.45, 0.55):
        sk.line([(u, 0.4), (u, 0.52)], weight=sk.weight + 1)
    if not tall:
        sk.soft([(0.0, 0.55), (1.0, 0.55)])
    sk.rect(0.0, top, 1.0, top + 0.05, 0.35)
    sk.shade([(0.7, top + 0.05), (1.0, top + 0.05), (1.0, 0.96), (0.7, 0.96)])
    for u in (0.05, 0.9):
        sk.line([(u, 0.96), (u, 1.0)], weight=sk.weight + 1)


def shelves(sk: Sketch, books: int = 6) -> None:
    sk.rect(0.0, 0.0, 1.0, 1.0, 0.05)
    for row in range(4):
        v = 0.05 + row * 0.24
        sk.line([(0.0, v + 0.2), (1.0, v + 0.2)])
        for k in range(books):
            u = 0.06 + k * 0.88 / books
            tall = 0.12 + 0.06 * ((k * 7 + row * 3) % 3) / 2
            sk.rect(u, v + 0.2 - tall, u + 0.7 / books, v + 0.2, 0.15 + 0.1 * (k % 3))


def fridge(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 1.0, 0.04)
    sk.line([(0.0, 0.35), (1.0, 0.35)])
    sk.line([(0.12, 0.12), (0.12, 0.28)], weight=sk.weight + 2)
    sk.line([(0.12, 0.42), (0.12, 0.62)], weight=sk.weight + 2)
    sk.shade([(0.8, 0.0), (1.0, 0.0), (1.0, 1.0), (0.8, 1.0)])


def stove(sk: Sketch) -> None:
    sk.rect(0.0, 0.12, 1.0, 1.0, 0.08)
    sk.shape([(0.05, 0.0), (0.95, 0.0), (1.0, 0.12), (0.0, 0.12)], 0.25)
    for u in (0.28, 0.72):
        sk.oval(u, 0.06, 0.14, 0.035, 0.5, n=14)
    sk.rect(0.1, 0.35, 0.9, 0.85, 0.2)
    sk.rect(0.25, 0.48, 0.75, 0.72, 0.45)
    for u in (0.2, 0.4, 0.6, 0.8):
        sk.oval(u, 0.22, 0.03, 0.04, 0.6, n=8)


def sink(sk: Sketch) -> None:
    sk.rect(0.0, 0.3, 1.0, 1.0, 0.06)
    sk.shape([(0.1, 0.3), (0.9, 0.3), (0.8, 0.5), (0.2, 0.5)], 0.35, shade=True)
    sk.line([(0.5, 0.3), (0.5, 0.05), (0.62, 0.05), (0.64, 0.14)], weight=sk.weight + 1)
    sk.soft([(0.5, 0.5), (0.5, 1.0)])


def bath(sk: Sketch) -> None:
    sk.shape([(0.0, 0.2), (1.0, 0.2), (0.95, 0.7), (0.85, 0.85), (0.15, 0.85), (0.05, 0.7)], 0.06)
    sk.oval(0.5, 0.22, 0.48, 0.06, 0.25)
    for u in (0.18, 0.82):
        sk.shape([(u - 0.05, 0.83), (u + 0.05, 0.83), (u + 0.06, 1.0), (u - 0.06, 1.0)], 0.5)
    sk.line([(0.08, 0.2), (0.08, 0.02), (0.16, 0.02), (0.16, 0.08)], weight=sk.weight + 1)


def mirror(sk: Sketch) -> None:
    sk.oval(0.5, 0.5, 0.48, 0.48, 0.3)
    sk.oval(0.5, 0.5, 0.4, 0.4, 0.0)
    for k in range(3):
        d = 0.12 * k
        sk.soft([(0.25 + d, 0.35 - d * 0.3), (0.45 + d, 0.2 - d * 0.3)])


def fireplace(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 0.1, 0.3)  # mantel
    sk.rect(0.05, 0.1, 0.95, 1.0, 0.1)
    opening = np.vstack(
        [[(0.25, 1.0)], ellipse(0.5, 0.5, 0.25, 0.2, 14, np.pi, 2 * np.pi), [(0.75, 1.0)]]
    )
    sk.shape(opening, 0.55)
    flames(sk, 0.5, 0.98, 0.18, 0.38)


def flames(sk: Sketch, u: float, v: float, half: float, height: float) -> None:
    """A fire: three licking tongues of flame standing on (u, v), each with an inner flame."""
    for k, (du, scale) in enumerate(((-0.5, 0.7), (0.0, 1.0), (0.5, 0.75))):
        cu, h, w = u + du * half, height * scale, half * 0.6
        lean = 0.25 * (k - 1)
        tongue = [
            (cu - w, v),
            (cu - w * 1.05, v - h * 0.3),
            (cu - w * 0.55, v - h * 0.55),
            (cu - w * 0.45, v - h * 0.75),
            (cu + w * lean, v - h),
            (cu + w * 0.3, v - h * 0.7),
            (cu + w * 0.75, v - h * 0.5),
            (cu + w * 1.05, v - h * 0.25),
            (cu + w, v),
        ]
        sk.shape(tongue, 0.0)
        inner = [
            (cu - w * 0.45, v),
            (cu - w * 0.4, v - h * 0.3),
            (cu, v - h * 0.5),
            (cu + w * 0.4, v - h * 0.28),
            (cu + w * 0.45, v),
        ]
        sk.shape(inner, 0.12)


def piano(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 0.5, 0.3)
    sk.rect(0.0, 0.5, 1.0, 0.6, 0.02)
    for k in range(15):
        sk.soft([(0.03 + k * 0.0667, 0.5), (0.03 + k * 0.0667, 0.6)])
    for k in range(10):
        u = 0.07 + k * 0.09
        sk.rect(u, 0.5, u + 0.03, 0.56, 0.85)
    sk.rect(0.0, 0.6, 1.0, 0.7, 0.25)
    for u in (0.04, 0.92):
        sk.rect(u, 0.7, u + 0.05, 1.0, 0.4)
    sk.rect(0.35, 0.9, 0.65, 1.0, 0.3)


def door(sk: Sketch) -> None:
    sk.line([(0.0, 1.0), (0.0, 0.0), (1.0, 0.0), (1.0, 1.0)], weight=sk.weight + 1)
    sk.rect(0.1, 0.04, 0.9, 1.0, 0.1)
    sk.rect(0.2, 0.1, 0.8, 0.45, 0.04)
    sk.rect(0.2, 0.55, 0.8, 0.92, 0.04)
    sk.oval(0.8, 0.52, 0.04, 0.02, 0.6, n=8)


def window(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 0.92, 0.02)
    sk.line([(0.5, 0.0), (0.5, 0.92)])
    sk.line([(0.0, 0.46), (1.0, 0.46)])
    sk.shade([(0.04, 0.04), (0.4, 0.04), (0.04, 0.35)])
    sk.rect(-0.0, 0.92, 1.0, 1.0, 0.3)  # sill


def stairs(sk: Sketch) -> None:
    n = 6
    pts = [(0.0, 1.0)]
    for k in range(n):
        u, v = k / n, 1.0 - k / n
        pts += [(u, v - 1 / n), (u + 1 / n, v - 1 / n)]
    pts += [(1.0, 1.0)]
    sk.shape(pts, 0.1)
    sk.shade([(0.3, 1.0), (1.0, 0.0), (1.0, 1.0)])
    sk.line([(0.05, 0.55), (0.95, -0.35 + 0.4)], weight=sk.weight + 1)
    for k in range(n):
        u = (k + 0.5) / n
        sk.line([(u, 1.0 - (k + 1) / n), (u, 0.55 - u * 0.9 + 0.05)], passes=1)


def railing(sk: Sketch) -> None:
    sk.line([(0.0, 0.05), (1.0, 0.05)], weight=sk.weight + 1)
    sk.line([(0.0, 0.5), (1.0, 0.5)], passes=1)
    for u in np.linspace(0.0, 1.0, 9):
        sk.line([(u, 0.05), (u, 1.0)], weight=sk.weight + (1 if u in (0.0, 1.0) else 0))


def counter(sk: Sketch, stools: bool = False) -> None:
    sk.rect(0.0, 0.0, 1.0, 0.1, 0.35)
    sk.rect(0.02, 0.1, 0.98, 1.0, 0.08)
    for u in (0.33, 0.66):
        sk.soft([(u, 0.1), (u, 1.0)])
    if stools:
        for u in (0.18, 0.5, 0.82):
            sk.oval(u, 0.5, 0.07, 0.03, 0.4, n=10)
            sk.line([(u, 0.53), (u, 1.0)], weight=sk.weight + 1)
        for k in range(5):
            sk.rect(0.1 + k * 0.18, -0.0, 0.13 + k * 0.18, 0.02, 0.5)
    else:
        sk.shade([(0.02, 0.1), (0.98, 0.1), (0.98, 0.3), (0.02, 0.3)])


def tent(sk: Sketch) -> None:
    sk.shape([(0.0, 1.0), (0.5, 0.0), (1.0, 1.0)], 0.12)
    sk.shape([(0.5, 0.0), (0.38, 1.0), (0.62, 1.0)], 0.5)
    sk.line([(0.5, 0.0), (0.5, -0.0)], passes=1)
    for u in (0.0, 1.0):
        sk.line([(0.5, 0.05), (u, 0.9)], SOFT, weight=1, passes=1)


def fence(sk: Sketch) -> None:
    for v in (0.3, 0.7):
        sk.line([(0.0, v), (1.0, v)], weight=sk.weight + 1)
    for u in np.linspace(0.02, 0.98, 11):
        sk.shape(
            [(u - 0.025, 1.0), (u - 0.025, 0.1), (u, 0.02), (u + 0.025, 0.1), (u + 0.025, 1.0)], 0.1
        )


def gate(sk: Sketch) -> None:
    for u in (0.0, 0.92):
        sk.rect(u, 0.0, u + 0.08, 1.0, 0.4)
    sk.rect(0.1, 0.1, 0.9, 0.95, 0.0)
    for v in (0.1, 0.52, 0.95):
        sk.line([(0.1, v), (0.9, v)], weight=sk.weight + 1)
    sk.line([(0.1, 0.95), (0.9, 0.1)], weight=sk.weight + 1)


def wall(sk: Sketch) -> None:
    sk.rect(0.0, 0.0, 1.0, 1.0, 0.08)
    rows = 6
    for r in range(1, rows):
        sk.soft([(0.0, r / rows), (1.0, r / rows)])
    for r in range(rows):
        offset = 0.1 if r % 2 else 0.0
        for u in np.arange(offset + 0.2, 1.0, 0.2):
            sk.soft([(u, r / rows), (u, (r + 1) / rows)])


def bonfire(sk: Sketch) -> None:
    sk.line([(0.1, 1.0), (0.9, 0.8)], weight=sk.weight + 3)
    sk.line([(0.1, 0.8), (0.9, 1.0)], weight=sk.weight + 3)
    flames(sk, 0.5, 0.88, 0.35, 0.85)
    for u in (0.35, 0.65):
        sk.soft([(u, 0.1), (u + 0.05, 0.0)])


def grave(sk: Sketch) -> None:
    stone = np.vstack(
        [[(0.3, 0.7)], ellipse(0.5, 0.2, 0.2, 0.18, 12, np.pi, 2 * np.pi), [(0.7, 0.7)]]
    )
    sk.shape(stone, 0.2)
    sk.line([(0.5, 0.15), (0.5, 0.45)], weight=sk.weight + 1)
    sk.line([(0.42, 0.25), (0.58, 0.25)], weight=sk.weight + 1)
    sk.shape(np.vstack([ellipse(0.5, 1.0, 0.5, 0.3, 14, np.pi, 2 * np.pi)]), 0.1, shade=True)
