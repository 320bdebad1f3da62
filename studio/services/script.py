"""Screenplay use-cases: import (with two-way sync), parse, export, report, and shot edits.

Importing an edited script keeps the identity of unchanged scenes, shots and lines (their takes
and picks stay), marks changed ones stale (takes kept, flagged), adds new ones and archives
removed ones without deleting anything. Matching is by content fingerprint; what is left over is
paired by position (a difflib alignment), so an edited paragraph is "changed", not "new + gone".
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from studio.domain.entities import (
    CharacterSheet,
    DialogueLine,
    Scene,
    Script,
    Shot,
    Status,
    TakeKind,
)
from studio.domain.time import RationalTime
from studio.errors import InvalidInput
from studio.script.breakdown import Breakdown, PlannedLine, PlannedScene, PlannedShot, breakdown
from studio.script.elements import Screenplay
from studio.services.project import OpenProject
from studio.store import orm
from studio.store.project_store import ProjectStore

PALETTE = [
    "#c0392b",
    "#2471a3",
    "#229954",
    "#b9770e",
    "#7d3c98",
    "#17a589",
    "#a04000",
    "#2e4053",
    "#d4ac0d",
    "#884ea0",
]
MANUAL = "manual:"

T = TypeVar("T")
P = TypeVar("P")


def load_screenplay(path: Path) -> tuple[Screenplay, str, str]:
    """Parse a .fountain/.txt/.fdx file. Returns (screenplay, source text, format)."""
    from studio.script.fountain import decode_text, parse_file

    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist or is not a file")
    screenplay = parse_file(path)
    fmt = "fdx" if path.suffix.lower() == ".fdx" else "fountain"
    return screenplay, decode_text(path.read_bytes()), fmt


def current_screenplay(store: ProjectStore) -> Screenplay:
    """The project's latest script version, parsed."""
    from studio.script.fdx import parse_fdx
    from studio.script.fountain import parse

    latest = store.scripts.latest()
    if latest is None:
        raise InvalidInput(
            f"{store.folder} has no script yet", "import one with `studio script import`"
        )
    return (
        parse(latest.source) if latest.format == "fountain" else parse_fdx(latest.source.encode())
    )


def screenplay_at(path: Path) -> Screenplay:
    """A project folder's current script, or a .fountain/.fdx file, parsed."""
    from studio.script.fountain import parse_file
    from studio.services.project import open_readonly

    if Path(path).is_dir():
        with open_readonly(path) as store:
            return current_screenplay(store)
    return parse_file(path)


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


def plan_sync(store: ProjectStore, plan: Breakdown) -> SyncPlan:
    scenes_c, shots_c, lines_c = Change(), Change(), Change()
    pairs: dict = {}
    old_scenes = [
        s for s in store.scenes.in_order(include_archived=True) if s.status is not Status.ARCHIVED
    ]
    same, changed, added, gone = _align(
        old_scenes,
        plan.scenes,
        lambda s: s.fingerprint,
        lambda p: p.fingerprint,
        lambda o, p: True,
    )
    scenes_c.kept = [o for o, _ in same]
    scenes_c.stale = [o for o, _ in changed]
    scenes_c.new, scenes_c.archived = added, gone
    all_shots = store.shots.in_order(include_archived=True)  # a shot the user removed stays so
    all_lines = store.lines.in_order()
    names = {c.id: c.name for c in store.characters.all()}
    live = lambda row: row.status is not Status.ARCHIVED  # noqa: E731
    for old, planned in same + changed:
        pairs[("scene", id(planned))] = old
        shots = [
            s for s in all_shots if s.scene_id == old.id and not s.fingerprint.startswith(MANUAL)
        ]
        s_same, s_changed, s_added, s_gone = _align(
            shots,
            planned.shots,
            lambda s: s.fingerprint,
            lambda p: p.fingerprint,
            lambda o, p: live(o),
        )
        for o, p in s_same + s_changed:
            pairs[("shot", id(p))] = o
        shots_c.kept += [o for o, _ in s_same]
        shots_c.stale += [o for o, _ in s_changed]
        shots_c.new += s_added
        shots_c.archived += [o for o in s_gone if live(o)]
        lines = [line for line in all_lines if line.scene_id == old.id]
        l_same, l_changed, l_added, l_gone = _align(
            lines,
            planned.lines,
            lambda line: line.fingerprint,
            lambda p: p.fingerprint,
            lambda o, p: names.get(o.character_id) == p.character,
        )
        for o, p in l_same + l_changed:
            pairs[("line", id(p))] = o
        lines_c.kept += [o for o, _ in l_same]
        lines_c.stale += [o for o, _ in l_changed]
        lines_c.new += l_added
        lines_c.archived += l_gone
    for planned in added:
        shots_c.new += planned.shots
        lines_c.new += planned.lines
    for old in gone:
        shots_c.archived += [
            s
            for s in all_shots
            if s.scene_id == old.id and live(s) and not s.fingerprint.startswith(MANUAL)
        ]
        lines_c.archived += [line for line in all_lines if line.scene_id == old.id]
    return SyncPlan(plan, scenes_c, shots_c, lines_c, pairs)


