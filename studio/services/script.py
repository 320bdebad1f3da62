"""Screenplay use-cases: import (with two-way sync), parse, export, report, and shot edits.

Importing an edited script keeps the identity of unchanged scenes, shots and lines (their takes
and picks stay), marks changed ones stale (takes kept, flagged), adds new ones and archives
removed ones without deleting anything. `studio.script.sync` plans what changes; this module
reads the project for it and writes the plan through the repositories, in one transaction.
A kept shot keeps its number; a new one is numbered between its neighbours (27A between 27 and
28, `studio.domain.shot_numbers`), so a re-import never renumbers the film.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studio.domain.entities import (
    CharacterSheet,
    DialogueLine,
    Scene,
    Script,
    Shot,
    Status,
)
from studio.domain.events import ProjectChanged
from studio.domain.shot_numbers import numbers_in_place
from studio.domain.time import RationalTime
from studio.errors import InvalidInput
from studio.script import sync
from studio.script.breakdown import Breakdown, PlannedLine, PlannedScene, PlannedShot, breakdown
from studio.script.elements import Screenplay
from studio.script.sync import MANUAL, SyncPlan
from studio.services.project import OpenProject
from studio.store.db import Connection
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


def load_screenplay(path: Path) -> tuple[Screenplay, str, str]:
    """Parse a .fountain/.txt/.fdx file. Returns (screenplay, source text, format)."""
    from studio.script.fountain import decode_text, parse_file

    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path} does not exist or is not a file")
    screenplay = parse_file(path)
    fmt = "fdx" if path.suffix.lower() == ".fdx" else "fountain"
    return screenplay, decode_text(path.read_bytes(), str(path)), fmt


def current_screenplay(store: ProjectStore) -> Screenplay:
    """The project's latest script version, parsed."""
    from studio.script.fdx import parse_fdx
    from studio.script.fountain import parse

    latest = store.scripts.latest()
    if latest is None:
        raise InvalidInput(
            f"{store.folder} has no script yet", "import one with `studio script import`"
        )
    return parse(latest.source) if latest.format == "fountain" else parse_fdx(latest.source)


def screenplay_at(path: Path) -> Screenplay:
    """A project folder's current script, or a .fountain/.fdx file, parsed."""
    from studio.script.fountain import parse_file
    from studio.services.project import open_readonly

    if Path(path).is_dir():
        with open_readonly(path) as store:
            return current_screenplay(store)
    return parse_file(path)


def plan_sync(store: ProjectStore, plan: Breakdown) -> SyncPlan:
    """What importing `plan` would change in the project (see `studio.script.sync`)."""
    return sync.plan_sync(
        plan,
        store.scenes.in_order(),
        store.shots.in_order(include_archived=True),
        store.lines.in_order(),
        {c.id: c.name for c in store.characters.all()},
    )


def preview_import(store: ProjectStore, path: Path) -> SyncPlan:
    screenplay, _, _ = load_screenplay(path)
    return plan_sync(store, breakdown(screenplay, store.settings().fps))


def import_script(project: OpenProject, path: Path) -> SyncPlan:
    """Break the script at `path` down into the project, syncing with what is already there."""
    store = project.store
    screenplay, source, fmt = load_screenplay(path)
    fps = store.settings().fps
    plan = plan_sync(store, breakdown(screenplay, fps))
    with store.transaction() as conn:
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
    project.events.publish(ProjectChanged("script"))
    return plan


def _sync_characters(store: ProjectStore, plan: Breakdown, conn: Connection) -> dict[str, int]:
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
    store: ProjectStore, plan: SyncPlan, characters: dict[str, int], fps: int, conn: Connection
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
    store.shots.compact_order(conn)
    _number_new_shots(store, conn)
    store.takes.flag_stale(stale_shots, stale_lines, conn)


def _number_new_shots(store: ProjectStore, conn: Connection) -> None:
    """Give the shots added by this import (still unnumbered) numbers between their
    neighbours; every other shot keeps its own."""
    rows = store.shots.numbers_in_order(conn)
    numbers = numbers_in_place([n for _, n in rows], store.shots.numbers_used(conn))
    for (shot_id, old), new in zip(rows, numbers, strict=True):
        if new != old:
            store.shots.set_fields(shot_id, conn, number=new)


def _scene_row(store, plan, planned: PlannedScene, index, stale, conn) -> Scene:
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
    stale,
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
                number="",  # numbered between its neighbours once every shot is in place
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
    stale,
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
