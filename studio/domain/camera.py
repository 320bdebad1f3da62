"""A camera move as plain data: what a still on the timeline is animated with.

The maths that plays a move lives in `studio.media.camera`; this is only what a timeline clip
stores. Timelines written before the move had its own field kept it in `clip.metadata["move"]`
as a dict; `lift_move` upgrades such metadata on read.
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.errors import InvalidInput

from .entities import Move

MOVES = tuple(move.value for move in Move)


@dataclass(frozen=True)
class CameraMove:
    """How a still is moved over a clip's media: `motion` scales the move (1.0: the default
    amount), `seed` picks a handheld shake and the tracking direction, and `handles` are the
    frames on each side of the shot in which the move starts and settles."""

    movement: Move = Move.STATIC
    motion: float = 1.0
    seed: int = 0
    handles: int = 0

    def __post_init__(self) -> None:
        if self.movement not in MOVES:
            hint = f"use one of {', '.join(MOVES)}"
            raise InvalidInput(f"unknown camera move {self.movement!r}", hint)
        object.__setattr__(self, "movement", Move(self.movement))

    def to_json(self) -> dict:
        return {
            "movement": self.movement.value,
            "motion": self.motion,
            "seed": self.seed,
            "handles": self.handles,
        }

    @classmethod
    def from_json(cls, data: dict) -> CameraMove:
        return cls(
            movement=str(data.get("movement", Move.STATIC.value)),
            motion=float(data.get("motion", 1.0)),
            seed=int(data.get("seed", 0)),
            handles=int(data.get("handles", 0)),
        )


def lift_move(metadata: dict) -> tuple[CameraMove | None, dict]:
    """The move a clip's metadata holds under "move" (the older stored form, and what an OTIO
    export carries in its clip metadata), and the metadata without it."""
    rest = {k: v for k, v in metadata.items() if k != "move"}
    move = metadata.get("move")
    return (CameraMove.from_json(dict(move)) if move else None), rest
