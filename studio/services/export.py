"""Export: the film (picture, mix, subtitles), its OTIO cut, the storyboard PDF, an animatic."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from studio.atomic import Staging
from studio.audio import mix_plans
from studio.domain.entities import Take
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, Track, TrackKind
from studio.errors import InvalidInput
from studio.media.codecs import DEFAULT_CODEC, video_codec
from studio.progress import JobContext
from studio.services.export_options import SUBTITLE_MODES, ExportOptions
from studio.services.freshness import cut_fingerprint
from studio.services.project import OpenProject
from studio.services.timeline import assemble, load_timeline
from studio.store.media_lookup import StoreMedia
from studio.store.project_store import ProjectStore
from studio.store.verified import VerifiedMedia
from studio.timeline.cut_formats import parse_cut_formats

REPORT_NAME = "export.json"  # written last: a folder with it holds one whole export


@dataclass
class ExportReport:
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    duration_seconds: float = 0.0
    frames: int = 0
    mix: dict = field(default_factory=dict)
    seconds: float = 0.0
    cut: str = ""  # the fingerprint of the cut it shows (`freshness.cut_fingerprint`)

    def to_json(self) -> dict:
        return {
            "folder": str(self.folder),
            "files": {k: str(v) for k, v in self.files.items()},
            "duration_seconds": self.duration_seconds,
            "frames": self.frames,
            "mix": self.mix,
            "seconds": round(self.seconds, 2),
            "cut": self.cut,
        }


def _store(target: OpenProject | ProjectStore) -> ProjectStore:
    return target.store if isinstance(target, OpenProject) else target


def timeline_for_export(target: OpenProject | ProjectStore) -> Timeline:
    store = _store(target)
    timeline = load_timeline(store)
    if timeline is None:
        if not isinstance(target, OpenProject):
            raise InvalidInput("there is no timeline yet", "assemble the cut first")
        timeline = assemble(target)
    return timeline


def clip_spans(track: Track) -> Iterator[tuple[Clip, TimeRange]]:
    """Each clip of `track` with where it sits, in one pass (`Track.spans`)."""
    for item, span in track.spans():
        if isinstance(item, Clip):
            yield item, span


def dialogue_placements(store: ProjectStore, timeline: Timeline) -> list[dict]:
    """Every dialogue clip with its place (seconds), text, speaker, x in frame and room."""
    try:
        track = timeline.track("dialogue")
    except KeyError:
        return []
    shots = {s.id: s for s in store.shots.all()}
    scenes = {s.id: s for s in store.scenes.all()}
    names = {c.id: c.name for c in store.characters.all()}
    placed = []
    for item, span in clip_spans(track):
        if item.asset_id is None:
            continue
        shot = shots.get(item.shot_id)
        character = item.metadata.get("character_id")
        x = 0.5
        if shot is not None and character is not None:
            x = float(shot.blocking.get(str(character), 0.5))
        scene = scenes.get(shot.scene_id) if shot else None
        placed.append(
            {
                "asset_id": item.asset_id,
                "start": float(span.start.seconds),
                "end": float(span.end_exclusive.seconds),
                "played": _played(item),
                "text": item.metadata.get("text", ""),
                "speaker": names.get(character, ""),
                "x": x,
                "gain_db": item.gain_db,
                "room": "exterior" if scene and scene.int_ext.startswith("EXT") else "interior",
            }
        )
    return placed


def _played(clip: Clip) -> tuple[float, float | None]:
    """The part of a line's take its clip plays, in seconds: (from, to); to is None when the
    clip plays to the take's end (its clip, in whole frames, may end inside the last frame)."""
    src = clip.source_range
    head = float(src.start.seconds)
    media = clip.media_duration
    trimmed = media is not None and src.end_exclusive.rescaled_to(media.rate).value < media.value
    return head, float(src.end_exclusive.seconds) if trimmed else None


def _window(samples, rate: int, played: tuple[float, float | None]):
    """The samples of a take that a trimmed clip plays (all of them when it is not trimmed)."""
    head, tail = played
    if head <= 0 and tail is None:
        return samples
    start = round(head * rate)
    stop = len(samples) if tail is None else round(tail * rate)
    return samples.window(start, stop) if hasattr(samples, "window") else samples[start:stop]


