"""An editor's cut back from OpenTimelineIO: `from_otio` turns an OTIO timeline into ours.

What comes back, and how:

- Video tracks stay video; an audio track keeps its studio kind (dialogue, music, sfx) from the
  metadata `to_otio` wrote, else from its name, else from its clips (lines → dialogue).
- A clip is matched to project media by `metadata["microfilm"]["asset_id"]` first, then by its
  media file (a path in the project's `media/` store, or any file whose content hash is stored):
  see `MediaIndex`. Studio slates (title cards, no media) come back from their metadata.
- A clip whose media is not in the project is refused by track, item, name and URL, or, with
  `allow_missing`, becomes a gap of the same length and is reported. A disabled clip becomes a gap.
- Gaps stay gaps; transitions come back with their kind (an editor's SMPTE dissolve is ours).
  A CMX EDL's dissolves from and to black (`BL`, read by OTIO as black generator clips) come
  back as our fades from and to black and dips to black. A track that starts later than the
  film (OTIO's EDL reader trims it by a negative start) keeps its place with a gap before it.
- What `interchange.interchange_cut` shaped is undone: the repeats of a looping clip
  (`loop_piece`) are one looping clip again; a sound that ends on its file's last whole frame
  followed by a gap gets back the frame the assembly rounded it to (the media length the
  studio counts for it); gaps that only close a sound track (or `pad` gaps) are dropped.
- Time is exact: OTIO's float times are converted to whole frames at the project's rate. A cut at
  another rate is conformed when every time falls on a whole frame of ours, and refused otherwise.
- Every number is checked (`check_timeline`): NaN, infinity and rates that are not positive are
  refused by item, as are negative lengths and in points, a clip past the end of its media (the
  project's own file, whatever the cut claims), and a track longer than a film may be (24 h).
- What we do not model: nested stacks (compound clips, nested sequences) and time warps (speed
  changes, freeze frames) change what plays, so they are refused, naming the item. Markers and
  other effects (colour, blur…) change nothing we render: they are dropped with a warning.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlparse

import opentimelineio as otio

from studio.domain.camera import lift_move
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import (
    MALFORMED,
    SOUND_KINDS,
    Clip,
    Gap,
    Item,
    LineLink,
    Timeline,
    Track,
    TrackKind,
    Transition,
    TransitionKind,
    check_timeline,
    values_refused,
    with_lines_linked,
)
from studio.errors import InvalidInput
from studio.timeline.edit import normalize

# a sound track with no studio kind, by the start of its name
_NAMED_KINDS = (
    ("dialog", TrackKind.DIALOGUE),
    ("voice", TrackKind.DIALOGUE),
    ("music", TrackKind.MUSIC),
    ("sfx", TrackKind.SFX),
    ("fx", TrackKind.SFX),
    ("effect", TrackKind.SFX),
)
_TOLERANCE = Fraction(1, 10**6)  # of a frame: float noise in an OTIO value, never a real offset
_LISTED = 8  # problems named in one error message


@dataclass(frozen=True)
class MediaMatch:
    """A project asset found for a clip, with the take, shot and line it belongs to if known."""

    asset_id: int
    take_id: int | None = None
    shot_id: int | None = None
    line_id: int | None = None
    metadata: dict = field(default_factory=dict, compare=False)
    duration: RationalTime | None = None  # a video's own length (None: a still, a sound)
    sound: RationalTime | None = None  # a sound's own length


class MediaIndex(Protocol):
    """How the import finds project media: by asset id, or by a file on disk."""

    def by_asset_id(self, asset_id: int) -> MediaMatch | None: ...

    def by_path(self, path: Path) -> MediaMatch | None: ...


@dataclass(frozen=True)
class ForeignClip:
    """A clip whose media is not in the project (placed as a gap with `allow_missing`)."""

    track: str
    index: int
    name: str
    url: str
    frames: int

    def describe(self) -> str:
        return f"{self.track} item {self.index} {self.name!r} ({self.url or 'no media'})"


@dataclass
class CutImport:
    """The imported timeline, what was dropped or tidied on the way, and the foreign clips."""

    timeline: Timeline
    warnings: list[str] = field(default_factory=list)
    foreign: list[ForeignClip] = field(default_factory=list)


def plain(value: Any) -> Any:
    """OTIO metadata (AnyDictionary / AnyVector) as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [plain(v) for v in value]
    return value


