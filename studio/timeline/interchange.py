"""The cut for other editing suites, shaped once for all of them: `interchange_cut`.

`write_cut` writes one format, `write_cuts` several (`film.otio`, `film.xml`, `film.fcpxml`,
`film.edl`). The formats are registered in `studio.timeline.cut_formats`, each naming its writer:
`write_otio` here, `fcp7.write_fcp_xml` (Premiere), `fcpxml.write_fcpxml` (Final Cut Pro X),
`edl.write_edl` (CMX 3600). Each starts from `interchange_cut`, which is `to_otio` made valid
for every reader, OpenTimelineIO's own tools (`otioconvert`) included:

- Media as absolute `file://` URLs to the project's own media files, each with an available
  range: its real length in whole frames of the film (rounded down) for sounds and videos, the
  length the assembly gave a still.
- Looping clips (the music bed: a source range longer than its media, `loop` in its metadata)
  are split into repeats of the media back to back, each named like the clip, the last one
  trimmed: the same sound the mix plays. A repeat is a whole number of frames (the media's
  length rounded down), so at most the last fraction of a frame of each pass is skipped. Each
  repeat notes its place (`metadata["microfilm"]["loop_piece"]`), so `from_otio` joins the
  repeats of a studio cut back into one looping clip.
- No clip asks for more media than its file has: a sound the assembly laid over whole frames
  (a line of 23.6 frames on 24) ends at its last whole frame and a gap takes the rest, so
  everything after it keeps its place; `from_otio` gives such a line its frame back.
- Every track ends where the film ends (a gap closes a shorter one).
- The studio's own data lives under one key, `metadata["microfilm"]` (take, shot, line, asset,
  recipe, gain, fades, link, and `levels`: the sound's gain, fades and ducking as keyframes,
  `studio.timeline.levels`), on the timeline, every track, clip and transition.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.atomic import written
from studio.audio.mix import MixSettings
from studio.domain.timeline import Clip, Timeline, TrackKind
from studio.errors import InvalidInput
from studio.timeline.cut_formats import (
    CUT_FORMATS,
    DEFAULT_CUT_FORMATS,
    cut_format,
    format_of,
    parse_cut_formats,
)
from studio.timeline.levels import clip_levels, duck_spans, sliced
from studio.timeline.otio import to_otio
from studio.timeline.otio_import import url_path

REEL_LENGTH = 8  # strict CMX 3600


def write_cut(
    timeline: Timeline,
    media,
    recipes: Mapping[int, dict],
    path: Path,
    fmt: str | None = None,
    picture: tuple[int, int] | None = None,
) -> Path:
    """Write the cut to `path` in format `fmt` (by default the one its suffix names);
    `picture` is the film's width and height, which FCPXML names its video format after.

    `media` is the project's media lookup (`path(asset_id)`, and `asset(asset_id)` for lengths
    and content hashes); `recipes` maps a take id to its recipe (kept only where the format
    keeps studio data)."""
    path = Path(path)
    entry = cut_format(fmt) if fmt else format_of(path)
    if entry.adapter not in otio.adapters.available_adapter_names():
        raise InvalidInput(
            f"cannot write the {entry.name} cut: OpenTimelineIO has no {entry.adapter} adapter",
            entry.install_hint(),
        )
    try:
        entry.write_function()(timeline, media, dict(recipes), path, picture)
    except (otio.exceptions.OTIOError, ValueError, AttributeError, TypeError) as err:
        raise InvalidInput(f"cannot write the {entry.name} cut to {path}: {err}") from err
    return path


def write_cuts(
    timeline: Timeline,
    media,
    recipes: Mapping[int, dict],
    folder: Path,
    formats: Sequence[str] = DEFAULT_CUT_FORMATS,
    stem: str = "film",
    picture: tuple[int, int] | None = None,
    place: Callable[[Path], Path] | None = None,
) -> dict[str, Path]:
    """Write the cut in each of `formats` into `folder` (made if need be) as `stem` + suffix;
    format → path. `place` gives the path to write each file at (an export's temporary names,
    `studio.atomic.Staging.path`); by default each is written whole to a temporary name and
    renamed (`studio.atomic.written`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written_cuts = {}
    for fmt in parse_cut_formats(formats):
        target = folder / f"{stem}{CUT_FORMATS[fmt].suffix}"
        if place is not None:
            write_cut(timeline, media, recipes, place(target), fmt, picture)
        else:
            with written(target) as partial:
                write_cut(timeline, media, recipes, partial, fmt, picture)
        written_cuts[fmt] = target
    return written_cuts


# ------------------------------------------------------------------------------- writers
# one per registered format (`CutFormat.writer`): (timeline, media, recipes, path, picture)


def write_otio(timeline: Timeline, media, recipes: dict, path: Path, _picture: object) -> None:
    """OpenTimelineIO's own JSON, with every studio field, valid for OTIO's own tools."""
    cut = interchange_cut(timeline, media, recipes)
    otio.adapters.write_to_file(cut, str(path), adapter_name="otio_json")


def interchange_cut(
    timeline: Timeline, media, recipes: Mapping[int, dict], settings: MixSettings | None = None
) -> otio.schema.Timeline:
    """The OTIO timeline as every interchange format starts from it (see the module's doc):
    available ranges, levels, loops split into repeats, clips within their media, tracks
    ending with the film. `settings` is the mix whose ducking the music's levels follow."""
    cut = to_otio(timeline, media, dict(recipes))
    rate = Fraction(timeline.rate)
    end = timeline.duration.rescaled_to(timeline.rate).value
    _add_levels(timeline, cut, media, rate, settings or MixSettings())
    for track in cut.tracks:
        _complete_available_ranges(track, media, rate)
        _split_loops(track)
        _keep_within_media(track)
        _pad_to(track, end)
        for index, child in enumerate(track):  # every item distinct (the FCP XML writer
            child.metadata.setdefault("microfilm", {})["item"] = index  # shares equal ones)
    return cut


# ------------------------------------------------------------------------------- shaping


def _microfilm(item) -> dict:
    return dict(item.metadata.get("microfilm", {}) or {})


def _frames(time: otio.opentime.RationalTime, rate: Fraction) -> int:
    return round(Fraction(time.value) * rate / Fraction(time.rate).limit_denominator(10_000))


def _rt(frames: int, rate: Fraction) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(frames, float(rate))


def _add_levels(timeline: Timeline, cut, media, rate: Fraction, settings: MixSettings) -> None:
    """Each sound clip's levels (`studio.timeline.levels`) in its metadata, from where it sits:
    the music ducked under every line of the dialogue tracks; a looping clip with keyframes
    where its repeats will meet."""
    lines = [
        (span.start.value, span.end_exclusive.value)
        for track in timeline.tracks
        if track.kind is TrackKind.DIALOGUE and not track.muted
        for item, span in track.spans()
        if isinstance(item, Clip)
    ]
    ducks = duck_spans(lines, rate, settings)
    for track, made in zip(timeline.tracks, cut.tracks, strict=True):
        if track.kind is TrackKind.VIDEO:
            continue
        depth = settings.duck_depth_db if track.kind is TrackKind.MUSIC else 0.0
        for (item, span), child in zip(track.spans(), made, strict=True):
            if not isinstance(item, Clip):
                continue
            length = _media_frames(child, media, rate) if item.metadata.get("loop") else None
            first = (length - item.source_range.start.value % length) if length else 0
            cuts = range(first, item.duration.value, length) if length else ()
            levels = clip_levels(
                span.start.value,
                item.duration.value,
                item.gain_db,
                item.fade_in,
                item.fade_out,
                ducks,
                depth,
                cuts,
            )
            child.metadata["microfilm"]["levels"] = [list(level) for level in levels]


def _media_frames(clip: otio.schema.Clip, media, rate: Fraction) -> int | None:
    """The clip's media length in whole frames of the timeline (rounded down), if it has one
    of its own (a sound or a video; a still lasts as long as the cut says)."""
    asset_id = _microfilm(clip).get("asset_id")
    asset = media.asset(asset_id) if asset_id is not None and hasattr(media, "asset") else None
    if asset is None or asset.duration is None or asset.kind == "image":
        return None
    seconds = Fraction(asset.duration.value) / Fraction(asset.duration.rate)
    return math.floor(seconds * rate)


def _complete_available_ranges(track: otio.schema.Track, media, rate: Fraction) -> None:
    """Give every file clip its media's length: a sound's or a video's own, in whole frames
    (the media a suite finds), else the cut's (a still), else what the clip uses."""
    for clip in track.find_clips(shallow_search=True):
        reference = clip.media_reference
        if not isinstance(reference, otio.schema.ExternalReference):
            continue
        length = _media_frames(clip, media, rate)
        if length is None and reference.available_range is not None:
            continue
        if length is None:
            length = _frames(clip.source_range.end_time_exclusive(), rate)
        reference.available_range = otio.opentime.TimeRange(_rt(0, rate), _rt(length, rate))


def _loops(clip: otio.schema.Clip) -> bool:
    return bool((_microfilm(clip).get("clip_metadata") or {}).get("loop"))


def _split_loops(track: otio.schema.Track) -> None:
    """Replace each looping clip longer than its media by repeats of the media."""
    for index in reversed(range(len(track))):
        clip = track[index]
        if not isinstance(clip, otio.schema.Clip) or not _loops(clip):
            continue
        available = clip.media_reference.available_range
        if available is None or clip.source_range.end_time_exclusive() <= (
            available.end_time_exclusive()
        ):
            continue
        repeats = _repeats(clip, available)
        del track[index]
        for offset, repeat in enumerate(repeats):
            track.insert(index + offset, repeat)


def _repeats(clip: otio.schema.Clip, available: otio.opentime.TimeRange) -> list:
    rate = clip.source_range.duration.rate
    length = int(available.duration.value)
    if length <= 0:
        raise InvalidInput(f"the looping clip {clip.name!r} has media with no length")
    left = int(clip.source_range.duration.value)
    start = int(clip.source_range.start_time.value - available.start_time.value) % length
    whole = _microfilm(clip)
    levels = [tuple(level) for level in whole.get("levels") or []]
    keys = [frame for frame, _ in levels]
    clip.metadata["microfilm"]["levels"] = []  # not copied into every repeat
    pieces, done = [], 0
    while left > 0:
        take = min(length - start, left)
        piece = copy.deepcopy(clip)
        piece.source_range = otio.opentime.TimeRange(
            otio.opentime.RationalTime(available.start_time.value + start, rate),
            otio.opentime.RationalTime(take, rate),
        )
        meta = piece.metadata["microfilm"]
        meta["loop_piece"] = len(pieces)
        meta["levels"] = [list(level) for level in sliced(levels, done, take, keys)]
        meta["fade_in"] = whole.get("fade_in", 0) if done == 0 else 0
        meta["fade_out"] = whole.get("fade_out", 0) if take == left else 0
        pieces.append(piece)
        done += take
        left -= take
        start = 0
    return pieces


def _keep_within_media(track: otio.schema.Track) -> None:
    """End each clip that asks for more than its media has at the media's last frame, a gap
    taking the rest (not before a transition, which needs the frames it overlaps)."""
    for index in reversed(range(len(track))):
        clip = track[index]
        if not isinstance(clip, otio.schema.Clip):
            continue
        available = getattr(clip.media_reference, "available_range", None)
        after = track[index + 1] if index + 1 < len(track) else None
        if available is None or isinstance(after, otio.schema.Transition):
            continue
        over = clip.source_range.end_time_exclusive() - available.end_time_exclusive()
        if over.value <= 0 or over >= clip.source_range.duration:
            continue
        clip.source_range = otio.opentime.TimeRange(
            clip.source_range.start_time, clip.source_range.duration - over
        )
        meta = clip.metadata["microfilm"]
        if meta.get("levels"):
            meta["levels"] = [
                list(level) for level in sliced(meta["levels"], 0, int(clip.duration().value))
            ]
        track.insert(
            index + 1,
            otio.schema.Gap(
                source_range=otio.opentime.TimeRange(otio.opentime.RationalTime(0, over.rate), over)
            ),
        )


def _pad_to(track: otio.schema.Track, end: int) -> None:
    """A gap after the track's last item up to the film's end, if it ends before."""
    rate = Fraction(track.duration().rate).limit_denominator(10_000) if len(track) else None
    frames = _frames(track.duration(), rate) if rate else 0
    if rate is None or frames >= end:
        return
    gap = otio.schema.Gap(
        source_range=otio.opentime.TimeRange(_rt(0, rate), _rt(end - frames, rate))
    )
    gap.metadata["microfilm"] = {"pad": True}
    track.append(gap)


class MediaKinds:
    """Whether each file of the cut has picture and sound, by the asset's kind (a video is
    probed once for a sound stream)."""

    def __init__(self, media) -> None:
        self.media = media
        self.known: dict[str, tuple[bool, bool]] = {}

    def of(self, clip: otio.schema.Clip) -> tuple[bool, bool]:
        """(has video, has audio) of the clip's file."""
        url = getattr(clip.media_reference, "target_url", "") or ""
        if url not in self.known:
            self.known[url] = self._probe(clip, url)
        return self.known[url]

    def _probe(self, clip: otio.schema.Clip, url: str) -> tuple[bool, bool]:
        asset_id = (clip.metadata.get("microfilm") or {}).get("asset_id")
        asset = self.media.asset(asset_id) if asset_id is not None else None
        kind = asset.kind if asset is not None else ""
        if kind == "image":
            return True, False
        if kind == "audio":
            return False, True
        path = url_path(url)
        if kind == "video" and path is not None and path.is_file():
            from studio.media.decode import probe

            return True, probe(path).has_audio
        return True, True


def reel_name(clip: otio.schema.Clip) -> str:
    """A strict CMX 3600 reel name: the first 8 hex digits of the media's content hash (its
    file name in the project's media store), upper case; `AX` for a clip with no file."""
    url = getattr(clip.media_reference, "target_url", "") or ""
    stem = Path(url).stem if url else ""
    letters = re.sub(r"[^A-Za-z0-9]", "", stem).upper()
    return letters[:REEL_LENGTH] or "AX"


__all__ = [
    "MediaKinds",
    "interchange_cut",
    "reel_name",
    "write_cut",
    "write_cuts",
    "write_otio",
]