def timeline_mix_stream(
    store: ProjectStore,
    timeline: Timeline,
    target_lufs: float = -16.0,
    binaural: bool = False,
    rooms: bool = True,
    pan: bool = True,
    media: StoreMedia | None = None,
    placements: list[dict] | None = None,
):
    """The film's mix as a `MixStream`: `.report`, then `.chunks()` or `.write_wav(path)`.

    Music and effects files that soundfile reads (WAV, FLAC, AIFF, Ogg) are read slice by
    slice as the blocks need them, and looped beds are never repeated in memory. `media` and
    `placements` (from `dialogue_placements`) may be given to share them with other steps.
    """
    from studio.audio.compressed import open_sound
    from studio.audio.mix import AudioClip, MixSettings
    from studio.audio.mix_stream import MixStream

    if media is None:
        media = timeline_media(store, timeline)
    if placements is None:
        placements = dialogue_placements(store, timeline)
    dialogue = []
    for place in placements:
        samples, rate = _dialogue_samples(media.path(place["asset_id"]))
        dialogue.append(
            AudioClip(
                _window(samples, rate, place.get("played", (0.0, None))),
                rate,
                place["start"],
                place["gain_db"],
                pan=place["x"] * 2 - 1,
                room=place["room"],
            )
        )
    duration = float(timeline.duration.seconds)
    music, effects = [], []
    for track in timeline.tracks:
        if track.kind not in (TrackKind.MUSIC, TrackKind.SFX) or track.muted:
            continue
        for item, span in clip_spans(track):
            if item.asset_id is None:
                continue
            samples = open_sound(media.path(item.asset_id))
            rate = samples.rate
            fps = Fraction(span.duration.rate)
            clip = AudioClip(
                samples,
                rate,
                float(span.start.seconds),
                item.gain_db + track.gain_db,
                float(item.fade_in / fps),
                float(item.fade_out / fps),
                loop_to=float(span.duration.seconds) if item.metadata.get("loop") else None,
            )
            (music if track.kind is TrackKind.MUSIC else effects).append(clip)
    settings = MixSettings(target_lufs=target_lufs, binaural=binaural, rooms=rooms, pan=pan)
    return MixStream(dialogue, music, effects, duration, settings)


def _dialogue_samples(path: Path):
    """A line's take as an `AudioFile` read when the mix reaches it (WAV, FLAC…), else decoded.

    Loading every take up front held the whole film's dialogue for the whole export: about
    250 MB of float samples for the 600 lines of a 1,200-shot film.
    """
    from studio.audio.mix import SOUNDFILE_EXTENSIONS, AudioFile, load_audio_file

    if Path(path).suffix.lower() in SOUNDFILE_EXTENSIONS:
        sound = AudioFile(path)
        return sound, sound.rate
    return load_audio_file(path)


def subtitle_cues(
    store: ProjectStore,
    timeline: Timeline,
    offset: float = 0.0,
    speaker_names: bool = False,
    placements: list[dict] | None = None,
) -> list:
    """The film's subtitle cues (`offset` seconds later); the title card, when the cut has
    one, is on the timeline already."""
    from studio.audio.subtitles import make_cues

    if placements is None:
        placements = dialogue_placements(store, timeline)
    lines = [(p["start"] + offset, p["end"] + offset, p["text"], p["speaker"]) for p in placements]
    return make_cues(lines, speaker_names=speaker_names, fps=float(timeline.rate))


def timeline_media(store: ProjectStore, timeline: Timeline) -> StoreMedia:
    """The project's media for `timeline`, every asset it uses read in one go."""
    return StoreMedia(store).preload(_asset_ids(timeline))


def check_media(timeline: Timeline, media: StoreMedia) -> None:
    """Refuse to export a cut whose media files are missing, not the size they were stored at
    (a truncated copy) or not the bytes they were stored as (same-size corruption, a file
    rewritten in place): before anything is written. Contents are hashed once per change of a
    file (`VerifiedMedia`, remembered in the project's cache), so a second export of the same
    media reads none of it here."""
    store = media.store
    verified = VerifiedMedia(store.folder, store.cache)
    damaged: dict[int, str] = {}  # asset id -> why, each file judged once
    shown = []
    for track in timeline.tracks:
        for index, item in enumerate(track.items):
            if not isinstance(item, Clip) or item.asset_id is None:
                continue
            if item.asset_id not in damaged:
                damaged[item.asset_id] = _damage(media, item.asset_id, verified)
            if damaged[item.asset_id]:
                take = f" (take {item.take_id})" if item.take_id is not None else ""
                shown.append(f"{track.name} {index} {item.name}: {damaged[item.asset_id]}{take}")
    verified.save()
    if shown:
        more = f"; and {len(shown) - 5} more" if len(shown) > 5 else ""
        raise InvalidInput(
            f"the cut uses damaged media: {'; '.join(shown[:5])}{more}",
            "run `studio doctor PATH` and re-generate or re-import those takes",
        )


