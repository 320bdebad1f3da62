"""Animals, robots and drones in pencil, turned like the figures: front, three-quarter, profile.

`turn` is 0 for a creature facing the camera, 1 for profile; `direction` +1 faces screen right.
A four-legged animal is one parametric drawing (`Quadruped`: a dog, a cat, a horse, a cow, a
sheep); birds, gulls, seals and fish are drawn in profile. Coordinates are box units
(`previz_sketch.Sketch`): v = 1 is the ground, v = 0 the creature's top.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from studio.generation.backends.previz_pencil import GRAPHITE, SOFT, ellipse, mix
from studio.generation.backends.previz_sketch import Sketch


@dataclass(frozen=True)
class Quadruped:
    """A four-legged animal in fractions of its height: body length and width, the body's
    centre row and half height, the head's row, radius and snout, and its features."""

    length: float
    width: float
    body_v: float
    body_h: float
    head_v: float
    head_r: float
    snout: float = 0.6  # how far the muzzle reaches in profile, in head radii
    ears: str = "pointy"  # pointy, floppy, horns
    tail: str = "up"  # up, down, short
    mane: bool = False
    wool: bool = False
    patches: bool = False

    def aspect(self, turn: float) -> float:
        return 2 * self._half(turn) + 0.1

    def _half(self, turn: float) -> float:
        s, c = math.sin(turn * math.pi / 2), math.cos(turn * math.pi / 2)
        reach = (self.length / 2 + self.head_r * (1.8 + 1.1 * self.snout)) * s + self.head_r * c
        return max(self.length / 2 * s + self.width / 2 * c, reach) + 0.04


QUADRUPEDS = {
    "dog": Quadruped(1.0, 0.4, 0.5, 0.17, 0.2, 0.15, 0.9, "floppy", "up"),
    "cat": Quadruped(1.0, 0.34, 0.58, 0.16, 0.3, 0.16, 0.35, "pointy", "curl"),
    "horse": Quadruped(1.2, 0.4, 0.42, 0.17, 0.16, 0.12, 1.5, "pointy", "down", mane=True),
    "cow": Quadruped(1.35, 0.55, 0.42, 0.21, 0.32, 0.13, 0.9, "horns", "down", patches=True),
    "sheep": Quadruped(1.1, 0.6, 0.45, 0.24, 0.3, 0.12, 0.8, "floppy", "short", wool=True),
}


def draw_quadruped(
    sk: Sketch, spec: Quadruped, turn: float = 1.0, direction: int = 1, tint: float = 0.12
) -> None:
    """A four-legged animal filling the box's height; its width is `spec.aspect(turn)` heights."""
    s, c = math.sin(turn * math.pi / 2), math.cos(turn * math.pi / 2)
    half = spec._half(turn)
    span = 2 * half + 0.1

    def u(along: float, lat: float = 0.0) -> float:
        x = along * s + lat * c
        return 0.5 + direction * x / span

    far_ink, near_ink = mix(GRAPHITE, 0.55), GRAPHITE
    legs = []
    for along in (spec.length * 0.34, -spec.length * 0.34):
        for lat in (-spec.width * 0.3, spec.width * 0.3):
            depth = lat * s - along * c  # positive: behind the body's axis
            stagger = direction * 0.05 * s if depth > 0 else 0.0  # the far pair shows behind
            legs.append((depth, u(along, lat) + stagger))
    bottom = spec.body_v + spec.body_h * 0.6
    leg_w = spec.width * 0.09 / span

    def leg(lu: float, tone: float) -> None:
        sk.shape(
            [
                (lu - leg_w, bottom - 0.05),
                (lu + leg_w, bottom - 0.05),
                (lu + leg_w * 0.7, 1.0),
                (lu - leg_w * 0.7, 1.0),
            ],
            tone,
            ink=far_ink if tone > 0.3 else near_ink,
        )

    for depth, lu in sorted(legs, reverse=True):
        if depth > 0.0:
            leg(lu, tint + 0.25)
    _tail(sk, spec, u(-spec.length / 2), direction)
    rx = (spec.length / 2 * s + spec.width / 2 * c) / span
    body = ellipse(0.5, spec.body_v, rx, spec.body_h, 24)
    if spec.wool:
        body = body + np.stack([np.sin(np.arange(24) * 2.2) * 0.012] * 2, axis=1)
    sk.shape(body, tint + (0.05 if spec.wool else 0.0))
    sk.shade(ellipse(0.5, spec.body_v + spec.body_h * 0.45, rx * 0.8, spec.body_h * 0.45, 12))
    if spec.patches:
        sk.oval(0.5 - direction * rx * 0.3, spec.body_v - spec.body_h * 0.2, rx * 0.2, 0.06, 0.5)
    for depth, lu in sorted(legs, reverse=True):
        if depth <= 0.0:
            leg(lu, tint)
    _head(sk, spec, u(spec.length / 2 + spec.head_r * 0.6), s, direction, span, tint)


