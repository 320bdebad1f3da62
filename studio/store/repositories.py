"""Repositories: the only place with SQL. Each turns rows into domain dataclasses and back."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any, Generic, TypeVar

import sqlalchemy as sa

from studio.domain.entities import (
    Asset,
    CharacterSheet,
    DialogueLine,
    Job,
    JobState,
    MusicBed,
    Scene,
    SceneMark,
    Script,
    Shot,
    SoundEffect,
    Status,
    Take,
    TakeKind,
)
from studio.domain.project import Project
from studio.errors import NotFound

from . import orm

T = TypeVar("T")
_BATCH = 900  # ids per IN (...) query, under SQLite's oldest limit of bound parameters


class Repository(Generic[T]):
    """Rows of one table as instances of one dataclass, whose fields are the table's columns."""

    table: sa.Table
    model: type
    label: str = "item"

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._fields = [f.name for f in dataclasses.fields(self.model)]

    def _row_to_model(self, row: sa.Row) -> T:
        data = row._mapping
        return self.model(**{name: data[name] for name in self._fields})

    def _values(self, obj: T, with_id: bool = False) -> dict[str, Any]:
        return {n: getattr(obj, n) for n in self._fields if with_id or n != "id"}

    def get(self, item_id: int) -> T:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(self.table).where(self.table.c.id == item_id)).first()
        if row is None:
            raise NotFound(f"no {self.label} with id {item_id}")
        return self._row_to_model(row)

    def find(self, item_id: int | None) -> T | None:
        if item_id is None:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(self.table).where(self.table.c.id == item_id)).first()
        return None if row is None else self._row_to_model(row)

    def _select(self, *where: Any, order_by: Sequence[Any] = ()) -> list[T]:
        query = sa.select(self.table).where(*where)
        query = query.order_by(*(order_by or (self.table.c.id,)))
        with self.engine.connect() as conn:
            return [self._row_to_model(r) for r in conn.execute(query)]

    def all(self) -> list[T]:
        return self._select()

    def with_ids(self, ids: Iterable[int]) -> list[T]:
        """The rows with these ids (unknown ones are left out), in a few queries, by id."""
        wanted = sorted(set(ids))
        found: list[T] = []
        for first in range(0, len(wanted), _BATCH):
            found += self._select(self.table.c.id.in_(wanted[first : first + _BATCH]))
        return found

    def count(self) -> int:
        return self._count()

    def _count(self, *where: Any) -> int:
        query = sa.select(sa.func.count()).select_from(self.table).where(*where)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def add(self, obj: T, conn: sa.Connection | None = None) -> T:
        """Insert `obj` and return it with its new id."""
        if conn is None:
            with self.engine.begin() as own:
                return self.add(obj, own)
        values = self._values(obj, with_id=getattr(obj, "id", None) is not None)
        new_id = conn.execute(sa.insert(self.table).values(**values)).inserted_primary_key[0]
        return dataclasses.replace(obj, id=new_id)

    def add_many(self, objs: Iterable[T], conn: sa.Connection | None = None) -> list[T]:
        if conn is None:
            with self.engine.begin() as own:
                return self.add_many(objs, own)
        return [self.add(o, conn) for o in objs]

    def update(self, obj: T, conn: sa.Connection | None = None) -> T:
        if conn is None:
            with self.engine.begin() as own:
                return self.update(obj, own)
        item_id = obj.id  # type: ignore[attr-defined]
        result = conn.execute(
            sa.update(self.table).where(self.table.c.id == item_id).values(**self._values(obj))
        )
        if result.rowcount == 0:
            raise NotFound(f"no {self.label} with id {item_id}")
        return obj

    def set_fields(self, item_id: int, conn: sa.Connection | None = None, **values: Any) -> None:
        if conn is None:
            with self.engine.begin() as own:
                return self.set_fields(item_id, own, **values)
        conn.execute(sa.update(self.table).where(self.table.c.id == item_id).values(**values))

    def delete(self, item_id: int, conn: sa.Connection | None = None) -> None:
        if conn is None:
            with self.engine.begin() as own:
                return self.delete(item_id, own)
        conn.execute(sa.delete(self.table).where(self.table.c.id == item_id))


class _ArchivableRepository(Repository[T]):
    """Rows with a `status`: removed ones are archived, never deleted."""

    def count_active(self) -> int:
        """How many rows are not archived."""
        return self._count(self.table.c.status != Status.ARCHIVED)


class ProjectRepo(Repository[Project]):
    table, model, label = orm.project, Project, "project"

    def the_project(self) -> Project:
        projects = self.all()
        if not projects:
            raise NotFound("this project database holds no project row")
        return projects[0]


class ScriptRepo(Repository[Script]):
    table, model, label = orm.scripts, Script, "script version"

    def latest(self) -> Script | None:
        found = self._select(order_by=[self.table.c.version.desc()])
        return found[0] if found else None