def preview_import(store: ProjectStore, path: Path) -> SyncPlan:
    screenplay, _, _ = load_screenplay(path)
    return plan_sync(store, breakdown(screenplay, store.settings().fps))


def import_script(project: OpenProject, path: Path) -> SyncPlan:
    """Break the script at `path` down into the project, syncing with what is already there."""
    store = project.store
    screenplay, source, fmt = load_screenplay(path)
    fps = store.settings().fps
    plan = plan_sync(store, breakdown(screenplay, fps))
    with store.engine.begin() as conn:
        version = (store.scripts.latest().version + 1) if store.scripts.latest() else 1
        store.scripts.add(
            Script(
                version=version,
                source=source,
                format=fmt,
                filename=Path(path).name,
                title=plan.breakdown.title,
            ),
            conn,
        )
        characters = _sync_characters(store, plan.breakdown, conn)
        _apply(store, plan, characters, fps, conn)
    return plan


def _sync_characters(store: ProjectStore, plan: Breakdown, conn: sa.Connection) -> dict[str, int]:
    from studio.audio.dubbing import default_profiles

    existing = {c.name: c for c in store.characters.all()}
    new_names = [c.name for c in plan.characters if c.name not in existing]
    profiles = default_profiles(sorted(set(existing) | set(new_names)))
    ids: dict[str, int] = {}
    for i, planned in enumerate(plan.characters):
        sheet = existing.get(planned.name)
        if sheet is None:
            colour = PALETTE[(len(existing) + i) % len(PALETTE)]
            sheet = store.characters.add(
                CharacterSheet(
                    name=planned.name,
                    description=planned.description,
                    voice=profiles[planned.name],
                    colour=colour,
                    seed=1000 + len(existing) + i,
                ),
                conn,
            )
        else:
            changes: dict[str, Any] = {"status": Status.CURRENT}
            if not sheet.description and planned.description:
                changes["description"] = planned.description
            store.characters.set_fields(sheet.id, conn, **changes)
        ids[planned.name] = sheet.id
    for name, sheet in existing.items():
        if name not in ids and sheet.status is not Status.ARCHIVED:
            store.characters.set_fields(sheet.id, conn, status=Status.ARCHIVED)
    return ids


def _apply(
    store: ProjectStore, plan: SyncPlan, characters: dict[str, int], fps: int, conn: sa.Connection
) -> None:
    stale_shots = {s.id for s in plan.shots.stale}
    stale_lines = {line.id for line in plan.lines.stale}
    stale_scenes = {s.id for s in plan.scenes.stale}
    for gone in plan.scenes.archived:
        store.scenes.set_fields(gone.id, conn, status=Status.ARCHIVED)
    for gone in plan.shots.archived:
        store.shots.set_fields(gone.id, conn, status=Status.ARCHIVED)
    for gone in plan.lines.archived:
        store.lines.set_fields(gone.id, conn, status=Status.ARCHIVED)
    manual = [s for s in store.shots.in_order() if s.fingerprint.startswith(MANUAL)]
    order = 0
    line_order = 0
    for index, planned_scene in enumerate(plan.breakdown.scenes):
        scene = _scene_row(store, plan, planned_scene, index, stale_scenes, conn)
        shot_ids: list[int] = []
        for planned in planned_scene.shots:
            shot_ids.append(
                _shot_row(store, plan, planned, scene.id, order, characters, fps, stale_shots, conn)
            )
            order += 1
        for shot in (m for m in manual if m.scene_id == scene.id):
            store.shots.set_fields(shot.id, conn, order=order)
            order += 1
        for planned in planned_scene.lines:
            shot_id = shot_ids[planned.shot_index] if shot_ids else None
            _line_row(
                store, plan, planned, scene.id, shot_id, line_order, characters, stale_lines, conn
            )
            line_order += 1
    _renumber(store, conn)
    _flag_stale_takes(conn, stale_shots, stale_lines)