def _tail(sk: Sketch, spec: Quadruped, tu: float, direction: int) -> None:
    back = -direction * 0.06
    v = spec.body_v - spec.body_h * 0.4
    if spec.tail == "up":
        sk.line([(tu, v), (tu + back, v - 0.12), (tu + back * 1.2, v - 0.22)])
    elif spec.tail == "curl":
        sk.line([(tu, v + 0.05), (tu + back * 1.5, v - 0.1), (tu + back * 0.8, v - 0.3)])
    elif spec.tail == "down":
        sk.line([(tu, v), (tu + back, v + 0.2), (tu + back * 0.8, v + 0.35)], weight=2)
    else:
        sk.line([(tu, v), (tu + back * 0.5, v + 0.05)])


def _head(
    sk: Sketch,
    spec: Quadruped,
    hu: float,
    s: float,
    direction: int,
    span: float,
    tint: float,
) -> None:
    r, v = spec.head_r, spec.head_v
    ru = r / span
    neck_u = 0.5 + direction * (spec.length / 2 * s * 0.8) / span
    neck_w = ru * 1.1
    sk.shape(
        [
            (neck_u - neck_w, spec.body_v - spec.body_h * 0.5),
            (hu - neck_w * 0.6, v),
            (hu + neck_w * 0.6, v),
            (neck_u + neck_w, spec.body_v),
        ],
        tint,
    )
    if spec.mane:
        sk.line(
            [(neck_u - direction * neck_w, spec.body_v - spec.body_h), (hu, v - r * 0.8)], weight=3
        )
    # ears (behind the head's outline)
    for side in (-1, 1):
        eu = hu + side * ru * 0.7 * (1 - 0.6 * s) - direction * ru * 0.3 * s
        if spec.ears == "pointy":
            sk.shape(
                [(eu - ru * 0.3, v - r * 0.6), (eu, v - r * 1.6), (eu + ru * 0.3, v - r * 0.6)],
                tint,
            )
        elif spec.ears == "horns":
            sk.line([(eu, v - r * 0.7), (eu + side * ru * 0.8, v - r * 1.5)], weight=2)
        else:
            sk.oval(eu + side * ru * 0.35, v + r * 0.2, ru * 0.3, r * 0.55, tint + 0.2, n=12)
    sk.oval(hu, v, ru, r, tint + (0.25 if spec.wool else 0.0), n=18)
    snout = spec.snout * s
    if snout > 0.1:  # the muzzle out in profile
        mu = hu + direction * ru * (0.6 + snout * 0.6)
        sk.oval(mu, v + r * 0.35, ru * (0.4 + snout * 0.5), r * 0.45, tint, n=14)
        sk.oval(
            mu + direction * ru * (0.35 + snout * 0.45), v + r * 0.2, ru * 0.12, r * 0.12, 0.7, n=8
        )
    else:
        sk.oval(hu, v + r * 0.45, ru * 0.4, r * 0.35, tint, n=12)
        sk.oval(hu, v + r * 0.35, ru * 0.14, r * 0.1, 0.7, n=8)
    eyes = (1,) if s > 0.8 else (-1, 1)
    for side in eyes:
        eu = hu + (side * ru * 0.45 * (1 - s) + direction * ru * 0.3 * s)
        sk.oval(eu, v - r * 0.2, ru * 0.1, r * 0.1, 0.8, n=8)


