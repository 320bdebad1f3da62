"""The cut for other editing suites: FCP 7 XML (Premiere), FCPXML (Final Cut Pro X), CMX 3600 EDL.

`write_cut` writes one format, `write_cuts` several (`film.otio`, `film.xml`, `film.fcpxml`,
`film.edl`). The formats are registered in `studio.timeline.cut_formats`, each naming its writer
here. Each starts from `to_otio` and is then shaped, deliberately, to what its format can carry;
OpenTimelineIO's adapter packages (otio-fcp-adapter, otio-fcpx-xml-adapter,
otio-cmx3600-adapter) write the files.

What every interchange format gets:

- Media as absolute `file://` URLs to the project's own media files, each with its whole length
  as the available range, so an editor relinks nothing.
- Looping clips (the music bed: a source range longer than its media, `metadata["loop"]`) are
  split into repeats of the media back to back, each named like the clip, the last one trimmed:
  the same sound the mix plays, in a form every suite accepts (a clip longer than its media is
  invalid in all three). A repeat is a whole number of frames (the media's length rounded down),
  so at most the last fraction of a frame of each pass of the media is skipped.
- No studio metadata (take, recipe, gain, fades): these formats have no place for it. Clips
  come back through `import_cut` matched by their media files, which gives back take, shot and
  line, but not gain or fades.

Per format:

- ``xml`` (Final Cut Pro 7 XML, what Premiere Pro imports): every track, gaps, dissolves and
  fades to and from black, file paths. Sound tracks become audio tracks A1, A2… in the
  timeline's order, named as ours.
- ``fcpxml`` (Final Cut Pro X): the picture in the primary storyline, sound as connected clips
  on lanes below it, frame duration as a rational number of seconds (``1001/24000s`` at 23.976).
  The adapter has no transitions: dissolves and fades are lost (the cut points stay).
- ``edl`` (CMX 3600): one picture track: the EDL writer writes only the first track, and three
  overlapping sound tracks do not fit CMX's two audio channels, so sound stays in the other
  formats. Reel names are strict CMX: 8 characters, the first 8 hex digits of the media's
  content hash (upper case) — unique per file in practice, and the same every export. Each
  event names its clip and media URL in `* FROM CLIP NAME:` / `* FROM CLIP:` comments, which is
  how the media relinks. Source timecode is the media's own frames from 00:00:00:00, record
  timecode starts at 00:00:00:00. Dissolves and fades from/to black (BL) are kept; the EDL
  stores a dissolve as starting at its cut, so a 6+6 frame dissolve reads back as the A side
  6 frames shorter and a 0+12 dissolve into a B side 6 frames longer: the same picture.
"""

from __future__ import annotations

import copy
import math
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.atomic import written
from studio.domain.timeline import Timeline
from studio.errors import InvalidInput
from studio.timeline.cut_formats import (
    CUT_FORMATS,
    DEFAULT_CUT_FORMATS,
    cut_format,
    format_of,
    parse_cut_formats,
)
from studio.timeline.otio import to_otio

_ADAPTER_PATCH = threading.Lock()  # one FCPXML written at a time (see _format_named)
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
    """OpenTimelineIO's own JSON, with every studio field."""
    cut = to_otio(timeline, media, recipes)
    otio.adapters.write_to_file(cut, str(path), adapter_name="otio_json")


def write_fcp_xml(timeline: Timeline, media, recipes: dict, path: Path, _picture: object) -> None:
    """Final Cut Pro 7 XML: every track, gaps, dissolves, fades, file paths."""
    cut = interchange_cut(timeline, media, recipes)
    _number_items(cut)
    otio.adapters.write_to_file(cut, str(path), adapter_name="fcp_xml")


def write_edl(timeline: Timeline, media, recipes: dict, path: Path, _picture: object) -> None:
    """CMX 3600: the picture track with strict reel names and linking comments."""
    cut = _edl_cut(interchange_cut(timeline, media, recipes))
    text = otio.adapters.write_to_string(cut, "cmx_3600", rate=_otio_rate(timeline.rate))
    path.write_text(_edl_linked(text), encoding="utf-8")


def write_fcpxml(
    timeline: Timeline, media, recipes: dict, path: Path, picture: tuple[int, int] | None
) -> None:
    """Final Cut Pro X: the picture as the primary storyline, sound on lanes below."""
    cut = interchange_cut(timeline, media, recipes)
    path.write_text(_fcpxml_text(cut, Fraction(timeline.rate), picture), encoding="utf-8")


def interchange_cut(timeline: Timeline, media, recipes: Mapping[int, dict]) -> otio.schema.Timeline:
    """The OTIO timeline as every interchange format starts from it: whole media lengths as
    available ranges, looping clips split into repeats of their media."""
    cut = to_otio(timeline, media, dict(recipes))
    rate = Fraction(timeline.rate)
    for track in cut.tracks:
        _complete_available_ranges(track, media, rate)
        _split_loops(track)
    return cut


def _number_items(cut: otio.schema.Timeline) -> None:
    """Make every item distinct: the FCP XML writer writes an item equal to an earlier one
    (a loop's repeats, a shot cut in twice) as a bare back-reference with no place of its own."""
    for track_index, track in enumerate(cut.tracks):
        for index, child in enumerate(track):
            child.metadata["microfilm_item"] = f"{track_index}.{index}"


# ------------------------------------------------------------------------------- shaping


def _otio_rate(rate: int | Fraction) -> float:
    return float(Fraction(rate))


def _microfilm(clip: otio.schema.Clip) -> dict:
    return dict(clip.metadata.get("microfilm", {}) or {})


def _frames(time: otio.opentime.RationalTime, rate: Fraction) -> int:
    return round(Fraction(time.value) * rate / Fraction(time.rate).limit_denominator(10_000))


