"""A shot's `Stage` from its scene plan: the plan's camera and what stands in the scene at the
shot's beat, and the composition a take varies.

The plan frames a shot for a full-frame 24 mm-high gate (`staging_camera`); a picture of another
shape (a 16:9 frame, a panel above its caption) shows 36 mm across and 36 / aspect mm top to
bottom, so the camera steps back along its view until the picture shows the frame height the
plan asked for. A POV stays at the character's eyes.

Take 0 is the plan's camera. Every later take varies it within the shot's grammar, from its
seed: the lens within ±15–20 % (the camera moves with it, so the framing holds and the
perspective changes), a few degrees of orbit around what it aims at, its height, and a single's
subject on a third of the frame instead of the centre.
"""

from __future__ import annotations

import math

import numpy as np

from studio.domain.entities import Angle, Shot
from studio.generation.requests import (
    Stage,
    StagedFigure,
    StagedOpening,
    StagedSet,
    StagedThing,
)
from studio.script.staging import ScenePlan
from studio.script.staging_camera import Camera

SENSOR = (36.0, 24.0)


def stage_for(
    plan: ScenePlan,
    shot: Shot,
    take_index: int,
    aspect: float,
    colours: dict[str, str] | None = None,
) -> Stage | None:
    """The staged view of take `take_index` of `shot` for a picture of `aspect` (width over
    height), the characters in their sheets' `colours` by name; None when the plan has no
    camera for the shot."""
    colours = colours or {}
    camera = next((c for c in plan.cameras if c.shot == shot.number), None)
    if camera is None:
        return None
    beat = plan.beats[camera.beat]
    sizes = {f.name: f for f in plan.figures}
    figures = tuple(
        StagedFigure(
            name,
            sizes[name].kind,
            sizes[name].size[2],
            mark.x,
            mark.y,
            mark.facing,
            sizes[name].person,
            sizes[name].size[0],
            sizes[name].size[1],
            sizes[name].elevation,
            mark.posture,
            colours.get(name, StagedFigure.colour),
        )
        for name, mark in beat.marks.items()
        if name in sizes
    )
    things = tuple(
        StagedThing(t.name, str(t.kind), tuple(t.size), t.x, t.y, t.z) for t in plan.things
    )
    s = plan.set
    the_set = StagedSet(
        s.interior,
        s.width,
        s.depth,
        s.height,
        tuple((tuple(a), tuple(b)) for a, b in s.walls),
        tuple(
            StagedOpening(o.kind, o.wall, o.x, o.y, o.width, o.height, o.sill) for o in s.openings
        ),
        s.horizon,
        s.ground,
    )
    view = _refit(camera, aspect, shot.angle is Angle.POV)
    if take_index:
        view = _vary(view, len(camera.subject) == 1, shot.base_seed + take_index)
    x, y, z, pan, tilt, focal, _ = view
    return Stage(
        round(x, 3), round(y, 3), round(z, 3), round(pan, 2), round(tilt, 2), camera.roll,
        float(focal), SENSOR, tuple(camera.subject), figures, things, the_set,
    )  # fmt: skip


def _forward(pan: float, tilt: float) -> np.ndarray:
    p, t = math.radians(pan), math.radians(tilt)
    return np.array([math.cos(t) * math.cos(p), math.cos(t) * math.sin(p), math.sin(t)])


def _refit(camera: Camera, aspect: float, pov: bool):
    """The plan's camera, stepped back along its view so a picture of `aspect` shows the frame
    height the plan framed for a 24 mm gate."""
    here = np.array([camera.x, camera.y, camera.height])
    if pov:
        return (*here, camera.pan, camera.tilt, camera.focal_mm, camera.distance)
    gate = SENSOR[0] / aspect
    distance = camera.frame_height * camera.focal_mm / gate
    forward = _forward(camera.pan, camera.tilt)
    aim = here + forward * camera.distance
    x, y, z = aim - forward * distance
    return x, y, max(0.2, z), camera.pan, camera.tilt, camera.focal_mm, distance


def _vary(view, single: bool, seed: int):
    """Another take's composition of the same shot (see the module's docstring)."""
    x, y, z, pan, tilt, focal, distance = view
    rng = np.random.default_rng([seed, 16])
    aim = np.array([x, y, z]) + _forward(pan, tilt) * distance
    new_focal = max(12, round(focal * float(rng.uniform(0.85, 1.2))))
    distance *= new_focal / focal
    orbit = float(rng.uniform(3.0, 8.0)) * (1 if rng.random() < 0.5 else -1)
    pan += orbit
    rise = float(rng.uniform(-0.12, 0.12)) * distance
    ground = distance * math.cos(math.radians(tilt))
    toward = math.radians(pan)
    x, y = aim[0] - ground * math.cos(toward), aim[1] - ground * math.sin(toward)
    z = max(0.2, aim[2] - distance * math.sin(math.radians(tilt)) + rise)
    tilt = math.degrees(math.atan2(aim[2] - z, ground))
    if single:  # a single: its subject on a third, or centred
        third = int(rng.integers(-1, 2))
        half_fov = math.atan(SENSOR[0] / 2 / new_focal)
        pan -= third * math.degrees(math.atan(math.tan(half_fov) / 3))
    return x, y, z, pan, tilt, new_focal, distance