def draw_bird(sk: Sketch, turn: float = 1.0) -> None:
    """A small bird perched: in profile (and at three-quarter, in a narrower box), or from the
    front when `turn` is under a quarter: both eyes, the beak pointing at the camera."""
    if turn < 0.25:
        for u in (0.42, 0.58):
            sk.line([(u, 0.8), (u, 1.0)], passes=1)
        for side in (-1, 1):  # folded wings at the sides
            sk.shape(
                [(0.5 + side * 0.2, 0.4), (0.5 + side * 0.34, 0.62), (0.5 + side * 0.22, 0.85)], 0.3
            )
        sk.oval(0.5, 0.6, 0.24, 0.24, 0.15)
        sk.oval(0.5, 0.3, 0.17, 0.17, 0.12)
        for side in (-1, 1):
            sk.oval(0.5 + side * 0.07, 0.27, 0.025, 0.03, 0.9, n=8)
        sk.shape([(0.46, 0.33), (0.54, 0.33), (0.5, 0.42)], 0.6)
        return
    sk.line([(0.45, 0.78), (0.42, 1.0)], passes=1)
    sk.line([(0.55, 0.78), (0.55, 1.0)], passes=1)
    sk.shape([(0.2, 0.55), (0.0, 0.7), (0.1, 0.74), (0.35, 0.7)], 0.3)  # tail
    sk.oval(0.48, 0.58, 0.3, 0.22, 0.15)
    sk.shape([(0.3, 0.5), (0.6, 0.45), (0.45, 0.7)], 0.3)  # wing
    sk.oval(0.72, 0.32, 0.16, 0.17, 0.12)
    sk.shape([(0.86, 0.28), (1.0, 0.34), (0.86, 0.38)], 0.6)  # beak
    sk.oval(0.76, 0.28, 0.025, 0.03, 0.9, n=8)


def draw_gull(sk: Sketch) -> None:
    """A gull in flight: the wide M of its wings."""
    sk.line(
        [
            (0.0, 0.35),
            (0.22, 0.15),
            (0.45, 0.5),
            (0.5, 0.55),
            (0.55, 0.5),
            (0.78, 0.15),
            (1.0, 0.35),
        ],
        weight=sk.weight + 1,
    )
    sk.oval(0.5, 0.55, 0.07, 0.08, 0.2)
    sk.shape([(0.47, 0.62), (0.5, 0.8), (0.53, 0.62)], 0.3)


def draw_seal(sk: Sketch) -> None:
    """A seal lying, head up, on a low rock."""
    sk.shape([(0.0, 1.0), (0.1, 0.82), (0.9, 0.8), (1.0, 1.0)], 0.2, shade=True)
    body = [
        (0.05, 0.78),
        (0.3, 0.6),
        (0.6, 0.45),
        (0.72, 0.3),
        (0.85, 0.22),
        (0.95, 0.32),
        (0.9, 0.5),
        (0.75, 0.75),
        (0.4, 0.82),
        (0.1, 0.84),
    ]
    sk.shape(body, 0.35)
    sk.shape([(0.05, 0.78), (0.0, 0.65), (0.12, 0.74)], 0.5)  # tail flippers
    sk.shape([(0.55, 0.7), (0.62, 0.86), (0.7, 0.72)], 0.5)  # fore flipper
    sk.oval(0.86, 0.28, 0.02, 0.03, 0.9, n=8)
    for dv in (-0.02, 0.02):
        sk.soft([(0.95, 0.33 + dv), (1.0, 0.31 + dv * 2)])


def draw_fish(sk: Sketch) -> None:
    sk.shape([(0.0, 0.2), (0.22, 0.5), (0.0, 0.8)], 0.25)  # tail
    sk.oval(0.55, 0.5, 0.38, 0.28, 0.15)
    sk.shade(ellipse(0.55, 0.62, 0.3, 0.14, 12))
    sk.shape([(0.5, 0.24), (0.62, 0.05), (0.68, 0.24)], 0.2)  # fin
    sk.oval(0.8, 0.44, 0.03, 0.05, 0.9, n=8)
    sk.arc(0.7, 0.5, 0.06, 0.16, -1.3, 1.3)


