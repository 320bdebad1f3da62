"""Continuity on a scene plan: the line of action, and characters who jump.

- crosses_line: on a beat with a line of action (the two who talk most, both there), a camera
  on the other side of the line from the beat's first camera, with no neutral shot (a camera on
  the line: a POV, an overhead, one placed on it) since the last shot on the first side. A
  neutral shot lets the next shots take the other side as theirs.
- jump: two consecutive shots of one beat that frame the same characters from the same side,
  in which a character moves more than a third of the frame across the screen (its blocking).
"""

from __future__ import annotations

from dataclasses import dataclass

from studio.domain.entities import Shot
from studio.script.staging import ScenePlan

JUMP = 1 / 3  # of the frame's width


@dataclass(frozen=True)
class Flag:
    shot: str
    kind: str  # crosses_line, jump
    reason: str

    def to_json(self) -> dict:
        return {"shot": self.shot, "kind": self.kind, "reason": self.reason}


def check_plan(plan: ScenePlan, shots: list[Shot], names: dict[int, str]) -> list[Flag]:
    """The flags of one scene's shots (`names`: character id → name), in shot order."""
    flags: list[Flag] = []
    by_number = {shot.number: shot for shot in shots}
    cameras = {camera.shot: camera for camera in plan.cameras}
    for beat in plan.beats:
        reference = ""
        neutral_since = False
        previous = None
        for number in beat.shots:
            camera = cameras[number]
            side = camera.side
            if side == "on the line":
                neutral_since = True
            elif side in ("reference", "across"):
                if not reference:
                    reference = side
                elif side != reference:
                    if neutral_since:
                        reference = side
                    else:
                        a, b = plan.pair or ("", "")
                        flags.append(Flag(number, "crosses_line", (
                            f"scene {plan.scene}, beat {beat.index}: the camera is across the "
                            f"line between {a} and {b} from shot {_first(beat, cameras)}, with "
                            "no neutral shot between"
                        )))  # fmt: skip
                        previous = (by_number[number], side)
                        continue
                neutral_since = False
            jump = _jump(previous, by_number[number], side, names)
            if jump:
                flags.append(Flag(number, "jump", f"scene {plan.scene}, beat {beat.index}: {jump}"))
            previous = (by_number[number], side)
    return flags


def _first(beat, cameras) -> str:
    return next(n for n in beat.shots if cameras[n].side in ("reference", "across"))


def _jump(previous, shot: Shot, side: str, names: dict[int, str]) -> str:
    if previous is None:
        return ""
    before, before_side = previous
    if before_side != side or set(before.characters) != set(shot.characters):
        return ""
    for character in shot.characters:
        key = str(character)
        if key in before.blocking and key in shot.blocking:
            moved = shot.blocking[key] - before.blocking[key]
            if abs(moved) > JUMP:
                return (
                    f"{names.get(character, key)} jumps from {before.blocking[key]:.2f} to "
                    f"{shot.blocking[key]:.2f} of the frame's width after shot {before.number}, "
                    "from the same side"
                )
    return ""
