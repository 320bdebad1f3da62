"""The layout of a staged previz panel: the scene plan seen through the shot's camera.

Pure, like `previz.panel_layout`: a request with a `Stage` gives the same layout every time.
Figures stand at their projected feet, as tall as their projected height, turned as their facing
is seen from the camera; what is not a person (a drone, a dog) and every thing is its projected
box; the room's walls, floor, doors and windows, or the ground and its horizon, come from the
set. Items are listed far to near, so drawing them in order occludes correctly.
"""

from __future__ import annotations

import math
import re
import zlib

import numpy as np

from studio.generation.backends.previz_camera import BOX_FACES, NEAR, Pinhole, box_corners
from studio.generation.backends.previz_layout import (
    FigureLayout,
    Point,
    SetLayout,
    StagedLayout,
    ThingLayout,
)
from studio.generation.backends.previz_pencil import parse_colour
from studio.generation.backends.previz_pose import Pose, infer_poses
from studio.generation.requests import KeyframeRequest, Stage, StagedFigure, StagedSet
from studio.generation.requests import StagedThing as Thing

_SHADE = {(2, 1): 0.06, (1, -1): 0.12, (1, 1): 0.12}  # top, south, north; east and west darker
_SIDE_SHADE = 0.22
_FLAT = 0.05  # metres: a thing this low lies on the ground (a road, the sea)
_FOREGROUND = 0.3  # metres: what is not framed and this much nearer than the subject is cheated out


def _points(array: np.ndarray) -> tuple[Point, ...]:
    return tuple((float(x), float(y)) for x, y in array)


def _bounds(faces: list[np.ndarray]) -> tuple[float, float, float, float]:
    stack = np.vstack(faces)
    x0, y0 = stack.min(axis=0)
    x1, y1 = stack.max(axis=0)
    return (float(x0), float(y0), float(x1), float(y1))


def _on_screen(bounds, width: int, ph: int) -> bool:
    x0, y0, x1, y1 = bounds
    return x1 >= 0 and y1 >= 0 and x0 <= width and y0 <= ph


def thing_layout(camera: Pinhole, thing: Thing, width: int, ph: int) -> ThingLayout | None:
    """A thing's visible faces through `camera`, or None when none of it is in view."""
    corners = box_corners(thing.x, thing.y, thing.z, thing.size)
    cam = camera.to_camera(corners)
    depth = cam[:, 2]
    if depth.max() < NEAR:
        return None  # behind the camera
    if depth.min() >= NEAR:  # wholly in front: off the frame is cheap to tell
        u, v = camera.image(cam).T
        if u.max() < 0 or u.min() > width or v.max() < 0 or v.min() > ph:
            return None
    flat = thing.size[2] < _FLAT
    low = (thing.x - thing.size[0] / 2, thing.y - thing.size[1] / 2, thing.z)
    high = (thing.x + thing.size[0] / 2, thing.y + thing.size[1] / 2, thing.z + thing.size[2])
    eye = camera.position
    faces, shades = [], []
    for indices, axis, side in BOX_FACES:
        if flat and (axis, side) != (2, 1):
            continue
        seen = eye[axis] > high[axis] if side > 0 else eye[axis] < low[axis]
        if not flat and not seen:
            continue  # faces away from the camera
        projected = camera.clipped(cam[list(indices)])
        if projected is not None:
            faces.append(projected)
            shades.append(_SHADE.get((axis, side), _SIDE_SHADE))
    if not faces:
        return None
    bounds = _bounds(faces)
    if not _on_screen(bounds, width, ph):
        return None
    return ThingLayout(thing.name, thing.kind, tuple(map(_points, faces)), tuple(shades), bounds)


def _pose(figure: StagedFigure, camera: Pinhole, read: Pose | None) -> Pose:
    """The figure's pose: what the shot's words say it does, turned as the plan faces it."""
    rad = math.radians(figure.facing)
    across, along = camera.direction(np.array([math.cos(rad), math.sin(rad), 0.0]))
    if along < -0.75:
        facing, turn = "camera", 0.0
    elif along > 0.75:
        facing, turn = "away", 0.0
    else:
        facing, turn = ("right" if across > 0 else "left"), (1.0 if abs(along) < 0.35 else 0.5)
    stance = "sitting" if figure.posture == "sitting" else "standing"
    if read is not None:
        stance = read.stance if read.stance != "standing" else stance
        return Pose(stance, facing, turn, read.gesture, read.prop)
    return Pose(stance, facing, turn)


