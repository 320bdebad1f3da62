"""The cut as a CMX 3600 EDL, written in its fixed columns: `write_edl`.

What a conform gets (Avid, Resolve, and any reader that parses CMX 3600 by its columns: pycmx,
OpenTimelineIO's cmx_3600 adapter, our own `studio timeline PATH import film.edl`):

- `TITLE:` then `FCM: NON-DROP FRAME`; record timecode from 00:00:00:00, source timecode the
  media's own frames from 00:00:00:00.
- The picture (the first video track) on `V`, the first dialogue track on `A` and the first
  music track on `A2`, in one list of events in record order (a conform takes the sound from
  the same EDL). Effects tracks stay in the other formats: CMX 3600 has two audio channels.
- A dissolve as a pair of lines with one event number: the A side cut to nothing at the cut's
  start, then the B side with `D` and its length in frames in the transition columns
  (`D    012`). CMX stores a dissolve as starting where the B side starts: a 6+6 dissolve reads
  back as the A side 6 frames shorter and the B side starting 6 frames earlier (the same
  picture).
- Fades from and to black as dissolves from and to `BL` (black): the film's first event is a
  zero-length `BL` so that the fade up has a side to come from; a dip to black is a dissolve to
  `BL` and one from it. `from_otio` turns these back into our fades and dip.
- Reel names are strict CMX: 8 characters, the first 8 hex digits of the media's content hash
  (`interchange.reel_name`). Each event names its clip and media URL in `* FROM CLIP NAME:` /
  `* FROM CLIP:` comments (and the B side of a dissolve in `* TO CLIP…` and OTIO's own
  `* OTIO REFERENCE TO:`, which its reader links the event to), which is how the media relinks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio

from studio.domain.timeline import Timeline, TrackKind, TransitionKind
from studio.errors import InvalidInput
from studio.timeline.interchange import interchange_cut, reel_name

BLACK = "BL"
_FADES_FROM = {TransitionKind.FADE_FROM_BLACK.value}
_FADES_TO = {TransitionKind.FADE_TO_BLACK.value}


@dataclass
class _Side:
    """One clip as the EDL plays it: record and source in frames."""

    reel: str
    name: str
    url: str
    record_in: int
    record_out: int
    source_in: int

    @property
    def source_out(self) -> int:
        return self.source_in + self.record_out - self.record_in


@dataclass
class _Event:
    """Lines of one event number: a cut, or a transition's two sides."""

    record_in: int
    channel: str
    lines: list[str] = field(default_factory=list)


def write_edl(timeline: Timeline, media, recipes: dict, path: Path, _picture: object) -> None:
    """CMX 3600: the picture on V, dialogue on A and music on A2, with strict reel names,
    dissolves and fades from and to black, and linking comments."""
    cut = interchange_cut(timeline, media, recipes)
    rate = Fraction(timeline.rate)
    path.write_text(edl_text(timeline, cut, rate), encoding="utf-8")


def edl_text(timeline: Timeline, cut: otio.schema.Timeline, rate: Fraction) -> str:
    """The EDL of an interchange cut (`interchange_cut`) of `timeline`."""
    kinds = [t.kind for t in timeline.tracks]
    picture = _first(cut, kinds, TrackKind.VIDEO)
    if picture is None:
        raise InvalidInput("the cut has no picture track to write as an EDL")
    clock = _Timecode(rate)
    events = _picture_events(picture, clock)
    for kind, channel in ((TrackKind.DIALOGUE, "A"), (TrackKind.MUSIC, "A2")):
        track = _first(cut, kinds, kind)
        if track is not None:
            events += _sound_events(track, channel, clock)
    order = {"V": 0, "A": 1, "A2": 2}
    events.sort(key=lambda e: (e.record_in, order[e.channel]))
    width = max(3, len(str(len(events))))
    lines = [f"TITLE: {cut.name or 'film'}", "FCM: NON-DROP FRAME", ""]
    for number, event in enumerate(events, start=1):
        for line in event.lines:
            lines.append(line.replace("{n}", f"{number:0{width}d}"))
    return "\n".join(lines) + "\n"


def _first(cut: otio.schema.Timeline, kinds: list, kind: TrackKind) -> otio.schema.Track | None:
    return next((t for t, k in zip(cut.tracks, kinds, strict=True) if k is kind), None)


class _Timecode:
    def __init__(self, rate: Fraction) -> None:
        self.fps = round(rate)

    def __call__(self, frames: int) -> str:
        seconds, frame = divmod(max(0, frames), self.fps)
        minutes, second = divmod(seconds, 60)
        hours, minute = divmod(minutes, 60)
        return f"{hours:02d}:{minute:02d}:{second:02d}:{frame:02d}"


def _line(clock: _Timecode, reel: str, channel: str, how: str, source: tuple, record: tuple) -> str:
    """One event line in the CMX 3600 columns (pycmx reads them by position)."""
    kind, frames = (how, "") if how == "C" else ("D", f"{int(how[1:]):03d}")
    return (
        f"{{n}}  {reel:<8} {channel:<4}  {kind:<4} {frames:>3} "
        f"{clock(source[0])} {clock(source[1])} {clock(record[0])} {clock(record[1])}"
    )


