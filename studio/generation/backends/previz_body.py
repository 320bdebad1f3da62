"""Where a previz figure's head, torso, arms and legs go, for every stance and facing.

Pure geometry with numpy, no drawing: the layout uses it for a figure's box (`Body.extent`), the
drawing for the strokes. Joints are placed in the figure's own space, in fractions of its
standing height: `lat` across the body (+ toward the figure's left, screen right when it faces
the camera), `fwd` the way it faces, `y` down from the top of a standing figure's head. Turning
the body toward screen left/right (three-quarter, profile) or away projects them onto the screen;
points nearer the camera sit a little lower (the camera looks slightly down), which
foreshortens thighs that come toward it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.generation.backends.previz_pose import Pose

Box = tuple[float, float, float, float]
SHOULDER = 0.125  # half the shoulder width, as a fraction of the figure's height
UPPER_ARM, FOREARM = 0.19, 0.17
HIP = 0.08
CHEST_DEPTH, HIP_DEPTH = 0.055, 0.06  # half depths: how wide a torso in profile is
DROP = {"sitting": 0.23, "kneeling": 0.24}  # how much lower the head is than standing
THIGH, SHIN = 0.25, 0.25


def arm_reach(angle: float) -> float:
    """How far a relaxed hand reaches sideways from the body's axis (fraction of the height)."""
    return SHOULDER * 0.95 + UPPER_ARM * math.sin(angle) + FOREARM * math.sin(angle * 0.5)


@dataclass(frozen=True)
class Limb:
    """A polyline in pixels; `far` limbs are behind the body (drawn first, lighter)."""

    points: np.ndarray
    far: bool = False


@dataclass(frozen=True)
class Body:
    """A figure's parts in pixels, ready to draw."""

    head: tuple[float, float, float]  # centre x, y, radius
    crown: tuple[float, float]  # unit vector from the head's centre toward its top
    face: tuple[float, float]  # unit vector toward the side the face turns to
    turn: float  # 0 front, 0.5 three-quarter, 1 profile; 2 for a back turned to the camera
    torso: np.ndarray  # (4, 2): shoulders then hips
    legs: tuple[Limb, ...]
    arms: tuple[Limb, ...]
    seat: tuple[np.ndarray, ...] = ()  # strokes of a chair or stool
    held: tuple[float, float] | None = None  # where a held prop is drawn
    floor: float = 0.0  # the floor's row under the figure (for the shadow)

    def extent(self, margin: float = 0.0) -> Box:
        """The box around every part (the head as an ellipse 1.15 times taller than wide)."""
        hx, hy, hr = self.head
        stacks = [self.torso, *(limb.points for limb in (*self.legs, *self.arms)), *self.seat]
        points = np.vstack(stacks)
        reach = hr * 1.15
        x0 = min(points[:, 0].min(), hx - reach) - margin
        x1 = max(points[:, 0].max(), hx + reach) + margin
        y0 = min(points[:, 1].min(), hy - reach) - margin
        y1 = max(points[:, 1].max(), hy + reach) + margin
        if self.held is not None:
            px, py = self.held
            size = hr * 0.9
            x0, x1 = min(x0, px - size), max(x1, px + size)
            y0, y1 = min(y0, py - size), max(y1, py + size)
        return (float(x0), float(y0), float(x1), float(y1))


class _Projection:
    """Figure space (lat, fwd, y) in fractions of the height → pixels."""

    def __init__(self, cx: float, top: float, height: float, pose: Pose, view: float) -> None:
        self.cx, self.top, self.height = cx, top, height
        if pose.facing == "away":
            self.theta, self.d = math.pi, 1
        else:
            self.theta, self.d = pose.turn * math.pi / 2, pose.direction or 1
        self.look_down = 0.12 - 0.08 * view  # nearer points sit lower

    def depth(self, lat: float, fwd: float) -> float:
        """Positive: farther from the camera than the body's axis."""
        return self.d * lat * math.sin(self.theta) - fwd * math.cos(self.theta)

    def __call__(self, lat: float, fwd: float, y: float) -> tuple[float, float]:
        sx = lat * math.cos(self.theta) + self.d * fwd * math.sin(self.theta)
        sy = y - self.look_down * self.depth(lat, fwd)
        return (self.cx + sx * self.height, self.top + sy * self.height)

    def polyline(self, joints: list[tuple[float, float, float]]) -> np.ndarray:
        return np.array([self(*joint) for joint in joints])


def _unit(vector: tuple[float, float, float]) -> np.ndarray:
    v = np.asarray(vector, dtype=np.float64)
    return v / max(float(np.linalg.norm(v)), 1e-9)


def _arm(shoulder: tuple[float, float, float], upper: tuple, fore: tuple) -> list:
    s = np.asarray(shoulder)
    elbow = s + _unit(upper) * UPPER_ARM
    hand = elbow + _unit(fore) * FOREARM
    return [tuple(s), tuple(elbow), tuple(hand)]


