"""Shot-list edits a director makes after the breakdown; every one is undoable.

Numbers are stable (`studio.domain.shot_numbers`): adding, removing or moving a shot changes no
other shot's number; `renumber_shots` is the one edit that numbers the list 1, 2, 3… again."""

from __future__ import annotations

import uuid
from fractions import Fraction
from typing import Any

from studio.commands import SetFields
from studio.commands.shots import AddShot, ArchiveShot, RenumberShots, ReorderShots
from studio.domain.entities import Angle, Move, Shot, ShotSize, Status
from studio.domain.shot_numbers import number_between
from studio.domain.time import RationalTime
from studio.errors import InvalidInput
from studio.script.sync import MANUAL
from studio.services.project import OpenProject


def _enum(enum: type, value: str, what: str) -> Any:
    for member in enum:
        if value.lower() in (member.value.lower(), member.name.lower()):
            return member
    choices = ", ".join(m.value for m in enum)
    raise InvalidInput(f"{what} {value!r} is not known", f"choose one of {choices}")


def shot_changes(project: OpenProject, **given: Any) -> dict[str, Any]:
    """Turn CLI/UI values (strings, seconds, character names) into Shot field values."""
    store = project.store
    changes: dict[str, Any] = {}
    for name, value in given.items():
        if value is None:
            continue
        if name == "size":
            changes["size"] = _enum(ShotSize, value, "shot size")
        elif name == "angle":
            changes["angle"] = _enum(Angle, value, "angle")
        elif name in ("move", "movement"):
            changes["movement"] = _enum(Move, value, "camera move")
        elif name == "duration":
            seconds = Fraction(str(value))
            if seconds <= 0:
                raise InvalidInput(f"duration {value} must be positive (seconds)")
            changes["duration"] = RationalTime.from_seconds(seconds, store.settings().fps)
        elif name == "characters":
            names = [n.strip() for n in str(value).split(",") if n.strip()]
            changes["characters"] = [store.characters.by_name(n).id for n in names]
        elif name == "status":
            changes["status"] = _enum(Status, value, "status")
        else:
            changes[name] = value
    return changes


def set_shot(project: OpenProject, number: str, **given: Any) -> Shot:
    shot = project.store.shots.by_number(number)
    changes = shot_changes(project, **given)
    if not changes:
        raise InvalidInput("nothing to change", "pass --size, --angle, --move, --duration, …")
    project.history.execute(SetFields("shots", shot.id, changes, f"edit shot {number}"))
    return project.store.shots.get(shot.id)


def add_shot(
    project: OpenProject, after: str | None = None, description: str = "", **given: Any
) -> Shot:
    """A new shot after shot `after` (default: at the end), in that shot's scene. It is
    numbered between its neighbours (27A between 27 and 28); no other number changes."""
    store = project.store
    shots = store.shots.in_order()
    if after is not None:
        anchor = store.shots.by_number(after)
    elif shots:
        anchor = shots[-1]
    else:
        raise InvalidInput("the project has no scenes yet", "import a script first")
    ids = [s.id for s in shots]
    position = ids.index(anchor.id) + 1
    following = shots[position].number if position < len(shots) else None
    changes = shot_changes(project, **given)
    new = Shot(
        scene_id=anchor.scene_id,
        order=anchor.order,
        number=number_between(anchor.number, following, store.shots.numbers_used()),
        description=description,
        fingerprint=MANUAL + uuid.uuid4().hex[:12],
        duration=RationalTime.from_seconds(3, store.settings().fps),
    )
    for key, value in changes.items():
        setattr(new, key, value)
    with project.history.transaction(f"add shot {new.number} after {anchor.number}"):
        command = project.history.execute(AddShot(new))
        ids.insert(position, command.added_id)
        project.history.execute(ReorderShots(ids))
    return store.shots.get(command.added_id)


def remove_shot(project: OpenProject, number: str) -> None:
    shot = project.store.shots.by_number(number)
    with project.history.transaction(f"remove shot {number}"):
        project.history.execute(ArchiveShot(shot.id))
        project.history.execute(ReorderShots([s.id for s in project.store.shots.in_order()]))


def move_shot(project: OpenProject, number: str, to: int) -> None:
    """Move shot `number` to position `to` (1-based) in the film."""
    shots = project.store.shots.in_order()
    shot = project.store.shots.by_number(number)
    if not 1 <= to <= len(shots):
        raise InvalidInput(f"position {to} is outside 1…{len(shots)}")
    ids = [s.id for s in shots if s.id != shot.id]
    ids.insert(to - 1, shot.id)
    project.history.execute(ReorderShots(ids, f"move shot {number} to {to}"))


def reorder_shots(project: OpenProject, ids: list[int]) -> None:
    project.history.execute(ReorderShots(ids))


def renumber_shots(project: OpenProject) -> list[Shot]:
    """Number every shot in the film 1, 2, 3… in its order (undoable); returns the shots."""
    project.history.execute(RenumberShots())
    return project.store.shots.in_order()


__all__ = ["add_shot", "move_shot", "remove_shot", "renumber_shots", "reorder_shots", "set_shot"]