def figure_layout(
    camera: Pinhole,
    figure: StagedFigure,
    request: KeyframeRequest,
    read: Pose | None,
    ph: int,
) -> FigureLayout | None:
    """A person standing at its projected feet, scaled by its projected height; None when it
    is behind the camera or off the frame."""
    base = figure.elevation
    ends = np.array([(figure.x, figure.y, base), (figure.x, figure.y, base + figure.height)])
    pixels, depth = camera.project(ends)
    if depth.min() <= NEAR * 4:
        return None
    (fx, fy), (hx, hy) = pixels
    height = math.hypot(hx - fx, hy - fy)
    if height < 2:
        return None
    rng = np.random.default_rng([request.seed, zlib.crc32(figure.name.encode())])
    arms = (float(rng.uniform(0.05, 0.6)), float(rng.uniform(0.05, 0.6)))
    tilt = request.stage.tilt if request.stage else 0.0
    colour = parse_colour(figure.colour)
    if tilt < -60:  # seen from above
        cx, cy = camera.project(ends[1:])[0][0]
        return FigureLayout(figure.name, colour, float(cx), float(cy), height * 4, arms, -1.0, True)
    view = -1.0 if tilt < -15 else (1.0 if tilt > 10 else 0.0)
    pose = _pose(figure, camera, read)
    layout = FigureLayout(figure.name, colour, float(fx), float(fy - height), height, arms, view,
                          pose=pose)  # fmt: skip
    return layout if _on_screen(layout.box, request.width, ph) else None


def _as_thing(figure: StagedFigure) -> Thing:
    return Thing(figure.name, figure.kind, (figure.width, figure.depth, figure.height),
                 figure.x, figure.y, figure.elevation)  # fmt: skip


def set_layout(camera: Pinhole, the_set: StagedSet, width: int, ph: int) -> SetLayout:
    if the_set.interior:
        return _room(camera, the_set)
    return _ground(camera, the_set, width, ph)


def _room(camera: Pinhole, the_set: StagedSet) -> SetLayout:
    top = the_set.height or 2.7
    walls = []
    for (ax, ay), (bx, by) in the_set.walls:
        quad = np.array([(ax, ay, 0.0), (bx, by, 0.0), (bx, by, top), (ax, ay, top)])
        if (projected := camera.polygon(quad)) is not None:
            walls.append(_points(projected))
    w, d = the_set.width, the_set.depth
    floor = camera.polygon(np.array([(0.0, 0.0, 0.0), (w, 0.0, 0.0), (w, d, 0.0), (0.0, d, 0.0)]))
    openings = []
    for o in the_set.openings:
        half, low, high = o.width / 2, o.sill, o.sill + o.height
        if o.wall in ("west", "east"):
            quad = [(o.x, o.y - half, low), (o.x, o.y + half, low), (o.x, o.y + half, high),
                    (o.x, o.y - half, high)]  # fmt: skip
        else:
            quad = [(o.x - half, o.y, low), (o.x + half, o.y, low), (o.x + half, o.y, high),
                    (o.x - half, o.y, high)]  # fmt: skip
        if (projected := camera.polygon(np.array(quad))) is not None:
            openings.append((o.kind, _points(projected)))
    lines = []
    for k in range(1, int(w)):  # floorboards running north, a metre apart
        seg = camera.polygon(np.array([(float(k), 0.0, 0.0), (float(k), d, 0.0)]))
        if seg is not None and len(seg) >= 2:
            lines.append(_points(seg[:2]))
    return SetLayout(tuple(walls), None if floor is None else _points(floor), tuple(openings),
                     tuple(lines))  # fmt: skip


