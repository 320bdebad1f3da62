"""Timeline use-cases: assemble the cut from the project, load it, and edit it (undoable)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from studio.commands.sound import AddSoundEffect, RemoveSoundEffect, SetMusicBed
from studio.commands.timeline import SetTimeline
from studio.domain.entities import Asset, SoundEffect
from studio.domain.time import RationalTime
from studio.domain.timeline import Timeline, Track
from studio.errors import InvalidInput, ProjectDamaged
from studio.services.project import OpenProject
from studio.store.media_lookup import StoreMedia
from studio.store.project_store import ProjectStore
from studio.timeline import edit
from studio.timeline.assemble import CutInputs, ShotMedia, with_sound
from studio.timeline.assemble import assemble as assemble_cut
from studio.timeline.linked import LinkedEdit, edit_picture
from studio.timeline.shot_names import with_shot_numbers


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
        title=title_page(store),
        title_image=title_card_image(store),
    )


def title_page(store: ProjectStore) -> dict:
    """The film's title card text: the script's title page (title, credit, author), or the
    project's name."""
    from studio.services.script import current_screenplay

    name = store.project().name
    page = current_screenplay(store).title_page if store.scripts.latest() else None
    lower = {k.lower(): " ".join(v.split()) for k, v in (page or {}).items()}
    card = {"title": lower.get("title") or name}
    for key in ("credit", "author"):
        if lower.get(key):
            card[key] = lower[key]
    return card


def title_card_image(store: ProjectStore) -> Asset:
    """The title card drawn as a still at the project's size and kept in its media, so every
    cut format carries it as a file like any other shot (the same text is the same asset)."""
    import io

    from PIL import Image

    from studio.render.compose import card
    from studio.timeline.assemble import title_card_lines

    settings = store.settings()
    picture = card(title_card_lines(title_page(store)), settings.width, settings.height)
    data = io.BytesIO()
    Image.fromarray(picture).save(data, format="PNG")
    blob = store.media.put_bytes(data.getvalue(), "png")
    return store.assets.for_blob(
        blob,
        "image",
        "image/png",
        width=settings.width,
        height=settings.height,
        original_name="title card.png",
    )


@dataclass(frozen=True)
class PlacedEffect:
    """A sound effect placed in the film, with its sound."""

    id: int
    asset: Asset
    at_seconds: Fraction
    gain_db: float

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.asset.original_name or Path(self.asset.path).name,
            "at_seconds": float(self.at_seconds),
            "seconds": self.asset.duration.to_seconds() if self.asset.duration else None,
            "gain_db": self.gain_db,
        }


def placed_effects(store: ProjectStore) -> list[PlacedEffect]:
    """The effects placed in the film, in the order they were placed."""
    placed = store.sound_effects.all()
    media = StoreMedia(store).preload(e.asset_id for e in placed)
    return [
        PlacedEffect(e.id, asset, Fraction(e.at_seconds).limit_denominator(1000), e.gain_db)
        for e in placed
        if (asset := media.find(e.asset_id)) is not None
    ]


def sound_effects(store: ProjectStore) -> list[tuple[Asset, Fraction, float]]:
    """The effects placed in the film: (asset, start in seconds, gain dB)."""
    return [(e.asset, e.at_seconds, e.gain_db) for e in placed_effects(store)]


def music_bed(store: ProjectStore) -> Asset | None:
    bed = store.music_bed.current()
    return store.assets.find(bed.asset_id if bed else None)


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
    label = f"lay the music {Path(path).name}"
    with project.history.transaction(label):
        project.history.execute(SetMusicBed(asset.id, label))
        _lay_sound(project, label)
    return asset


def clear_music_bed(project: OpenProject) -> None:
    """Take the music bed out of the film, and off the cut when there is one (undoably)."""
    label = "remove the music bed"
    with project.history.transaction(label):
        project.history.execute(SetMusicBed(None, label))
        _lay_sound(project, label)


def add_effect(project: OpenProject, path: Path, at: float, gain_db: float = 0.0) -> Asset:
    """Place a sound effect at `at` seconds into the film: on the sfx tracks of the cut when
    there is one (undoably), and at every later assembly."""
    if at < 0:
        raise InvalidInput(f"an effect cannot start before the film ({at} s)")
    asset = import_sound(project.store, path)
    label = f"add the effect {Path(path).name}"
    with project.history.transaction(label):
        project.history.execute(AddSoundEffect(SoundEffect(asset.id, at, gain_db), label))
        _lay_sound(project, label)
    return asset