def acting_side(pose: Pose) -> int:
    """The arm that points, reaches or waves: the near arm of a turned figure, else the arm on
    the side the figure looks to (-1 its right, screen left when it faces the camera)."""
    if pose.facing == "away":
        return 1
    if pose.turn >= 0.3 and pose.direction:
        return -pose.direction
    return pose.direction or 1


def _arm_plans(pose: Pose, arms: tuple[float, float], stride: int) -> dict[int, tuple]:
    """Upper-arm and forearm directions (lat, fwd, y) for the left (-1) and right (+1) arm."""
    turned = pose.facing != "away" and pose.turn >= 0.3
    plans: dict[int, tuple] = {}
    for side, angle in ((-1, arms[0]), (1, arms[1])):
        if pose.stance == "walking":
            swing = 0.5 * (1 if side == stride else -1)  # the arm opposite the forward leg
            plans[side] = (
                (side * 0.12, math.sin(swing), math.cos(swing)),
                (side * 0.08, math.sin(swing * 1.6), math.cos(swing * 1.6)),
            )
        elif pose.stance == "sitting":
            plans[side] = ((side * math.sin(angle * 0.4), 0.15, 1.0), (side * 0.05, 0.85, 0.5))
        else:
            plans[side] = (
                (side * math.sin(angle), 0.0, math.cos(angle)),
                (side * math.sin(angle * 0.5), 0.25, math.cos(angle * 0.5)),
            )
    if pose.gesture == "hold":
        for side in (-1, 1):
            plans[side] = ((side * 0.15, 0.3, 0.95), (-side * 0.55, 0.85, 0.1))
        return plans
    if pose.gesture == "relaxed":
        return plans
    side = acting_side(pose)
    out = 0.0 if turned else side * 1.0
    if pose.gesture == "point":
        plans[side] = ((out, 0.95 if turned else 0.0, -0.12), (out, 0.95 if turned else 0.0, -0.2))
    elif pose.gesture == "reach":
        plans[side] = (
            (out * 0.8, 0.8 if turned else 0.0, 0.45),
            (out, 1.0 if turned else 0.0, 0.05),
        )
    else:  # raise: a hand up, waving
        plans[side] = ((side * 0.6, 0.1, -0.8), (side * 0.12, 0.0, -1.0))
    return plans


def _legs(stance: str, hip_y: float, stride: int) -> list[list[tuple[float, float, float]]]:
    legs = []
    for side in (-1, 1):
        lat = side * HIP * 0.6
        if stance == "walking":
            ahead = 1 if side == stride else -1
            knee = (side * 0.05, ahead * 0.08 + 0.01, hip_y + THIGH * 0.97)
            foot = (side * 0.05, ahead * 0.16, 0.97 if ahead < 0 else 1.0)
            toe = (side * 0.05, ahead * 0.16 + 0.05, 1.0)
            legs.append([(lat, 0.0, hip_y), knee, foot, toe])
        elif stance == "sitting":
            knee = (side * 0.1, THIGH * 0.95, hip_y + 0.02)  # knees a little apart
            foot = (side * 0.085, THIGH * 1.05, 1.0)
            legs.append([(lat, 0.0, hip_y), knee, foot, (side * 0.085, THIGH * 1.05 + 0.05, 1.0)])
        elif stance == "kneeling" and side == stride:  # one knee up, the foot flat
            knee = (side * 0.075, THIGH * 0.9, hip_y + 0.03)
            legs.append([(lat, 0.0, hip_y), knee, (side * 0.075, THIGH, 1.0)])
        elif stance == "kneeling":  # the other knee on the floor, the shin behind
            knee = (side * 0.07, 0.02, 0.985)
            legs.append([(lat, 0.0, hip_y), knee, (side * 0.07, 0.02 - SHIN * 0.9, 0.995)])
        else:
            knee = (side * 0.075, 0.0, (hip_y + 1) / 2)
            foot = (side * 0.07, 0.0, 1.0)
            legs.append([(lat, 0.0, hip_y), knee, foot, (side * 0.07, 0.05, 1.0)])
    return legs


def _torso(
    project: _Projection, shoulder_y: float, hip_y: float, lean: float, v: float, build: float
):
    c, s = abs(math.cos(project.theta)), abs(math.sin(project.theta))
    top_half = (SHOULDER * (1 + 0.06 * v) * c + CHEST_DEPTH * s) * build
    hip_half = (HIP * c + HIP_DEPTH * s) * build
    sx, sy = project(0.0, lean, shoulder_y)
    hx, hy = project(0.0, 0.0, hip_y)
    h = project.height
    return np.array(
        [
            (sx - top_half * h, sy),
            (sx + top_half * h, sy),
            (hx + hip_half * h, hy),
            (hx - hip_half * h, hy),
        ]
    )