def _damage(media: StoreMedia, asset_id: int, verified: VerifiedMedia) -> str:
    """Why the asset's file cannot be exported ('' when it is whole)."""
    asset = media.find(asset_id)
    path = media.path(asset_id) if asset is not None else None
    if path is None or not path.is_file():
        return "its media is missing"
    size = path.stat().st_size
    if size != asset.size:
        return f"{asset.path} is {size} bytes, stored as {asset.size}"
    if not verified.check(asset.path, asset.sha256):
        return f"{asset.path} is not the file stored (its content changed: the sha256 differs)"
    return ""


def _asset_ids(timeline: Timeline) -> Iterator[int]:
    for track in timeline.tracks:
        for item in track.items:
            if isinstance(item, Clip) and item.asset_id is not None:
                yield item.asset_id


def storyboard_panels(store: ProjectStore, takes: dict[int, Take] | None = None) -> list:
    """One storyboard panel per shot in film order (its active keyframe, notes and lines)."""
    from studio.render.storyboard_pdf import StoryboardPanel

    scenes = {s.id: s for s in store.scenes.all()}
    names = {c.id: c.name for c in store.characters.all()}
    takes = takes if takes is not None else {t.id: t for t in store.takes.all()}
    lines: dict[int, list[str]] = {}
    for line in store.lines.in_order():
        lines.setdefault(line.shot_id, []).append(
            f"{names.get(line.character_id, '?')}: {line.text}"
        )
    shots = store.shots.in_order()
    active = [takes.get(shot.active_keyframe_take_id) for shot in shots]
    media = StoreMedia(store).preload(take.asset_id for take in active if take is not None)
    limit = store.settings().max_image_pixels
    panels = []
    for shot, take in zip(shots, active, strict=True):
        image = media.path(take.asset_id) if take else None
        camera = (
            f"{shot.size.value} · {shot.angle.value} · {shot.movement.value.replace('_', ' ')}"
            f" · {shot.lens}mm"
        )
        panels.append(
            StoryboardPanel(
                shot.number,
                image,
                shot.description,
                lines.get(shot.id, []),
                camera,
                shot.duration.to_seconds(),
                scenes[shot.scene_id].heading,
                limit,
            )
        )
    return panels


def animatic_timeline(
    store: ProjectStore, timeline: Timeline, takes: dict[int, Take] | None = None
) -> Timeline:
    """The cut with every shot shown as its active keyframe held still: the animatic."""
    shots = {s.id: s for s in store.shots.all()}
    takes = takes if takes is not None else {t.id: t for t in store.takes.all()}
    tracks = []
    for track in timeline.tracks:
        if track.kind is not TrackKind.VIDEO:
            tracks.append(track)
            continue
        items = []
        for item in track.items:
            shot = shots.get(getattr(item, "shot_id", None))
            take = takes.get(shot.active_keyframe_take_id) if shot else None
            if isinstance(item, Clip) and take is not None:
                rate = item.duration.rate
                item = replace(
                    item,
                    asset_id=take.asset_id,
                    take_id=take.id,
                    source_range=TimeRange(RationalTime(0, rate), item.duration),
                    media_duration=None,
                    move=None,
                )
            items.append(item)
        tracks.append(Track(track.name, track.kind, tuple(items), track.muted, track.gain_db))
    return replace(timeline, tracks=tuple(tracks))