class SceneRepo(_ArchivableRepository[Scene]):
    table, model, label = orm.scenes, Scene, "scene"

    def in_order(self, include_archived: bool = False) -> list[Scene]:
        where = [] if include_archived else [self.table.c.status != Status.ARCHIVED]
        return self._select(*where, order_by=[self.table.c.order])


class SceneMarkRepo(Repository[SceneMark]):
    """The user's placements on the scenes' plans: one per (scene, name, beat)."""

    table, model, label = orm.scene_marks, SceneMark, "placement"

    def of_scene(self, scene_id: int) -> list[SceneMark]:
        c = self.table.c
        return self._select(c.scene_id == scene_id, order_by=[c.beat, c.name])

    def at(self, scene_id: int, name: str, beat: int) -> SceneMark | None:
        c = self.table.c
        found = self._select(c.scene_id == scene_id, c.name == name, c.beat == beat)
        return found[0] if found else None


class ShotRepo(_ArchivableRepository[Shot]):
    table, model, label = orm.shots, Shot, "shot"

    def in_order(self, include_archived: bool = False) -> list[Shot]:
        where = [] if include_archived else [self.table.c.status != Status.ARCHIVED]
        return self._select(*where, order_by=[self.table.c.order, self.table.c.id])

    def by_number(self, number: str) -> Shot:
        found = self._select(
            self.table.c.number == str(number), self.table.c.status != Status.ARCHIVED
        )
        if not found:
            raise NotFound(f"no shot numbered {number}", "`studio shots PATH list` lists them")
        return found[0]

    def of_scene(self, scene_id: int) -> list[Shot]:
        return self._select(self.table.c.scene_id == scene_id, order_by=[self.table.c.order])

    def compact_order(self, conn: sa.Connection) -> None:
        """Close the gaps in the film order of the shots (0…N-1); their numbers stay."""
        c = self.table.c
        rows = conn.execute(
            sa.select(c.id).where(c.status != Status.ARCHIVED).order_by(c.order, c.id)
        ).all()
        for position, (shot_id,) in enumerate(rows):
            conn.execute(sa.update(self.table).where(c.id == shot_id).values(order=position))

    def numbers_in_order(self, conn: sa.Connection) -> list[tuple[int, str]]:
        """(id, number) of the shots in the film, in order, read through `conn`."""
        c = self.table.c
        query = sa.select(c.id, c.number).where(c.status != Status.ARCHIVED)
        return [(i, n) for i, n in conn.execute(query.order_by(c.order, c.id))]

    def numbers_used(self, conn: sa.Connection | None = None) -> set[str]:
        """Every number a shot holds or held, removed shots included (none is given again)."""
        query = sa.select(self.table.c.number)
        if conn is None:
            with self.engine.connect() as own:
                return {row[0] for row in own.execute(query)}
        return {row[0] for row in conn.execute(query)}


class CharacterRepo(_ArchivableRepository[CharacterSheet]):
    table, model, label = orm.characters, CharacterSheet, "character"

    def by_name(self, name: str) -> CharacterSheet:
        found = self._select(self.table.c.name == name.strip().upper())
        if not found:
            raise NotFound(f"no character named {name!r}", "`studio characters PATH list`")
        return found[0]


class LineRepo(_ArchivableRepository[DialogueLine]):
    table, model, label = orm.dialogue_lines, DialogueLine, "dialogue line"

    def in_order(self, include_archived: bool = False) -> list[DialogueLine]:
        where = [] if include_archived else [self.table.c.status != Status.ARCHIVED]
        return self._select(*where, order_by=[self.table.c.order])

    def of_shot(self, shot_id: int) -> list[DialogueLine]:
        return self._select(self.table.c.shot_id == shot_id, order_by=[self.table.c.order])


class AssetRepo(Repository[Asset]):
    table, model, label = orm.assets, Asset, "asset"

    def paths(self) -> set[str]:
        """The media path of every asset (reads only that column: fine at any schema revision)."""
        with self.engine.connect() as conn:
            return set(conn.execute(sa.select(self.table.c.path)).scalars())

    def by_sha(self, sha256: str) -> Asset | None:
        found = self._select(self.table.c.sha256 == sha256)
        return found[0] if found else None

    def for_blob(
        self, blob: Any, kind: str, mime: str = "", conn: sa.Connection | None = None, **fields: Any
    ) -> Asset:
        """The asset row of a stored blob: the existing one for the same bytes, or a new one."""
        existing = self.by_sha(blob.sha256)
        if existing is not None:
            return existing
        asset = Asset(
            sha256=blob.sha256, kind=kind, path=blob.path, size=blob.size, mime=mime, **fields
        )
        return self.add(asset, conn)


