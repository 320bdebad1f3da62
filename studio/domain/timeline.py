"""Timeline → Track → Clip / Gap / Transition on rational time, as in OpenTimelineIO.

Items on a track sit end to end; a Transition overlaps the two items around it by `in_offset`
frames before the cut and `out_offset` after it and takes no time of its own. Every object
serialises with its schema name and version (`"Clip.2"`), and an older version is upgraded on
read by the functions registered in `_UPGRADES` (a Timeline.1, whose lines had no links, gets
its dialogue linked where it lies: `with_lines_linked`).

A dialogue clip's `link` ties it to its shot's picture (`LineLink`); `studio.timeline.linked`
carries linked lines along with every edit of the picture.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from studio.errors import InvalidInput

from .camera import CameraMove, lift_move
from .time import RationalTime, TimeRange

SCHEMA_VERSION = 2  # 2: dialogue clips carry a LineLink


class TrackKind(StrEnum):
    """What a track carries; stored timelines and OTIO metadata keep the value ("video")."""

    VIDEO = "video"
    DIALOGUE = "dialogue"
    MUSIC = "music"
    SFX = "sfx"


class TransitionKind(StrEnum):
    """How one item gives way to the next; stored as the value ("dissolve")."""

    DISSOLVE = "dissolve"
    FADE_TO_BLACK = "fade_to_black"
    FADE_FROM_BLACK = "fade_from_black"
    DIP_TO_BLACK = "dip_to_black"
    CUT = "cut"


SOUND_KINDS = (TrackKind.DIALOGUE, TrackKind.MUSIC, TrackKind.SFX)  # the assembly's order
_Kind = TypeVar("_Kind", TrackKind, TransitionKind)


def _kind(enum: type[_Kind], value: object, what: str) -> _Kind:
    """`value` as a member of `enum`; InvalidInput naming it and the known kinds otherwise."""
    try:
        return enum(value)
    except ValueError:
        known = ", ".join(enum)
        raise InvalidInput(f"{what} has an unknown kind {value!r}", f"use one of {known}") from None


@dataclass(frozen=True)
class LineLink:
    """A dialogue clip tied to its shot's picture: the picture frame (in the shot's media, at
    the timeline's rate) shown with the line's first frame of media (its source frame 0).

    The line is in sync when its source frame 0 sits where that picture frame sits; edits of
    the picture carry it there (`studio.timeline.linked`)."""

    shot_id: int
    frame: int

    def to_json(self) -> dict:
        return {"shot_id": self.shot_id, "frame": self.frame}

    @classmethod
    def from_json(cls, data: dict) -> LineLink:
        return cls(int(data["shot_id"]), int(data["frame"]))


@dataclass(frozen=True)
class Clip:
    name: str
    source_range: TimeRange  # the part of the media used, in the media's own time
    asset_id: int | None = None
    take_id: int | None = None
    shot_id: int | None = None
    line_id: int | None = None
    media_duration: RationalTime | None = None  # the whole media's length, for slips and trims
    gain_db: float = 0.0
    fade_in: int = 0  # frames
    fade_out: int = 0
    # A still animated by a camera move over media_duration. Not compared, like metadata: a
    # cut back from an EDL or XML brings no move and is still the same cut.
    move: CameraMove | None = field(default=None, compare=False)
    # The shot's length as the assembly laid it, before any trim: the cut is behind its shot
    # when the shot's length changes from it (`studio.services.freshness`). Not compared.
    assembled_duration: RationalTime | None = field(default=None, compare=False)
    metadata: dict = field(default_factory=dict, hash=False, compare=False)
    # A dialogue line's tie to its picture; None: unlinked (stays put in film time). Not
    # compared either: EDL and XML cuts have no place for it.
    link: LineLink | None = field(default=None, compare=False)

    @property
    def duration(self) -> RationalTime:
        return self.source_range.duration


@dataclass(frozen=True)
class Gap:
    duration: RationalTime

    name: str = ""


@dataclass(frozen=True)
class Transition:
    kind: TransitionKind = TransitionKind.DISSOLVE  # a string is converted
    in_offset: RationalTime = field(default_factory=lambda: RationalTime(0, 24))
    out_offset: RationalTime = field(default_factory=lambda: RationalTime(0, 24))

    def __post_init__(self) -> None:
        if type(self.kind) is not TransitionKind:
            object.__setattr__(self, "kind", _kind(TransitionKind, self.kind, "a transition"))

    @property
    def duration(self) -> RationalTime:
        return RationalTime(0, self.in_offset.rate)


Item = Clip | Gap | Transition


@dataclass(frozen=True)
class Track:
    name: str
    kind: TrackKind = TrackKind.VIDEO  # a string is converted
    items: tuple[Item, ...] = ()
    muted: bool = False
    gain_db: float = 0.0

    def __post_init__(self) -> None:
        if type(self.kind) is not TrackKind:
            object.__setattr__(self, "kind", _kind(TrackKind, self.kind, f"track {self.name!r}"))

    @property
    def duration(self) -> RationalTime:
        rate = self.items[0].duration.rate if self.items else 24
        total = RationalTime(0, rate)
        for item in self.items:
            total = total + item.duration
        return total

    def spans(self) -> Iterator[tuple[Item, TimeRange]]:
        """Every item with where it sits, in one pass (in each item's rate). Calling
        `range_of` for each item adds up the items before it every time: quadratic, seconds
        at 1,200 shots. Transitions take no time and get an empty range at their cut."""
        if not self.items:
            return
        rate = Fraction(self.items[0].duration.rate)
        at = 0  # frames at the first item's rate, as `duration` adds them up
        for item in self.items:
            duration = item.duration
            start = RationalTime(at, self.items[0].duration.rate)
            if Fraction(duration.rate) != rate:
                start = start.rescaled_to(duration.rate)
                at += duration.rescaled_to(rate).value
            else:
                at += duration.value
            yield item, TimeRange(start, duration)

    def range_of(self, index: int) -> TimeRange:
        """Where item `index` sits on the track (for many items, use `spans`)."""
        start = RationalTime(0, self.items[index].duration.rate)
        for item in self.items[:index]:
            start = start + item.duration
        return TimeRange(start, self.items[index].duration)


@dataclass(frozen=True)
class Timeline:
    name: str
    rate: int | Fraction = 24
    tracks: tuple[Track, ...] = ()
    metadata: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def duration(self) -> RationalTime:
        durations = [t.duration.rescaled_to(self.rate) for t in self.tracks]
        return max(durations, key=lambda d: d.value, default=RationalTime(0, self.rate))

    def track(self, name: str) -> Track:
        for track in self.tracks:
            if track.name == name:
                return track
        raise KeyError(f"timeline {self.name!r} has no track {name!r}")

    def to_json(self) -> dict:
        return {
            "schema": f"Timeline.{SCHEMA_VERSION}",
            "name": self.name,
            "rate": _rate_json(self.rate),
            "metadata": self.metadata,
            "tracks": [_track_json(t) for t in self.tracks],
        }

    @classmethod
    def from_json(cls, data: dict) -> Timeline:
        """The timeline a stored document describes, checked (`check_timeline`): InvalidInput
        names what is malformed or out of bounds, so a hostile document cannot make a mix or
        an export run for ever."""
        try:
            name, version = data["schema"].split(".")
            if name != "Timeline" or int(version) not in (1, SCHEMA_VERSION):
                raise ValueError(f"unsupported timeline schema {data['schema']!r}")
            timeline = cls(
                name=str(data["name"]),
                rate=_rate_from_json(data["rate"]),
                tracks=tuple(_track_from_json(t) for t in data["tracks"]),
                metadata=dict(data.get("metadata") or {}),
            )
        except MALFORMED as err:
            raise InvalidInput(f"the timeline document is malformed: {_said(err)}") from None
        check_timeline(timeline, f"the timeline {timeline.name!r}")
        return with_lines_linked(timeline) if int(version) == 1 else timeline


# ------------------------------------------------------------------------------ bounds
MAX_FILM_SECONDS = 24 * 3600  # no track may last longer: its mix and render would not end
MAX_RATE = 1000  # frames per second
MAX_GAIN_DB = 100.0
# what reading a hostile document can raise before a value is checked
MALFORMED = (
    AttributeError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
)
_LISTED = 8  # problems named in one message


def check_timeline(timeline: Timeline, source: str) -> Timeline:
    """`timeline`, if every number in it is usable: rates positive and at most `MAX_RATE`,
    no negative length or offset, every clip within its media (unless it loops), gains
    finite, no track longer than `MAX_FILM_SECONDS`. Else InvalidInput naming `source`, the
    track, the item and the value."""
    problems = timeline_problems(timeline)
    if problems:
        raise values_refused(source, problems)
    return timeline


def values_refused(source: str, problems: list[str]) -> InvalidInput:
    """The one-line refusal of a cut whose values are out of bounds."""
    shown = "; ".join(problems[:_LISTED])
    more = len(problems) - _LISTED
    return InvalidInput(
        f"{source} has values the studio cannot use: {shown}"
        + (f"; and {more} more" if more > 0 else ""),
        "fix the cut in the editing suite and export it again",
    )


def timeline_problems(timeline: Timeline) -> list[str]:
    """What `check_timeline` refuses, one phrase per problem."""
    problems = _rate_problems(timeline.rate, "its rate")
    limit = Fraction(MAX_FILM_SECONDS)
    for track in timeline.tracks:
        problems += _gain_problems(track.gain_db, f"track {track.name}")
        total = Fraction(0)
        for index, item in enumerate(track.items):
            name = getattr(item, "name", "")
            where = f"{track.name} item {index}" + (f" {name!r}" if name else "")
            found = _item_problems(item, where)
            problems += found
            if not found:
                total += item.duration.seconds
        if total > limit:
            problems.append(
                f"track {track.name} lasts {_hours(total)}, longer than a film may "
                f"({MAX_FILM_SECONDS // 3600} hours)"
            )
    return problems


def _item_problems(item: Item, where: str) -> list[str]:
    if isinstance(item, Transition):
        return _time_problems(item.in_offset, f"{where} (in offset)") + _time_problems(
            item.out_offset, f"{where} (out offset)"
        )
    if isinstance(item, Gap):
        return _time_problems(item.duration, f"{where} (length)")
    src = item.source_range
    problems = _time_problems(src.start, f"{where} (in point)")
    problems += _time_problems(src.duration, f"{where} (length)")
    problems += _gain_problems(item.gain_db, where)
    for label, frames in (("fade in", item.fade_in), ("fade out", item.fade_out)):
        if not isinstance(frames, int) or frames < 0 or frames > _max_frames(src.duration.rate):
            problems.append(f"{where}: a {label} of {frames!r} frames")
    if item.assembled_duration is not None:
        problems += _time_problems(item.assembled_duration, f"{where} (assembled length)")
    if item.link is not None and abs(item.link.frame) > _max_frames(src.duration.rate):
        problems.append(f"{where}: linked {item.link.frame} frames away from its picture")
    if item.move is not None and not math.isfinite(item.move.motion):
        problems.append(f"{where}: a camera move of {item.move.motion!r}")
    media = item.media_duration
    if media is not None:
        found = _time_problems(media, f"{where} (media length)")
        problems += found
        if not (found or problems or item.metadata.get("loop")):
            end = src.end_exclusive.seconds
            if end > media.seconds:
                over = RationalTime.from_seconds(end - media.seconds, src.duration.rate)
                problems.append(
                    f"{where}: it ends {over.value} frames past the end of its media "
                    f"({media.value} frames)"
                )
    return problems


def _time_problems(time: RationalTime, where: str) -> list[str]:
    problems = _rate_problems(time.rate, where)
    if problems:
        return problems
    if time.value < 0:
        return [f"{where}: {time.value} frames, a negative time"]
    if time.seconds > MAX_FILM_SECONDS:
        return [f"{where}: {time.value} frames ({_hours(time.seconds)}), longer than a film may be"]
    return []


def _rate_problems(rate: int | Fraction, where: str) -> list[str]:
    if not 0 < Fraction(rate) <= MAX_RATE:
        return [f"{where}: a rate of {rate} frames per second"]
    return []


def _gain_problems(gain_db: float, where: str) -> list[str]:
    if not isinstance(gain_db, int | float) or not abs(gain_db) <= MAX_GAIN_DB:  # NaN fails too
        return [f"{where}: a gain of {gain_db!r} dB"]
    return []


def _max_frames(rate: int | Fraction) -> int:
    return math.ceil(MAX_FILM_SECONDS * Fraction(rate))


def _hours(seconds: Fraction) -> str:
    return f"{float(seconds) / 3600:.4g} hours"


def _said(err: BaseException) -> str:
    """An error from reading a document, as a phrase (a KeyError names the missing key)."""
    if isinstance(err, KeyError):
        return f"{err.args[0]!r} is missing"
    return f"{type(err).__name__}: {err}" if not str(err) else str(err)


def with_lines_linked(timeline: Timeline) -> Timeline:
    """`timeline` with every dialogue clip that has a line, a shot and no link linked in sync
    where it lies now, to the first picture clip of its shot (the assembly's lines, and those
    of a Timeline.1, which had no links)."""
    picture = next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)
    if picture is None:
        return timeline
    anchors: dict[int, tuple[int, int]] = {}  # shot id → (its start on the track, media start)
    for item, span in picture.spans():
        if isinstance(item, Clip) and item.shot_id is not None and item.shot_id not in anchors:
            anchors[item.shot_id] = (span.start.value, item.source_range.start.value)
    tracks = []
    for track in timeline.tracks:
        if track.kind is TrackKind.DIALOGUE:
            track = replace(track, items=tuple(_linked(track, anchors)))
        tracks.append(track)
    return replace(timeline, tracks=tuple(tracks))


def _linked(track: Track, anchors: dict[int, tuple[int, int]]) -> Iterator[Item]:
    for item, span in track.spans():
        anchor = anchors.get(item.shot_id) if isinstance(item, Clip) else None
        if anchor is None or item.line_id is None or item.link is not None:
            yield item
            continue
        at, media_start = anchor
        frame = media_start + span.start.value - at - item.source_range.start.value
        yield replace(item, link=LineLink(item.shot_id, frame))


def _rate_json(rate: int | Fraction) -> list[int]:
    rate = Fraction(rate)
    return [rate.numerator, rate.denominator]


def _rate_from_json(data: list[int] | int) -> int | Fraction:
    rate = Fraction(*data) if isinstance(data, list) else Fraction(data)
    return rate.numerator if rate.denominator == 1 else rate


def _track_json(track: Track) -> dict:
    return {
        "schema": "Track.1",
        "name": track.name,
        "kind": track.kind.value,
        "muted": track.muted,
        "gain_db": track.gain_db,
        "items": [_item_json(i) for i in track.items],
    }


def _track_from_json(data: dict) -> Track:
    name = data["name"]
    items = []
    for index, item in enumerate(data["items"]):
        try:
            items.append(_item_from_json(item))
        except (*MALFORMED, InvalidInput) as err:
            raise InvalidInput(
                f"the timeline document's track {name} item {index} is malformed: {_said(err)}"
            ) from None
    return Track(
        name=name,
        kind=data["kind"],
        muted=bool(data.get("muted", False)),
        gain_db=data.get("gain_db", 0.0),
        items=tuple(items),
    )


def _item_json(item: Item) -> dict:
    if isinstance(item, Clip):
        return {
            "schema": "Clip.3",
            "name": item.name,
            "source_range": item.source_range.to_json(),
            "asset_id": item.asset_id,
            "take_id": item.take_id,
            "shot_id": item.shot_id,
            "line_id": item.line_id,
            "media_duration": item.media_duration.to_json() if item.media_duration else None,
            "gain_db": item.gain_db,
            "fade_in": item.fade_in,
            "fade_out": item.fade_out,
            "move": item.move.to_json() if item.move else None,
            "assembled_duration": _time_json(item.assembled_duration),
            "link": item.link.to_json() if item.link else None,
            "metadata": item.metadata,
        }
    if isinstance(item, Gap):
        return {"schema": "Gap.1", "name": item.name, "duration": item.duration.to_json()}
    return {
        "schema": "Transition.1",
        "kind": item.kind.value,
        "in_offset": item.in_offset.to_json(),
        "out_offset": item.out_offset.to_json(),
    }


def _clip_1_to_2(data: dict) -> dict:
    """Clip.1 kept the camera move as a dict in metadata["move"]; Clip.2 gives it a field."""
    move, metadata = lift_move(data.get("metadata", {}))
    return {**data, "schema": "Clip.2", "metadata": metadata, "move": move and move.to_json()}


def _clip_2_to_3(data: dict) -> dict:
    """Clip.3 records the length the assembly gave the clip; a Clip.2 cut does not know it."""
    return {**data, "schema": "Clip.3", "assembled_duration": None}


def _time_json(time: RationalTime | None) -> dict | None:
    return time.to_json() if time is not None else None


# schema → the function reading it as the next version
_UPGRADES = {"Clip.1": _clip_1_to_2, "Clip.2": _clip_2_to_3}


def _upgraded(data: dict) -> dict:
    while data["schema"] in _UPGRADES:
        data = _UPGRADES[data["schema"]](data)
    return data


def _item_from_json(data: dict) -> Item:
    data = _upgraded(data)
    schema = data["schema"].split(".")[0]
    if schema == "Clip":
        media, move, link = data.get("media_duration"), data.get("move"), data.get("link")
        assembled = data.get("assembled_duration")
        return Clip(
            name=data["name"],
            source_range=TimeRange.from_json(data["source_range"]),
            asset_id=data.get("asset_id"),
            take_id=data.get("take_id"),
            shot_id=data.get("shot_id"),
            line_id=data.get("line_id"),
            media_duration=RationalTime.from_json(media) if media else None,
            gain_db=data.get("gain_db", 0.0),
            fade_in=data.get("fade_in", 0),
            fade_out=data.get("fade_out", 0),
            move=CameraMove.from_json(move) if move else None,
            assembled_duration=RationalTime.from_json(assembled) if assembled else None,
            metadata=dict(data.get("metadata") or {}),
            link=LineLink.from_json(link) if link else None,
        )
    if schema == "Gap":
        return Gap(RationalTime.from_json(data["duration"]), data.get("name", ""))
    if schema == "Transition":
        return Transition(
            data["kind"],
            RationalTime.from_json(data["in_offset"]),
            RationalTime.from_json(data["out_offset"]),
        )
    raise ValueError(f"unknown timeline item schema {data['schema']!r}")