def export_film(
    target: OpenProject | ProjectStore,
    out_dir: Path,
    options: ExportOptions | None = None,
    ctx: JobContext | None = None,
) -> ExportReport:
    """Render the film and everything that goes with it into `out_dir`, as `options` say
    (the defaults: `ExportOptions()`); `ctx` hears the progress and may cancel."""
    from studio.render.pipeline import render_timeline
    from studio.render.presets import preset_settings
    from studio.render.storyboard_pdf import write_storyboard
    from studio.timeline.interchange import write_cuts

    options = options or ExportOptions()
    subtitles, codec, animatic = options.subtitles, options.codec, options.animatic
    if subtitles not in SUBTITLE_MODES:
        raise InvalidInput(f"--subtitles {subtitles!r}", f"use {', '.join(SUBTITLE_MODES)}")
    cut_formats = parse_cut_formats(options.cut_formats)
    started = time.monotonic()
    ctx = ctx or JobContext()
    store = _store(target)
    out = Path(out_dir)
    report = ExportReport(out)
    timeline = timeline_for_export(target)
    project = store.project()
    settings = preset_settings(
        options.preset,
        options.fps or project.settings.fps,
        look=options.look,
        codec=codec,
        max_image_pixels=project.settings.max_image_pixels,
        **options.encoding(),
    )
    ctx.report(0.01, "gathering the sound")
    # read once and shared by every step: the media rows, the dialogue's places, the takes
    media = timeline_media(store, timeline)
    takes = {t.id: t for t in store.takes.all()}
    check_media(timeline, media)
    cut = animatic_timeline(store, timeline, takes) if animatic else None
    if cut is not None:
        check_media(cut, media.preload(_asset_ids(cut)))
    out.mkdir(parents=True, exist_ok=True)  # nothing is written before the media are checked
    placements = dialogue_placements(store, timeline)
    audio = timeline_mix_stream(
        store, timeline, options.target_lufs, options.binaural, media=media, placements=placements
    )
    stored_mix = mix_plans.adopt(audio, store.cache / "mix")  # this cut's mix measured before
    cues = subtitle_cues(store, timeline, placements=placements)
    # every file goes to a temporary name and all are renamed at the end, export.json last: a
    # killed or failed export leaves the previous one whole (`studio.atomic.Staging`)
    with Staging(out, last=REPORT_NAME) as staged:
        if subtitles != "none":
            from studio.audio.subtitles import to_srt, to_vtt

            report.files["srt"] = staged.write_text("film.srt", to_srt(cues))
            report.files["vtt"] = staged.write_text("film.vtt", to_vtt(cues))
        if subtitles == "burn":
            settings = replace(settings, subtitles_burn=cues)
        ctx.check_cancelled()
        film = out / f"film{video_codec(codec).suffix}"
        stage = _Stage(ctx, 0.05, 0.85 if animatic else 0.93, "rendering the film")
        # the mix measures itself on the sound's thread while the first frames are encoded
        rendered = render_timeline(timeline, media, settings, staged.path(film), audio, stage.ctx)
        report.mix = audio.report.to_json()
        if not stored_mix:
            mix_plans.remember(audio, store.cache / "mix")
        report.files["film"] = film
        report.cut = cut_fingerprint(timeline)
        report.frames = rendered.frames
        report.duration_seconds = rendered.frames / float(settings.fps)
        recipes = {t.id: t.recipe for t in takes.values()}
        picture = (settings.width, settings.height)
        titled = replace(timeline, name=project.name or timeline.name)  # the suites' sequence
        report.files.update(
            write_cuts(titled, media, recipes, out, cut_formats, picture=picture, place=staged.path)
        )
        if options.storyboard:
            ctx.report(0.94, "drawing the storyboard")
            panels = storyboard_panels(store, takes)
            write_storyboard(panels, staged.path("storyboard.pdf"), title=project.name)
            report.files["storyboard"] = out / "storyboard.pdf"
        if animatic:
            stage = _Stage(ctx, 0.95, 0.99, "rendering the animatic")
            named = subtitle_cues(store, timeline, 0.0, True, placements=placements)
            # a review copy: always the default codec (H.264 in MP4), whatever the film's is
            still = replace(settings, subtitles_burn=named, codec=DEFAULT_CODEC)
            animatic_file = out / f"animatic{video_codec(DEFAULT_CODEC).suffix}"
            render_timeline(
                cut,
                media,
                still,
                staged.path(animatic_file),
                audio,
                stage.ctx,
            )
            report.files["animatic"] = animatic_file
        ctx.check_cancelled()
        report.seconds = time.monotonic() - started
        staged.write_text(REPORT_NAME, json.dumps(report.to_json(), indent=2))
        staged.commit()
    report.files["report"] = out / REPORT_NAME
    ctx.report(1.0, "done")
    return report


class _Stage:
    """A sub-range of the export's progress for one step, sharing its cancellation."""

    def __init__(self, parent: JobContext, start: float, end: float, message: str) -> None:
        self.parent = parent
        self.ctx = JobContext(on_progress=self._relay, is_cancelled=lambda: parent.cancelled)
        self.start, self.end, self.message = start, end, message

    def _relay(self, progress) -> None:
        fraction = self.start + (self.end - self.start) * progress.fraction
        self.parent.report(fraction, progress.message or self.message, progress.preview)