def remove_effect(project: OpenProject, effect_id: int) -> None:
    """Take a placed sound effect (an id of `store.sound_effects`) out of the film, and off the
    cut when there is one (undoably)."""
    label = "remove a sound effect"
    with project.history.transaction(label):
        project.history.execute(RemoveSoundEffect(effect_id, label))
        _lay_sound(project, label)


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
    """The stored cut, its picture clips named by their shots' numbers as they are now."""
    document = store.timelines.load(name)
    if not document:
        return None
    numbers = {shot.id: shot.number for shot in store.shots.all()}
    try:
        timeline = Timeline.from_json(document)
    except InvalidInput as err:  # a hostile bundle's cut, a damaged database
        raise ProjectDamaged(
            f"the stored cut {name!r} of {store.folder} cannot be used: {err.message}",
            "import a cut again (`studio timeline import`) or assemble it (`studio assemble`)",
        ) from None
    return with_shot_numbers(timeline, numbers)


def edit_track(
    project: OpenProject,
    track_name: str,
    label: str,
    change: Callable[[Track], Track],
    name: str = "main",
) -> LinkedEdit:
    """`change` made to one track of the stored cut, undoably. An edit of the picture carries
    the dialogue linked to it; the result lists the lines it had to trim or remove."""
    timeline = _stored(project.store, name)
    try:
        result = edit_picture(timeline, track_name, change)
    except (KeyError, ValueError, IndexError) as exc:
        raise InvalidInput(f"cannot {label}: {exc}") from None
    project.history.execute(SetTimeline(name, result.timeline, label))
    return result


def _stored(store: ProjectStore, name: str = "main") -> Timeline:
    timeline = load_timeline(store, name)
    if timeline is None:
        raise InvalidInput("there is no timeline yet", "assemble the cut first (`studio assemble`)")
    return timeline


def trim(
    project: OpenProject,
    track_name: str,
    index: int,
    start_delta: int = 0,
    end_delta: int = 0,
    ripple: bool = True,
) -> LinkedEdit:
    """Move a clip's in point by `start_delta` frames and its out point by `end_delta`."""

    def change(track: Track) -> Track:
        if start_delta:
            track = edit.trim_start(track, index, start_delta, ripple)
        if end_delta:
            track = edit.trim_end(track, index, end_delta, ripple)
        return track

    return edit_track(project, track_name, f"trim clip {index + 1}", change)


def split(project: OpenProject, track_name: str, frame: int) -> LinkedEdit:
    def change(track: Track) -> Track:
        return edit.split(track, RationalTime(frame, edit.track_rate(track)))

    return edit_track(project, track_name, f"split at frame {frame}", change)


def move_clip(project: OpenProject, track_name: str, index: int, to_frame: int) -> LinkedEdit:
    def change(track: Track) -> Track:
        return edit.move(track, index, RationalTime(to_frame, edit.track_rate(track)))

    return edit_track(project, track_name, f"move clip {index + 1}", change)


def ripple_delete(project: OpenProject, track_name: str, index: int) -> LinkedEdit:
    return edit_track(
        project,
        track_name,
        f"delete clip {index + 1}",
        lambda track: edit.ripple_delete(track, index),
    )


def slip(project: OpenProject, track_name: str, index: int, frames: int) -> LinkedEdit:
    """Show a later (frames > 0) or earlier part of a clip's media in the same place."""
    return edit_track(
        project, track_name, f"slip clip {index + 1}", lambda track: edit.slip(track, index, frames)
    )


def unlink_lines(
    project: OpenProject, track_name: str, indexes: list[int], name: str = "main"
) -> Timeline:
    """Unlink dialogue clips from their picture (undoably): from now on they stay where they
    are in film time when the picture is edited."""
    from studio.timeline.linked import unlink

    label = f"unlink {len(indexes)} line{'s' if len(indexes) != 1 else ''}"
    try:
        changed = unlink(_stored(project.store, name), track_name, indexes)
    except (KeyError, ValueError) as exc:
        raise InvalidInput(f"cannot {label}: {exc}") from None
    project.history.execute(SetTimeline(name, changed, label))
    return changed


__all__ = [
    "add_effect",
    "assemble",
    "clear_music_bed",
    "load_timeline",
    "move_clip",
    "placed_effects",
    "remove_effect",
    "ripple_delete",
    "set_music_bed",
    "slip",
    "split",
    "trim",
    "unlink_lines",
]