def _seat(project: _Projection, seat_y: float) -> tuple[np.ndarray, ...]:
    corners = [(-0.13, -0.12), (0.13, -0.12), (0.13, 0.12), (-0.13, 0.12)]
    top = project.polyline([(lat, fwd, seat_y) for lat, fwd in corners])
    legs = tuple(
        project.polyline([(lat, fwd, seat_y), (lat, fwd, 1.0)])
        for lat, fwd in corners
        if project.depth(lat, fwd) <= 0.01
    )
    back = project.polyline([(0.0, -0.13, seat_y), (0.0, -0.13, seat_y - 0.27)])
    return (np.vstack([top, top[:1]]), *legs, back)


def body(
    cx: float,
    top: float,
    height: float,
    arms: tuple[float, float],
    view: float,
    pose: Pose,
    build: float = 1.0,
) -> Body:
    """The parts of a figure whose standing head top is at (cx, top) and feet at top + height.

    Sitting and kneeling figures are lower (their head drops); a lying figure lies on that
    floor with its head toward `pose.facing`. `build` widens (> 1, stocky) or narrows (< 1,
    slight) the torso and the stance across the body.
    """
    if pose.stance == "lying":
        return _lying(cx, top, height, arms, view, pose)
    v = view
    stride = 1 if arms[0] >= arms[1] else -1  # which leg is forward: the seed decides
    if pose.stance == "kneeling" and pose.direction and pose.facing != "away":
        stride = -pose.direction  # the near knee is up
    drop = DROP.get(pose.stance, 0.0)
    project = _Projection(cx, top, height, pose, v)
    lean = 0.035 if pose.stance == "walking" else 0.0
    head_r = 0.065 * (1 - 0.12 * v)
    shoulder_y = 2 * head_r + 0.035 + drop
    hip_y = 0.5 - 0.04 * v + drop
    head = project(0.0, lean * 1.2, head_r + drop)
    legs = [
        Limb(
            project.polyline([(lat * build, f, y) for lat, f, y in joints]),
            far=project.depth(side, 0.0) > 0.2,
        )
        for side, joints in zip((-1, 1), _legs(pose.stance, hip_y, stride), strict=True)
    ]
    arm_limbs, hands = [], {}
    for side, (upper, fore) in sorted(_arm_plans(pose, arms, stride).items()):
        shoulder = (side * SHOULDER * 0.95 * (1 + 0.06 * v) * build, lean, shoulder_y + 0.01)
        joints = _arm(shoulder, upper, fore)
        hands[side] = project(*joints[-1])
        far = project.depth(side, 0.0) > 0.2
        arm_limbs.append(Limb(project.polyline(joints), far=far))
    held = None
    if pose.prop and pose.gesture == "hold":
        held = ((hands[-1][0] + hands[1][0]) / 2, (hands[-1][1] + hands[1][1]) / 2)
    elif pose.prop and pose.gesture == "reach":
        held = hands[acting_side(pose)]
    return Body(
        head=(head[0], head[1], head_r * height),
        crown=(0.0, -1.0),
        face=(float(pose.direction or 1), 0.0),
        turn=2.0 if pose.facing == "away" else pose.turn,
        torso=_torso(project, shoulder_y, hip_y, lean, v, build),
        legs=tuple(sorted(legs, key=lambda limb: not limb.far)),
        arms=tuple(sorted(arm_limbs, key=lambda limb: not limb.far)),
        seat=_seat(project, hip_y + 0.03) if pose.stance == "sitting" else (),
        held=held,
        floor=top + height,
    )


def _lying(
    cx: float, top: float, height: float, arms: tuple[float, float], view: float, pose: Pose
) -> Body:
    """A standing front view turned on its side, head toward `pose.facing`, on the floor."""
    toward = -1 if pose.facing == "left" else 1
    standing = body(0.0, 0.0, 1.0, arms, view, Pose(gesture=pose.gesture, prop=pose.prop))
    floor = top + height
    centre_y = floor - 0.085 * height

    def turn(points: np.ndarray) -> np.ndarray:
        x = cx + toward * (0.5 - points[:, 1]) * height
        y = centre_y + points[:, 0] * 0.55 * height
        return np.stack([x, y], axis=1)

    hx, hy, hr = standing.head
    (head,) = turn(np.array([[hx, hy]]))
    held = tuple(turn(np.array([standing.held]))[0]) if standing.held else None
    return Body(
        head=(float(head[0]), float(head[1]), hr * height),
        crown=(float(toward), 0.0),
        face=(0.0, -1.0),
        turn=1.0,
        torso=turn(standing.torso),
        legs=tuple(Limb(turn(limb.points), limb.far) for limb in standing.legs),
        arms=tuple(Limb(turn(limb.points), limb.far) for limb in standing.arms),
        held=held,
        floor=floor,
    )