def _media_frames(clip: otio.schema.Clip, media, rate: Fraction) -> int | None:
    """The clip's media length in whole frames of the timeline (rounded down), if known."""
    asset_id = _microfilm(clip).get("asset_id")
    asset = media.asset(asset_id) if asset_id is not None and hasattr(media, "asset") else None
    if asset is None or asset.duration is None:
        return None
    seconds = Fraction(asset.duration.value) / Fraction(asset.duration.rate)
    return math.floor(seconds * rate)


def _complete_available_ranges(track: otio.schema.Track, media, rate: Fraction) -> None:
    """Give every file clip its media's whole length (FCP XML needs one on every file)."""
    for clip in track.find_clips(shallow_search=True):
        reference = clip.media_reference
        if not isinstance(reference, otio.schema.ExternalReference):
            continue
        if reference.available_range is not None:
            continue
        length = _media_frames(clip, media, rate)
        used = clip.source_range
        if length is None or not _loops(clip):
            length = max(length or 0, _frames(used.end_time_exclusive(), rate))
        rt = used.duration.rate
        reference.available_range = otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, rt), otio.opentime.RationalTime(length, rt)
        )


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
    pieces = []
    while left > 0:
        take = min(length - start, left)
        piece = copy.deepcopy(clip)
        piece.source_range = otio.opentime.TimeRange(
            otio.opentime.RationalTime(available.start_time.value + start, rate),
            otio.opentime.RationalTime(take, rate),
        )
        pieces.append(piece)
        left -= take
        start = 0
    return pieces


def reel_name(clip: otio.schema.Clip) -> str:
    """A strict CMX 3600 reel name: the first 8 hex digits of the media's content hash (its
    file name in the project's media store), upper case; `AX` for a clip with no file."""
    url = getattr(clip.media_reference, "target_url", "") or ""
    stem = Path(url).stem if url else ""
    letters = re.sub(r"[^A-Za-z0-9]", "", stem).upper()
    return letters[:REEL_LENGTH] or "AX"


def _edl_cut(cut: otio.schema.Timeline) -> otio.schema.Timeline:
    """The picture track alone, with reel names and no studio metadata."""
    video = [t for t in cut.tracks if t.kind == otio.schema.TrackKind.Video]
    if not video:
        raise InvalidInput("the cut has no picture track to write as an EDL")
    picture = copy.deepcopy(video[0])
    picture.enabled = True
    _drop_end_fades(picture)
    for child in picture:
        child.metadata.pop("microfilm", None)
        if isinstance(child, otio.schema.Clip):
            child.metadata["cmx_3600"] = {"reel": reel_name(child)}
    edl = otio.schema.Timeline(name=cut.name)
    edl.global_start_time = cut.global_start_time
    edl.tracks.append(picture)
    return edl


def _edl_linked(text: str) -> str:
    """Name the B side's file again after `* TO CLIP:` in a dissolve event as the adapter's own
    `* OTIO REFERENCE TO:`: OTIO's EDL reader links an event to the last file comment it knows,
    and otherwise gives the B side the A side's file."""
    lines = []
    for line in text.splitlines():
        lines.append(line)
        if line.startswith("* TO CLIP: "):
            lines.append("* OTIO REFERENCE TO: " + line.removeprefix("* TO CLIP: "))
    return "\n".join(lines) + "\n"


def _drop_end_fades(track: otio.schema.Track) -> None:
    """Remove transitions with no clip on one side (fades from and to black at the ends)."""
    for index in reversed(range(len(track))):
        if not isinstance(track[index], otio.schema.Transition):
            continue
        before = track[index - 1] if index > 0 else None
        after = track[index + 1] if index + 1 < len(track) else None
        if not isinstance(before, otio.schema.Clip) or not isinstance(after, otio.schema.Clip):
            del track[index]


def _fcpxml_text(cut: otio.schema.Timeline, rate: Fraction, picture: tuple[int, int] | None) -> str:
    """FCPXML from the adapter, with its frame duration set where its table lacks the rate."""
    for clip in cut.find_clips():
        clip.name = clip.name.replace("'", "\u2019")  # the adapter looks names up by XPath
    with _format_named(_video_format(picture, rate)):
        text = otio.adapters.write_to_string(cut, "fcpx_xml")
    duration = f"{rate.denominator}/{rate.numerator}s" if rate.denominator != 1 else f"1/{rate}s"
    return text.replace('frameDuration=""', f'frameDuration="{duration}"')


def _video_format(picture: tuple[int, int] | None, rate: Fraction) -> str:
    """FCP X's name for the film's format, as the adapter would make it: FFVideoFormat1080p24."""
    if picture is None:
        return ""
    width, height = picture
    size = {(1920, 1080): "1080", (1280, 720): "720"}.get((width, height), f"{width}x{height}")
    shown = f"{float(rate):g}".replace(".", "")
    return f"FFVideoFormat{size}p{shown}"


@contextmanager
def _format_named(name: str) -> Iterator[None]:
    """The FCPXML adapter runs ffprobe on a clip to name the video format, again for every
    clip while the name is empty (every sound clip): minutes at 1,200 shots where ffprobe is
    installed. The film's format is known, so its name is given instead."""
    module = otio.adapters.from_name("fcpx_xml").module()
    with _ADAPTER_PATCH:
        before = module.format_name
        module.format_name = lambda _frame_rate, _path: name
        try:
            yield
        finally:
            module.format_name = before


__all__ = [
    "interchange_cut",
    "reel_name",
    "write_cut",
    "write_cuts",
    "write_edl",
    "write_fcp_xml",
    "write_fcpxml",
    "write_otio",
]
