"""Every shot is a camera in the scene plan: where it stands, how high, where it looks, its lens.

The derivation, in order:
1. The frame height the shot's size asks for, in metres at the subject: an MCU of an adult
   shows 0.6 m (chest to crown), a CU 0.35 m, an FS the whole figure with a margin (1.25 × its
   height); sizes scale with the subject (a child's MCU is smaller; an INSERT of a letter frames
   the letter). A group widens it until every subject fits across a frame of the aspect.
2. The lens's vertical field of view, full-frame (a 24 mm-high gate): fov = 2·atan(12 / f).
   The camera stands where that field covers the frame height: distance = H / 2 / tan(fov / 2)
   = H · f / 24. The same MCU on a 100 mm lens stands 100 / 24 ≈ 4.2 times farther than on
   24 mm: the perspective changes, not just the crop.
3. The direction: from the cameras' side of the line of action (the two who talk most): a shot
   of both is square to the line, a single of one is a three-quarter from the other's end. A
   shot whose blocking puts the pair the other way round on screen is the same set-up from
   across the line; a POV is on the line (at the character's eyes); so is an overhead.
4. The angle: eye level at the framed height; low 20° below, high 30° above; dutch rolls 15°.
   Tilt is what aims the camera at the subject from there; pan is the direction it looks
   (degrees counter-clockwise from +x, as the plan's facings).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from studio.domain.entities import Angle, Shot, ShotSize

GATE_HEIGHT_MM = 24.0  # full-frame 36 × 24 mm: a shot's lens is its full-frame equivalent
ADULT_HEIGHT = 1.75
ON_THE_LINE = 0.3  # metres: a camera this close to the line of action is neutral
# metres of an adult shown top to bottom; FS, WS and EWS follow the subject's height
FRAME_HEIGHT = {
    ShotSize.EXTREME_CLOSE: 0.15,
    ShotSize.CLOSE: 0.35,
    ShotSize.INSERT: 0.25,
    ShotSize.MEDIUM_CLOSE: 0.6,
    ShotSize.MEDIUM: 0.95,
    ShotSize.MEDIUM_WIDE: 1.4,
}
# a thing is framed whole: its largest side times this
THING_FRAME = {
    ShotSize.EXTREME_CLOSE: 0.5,
    ShotSize.CLOSE: 1.3,
    ShotSize.INSERT: 1.5,
    ShotSize.MEDIUM_CLOSE: 2.0,
    ShotSize.MEDIUM: 2.5,
    ShotSize.MEDIUM_WIDE: 3.0,
}
ELEVATION = {Angle.LOW: -20.0, Angle.HIGH: 30.0}
# where the frame's centre sits on a person, as a share of its height
AIM = {
    ShotSize.EXTREME_CLOSE: 0.93,
    ShotSize.CLOSE: 0.9,
    ShotSize.MEDIUM_CLOSE: 0.86,
    ShotSize.MEDIUM: 0.78,
    ShotSize.MEDIUM_WIDE: 0.68,
}


@dataclass(frozen=True)
class Subject:
    name: str
    at: tuple[float, float]
    height: float
    elevation: float  # a drone's height above the ground
    facing: float
    person: bool


@dataclass(frozen=True)
class Line:
    """The line of action of one beat: between `a` (screen left from the first camera) and b."""

    a: str
    b: str
    pa: tuple[float, float]
    pb: tuple[float, float]

    def normal(self) -> tuple[float, float]:
        """The unit normal on the cameras' side (south: away from the set)."""
        dx, dy = self.pb[0] - self.pa[0], self.pb[1] - self.pa[1]
        length = math.hypot(dx, dy)
        if length < 1e-9:  # both on one spot: the cameras stay south
            return (0.0, -1.0)
        nx, ny = dy / length, -dx / length
        return (nx, ny) if ny < 0 or (ny == 0 and nx > 0) else (-nx, -ny)

    def side(self, x: float, y: float) -> int:
        """+1 on the cameras' side, -1 across, 0 on the line (within ON_THE_LINE)."""
        nx, ny = self.normal()
        offset = (x - self.pa[0]) * nx + (y - self.pa[1]) * ny
        return 0 if abs(offset) < ON_THE_LINE else (1 if offset > 0 else -1)


@dataclass
class Camera:
    shot: str
    beat: int
    subject: list[str]
    x: float
    y: float
    height: float
    pan: float
    tilt: float
    roll: float
    focal_mm: int
    distance: float  # metres from the camera to what it aims at
    frame_height: float  # metres of the subject the frame shows top to bottom
    side: str  # "" (no line of action), "reference", "across", "on the line"


def vertical_fov(focal_mm: float) -> float:
    """The vertical field of view in degrees of a full-frame lens."""
    return math.degrees(2 * math.atan(GATE_HEIGHT_MM / 2 / focal_mm))


def distance_for(frame_height: float, focal_mm: float) -> float:
    """How far a camera stands for its lens to show `frame_height` metres top to bottom."""
    return frame_height * focal_mm / GATE_HEIGHT_MM


def frame_height(size: ShotSize, subject: Subject) -> float:
    if subject.person:
        if size in FRAME_HEIGHT:
            return FRAME_HEIGHT[size] * subject.height / ADULT_HEIGHT
        return {ShotSize.FULL: 1.25, ShotSize.WIDE: 3.0, ShotSize.EXTREME_WIDE: 10.0}[
            size
        ] * subject.height
    if size in THING_FRAME:
        return THING_FRAME[size] * max(subject.height, 0.05)
    low = {ShotSize.FULL: 1.3, ShotSize.WIDE: 3.0, ShotSize.EXTREME_WIDE: 6.0}[size]
    least = {ShotSize.FULL: 2.0, ShotSize.WIDE: 6.0, ShotSize.EXTREME_WIDE: 20.0}[size]
    return max(least, low * subject.height)


