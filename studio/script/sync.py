"""Two-way script sync, planned: which scenes, shots and lines an edited script keeps, changes,
adds or takes out. Pure: it reads the rows it is given and changes nothing.

Matching is by content fingerprint; what is left over is paired by position (a difflib
alignment), so an edited paragraph is "changed", not "new + gone". A shot the director added by
hand (its fingerprint starts with MANUAL) is never matched, changed or archived by a sync.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from studio.domain.entities import DialogueLine, Scene, Shot, Status
from studio.script.breakdown import Breakdown, PlannedScene

MANUAL = "manual:"

T = TypeVar("T")
P = TypeVar("P")


@dataclass
class Change:
    kept: list[Any] = field(default_factory=list)
    stale: list[Any] = field(default_factory=list)
    new: list[Any] = field(default_factory=list)
    archived: list[Any] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("kept", "stale", "new", "archived")}


@dataclass
class SyncPlan:
    """What an import will change, before it changes anything (the app previews this)."""

    breakdown: Breakdown
    scenes: Change
    shots: Change
    lines: Change
    pairs: dict = field(default_factory=dict)  # (kind, id(planned)) → existing row

    def to_json(self) -> dict:
        return {
            "scenes": self.scenes.counts(),
            "shots": self.shots.counts(),
            "lines": self.lines.counts(),
        }


def _align(
    old: Sequence[T],
    new: Sequence[P],
    old_key: Callable[[T], str],
    new_key: Callable[[P], str],
    compatible: Callable[[T, P], bool],
) -> tuple[list[tuple[T, P]], list[tuple[T, P]], list[P], list[T]]:
    """Pair old rows with planned items: (same, changed, new, gone)."""
    matcher = difflib.SequenceMatcher(
        a=[old_key(o) for o in old], b=[new_key(n) for n in new], autojunk=False
    )
    same, changed, added, gone = [], [], [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same += list(zip(old[i1:i2], new[j1:j2], strict=True))
            continue
        olds, news = list(old[i1:i2]), list(new[j1:j2])
        for candidate in list(news):
            match = next((o for o in olds if compatible(o, candidate)), None)
            if match is not None:
                changed.append((match, candidate))
                olds.remove(match)
                news.remove(candidate)
        added += news
        gone += olds
    return same, changed, added, gone


def _live(row: Any) -> bool:
    return row.status is not Status.ARCHIVED


def _fingerprint(row: Any) -> str:
    return row.fingerprint


def _synced_shots(shots: Sequence[Shot], scene_id: int) -> list[Shot]:
    """The shots of a scene that the script owns (not the ones added by hand)."""
    return [s for s in shots if s.scene_id == scene_id and not s.fingerprint.startswith(MANUAL)]


@dataclass
class _Planner:
    shots: Sequence[Shot]  # archived ones included: a shot the user removed stays so
    lines: Sequence[DialogueLine]
    names: dict[int, str]  # character id → name
    shot_change: Change = field(default_factory=Change)
    line_change: Change = field(default_factory=Change)
    pairs: dict = field(default_factory=dict)

    def kept_scene(self, old: Scene, planned: PlannedScene) -> None:
        """Align the shots and lines of a scene that stays (unchanged or changed)."""
        self.pairs[("scene", id(planned))] = old
        same, changed, added, gone = _align(
            _synced_shots(self.shots, old.id),
            planned.shots,
            _fingerprint,
            _fingerprint,
            lambda o, p: _live(o),
        )
        self._record("shot", self.shot_change, same, changed, added, [o for o in gone if _live(o)])
        same, changed, added, gone = _align(
            [line for line in self.lines if line.scene_id == old.id],
            planned.lines,
            _fingerprint,
            _fingerprint,
            lambda o, p: self.names.get(o.character_id) == p.character,
        )
        self._record("line", self.line_change, same, changed, added, gone)

    def _record(
        self,
        kind: str,
        change: Change,
        same: list[tuple[Any, Any]],
        changed: list[tuple[Any, Any]],
        added: list[Any],
        gone: list[Any],
    ) -> None:
        for old, planned in same + changed:
            self.pairs[(kind, id(planned))] = old
        change.kept += [o for o, _ in same]
        change.stale += [o for o, _ in changed]
        change.new += added
        change.archived += gone

    def new_scene(self, planned: PlannedScene) -> None:
        self.shot_change.new += planned.shots
        self.line_change.new += planned.lines

    def gone_scene(self, old: Scene) -> None:
        self.shot_change.archived += [s for s in _synced_shots(self.shots, old.id) if _live(s)]
        self.line_change.archived += [line for line in self.lines if line.scene_id == old.id]


def plan_sync(
    plan: Breakdown,
    scenes: Sequence[Scene],
    shots: Sequence[Shot],
    lines: Sequence[DialogueLine],
    names: dict[int, str],
) -> SyncPlan:
    """What importing `plan` would change in a project holding these rows.

    `scenes` and `lines` are the project's live ones in film order; `shots` are all of them in
    order, removed ones included; `names` maps each character's id to its name."""
    same, changed, added, gone = _align(
        [s for s in scenes if _live(s)], plan.scenes, _fingerprint, _fingerprint, lambda o, p: True
    )
    planner = _Planner(shots, lines, names)
    for old, planned in same + changed:
        planner.kept_scene(old, planned)
    for planned in added:
        planner.new_scene(planned)
    for old in gone:
        planner.gone_scene(old)
    scene_change = Change([o for o, _ in same], [o for o, _ in changed], added, gone)
    return SyncPlan(plan, scene_change, planner.shot_change, planner.line_change, planner.pairs)
