"""A previz panel's layout as plain data: where each figure, prop and arrow goes, in pixels.

`previz.panel_layout` makes a `Layout`; `previz_draw` and `previz_figures` draw one.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.generation.backends.previz_body import Body, body
from studio.generation.backends.previz_pose import Pose

Point = tuple[float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels, not clipped to the frame


@dataclass(frozen=True)
class FigureLayout:
    """One figure as drawn: where a standing figure's head top would be (`top`; the floor is
    at top + height), its pose, and the box around what is drawn."""

    name: str
    colour: tuple[int, int, int]  # RGB
    cx: float
    top: float
    height: float
    arms: tuple[float, float]  # left and right arm angles from straight down, radians
    view: float  # -1 seen from above (high), 0 eye level, +1 seen from below (low)
    overhead: bool = False
    pose: Pose = Pose()

    @property
    def body(self) -> Body:
        """The figure's parts in pixels (not for overhead figures)."""
        return body(self.cx, self.top, self.height, self.arms, self.view, self.pose)

    @property
    def box(self) -> Box:
        """The full (unclipped) box around the drawn figure; its top places the name label."""
        if self.overhead:
            half = self.height * 0.14
            return (self.cx - half, self.top, self.cx + half, self.top + self.height * 0.2)
        return self.body.extent(margin=self.height * 0.01)

    @property
    def head(self) -> tuple[float, float, float]:
        """Head centre x, y and radius."""
        if self.overhead:
            return (self.cx, self.top + self.height * 0.1, self.height * 0.065)
        return self.body.head


@dataclass(frozen=True)
class PropLayout:
    kind: str  # window, door, table, mountains, tree, insert-cup, insert-letter, insert-key…
    box: Box


@dataclass(frozen=True)
class ArrowLayout:
    start: Point
    end: Point
    style: str = "arrow"  # arrow, dashed, squiggle


@dataclass(frozen=True)
class ThingLayout:
    """A thing of a staged panel: its visible faces projected (each with how dark it is
    shaded), and the box around them."""

    name: str
    kind: str
    faces: tuple[tuple[Point, ...], ...]
    shades: tuple[float, ...]
    bounds: Box


@dataclass(frozen=True)
class SetLayout:
    """The set of a staged panel, projected: wall and floor polygons, the doors and windows on
    them, the floor's or the ground's lines and the horizon (a polyline; None out of view)."""

    walls: tuple[tuple[Point, ...], ...] = ()
    floor: tuple[Point, ...] | None = None
    openings: tuple[tuple[str, tuple[Point, ...]], ...] = ()
    lines: tuple[tuple[Point, ...], ...] = ()
    horizon: tuple[Point, ...] | None = None
    water: bool = False


@dataclass(frozen=True)
class StagedLayout:
    """What a staged panel draws: the set, then every figure and thing far to near."""

    set: SetLayout
    items: tuple[FigureLayout | ThingLayout, ...]


@dataclass(frozen=True)
class Layout:
    """Where everything in a panel goes, in pixels of the output image."""

    width: int
    height: int
    picture_height: int  # the caption band starts here
    size: str
    angle: str
    movement: str
    interior: bool
    horizon: tuple[Point, Point] | None
    figures: tuple[FigureLayout, ...]
    props: tuple[PropLayout, ...]
    arrows: tuple[ArrowLayout, ...]
    staged: StagedLayout | None = None  # a staged request: drawn through its camera instead
    lens: int = 0  # the focal length drawn, for the caption

    def horizon_y(self, x: float) -> float | None:
        """The horizon's row at column x, or None when there is no horizon (overhead)."""
        if self.horizon is None:
            return None
        (x0, y0), (x1, y1) = self.horizon
        return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