def url_path(url: str, base: Path | None = None) -> Path | None:
    """The local file a media URL names (`file://`, a plain path, or one relative to `base`)."""
    if not url:
        return None
    parsed = urlparse(url)
    if parsed.scheme == "file":
        if parsed.netloc not in ("", "localhost"):
            return None
        text = unquote(parsed.path)
        if len(text) > 2 and text[0] == "/" and text[2] == ":":  # file:///C:/… on Windows
            text = text[1:]
        return Path(text)
    if parsed.scheme and len(parsed.scheme) > 1:  # http:, s3:… (a one-letter scheme is a drive)
        return None
    path = Path(unquote(url))
    return path if path.is_absolute() or base is None else base / path


def exact_rate(rate: float) -> Fraction:
    """An OTIO float rate as the fraction it stands for (23.976… → 24000/1001)."""
    return Fraction(rate).limit_denominator(10_000)


class _Frames:
    """Converts OTIO times to whole frames at the project's rate, collecting what does not fit
    (`problems`) and what is no number of frames at all (`unusable`: NaN, infinity, a rate
    that is not positive)."""

    def __init__(self, rate: Fraction) -> None:
        self.rate = rate
        self.problems: list[str] = []
        self.unusable: list[str] = []
        self.rates: set[Fraction] = set()

    def __call__(self, time: otio.opentime.RationalTime, where: str) -> int:
        if not (math.isfinite(time.value) and math.isfinite(time.rate) and time.rate > 0):
            self.unusable.append(f"{where}: {time.value:g} frames at {time.rate:g} fps")
            return 0
        rate = exact_rate(time.rate)
        if rate <= 0:  # a positive rate below 1/10,000 fps
            self.unusable.append(f"{where}: {time.value:g} frames at {time.rate:g} fps")
            return 0
        self.rates.add(rate)
        frames = Fraction(time.value) * self.rate / rate
        whole = math.floor(frames + Fraction(1, 2))
        if abs(frames - whole) > _TOLERANCE:
            self.problems.append(f"{where} ({time.value:g} frames at {_fps(rate)} fps)")
        return whole


def _fps(rate: Fraction) -> str:
    return str(rate.numerator) if rate.denominator == 1 else f"{float(rate):.3f}"