def camera_for(
    shot: Shot,
    beat: int,
    subjects: list[Subject],
    line: Line | None,
    blocking: dict[str, float],
    aspect: float,
) -> Camera:
    """The camera of `shot` on the plan (see the module's derivation)."""
    focal = max(1, int(shot.lens))
    if not subjects:
        subjects = [Subject("set", (0.0, 0.0), 3.0, 0.0, 0.0, False)]
    centre = (
        sum(s.at[0] for s in subjects) / len(subjects),
        sum(s.at[1] for s in subjects) / len(subjects),
    )
    tallest = max(subjects, key=lambda s: s.height)
    height = max(frame_height(shot.size, s) for s in subjects)
    aim_z = tallest.elevation + tallest.height * (
        AIM.get(shot.size, 0.5) if tallest.person else 0.5
    )
    direction, side = _direction(subjects, line, blocking)
    if len(subjects) > 1:
        across = _spread(subjects, direction) + max(s.height for s in subjects) * 0.3
        height = max(height, across / aspect)
    distance = distance_for(height, focal)
    names = [s.name for s in subjects if s.name != "set"]
    if shot.angle is Angle.POV and names:
        return _pov(shot, beat, names, subjects[0], line, focal, height, aim_z)
    if shot.angle is Angle.OVERHEAD:
        x, y, z = centre[0], centre[1], aim_z + distance
        on_line = line is not None and bool({line.a, line.b} & set(names))
        return Camera(
            shot.number, beat, names, round(x, 2), round(y, 2), round(z, 2), 90.0, -90.0, 0.0,
            focal, round(distance, 2), round(height, 3), "on the line" if on_line else "",
        )  # fmt: skip
    elevation = math.radians(ELEVATION.get(shot.angle, 0.0))
    ground = distance * math.cos(elevation)
    x, y = centre[0] + direction[0] * ground, centre[1] + direction[1] * ground
    z = max(0.2, aim_z + distance * math.sin(elevation))
    pan = math.degrees(math.atan2(-direction[1], -direction[0]))
    tilt = math.degrees(math.atan2(aim_z - z, ground))
    if line is not None and {line.a, line.b} & set(names):
        side = {1: "reference", -1: "across", 0: "on the line"}[line.side(x, y)]
    elif line is not None:
        side = ""  # a cutaway that frames neither of the pair sets no screen direction
    return Camera(
        shot.number, beat, names, round(x, 2), round(y, 2), round(z, 2), round(pan, 1),
        round(tilt, 1), 15.0 if shot.angle is Angle.DUTCH else 0.0, focal, round(distance, 2),
        round(height, 3), side,
    )  # fmt: skip


def _direction(
    subjects: list[Subject], line: Line | None, blocking: dict[str, float]
) -> tuple[tuple[float, float], str]:
    """The unit vector from the subject toward the camera, and which side of the line."""
    if line is None:
        return (0.0, -1.0), ""
    nx, ny = line.normal()
    names = {s.name for s in subjects}
    direction = (nx, ny)
    if len(names & {line.a, line.b}) == 1 and len(subjects) == 1:
        me, other = (line.pa, line.pb) if line.a in names else (line.pb, line.pa)
        tx, ty = other[0] - me[0], other[1] - me[1]
        length = math.hypot(tx, ty) or 1.0
        ux, uy = nx + 0.8 * tx / length, ny + 0.8 * ty / length
        norm = math.hypot(ux, uy)
        direction = (ux / norm, uy / norm)
    if _framed_across(line, blocking):
        dot = direction[0] * nx + direction[1] * ny
        direction = (direction[0] - 2 * dot * nx, direction[1] - 2 * dot * ny)
        return direction, "across"
    return direction, "reference"


def _framed_across(line: Line, blocking: dict[str, float]) -> bool:
    """The shot's blocking shows the pair the other way round from the cameras' side: `a` is
    screen left seen from there."""
    xa, xb = blocking.get(line.a), blocking.get(line.b)
    if xa is not None and xb is not None and xa != xb:
        return xa > xb
    if xa is not None and xb is None and xa != 0.5:
        return xa > 0.5
    if xb is not None and xa is None and xb != 0.5:
        return xb < 0.5
    return False


def _spread(subjects: list[Subject], direction: tuple[float, float]) -> float:
    """How wide the subjects stand across the camera's view."""
    across = [s.at[0] * -direction[1] + s.at[1] * direction[0] for s in subjects]
    return max(across) - min(across) + 0.6


def _pov(shot, beat, names, owner: Subject, line, focal, height, aim_z) -> Camera:
    """A POV: at the character's eyes, looking where it faces (at the other of the pair when
    it is one of them)."""
    eye = owner.elevation + owner.height * 0.93
    pan = owner.facing
    if line is not None and owner.name in (line.a, line.b):
        other = line.pb if owner.name == line.a else line.pa
        pan = math.degrees(math.atan2(other[1] - owner.at[1], other[0] - owner.at[0]))
    side = (
        ""
        if line is None
        else {1: "reference", -1: "across", 0: "on the line"}[line.side(*owner.at)]
    )
    return Camera(
        shot.number, beat, names, round(owner.at[0], 2), round(owner.at[1], 2), round(eye, 2),
        round(pan, 1), 0.0, 0.0, focal, round(distance_for(height, focal), 2), round(height, 3),
        side,
    )  # fmt: skip
