"""Timeline use-cases: assemble the cut from the project, load it, and edit it (undoable)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from studio.domain.entities import Asset
from studio.domain.time import RationalTime
from studio.domain.timeline import Timeline, Track
from studio.errors import InvalidInput, NotFound
from studio.services.project import OpenProject
from studio.store.project_store import ProjectStore
from studio.timeline import edit
from studio.timeline.assemble import CutInputs, ShotMedia, with_sound
from studio.timeline.assemble import assemble as assemble_cut

MUSIC_KEY = "music"
EFFECTS_KEY = "effects"
_PRELOAD_BATCH = 900  # ids per query, under SQLite's limit of bound parameters


class StoreMedia:
    """The renderer's and the OTIO writer's view of the project's media (a MediaLookup)."""

    def __init__(self, store: ProjectStore) -> None:
        self.store = store
        self._assets: dict[int, Asset] = {}

    def asset(self, asset_id: int) -> Asset:
        if asset_id not in self._assets:
            self._assets[asset_id] = self.store.assets.get(asset_id)
        return self._assets[asset_id]

    def preload(self, asset_ids: Iterable[int]) -> StoreMedia:
        """Read these assets in a few queries up front (a render, mix or OTIO cut of 1,200
        shots otherwise asks the database once per asset); unknown ids are left for `asset`
        to report."""
        from studio.store import orm

        wanted = sorted({i for i in asset_ids if i is not None} - set(self._assets))
        column = orm.assets.c.id
        for first in range(0, len(wanted), _PRELOAD_BATCH):
            batch = wanted[first : first + _PRELOAD_BATCH]
            for asset in self.store.assets.select(column.in_(batch)):
                self._assets[asset.id] = asset
        return self

    def find(self, asset_id: int) -> Asset | None:
        """The asset, or None when the project has no such asset."""
        try:
            return self.asset(asset_id)
        except NotFound:
            return None

    def path(self, asset_id: int) -> Path:
        return self.store.media.absolute(self.asset(asset_id).path)

    def kind(self, asset_id: int) -> str:
        return self.asset(asset_id).kind


def cut_inputs(store: ProjectStore) -> CutInputs:
    """Everything the assembly needs, read from the project in a few queries."""
    settings = store.settings()
    assets = {a.id: a for a in store.assets.all()}
    takes = {t.id: t for t in store.takes.all()}

    def active(take_id: int | None) -> tuple[Asset | None, int | None]:
        take = takes.get(take_id) if take_id is not None else None
        return (assets.get(take.asset_id), take.id) if take else (None, None)

    lines_by_shot: dict[int, list] = {}
    for line in store.lines.in_order():
        voice, voice_take = active(line.active_voice_take_id)
        lines_by_shot.setdefault(line.shot_id, []).append((line, voice, voice_take))
    shots = []
    for shot in store.shots.in_order():
        clip, clip_take = active(shot.active_clip_take_id)
        keyframe, keyframe_take = active(shot.active_keyframe_take_id)
        shots.append(
            ShotMedia(
                shot, clip, clip_take, keyframe, keyframe_take, lines_by_shot.get(shot.id, [])
            )
        )
    return CutInputs(
        fps=settings.fps,
        handles=settings.handles,
        scenes={s.id: s for s in store.scenes.in_order(include_archived=True)},
        shots=shots,
        music=music_bed(store),
        effects=sound_effects(store),
    )


def sound_effects(store: ProjectStore) -> list[tuple[Asset, Fraction, float]]:
    """The effects placed in the film: (asset, start in seconds, gain dB)."""
    placed = store.values.get(EFFECTS_KEY, [])
    media = StoreMedia(store).preload(e["asset_id"] for e in placed)
    return [
        (asset, Fraction(e["at"]).limit_denominator(1000), e.get("gain_db", 0.0))
        for e in placed
        if (asset := media.find(e["asset_id"])) is not None
    ]


def music_bed(store: ProjectStore) -> Asset | None:
    return store.assets.find(store.values.get(MUSIC_KEY))


def import_sound(store: ProjectStore, path: Path) -> Asset:
    """A WAV/FLAC/MP3/M4A… file checked and stored in the project's media (a compressed one
    is decoded once, streaming, into the project's cache, where the mix reads it in slices)."""
    from studio.audio.compressed import open_sound

    sound = open_sound(path, store.cache / "audio")
    samples, rate = len(sound), sound.rate
    blob = store.media.put_file(Path(path))
    return store.assets.for_blob(
        blob,
        "audio",
        f"audio/{Path(path).suffix.lstrip('.').lower()}",
        duration=RationalTime.from_seconds(samples / rate, 1000),
        original_name=Path(path).name,
    )