class _Importer:
    def __init__(
        self, media: MediaIndex, rate: Fraction, allow_missing: bool, base: Path | None
    ) -> None:
        self.media = media
        self.rate = rate
        self.frames = _Frames(rate)
        self.allow_missing = allow_missing
        self.base = base
        self.warnings: list[str] = []
        self.foreign: list[ForeignClip] = []
        self.refused: list[str] = []
        self.out_of_bounds: list[str] = []  # lengths and in points the domain check cannot see
        self.sounds: dict[int, tuple[int, int]] = {}  # asset → (whole frames, frames counted)

    def rt(self, frames: int) -> RationalTime:
        rate = self.rate.numerator if self.rate.denominator == 1 else self.rate
        return RationalTime(frames, rate)

    # ------------------------------------------------------------------------------ tracks

    def track(self, track: otio.schema.Track, position: int) -> Track:
        name = (
            track.name or f"{'V' if track.kind == otio.schema.TrackKind.Video else 'A'}{position}"
        )
        meta = plain(track.metadata.get("microfilm", {}))
        self._dropped(track, name)
        lead: list[Item] = []
        if track.source_range is not None:
            start = self.frames(track.source_range.start_time, f"track {name} (start)")
            if start < 0:  # OTIO's EDL reader: the track's first event starts later
                lead.append(Gap(self.rt(-start)))
            else:
                self.warnings.append(f"track {name}: its trim (source range) is ignored")
        items = [self.item(child, name, i) for i, child in enumerate(track)]
        black = {i for i, child in enumerate(track) if _is_black(child)}
        items = _from_black(items, black, self.rt)
        kept = lead + joined_loops([item for item in items if item is not None])
        kind = self.kind(track, name, meta, kept)
        if kind in SOUND_KINDS:
            kept = self._whole_sounds(kept)
            while kept and isinstance(kept[-1], Gap):
                kept.pop()  # closes the track to the film's end: plays nothing
        tidied = normalize(kept, self.rt(0).rate)
        self._tidied(name, kept, tidied)
        return Track(
            name=name,
            kind=kind,
            items=tidied,
            muted=not track.enabled or bool(meta.get("muted", False)),
            gain_db=float(meta.get("gain_db", 0.0)),
        )

    def _tidied(self, name: str, kept: Sequence[Item], tidied: Sequence[Item]) -> None:
        """Warn about transitions `normalize` had to drop or shorten."""
        before = [i for i in kept if isinstance(i, Transition)]
        after = [i for i in tidied if isinstance(i, Transition)]
        dropped = len(before) - len(after)
        shortened = sum(t not in before for t in after)
        if dropped:
            self.warnings.append(
                f"track {name}: {dropped} transition(s) dropped (no clip on the side they need)"
            )
        if shortened:
            self.warnings.append(
                f"track {name}: {shortened} transition(s) shortened to fit their clips"
            )

    def kind(
        self, track: otio.schema.Track, name: str, meta: dict, items: Sequence[Item]
    ) -> TrackKind:
        if track.kind == otio.schema.TrackKind.Video:
            return TrackKind.VIDEO
        if meta.get("kind") in SOUND_KINDS:
            return TrackKind(meta["kind"])
        lowered = name.lower()
        for prefix, kind in _NAMED_KINDS:
            if lowered.startswith(prefix):
                return kind
        clips = [i for i in items if isinstance(i, Clip)]
        if clips and all(c.line_id is not None for c in clips):
            return TrackKind.DIALOGUE
        self.warnings.append(f"track {name}: no studio kind, imported as sound effects (sfx)")
        return TrackKind.SFX

    def _dropped(self, item: otio.core.Item, where: str) -> None:
        """Warn about markers and non-time effects; refuse time warps."""
        if len(item.markers):
            self.warnings.append(f"{where}: {len(item.markers)} marker(s) dropped")
        for effect in item.effects:
            if isinstance(effect, otio.schema.TimeEffect):
                self.refused.append(f"{where}: a speed change or freeze frame ({effect.name!r})")
            else:
                label = effect.effect_name or effect.name or "effect"
                if "level" in label.lower() and where.count(" item "):
                    # a sound's levels (our own XML writes them): one warning per track
                    track = where.split(" item ")[0]
                    note = f"track {track}: audio levels (gain, fades, ducking) not imported"
                    if note not in self.warnings:
                        self.warnings.append(note)
                    continue
                self.warnings.append(f"{where}: effect {label!r} dropped")

    # ------------------------------------------------------------------------------- items

    def item(self, child: Any, track: str, index: int) -> Item | None:
        where = f"{track} item {index}"
        if isinstance(child, otio.schema.Gap) and plain(child.metadata.get("microfilm", {})).get(
            "pad"
        ):
            return None  # our own gap closing the track to the film's end
        if _is_black(child):
            return Gap(self.rt(self.frames(child.trimmed_range().duration, where)))
        if isinstance(child, otio.schema.Gap):
            return Gap(self.rt(self.frames(child.trimmed_range().duration, where)))
        if isinstance(child, otio.schema.Transition):
            return self.transition(child, where)
        if isinstance(child, otio.schema.Clip):
            try:
                return self.clip(child, track, index)
            except (*MALFORMED, InvalidInput) as err:
                self.refused.append(f"{where} {child.name!r}: it cannot be read ({err})")
                return None
        name = getattr(child, "name", "")
        kind = type(child).__name__
        if isinstance(child, otio.schema.Stack | otio.schema.Track):
            self.refused.append(f"{where} {name!r}: a nested sequence or compound clip ({kind})")
        else:
            self.refused.append(f"{where} {name!r}: a {kind}, which the studio does not model")
        return None

    def transition(self, child: otio.schema.Transition, where: str) -> Transition:
        meta = plain(child.metadata.get("microfilm", {}))
        kind = meta.get("kind")
        if kind not in set(TransitionKind):
            name = (child.name or "").lower().replace(" ", "_")
            kind = name if name in set(TransitionKind) else TransitionKind.DISSOLVE
            if child.transition_type != otio.schema.TransitionTypes.SMPTE_Dissolve and (
                name not in set(TransitionKind)
            ):
                self.warnings.append(
                    f"{where}: transition {child.name or child.transition_type!r} "
                    "imported as a dissolve"
                )
        in_frames = self.frames(child.in_offset, f"{where} (in offset)")
        out_frames = self.frames(child.out_offset, f"{where} (out offset)")
        return Transition(kind, self.rt(in_frames), self.rt(out_frames))

    def clip(self, child: otio.schema.Clip, track: str, index: int) -> Clip | Gap | None:
        where = f"{track} item {index} {child.name!r}"
        self._dropped(child, where)
        try:
            used = child.trimmed_range()
        except otio.exceptions.OTIOError:
            self.refused.append(f"{where}: it has no source range and its media no length")
            return None
        duration = self.frames(used.duration, where)
        if duration < 0:
            self.out_of_bounds.append(f"{where}: a length of {duration} frames")
            return None
        if not child.enabled:
            self.warnings.append(f"{where}: disabled in the cut, imported as a gap")
            return Gap(self.rt(duration))
        meta = plain(child.metadata.get("microfilm", {}))
        reference = child.media_reference
        url = getattr(reference, "target_url", "") or ""
        match = self.match(meta, url, where)
        if match is None and not (meta and meta.get("asset_id") is None):
            self.foreign.append(ForeignClip(track, index, child.name, url, duration))
            return Gap(self.rt(duration), name=child.name)
        return self.studio_clip(child, used, duration, meta, match, where)

    def match(self, meta: dict, url: str, where: str) -> MediaMatch | None:
        asset_id = meta.get("asset_id")
        if isinstance(asset_id, int):
            found = self.media.by_asset_id(asset_id)
            if found is not None:
                return found
        path = url_path(url, self.base)
        if path is None:
            return None
        found = self.media.by_path(path)
        if found is not None and asset_id is not None and found.asset_id != asset_id:
            self.warnings.append(f"{where}: relinked to asset {found.asset_id} by its file")
        return found

    def studio_clip(
        self,
        child: otio.schema.Clip,
        used: otio.opentime.TimeRange,
        duration: int,
        meta: dict,
        match: MediaMatch | None,
        where: str,
    ) -> Clip:
        available = getattr(child.media_reference, "available_range", None)
        start = self.frames(used.start_time, f"{where} (in point)")
        media_duration = None
        if available is not None:
            start -= self.frames(available.start_time, f"{where} (media start)")
            media_duration = self.rt(self.frames(available.duration, f"{where} (media length)"))
        owner = meta or _owner(match)
        move, clip_metadata = lift_move(dict(owner.get("clip_metadata") or {}))
        if isinstance(meta.get("loop_piece"), int):  # joined again by `joined_loops`
            clip_metadata["loop_piece"] = meta["loop_piece"]
        if match is not None and match.duration is not None and not clip_metadata.get("loop"):
            self._within_media(start + duration, match.duration, where)
        if match is not None and match.sound is not None and not clip_metadata.get("loop"):
            counted = max(1, match.sound.rescaled_to(self.rt(0).rate).value)
            self.sounds[match.asset_id] = (math.floor(match.sound.seconds * self.rate), counted)
            # the length the studio counts for the sound, where the cut gives one or the clip
            # fits in it (a bed that loops, its metadata lost, keeps none)
            if media_duration is not None or start + duration <= counted:
                media_duration = self.rt(counted)
        assembled = owner.get("assembled_duration")
        return Clip(
            name=child.name,
            source_range=TimeRange(self.rt(start), self.rt(duration)),
            asset_id=match.asset_id if match is not None else None,
            take_id=owner.get("take_id"),
            shot_id=owner.get("shot_id"),
            line_id=owner.get("line_id"),
            media_duration=media_duration,
            gain_db=float(meta.get("gain_db", 0.0)),
            fade_in=int(meta.get("fade_in", 0)),
            fade_out=int(meta.get("fade_out", 0)),
            move=move,
            assembled_duration=RationalTime.from_json(assembled) if assembled else None,
            metadata=clip_metadata,
            link=LineLink.from_json(meta["link"]) if meta.get("link") else None,
        )

    def _whole_sounds(self, items: list[Item]) -> list[Item]:
        """A sound ending on its file's last whole frame, with a gap after it (or nothing),
        gets back the frame the assembly counted it to: the cut files end it there and let
        a gap take the fraction (`interchange._keep_within_media`)."""
        out = list(items)
        for index, item in enumerate(out):
            if not isinstance(item, Clip) or item.asset_id not in self.sounds:
                continue
            whole, counted = self.sounds[item.asset_id]
            end = item.source_range.start.value + item.duration.value
            after = out[index + 1] if index + 1 < len(out) else None
            short = counted - whole
            if end != whole or short <= 0 or (after is not None and not isinstance(after, Gap)):
                continue
            if isinstance(after, Gap) and after.duration.value < short:
                continue
            out[index] = replace(
                item,
                source_range=TimeRange(
                    item.source_range.start, self.rt(counted - item.source_range.start.value)
                ),
            )
            if isinstance(after, Gap):
                out[index + 1] = Gap(self.rt(after.duration.value - short), name=after.name)
        return out

    def _within_media(self, end: int, media: RationalTime, where: str) -> None:
        """Refuse a clip that plays past the end of the project's own file (whatever length
        the cut claims for it): the renderer would read media that is not there."""
        frames = max(1, media.rescaled_to(self.rt(0).rate).value)
        if end > frames:
            self.out_of_bounds.append(
                f"{where}: it ends {end - frames} frames past the end of its media "
                f"({frames} frames)"
            )

    # ------------------------------------------------------------------------------ checks

    def check(self, source: str) -> None:
        if self.frames.unusable:
            raise InvalidInput(
                f"{source} has times that are no number of frames: "
                f"{_listing(self.frames.unusable)}",
                "export the cut again from the editing suite",
            )
        if self.out_of_bounds:
            raise values_refused(source, self.out_of_bounds)
        if self.refused:
            raise InvalidInput(
                f"{source} holds what the studio cannot import: {_listing(self.refused)}",
                "flatten nested sequences (decompose compound clips) and render speed changes "
                "in your editing suite, then export the cut again",
            )
        if self.frames.problems:
            others = sorted(r for r in self.frames.rates if r != self.rate)
            runs = f"runs at {'/'.join(_fps(r) for r in others)} fps and " if others else ""
            raise InvalidInput(
                f"{source} {runs}the project at {_fps(self.rate)} fps: these times are not whole "
                f"frames at {_fps(self.rate)} fps: {_listing(self.frames.problems)}",
                f"conform the sequence to {_fps(self.rate)} fps in your editing suite "
                "and export the cut again",
            )
        if self.foreign and not self.allow_missing:
            raise InvalidInput(
                f"{source} has clip(s) whose media is not in the project: "
                f"{_listing([f.describe() for f in self.foreign])}",
                "import those files as takes first, or pass --allow-missing to place gaps there",
            )