def draw_robot(sk: Sketch, turn: float = 0.0, direction: int = 1, tint: float = 0.15) -> None:
    """A boxy robot on two legs; turned, its torso narrows to its depth and one eye shows."""
    s, c = math.sin(turn * math.pi / 2), math.cos(turn * math.pi / 2)
    half = 0.42 * c + 0.26 * s  # the torso: wider than deep
    head = 0.22 * c + 0.19 * s
    cu = 0.5
    sk.line([(cu, 0.08), (cu, 0.0)], weight=1)  # antenna
    sk.oval(cu, 0.0, 0.03, 0.02, 0.8, n=8)
    for side in (-1, 1):  # legs
        lu = cu + side * 0.16 * c
        far = side * direction * s > 0.3
        sk.rect(lu - 0.06, 0.66, lu + 0.06, 0.96, 0.3 if far else 0.2)
        sk.rect(lu - 0.09 + direction * 0.03 * s, 0.94, lu + 0.09 + direction * 0.05 * s, 1.0, 0.5)
    far_side = -direction if s > 0.3 else 0
    arm = [side for side in (-1, 1) if side == far_side] + [s2 for s2 in (-1, 1) if s2 != far_side]
    for side in arm:
        au = cu + side * (half + 0.04) * (c if side != far_side else 0.5)
        if s > 0.8 and side != far_side:
            au = cu - direction * 0.02
        sk.rect(au - 0.04, 0.24, au + 0.04, 0.58, 0.35 if side == far_side else 0.2)
        sk.oval(au, 0.62, 0.05, 0.035, 0.5, n=10)
    sk.rect(cu - half, 0.22, cu + half, 0.66, tint)
    if s > 0.05:  # the side of the torso toward the camera
        edge = cu + direction * (half - 0.26 * s * 0.9)
        sk.shade(
            [
                (edge, 0.22),
                (cu + direction * half, 0.22),
                (cu + direction * half, 0.66),
                (edge, 0.66),
            ]
        )
    panel = cu - direction * 0.3 * s * half
    sk.rect(panel - half * 0.45, 0.3, panel + half * 0.45, 0.45, 0.05)
    sk.rect(cu - 0.05, 0.17, cu + 0.05, 0.22, 0.4)  # neck
    sk.rect(cu - head, 0.05, cu + head, 0.18, tint)
    eyes = (1,) if s > 0.8 else (-1, 1)
    for side in eyes:
        eu = cu + (side * head * 0.45 * c + direction * head * 0.55 * s)
        sk.rect(eu - 0.03, 0.09, eu + 0.03, 0.13, 0.8)


def draw_drone(sk: Sketch, turn: float = 0.0, direction: int = 1) -> None:
    """A quadcopter: four rotors on arms around a body with a camera underneath."""
    s, c = math.sin(turn * math.pi / 2), math.cos(turn * math.pi / 2)
    arms = []
    for along in (-1, 1):
        for lat in (-1, 1):
            x = 0.36 * (lat * c + along * s * direction) / max(c + s, 1e-6) * 1.0
            depth = lat * s - along * c
            arms.append((depth, 0.5 + x, 0.42 + 0.08 * depth))
    arms.sort(reverse=True)
    for depth, ru, rv in arms:
        ink = SOFT if depth > 0 else GRAPHITE
        sk.line([(0.5, 0.55), (ru, rv)], ink)
        sk.line([(ru, rv), (ru, rv - 0.08)], ink, passes=1)
        sk.oval(ru, rv - 0.1, 0.13, 0.04, 0.05 if depth > 0 else 0.1, n=16)
    sk.oval(0.5, 0.58, 0.1 * c + 0.22 * s, 0.1, 0.3)  # the body: longer than it is wide
    gimbal = 0.5 + direction * 0.14 * s  # the camera hangs under the nose
    sk.rect(gimbal - 0.04, 0.66, gimbal + 0.04, 0.74, 0.5)
    if s < 0.9:  # its lens, seen from the front or at three-quarter
        sk.oval(gimbal + direction * 0.02 * s, 0.77, 0.035 * (1 - 0.6 * s), 0.04, 0.8, n=10)
    else:  # its lens pointing out of the frame's side
        sk.rect(gimbal, 0.68, gimbal + direction * 0.07, 0.73, 0.8)
    sk.line([(0.36, 0.75), (0.32, 0.86)], weight=1)
    sk.line([(0.64, 0.75), (0.68, 0.86)], weight=1)