def _scene_row(store, plan, planned: PlannedScene, index, stale, conn) -> Scene:  # noqa: ANN001
    fields = dict(
        order=index,
        heading=planned.heading,
        int_ext=planned.int_ext,
        location=planned.location,
        time_of_day=planned.time_of_day,
        number=planned.number,
        synopsis=planned.synopsis,
        fingerprint=planned.fingerprint,
        transition=planned.transition_after,
    )
    old = plan.pairs.get(("scene", id(planned)))
    if old is None:
        return store.scenes.add(Scene(**fields), conn)
    status = Status.STALE if old.id in stale else Status.CURRENT
    store.scenes.set_fields(old.id, conn, status=status, **fields)
    return old


def _shot_row(
    store,
    plan,
    planned: PlannedShot,
    scene_id,
    order,
    characters,
    fps,
    stale,  # noqa: ANN001
    conn,
) -> int:
    cast = [characters[name] for name in planned.characters if name in characters]
    blocking = {str(characters[n]): x for n, x in planned.blocking.items() if n in characters}
    duration = RationalTime(max(1, planned.duration_frames), fps)
    old = plan.pairs.get(("shot", id(planned)))
    if old is None:
        shot = store.shots.add(
            Shot(
                scene_id=scene_id,
                order=order,
                number=planned.number,
                description=planned.description,
                size=planned.size,
                angle=planned.angle,
                movement=planned.movement,
                lens=planned.lens,
                duration=duration,
                prompt=planned.prompt,
                characters=cast,
                blocking=blocking,
                fingerprint=planned.fingerprint,
            ),
            conn,
        )
        return shot.id
    if old.id in stale:  # the script changed under it: follow the script, keep the takes
        store.shots.set_fields(
            old.id,
            conn,
            scene_id=scene_id,
            order=order,
            description=planned.description,
            duration=duration,
            characters=cast,
            blocking=blocking,
            prompt=planned.prompt,
            fingerprint=planned.fingerprint,
            status=Status.STALE,
        )
    else:  # unchanged: keep what the director decided (a removed shot stays removed)
        keep = old.status if old.status in (Status.STALE, Status.ARCHIVED) else Status.CURRENT
        store.shots.set_fields(old.id, conn, scene_id=scene_id, order=order, status=keep)
    return old.id


def _line_row(
    store,
    plan,
    planned: PlannedLine,
    scene_id,
    shot_id,
    order,
    characters,
    stale,  # noqa: ANN001
    conn,
) -> None:
    fields = dict(
        scene_id=scene_id,
        shot_id=shot_id,
        order=order,
        text=planned.text,
        parenthetical=planned.parenthetical,
        extension=planned.extension,
        dual=planned.dual,
        fingerprint=planned.fingerprint,
        character_id=characters[planned.character],
    )
    old = plan.pairs.get(("line", id(planned)))
    if old is None:
        store.lines.add(DialogueLine(**fields), conn)
    elif old.id in stale:
        store.lines.set_fields(old.id, conn, status=Status.STALE, **fields)
    else:
        keep = old.status if old.status is Status.STALE else Status.CURRENT
        store.lines.set_fields(old.id, conn, status=keep, **fields)


def _renumber(store: ProjectStore, conn: sa.Connection) -> None:
    t = orm.shots
    rows = conn.execute(
        sa.select(t.c.id).where(t.c.status != Status.ARCHIVED).order_by(t.c.order, t.c.id)
    ).all()
    for number, (shot_id,) in enumerate(rows, start=1):
        conn.execute(
            sa.update(t).where(t.c.id == shot_id).values(number=str(number), order=number - 1)
        )


def _flag_stale_takes(conn: sa.Connection, shots: set[int], lines: set[int]) -> None:
    t = orm.takes
    if shots:
        conn.execute(
            sa.update(t)
            .where(t.c.kind != TakeKind.VOICE, t.c.owner_id.in_(shots))
            .values(stale=True)
        )
    if lines:
        conn.execute(
            sa.update(t)
            .where(t.c.kind == TakeKind.VOICE, t.c.owner_id.in_(lines))
            .values(stale=True)
        )