def _is_black(child: Any) -> bool:
    """A clip of black (a CMX EDL's `BL` source, as OTIO's reader makes it)."""
    reference = getattr(child, "media_reference", None)
    return (
        isinstance(child, otio.schema.Clip)
        and isinstance(reference, otio.schema.GeneratorReference)
        and (reference.generator_kind or "").lower() in ("black", "bl")
    )


def _from_black(items: list, black: set[int], rt) -> list:
    """A CMX EDL's dissolves to and from black as our fades and dips: `clip, dissolve n,
    black n` is the clip n frames longer fading to black, `black, dissolve m, clip` a fade up
    from black, and both around one black (a dip) a dip to black. A dissolve from an EDL
    starts at its B side (in offset 0)."""
    out = list(items)

    def dissolve(i: int) -> bool:
        item = out[i] if 0 <= i < len(out) else None
        return (
            isinstance(item, Transition)
            and item.kind is TransitionKind.DISSOLVE
            and item.in_offset.value == 0
        )

    for i in range(len(out)):
        if i not in black or not isinstance(out[i], Gap):
            continue
        length = out[i].duration.value
        before, after = i - 1, i + 1
        if dissolve(before) and isinstance(out[before - 1] if before else None, Clip):
            fade = out[before].out_offset.value
            if fade == length:
                a = out[before - 1]
                out[before - 1] = replace(
                    a, source_range=TimeRange(a.source_range.start, rt(a.duration.value + fade))
                )
                if dissolve(after) and isinstance(_at(out, after + 1), Clip):
                    up = out[after].out_offset.value
                    out[after] = Transition(TransitionKind.DIP_TO_BLACK, rt(fade), rt(up))
                    out[before] = out[i] = None
                    continue
                out[before] = Transition(TransitionKind.FADE_TO_BLACK, rt(fade), rt(0))
                out[i] = None
                continue
        if dissolve(after) and isinstance(_at(out, after + 1), Clip):
            up = out[after].out_offset.value
            out[after] = Transition(TransitionKind.FADE_FROM_BLACK, rt(0), rt(up))
    return out


