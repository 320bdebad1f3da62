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
        name, version = data["schema"].split(".")
        if name != "Timeline" or int(version) not in (1, SCHEMA_VERSION):
            raise ValueError(f"unsupported timeline schema {data['schema']!r}")
        timeline = cls(
            name=data["name"],
            rate=_rate_from_json(data["rate"]),
            tracks=tuple(_track_from_json(t) for t in data["tracks"]),
            metadata=data.get("metadata", {}),
        )
        return with_lines_linked(timeline) if int(version) == 1 else timeline


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
    return Track(
        name=data["name"],
        kind=data["kind"],
        muted=data.get("muted", False),
        gain_db=data.get("gain_db", 0.0),
        items=tuple(_item_from_json(i) for i in data["items"]),
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
            metadata=data.get("metadata", {}),
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