def _comments(side: _Side, to: bool = False) -> list[str]:
    if side.reel == BLACK:  # named too: pycmx drops an event's last edit with no line after it
        return [f"* {'TO' if to else 'FROM'} CLIP NAME:  BLACK"]
    if to:
        return [
            f"* TO CLIP NAME:  {side.name}",
            f"* TO CLIP: {side.url}",
            f"* OTIO REFERENCE TO: {side.url}",
        ]
    return [f"* FROM CLIP NAME:  {side.name}", f"* FROM CLIP: {side.url}"]


def _side(clip: otio.schema.Clip, at: int) -> _Side:
    frames = round(clip.source_range.duration.value)
    url = getattr(clip.media_reference, "target_url", "") or ""
    start = round(clip.source_range.start_time.value)
    return _Side(reel_name(clip), clip.name, url, at, at + frames, start)


def _kind(transition: otio.schema.Transition) -> str:
    return (transition.metadata.get("microfilm") or {}).get("kind", "dissolve")


def _picture_events(track: otio.schema.Track, clock: _Timecode) -> list[_Event]:
    """The picture's events: its clips, with the transitions shaping their sides."""
    sides: list[_Side | otio.schema.Transition | None] = []
    at = 0
    for child in track:
        if isinstance(child, otio.schema.Transition):
            sides.append(child)
        elif isinstance(child, otio.schema.Clip):
            sides.append(_side(child, at))
            at += round(child.source_range.duration.value)
        else:
            sides.append(None)  # a gap: black, record time skipped
            at += round(child.duration().value)
    events = []
    if sides and isinstance(sides[0], otio.schema.Transition):  # a fade up needs a side
        black = _Side(BLACK, "", "", 0, 0, 0)
        events.append(
            _Event(0, "V", [_line(clock, BLACK, "V", "C", (0, 0), (0, 0)), *_comments(black)])
        )
    lead: dict[int, tuple[str, int]] = {}  # side index → how it comes in ("D012"), from black?
    for index, item in enumerate(sides):
        if not isinstance(item, otio.schema.Transition):
            continue
        before = sides[index - 1] if index > 0 else None
        after = sides[index + 1] if index + 1 < len(sides) else None
        into, out = round(item.in_offset.value), round(item.out_offset.value)
        kind = _kind(item)
        if kind == TransitionKind.CUT.value or into + out == 0:
            continue
        a = before if isinstance(before, _Side) else None
        b = after if isinstance(after, _Side) else None
        if a is not None:
            a.record_out -= into
        if kind in _FADES_FROM or a is None:
            if b is not None:
                b.record_in -= into
                b.source_in -= into
                lead[index + 1] = (f"D{into + out}", 1)
            continue
        if kind in _FADES_TO or b is None or kind == TransitionKind.DIP_TO_BLACK.value:
            black = _Side(BLACK, "", "", a.record_out, a.record_out + into, 0)
            events.append(
                _Event(
                    black.record_in,
                    "V",
                    [
                        _line(
                            clock,
                            a.reel,
                            "V",
                            "C",
                            (a.source_out, a.source_out),
                            (a.record_out, a.record_out),
                        ),
                        *_comments(a),
                        _line(
                            clock,
                            BLACK,
                            "V",
                            f"D{into}",
                            (0, into),
                            (black.record_in, black.record_out),
                        ),
                        *_comments(black, True),
                    ],
                )
            )
            if b is not None:
                lead[index + 1] = (f"D{out}", 1)
            continue
        b.record_in -= into
        b.source_in -= into
        lead[index + 1] = (f"D{into + out}", 0)
    for index, side in enumerate(sides):
        if not isinstance(side, _Side) or side.record_out <= side.record_in:
            continue
        how, from_black = lead.get(index, ("C", 0))
        record = (side.record_in, side.record_out)
        source = (side.source_in, side.source_out)
        if how == "C":
            lines = [_line(clock, side.reel, "V", "C", source, record), *_comments(side)]
        else:
            previous = None if from_black else _previous_side(sides, index)
            if previous is None:
                black_at = side.record_in
                lines = [_line(clock, BLACK, "V", "C", (0, 0), (black_at, black_at))]
            else:
                edge = (previous.source_out, previous.source_out)
                lines = [
                    _line(
                        clock,
                        previous.reel,
                        "V",
                        "C",
                        edge,
                        (previous.record_out, previous.record_out),
                    ),
                    *_comments(previous),
                ]
            lines += [_line(clock, side.reel, "V", how, source, record), *_comments(side, True)]
        events.append(_Event(side.record_in, "V", lines))
    return events


def _previous_side(sides: list, index: int) -> _Side | None:
    for item in reversed(sides[:index]):
        if isinstance(item, _Side):
            return item
        if item is None:
            return None
    return None


def _sound_events(track: otio.schema.Track, channel: str, clock: _Timecode) -> list[_Event]:
    """A sound track's clips as cuts on `channel` (sound has no transitions here)."""
    events, at = [], 0
    for child in track:
        frames = round(child.duration().value)
        if isinstance(child, otio.schema.Clip) and frames > 0:
            side = _side(child, at)
            events.append(
                _Event(
                    at,
                    channel,
                    [
                        _line(
                            clock,
                            side.reel,
                            channel,
                            "C",
                            (side.source_in, side.source_out),
                            (side.record_in, side.record_out),
                        ),
                        *_comments(side),
                    ],
                )
            )
        at += frames
    return events


__all__ = ["edl_text", "write_edl"]