class TakeRepo(Repository[Take]):
    table, model, label = orm.takes, Take, "take"

    def of_owner(self, kind: TakeKind, owner_id: int) -> list[Take]:
        return self._select(self.table.c.kind == kind, self.table.c.owner_id == owner_id)

    def by_cache_key(self, cache_key: str, owner_id: int) -> Take | None:
        c = self.table.c
        found = self._select(c.cache_key == cache_key, c.owner_id == owner_id)
        return found[0] if found else None

    def flag_stale(self, shot_ids: set[int], line_ids: set[int], conn: sa.Connection) -> None:
        """Mark the takes of these shots (keyframes, clips) and lines (voices) stale."""
        c = self.table.c
        if shot_ids:
            conn.execute(
                sa.update(self.table)
                .where(c.kind != TakeKind.VOICE, c.owner_id.in_(shot_ids))
                .values(stale=True)
            )
        if line_ids:
            conn.execute(
                sa.update(self.table)
                .where(c.kind == TakeKind.VOICE, c.owner_id.in_(line_ids))
                .values(stale=True)
            )


class JobRepo(Repository[Job]):
    table, model, label = orm.jobs, Job, "job"

    def in_state(self, *states: JobState) -> list[Job]:
        c = self.table.c
        return self._select(c.state.in_(states), order_by=[c.priority.desc(), c.position, c.id])

    def finished(self, limit: int = 200) -> list[Job]:
        """The jobs that ended (done, failed, cancelled), the most recent first, at most `limit`."""
        c = self.table.c
        ended = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)
        query = (
            sa.select(self.table)
            .where(c.state.in_(ended))
            .order_by(c.finished.desc().nulls_last(), c.id.desc())
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [self._row_to_model(r) for r in conn.execute(query)]

    def next_queued(self, conn: sa.Connection) -> Job | None:
        c = self.table.c
        query = (
            sa.select(self.table)
            .where(c.state == JobState.QUEUED)
            .order_by(c.priority.desc(), c.position, c.id)
            .limit(1)
        )
        row = conn.execute(query).first()
        return None if row is None else self._row_to_model(row)

    def max_position(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(sa.func.max(self.table.c.position))).scalar()
        return value or 0

    def counts(self) -> dict[str, int]:
        c = self.table.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(c.state, sa.func.count()).group_by(c.state)).all()
        return {JobState(state).value: n for state, n in rows}


class SettingsRepo:
    """Small project-wide values by key (the queue's pause flag…)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def get(self, key: str, default: Any = None) -> Any:
        t = orm.settings_kv
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.value).where(t.c.key == key)).first()
        return default if row is None else row[0]

    def set(self, key: str, value: Any) -> None:
        t = orm.settings_kv
        with self.engine.begin() as conn:
            conn.execute(sa.delete(t).where(t.c.key == key))
            conn.execute(sa.insert(t).values(key=key, value=value))


class MusicBedRepo(Repository[MusicBed]):
    """The film's music bed: one row, or none."""

    table, model, label = orm.music_bed, MusicBed, "music bed"

    def current(self) -> MusicBed | None:
        found = self.all()
        return found[0] if found else None

    def set(self, asset_id: int | None) -> None:
        """Make `asset_id` the music bed (None: no music bed)."""
        with self.engine.begin() as conn:
            conn.execute(sa.delete(self.table))
            if asset_id is not None:
                conn.execute(sa.insert(self.table).values(asset_id=asset_id))


class SoundEffectRepo(Repository[SoundEffect]):
    """The sound effects placed in the film, in the order they were placed."""

    table, model, label = orm.sound_effects, SoundEffect, "sound effect"


class TimelineRepo:
    """Timelines are stored whole, as versioned JSON documents."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def load(self, name: str = "main") -> dict | None:
        t = orm.timelines
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.document).where(t.c.name == name)).first()
        return None if row is None else row[0]

    def names(self) -> list[str]:
        t = orm.timelines
        with self.engine.connect() as conn:
            return list(conn.execute(sa.select(t.c.name).order_by(t.c.name)).scalars())

    def save(self, document: dict, name: str = "main", conn: sa.Connection | None = None) -> None:
        from studio.domain.project import utcnow

        if conn is None:
            with self.engine.begin() as own:
                return self.save(document, name, own)
        t = orm.timelines
        exists = conn.execute(sa.select(t.c.id).where(t.c.name == name)).first()
        if exists:
            conn.execute(
                sa.update(t).where(t.c.name == name).values(document=document, updated=utcnow())
            )
        else:
            conn.execute(sa.insert(t).values(name=name, document=document, updated=utcnow()))

    def delete(self, name: str = "main") -> None:
        t = orm.timelines
        with self.engine.begin() as conn:
            conn.execute(sa.delete(t).where(t.c.name == name))