def _ground(camera: Pinhole, the_set: StagedSet, width: int, ph: int) -> SetLayout:
    """Open ground: the horizon where the ground meets the sky, and lines across the ground
    ahead, closer together with distance."""
    if camera.forward[2] < -0.85:  # looking down: a grid on the ground below
        return SetLayout(lines=_grid(camera), water=the_set.ground == "water")
    pan = math.atan2(camera.forward[1], camera.forward[0])
    far = the_set.horizon or 5000.0
    x, y, _ = camera.position
    angles = pan + np.linspace(-1.4, 1.4, 15)
    rim = np.stack([x + far * np.cos(angles), y + far * np.sin(angles), np.zeros(15)], axis=1)
    pixels, depth = camera.project(rim)
    ahead = pixels[depth > NEAR]
    horizon = _points(ahead) if len(ahead) >= 2 else None
    if horizon is not None and all(py < 0 or py > ph for _, py in horizon):
        horizon = None
    fx, fy = math.cos(pan), math.sin(pan)
    lines = []
    for metres in (3.0, 6.0, 12.0, 24.0, 48.0, 96.0):
        cx, cy = x + fx * metres, y + fy * metres
        half = metres * 1.5
        ax, ay = fy * half, -fx * half
        seg = np.array([(cx + ax, cy + ay, 0.0), (cx - ax, cy - ay, 0.0)])
        projected, depth = camera.project(seg)
        if depth.min() > NEAR:
            lines.append(_points(projected))
    return SetLayout(lines=tuple(lines), horizon=horizon, water=the_set.ground == "water")


def _cheat_foreground(ranked: list, subject: tuple[str, ...], description: str) -> list:
    """Leave out what the camera does not frame and stands much nearer than what it frames,
    as a crew moves a chair out of the lens's way: a shot of Kit is not a shot of Oda's back.
    What the shot's words name stays."""
    depths = [depth for _, depth, item in ranked if item.name in subject]
    if not depths:
        return ranked
    near = min(depths) - _FOREGROUND
    words = description.lower()

    def named(name: str) -> bool:
        noun = re.sub(r" \d+$", "", name.lower())
        return re.search(rf"\b{re.escape(noun)}", words) is not None

    return [r for r in ranked if r[2].name in subject or r[1] >= near or named(r[2].name)]


def _insert(ranked: list, stage: Stage) -> list:
    """An insert of a thing (the letter, the parcel) shows the thing, not the people around
    it: figures the camera does not frame are left out when what it frames is no figure."""
    figures = {figure.name for figure in stage.figures}
    if not stage.subject or set(stage.subject) & figures:
        return ranked
    return [r for r in ranked if r[2].name not in figures]


def _grid(camera: Pinhole) -> tuple[tuple[Point, ...], ...]:
    """Ground lines a fifth of the camera's height apart both ways, under a camera looking
    down."""
    x, y, z = camera.position
    step = max(z, 1.0) / 5
    reach = step * 12
    lines = []
    for k in range(-12, 13):
        for a, b in (
            ((x + k * step, y - reach, 0.0), (x + k * step, y + reach, 0.0)),
            ((x - reach, y + k * step, 0.0), (x + reach, y + k * step, 0.0)),
        ):
            projected, depth = camera.project(np.array([a, b]))
            if depth.min() > NEAR:
                lines.append(_points(projected))
    return tuple(lines)


def staged_layout(request: KeyframeRequest, ph: int) -> StagedLayout:
    """The set and every figure and thing of `request.stage`, far to near."""
    stage: Stage = request.stage  # type: ignore[assignment]
    camera = Pinhole.of(stage, request.width, ph)
    read = dict(
        zip(
            (f.name for f in request.figures),
            infer_poses(request.description, request.figures, request.size),
            strict=True,
        )
    )
    ranked: list[tuple[int, float, FigureLayout | ThingLayout]] = []
    for figure in stage.figures:
        depth = float(camera.to_camera(np.array([figure.x, figure.y, figure.elevation]))[0, 2])
        if figure.person:
            item = figure_layout(camera, figure, request, read.get(figure.name), ph)
        else:
            item = thing_layout(camera, _as_thing(figure), request.width, ph)
        if item is not None:
            ranked.append((1, depth, item))
    for thing in stage.things:
        item = thing_layout(camera, thing, request.width, ph)
        if item is None:
            continue
        flat = thing.size[2] < _FLAT
        centre = np.array([thing.x, thing.y, thing.z + thing.size[2] / 2])
        ranked.append((0 if flat else 1, float(camera.to_camera(centre)[0, 2]), item))
    ranked = _cheat_foreground(ranked, stage.subject, request.description)
    if request.size == "INSERT":
        ranked = _insert(ranked, stage)
    ranked.sort(key=lambda r: (r[0], -r[1]))  # what lies on the ground first, then far to near
    return StagedLayout(
        set_layout(camera, stage.set, request.width, ph), tuple(item for *_, item in ranked)
    )