def _at(items: list, index: int):
    return items[index] if 0 <= index < len(items) else None


def joined_loops(items: list[Item]) -> list[Item]:
    """The repeats of a looping clip (`loop_piece` 0, 1, 2… back to back, as
    `interchange_cut` splits one) as the one looping clip they came from."""
    out: list[Item] = []
    for item in items:
        piece = item.metadata.get("loop_piece") if isinstance(item, Clip) else None
        first = out[-1] if out else None
        if (
            isinstance(piece, int)
            and piece > 0
            and isinstance(first, Clip)
            and first.asset_id == item.asset_id
            and first.metadata.get("loop_piece") == piece - 1
        ):
            joined = first.duration.value + item.duration.value
            out[-1] = replace(
                first,
                source_range=TimeRange(
                    first.source_range.start, RationalTime(joined, first.duration.rate)
                ),
                fade_out=item.fade_out,
                metadata={**first.metadata, "loop_piece": piece},
            )
            continue
        out.append(item)
    for index, item in enumerate(out):
        if isinstance(item, Clip) and "loop_piece" in item.metadata:
            meta = {k: v for k, v in item.metadata.items() if k != "loop_piece"}
            out[index] = replace(item, metadata=meta, media_duration=None)
    return out


def _owner(match: MediaMatch | None) -> dict:
    """The studio metadata of a clip matched only by its media file."""
    if match is None:
        return {}
    return {
        "take_id": match.take_id,
        "shot_id": match.shot_id,
        "line_id": match.line_id,
        "clip_metadata": match.metadata,
    }