def set_music_bed(project: OpenProject, path: Path) -> Asset:
    """Import a WAV/FLAC/MP3/M4A… file into the media store as the film's music bed, and lay
    it under the cut when there is one (undoably; the edits to the picture stay)."""
    asset = import_sound(project.store, path)
    project.store.values.set(MUSIC_KEY, asset.id)
    _lay_sound(project, f"lay the music {Path(path).name}")
    return asset


def add_effect(project: OpenProject, path: Path, at: float, gain_db: float = 0.0) -> Asset:
    """Place a sound effect at `at` seconds into the film: on the sfx tracks of the cut when
    there is one (undoably), and at every later assembly."""
    if at < 0:
        raise InvalidInput(f"an effect cannot start before the film ({at} s)")
    asset = import_sound(project.store, path)
    effects = list(project.store.values.get(EFFECTS_KEY, []))
    effects.append({"asset_id": asset.id, "at": at, "gain_db": gain_db})
    project.store.values.set(EFFECTS_KEY, effects)
    _lay_sound(project, f"add the effect {Path(path).name}")
    return asset


def _lay_sound(project: OpenProject, label: str, name: str = "main") -> Timeline | None:
    """The stored cut with its music and effects tracks laid anew from the project's."""
    timeline = load_timeline(project.store, name)
    if timeline is None:
        return None
    store = project.store
    changed = with_sound(timeline, music_bed(store), sound_effects(store))
    project.history.execute(SetTimeline(name, changed, label))
    return changed


def assemble(project: OpenProject, name: str = "main") -> Timeline:
    """Assemble the cut from the shots' active takes and save it as the project's timeline."""
    timeline = assemble_cut(cut_inputs(project.store))
    project.history.execute(SetTimeline(name, timeline, "assemble the cut"))
    return timeline


def load_timeline(store: ProjectStore, name: str = "main") -> Timeline | None:
    document = store.timelines.load(name)
    return Timeline.from_json(document) if document else None


@dataclass
class SetTimeline:
    """Replace a stored timeline (an assembly or an edit), remembering the one before."""

    name: str
    timeline: Timeline
    label: str = "edit the timeline"
    _before: dict | None = field(default=None, repr=False)

    def do(self, store: ProjectStore) -> None:
        self._before = store.timelines.load(self.name)
        store.timelines.save(self.timeline.to_json(), self.name)

    def undo(self, store: ProjectStore) -> None:
        if self._before is not None:
            store.timelines.save(self._before, self.name)
        else:
            import sqlalchemy as sa

            from studio.store import orm

            with store.engine.begin() as conn:
                conn.execute(sa.delete(orm.timelines).where(orm.timelines.c.name == self.name))


def edit_track(
    project: OpenProject,
    track_name: str,
    label: str,
    change: Callable[[Track], Track],
    name: str = "main",
) -> Timeline:
    timeline = load_timeline(project.store, name)
    if timeline is None:
        raise InvalidInput("there is no timeline yet", "assemble the cut first (`studio assemble`)")
    try:
        track = timeline.track(track_name)
        changed = edit.with_track(timeline, track_name, change(track))
    except (KeyError, ValueError, IndexError) as exc:
        raise InvalidInput(f"cannot {label}: {exc}") from None
    project.history.execute(SetTimeline(name, changed, label))
    return changed


def trim(
    project: OpenProject,
    track_name: str,
    index: int,
    start_delta: int = 0,
    end_delta: int = 0,
    ripple: bool = True,
) -> Timeline:
    """Move a clip's in point by `start_delta` frames and its out point by `end_delta`."""

    def change(track: Track) -> Track:
        if start_delta:
            track = edit.trim_start(track, index, start_delta, ripple)
        if end_delta:
            track = edit.trim_end(track, index, end_delta, ripple)
        return track

    return edit_track(project, track_name, f"trim clip {index + 1}", change)


def split(project: OpenProject, track_name: str, frame: int) -> Timeline:
    def change(track: Track) -> Track:
        return edit.split(track, RationalTime(frame, edit.track_rate(track)))

    return edit_track(project, track_name, f"split at frame {frame}", change)


def move_clip(project: OpenProject, track_name: str, index: int, to_frame: int) -> Timeline:
    def change(track: Track) -> Track:
        return edit.move(track, index, RationalTime(to_frame, edit.track_rate(track)))

    return edit_track(project, track_name, f"move clip {index + 1}", change)


def ripple_delete(project: OpenProject, track_name: str, index: int) -> Timeline:
    return edit_track(
        project,
        track_name,
        f"delete clip {index + 1}",
        lambda track: edit.ripple_delete(track, index),
    )


__all__ = [
    "assemble",
    "load_timeline",
    "move_clip",
    "ripple_delete",
    "add_effect",
    "set_music_bed",
    "split",
    "trim",
]
