"""A pencil sketch of one thing inside a box: the previz pencil strokes in box units.

Drawings of things (`previz_things`, `previz_creatures`, `previz_scenery`) are written in unit
coordinates: u runs 0 → 1 across the box, v 0 → 1 down it. `Sketch` maps them to pixels and
draws with `previz_pencil`'s strokes, fills and hatching, so every thing reads like the panels.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from studio.generation.backends.previz_pencil import (
    GRAPHITE,
    LIGHT,
    SOFT,
    ellipse,
    fill,
    hatch,
    mix,
    stroke,
)


@lru_cache(maxsize=32)
def _circle(n: int) -> np.ndarray:
    return ellipse(0.0, 0.0, 1.0, 1.0, n)


_DETAIL = 36  # pixels: a thing drawn smaller shows no hatching and no light detail lines
Points = Sequence[tuple[float, float]] | np.ndarray


class Sketch:
    """Unit-box drawing on `img` (any array cv2 can draw on) over the pixel box (x0, y0, x1, y1)."""

    def __init__(
        self, img: np.ndarray, box: tuple[float, float, float, float], rng: np.random.Generator
    ) -> None:
        self.img, self.rng = img, rng
        self.x0, self.y0, x1, y1 = box
        self.w, self.h = max(x1 - self.x0, 1.0), max(y1 - self.y0, 1.0)
        self._scale, self._origin = np.array([self.w, self.h]), np.array([self.x0, self.y0])
        self.weight = int(max(1, min(3, round(min(self.w, self.h) / 70))))
        self.wobble = min(0.8, 0.25 + min(self.w, self.h) / 200)
        self.spacing = max(3.0, min(self.w, self.h) / 10)
        self.detailed = min(self.w, self.h) >= _DETAIL
        self.passes = 1 if min(self.w, self.h) < 96 else 2  # a small thing: one pass reads the same

    def pts(self, points: Points) -> np.ndarray:
        return np.asarray(points, dtype=np.float64).reshape(-1, 2) * self._scale + self._origin

    def line(
        self,
        points: Points,
        ink: tuple[int, ...] = GRAPHITE,
        closed: bool = False,
        weight: int = 0,
        passes: int = 0,
    ) -> None:
        """A pencil stroke through `points` (box units), in `passes` (0: as the size asks)."""
        stroke(
            self.img,
            self.pts(points),
            ink,
            self.rng,
            self.wobble,
            weight or self.weight,
            closed=closed,
            passes=min(passes or 2, self.passes),
        )

    def shape(
        self,
        points: Points,
        tone: float = 0.12,
        shade: bool = False,
        ink: tuple[int, ...] = GRAPHITE,
        weight: int = 0,
    ) -> None:
        """A closed outline, filled with graphite at `tone` (0 paper, 1 graphite), maybe hatched."""
        p = self.pts(points)
        if tone > 0:
            fill(self.img, p, mix(GRAPHITE, tone), smooth=False)  # the outline covers its edge
        if shade:
            hatch(self.img, p, SOFT, self.spacing, self.rng)
        stroke(self.img, p, ink, self.rng, self.wobble, weight or self.weight, True, self.passes)

    def rect(self, u0: float, v0: float, u1: float, v1: float, tone: float = 0.12, **kw) -> None:
        self.shape([(u0, v0), (u1, v0), (u1, v1), (u0, v1)], tone, **kw)

    def oval(
        self,
        cu: float,
        cv: float,
        ru: float,
        rv: float,
        tone: float = 0.12,
        shade: bool = False,
        n: int = 22,
    ) -> None:
        circle = _circle(n)
        self.shape(circle * (ru, rv) + (cu, cv), tone, shade)

    def arc(
        self, cu: float, cv: float, ru: float, rv: float, start: float, end: float, **kw
    ) -> None:
        self.line(ellipse(cu, cv, ru, rv, 14, start, end), **kw)

    def shade(self, points: Points, ink: tuple[int, ...] = SOFT) -> None:
        """Hatching only, no outline: a shadow or a dark side (left out of a thing drawn too
        small for its lines to show)."""
        if self.detailed:
            hatch(self.img, self.pts(points), ink, self.spacing, self.rng)

    def soft(self, points: Points, closed: bool = False) -> None:
        """A light detail line, one pass (left out of a thing drawn too small to show it)."""
        if self.detailed:
            self.line(points, LIGHT if self.weight == 1 else SOFT, closed, 1, passes=1)

    def ground(self, v: float = 1.0) -> None:
        """A short ground line under the thing."""
        self.line([(0.0, v), (1.0, v)], SOFT, weight=1, passes=1)