def _listing(problems: Sequence[str]) -> str:
    shown = "; ".join(problems[:_LISTED])
    more = len(problems) - _LISTED
    return shown + (f"; and {more} more" if more > 0 else "")


def from_otio(
    cut: otio.schema.Timeline,
    media: MediaIndex,
    rate: int | Fraction,
    name: str = "main",
    allow_missing: bool = False,
    base: Path | None = None,
    source: str = "the cut",
) -> CutImport:
    """Our timeline from an OTIO one, frame-exact at the project's `rate`.

    `media` finds the project's assets; `base` is the folder relative media paths start from;
    `source` names the cut in error messages. Raises InvalidInput for nested sequences, time
    warps, times off our frame grid, and (unless `allow_missing`) clips with foreign media."""
    importer = _Importer(media, Fraction(rate), allow_missing, base)
    importer._dropped(cut.tracks, "the cut")
    tracks: list[Track] = []
    for position, child in enumerate(cut.tracks, start=1):
        if isinstance(child, otio.schema.Track):
            try:
                tracks.append(importer.track(child, position))
            except (*MALFORMED, InvalidInput) as err:
                label = f"track {child.name or position}"
                importer.refused.append(f"{label}: it cannot be read ({err})")
        else:
            label = f"top level item {position - 1} {getattr(child, 'name', '')!r}"
            importer.refused.append(f"{label}: a {type(child).__name__}, not a track")
    importer.check(source)
    if not tracks:
        raise InvalidInput(f"{source} has no tracks", "export the sequence again from the editor")
    if importer.foreign:
        listed = _listing([f.describe() for f in importer.foreign])
        importer.warnings.append(f"media not in the project, placed as gaps: {listed}")
    meta = plain(cut.metadata.get("microfilm", {}))
    meta.pop("rate", None)
    timeline = check_timeline(
        Timeline(name, importer.rt(0).rate, tuple(tracks), metadata=meta), source
    )
    # lines from a format with no studio metadata (EDL, XML) are linked where the editor left them
    return CutImport(with_lines_linked(timeline), importer.warnings, importer.foreign)


__all__ = [
    "CutImport",
    "ForeignClip",
    "MediaIndex",
    "MediaMatch",
    "exact_rate",
    "from_otio",
    "plain",
    "url_path",
]
