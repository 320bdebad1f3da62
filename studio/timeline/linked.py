"""Linked sound: dialogue lines carried along with every edit of the picture.

A linked line (`Clip.link`, a `LineLink`) knows which frame of its shot's picture is shown with
its first frame of media. An edit of the picture track (trim, ripple delete, move, split, slip)
changes where the shot's frames sit; `edit_picture` then puts each linked line where the picture
of its frames now is, keeping any offset the editor gave it on purpose. A line loses the frames
whose picture the edit took away (at its head or its tail), and a line whose picture is gone
altogether is taken off the track: both are listed in the `LinkedEdit`, never dropped silently.
Unlinked lines, music and effects stay where they are in film time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Item, Timeline, Track, TrackKind, Transition
from studio.timeline.edit import normalize, track_rate, with_track


@dataclass(frozen=True)
class LineChange:
    """What an edit of the picture did to one linked line besides moving it."""

    track: str
    name: str
    line_id: int | None
    change: str  # "trimmed" (lost frames whose picture went), "removed", "cut short"
    frames: int  # frames of the line lost

    def describe(self) -> str:
        if self.change == "removed":
            return f"{self.name} ({self.track}) was removed: its picture is no longer in the cut"
        if self.change == "cut short":
            return f"{self.name} ({self.track}) was cut short by {self.frames} frames to fit"
        return f"{self.name} ({self.track}) lost {self.frames} frames whose picture was cut"


@dataclass(frozen=True)
class LinkedEdit:
    """An edited timeline and what the edit did to the linked lines it could not just move."""

    timeline: Timeline
    lines: tuple[LineChange, ...] = ()


class ShotPictures:
    """Where each shot's media frames sit on a picture track (by shot id)."""

    def __init__(self, track: Track) -> None:
        self.clips: dict[int, list[tuple[int, int, int]]] = {}  # shot → (at, media start, length)
        for item, span in track.spans():
            if isinstance(item, Clip) and item.shot_id is not None:
                place = (span.start.value, item.source_range.start.value, item.duration.value)
                self.clips.setdefault(item.shot_id, []).append(place)

    def where(self, shot_id: int, frame: int) -> int | None:
        """The track frame showing media frame `frame` of the shot; None when it is not shown."""
        for at, start, length in self.clips.get(shot_id, ()):
            if start <= frame < start + length:
                return at + frame - start
        return None

    def nearest(self, shot_id: int, frame: int) -> int | None:
        """Where media frame `frame` of the shot would sit, counted from the shot's clip
        nearest to it in its media; None when the shot is not on the track."""
        shown = self.where(shot_id, frame)
        if shown is not None:
            return shown
        places = self.clips.get(shot_id)
        if not places:
            return None
        at, start, _ = min(places, key=lambda p: min(abs(frame - p[1]), abs(frame - p[1] - p[2])))
        return at + frame - start

    def media(self, shot_id: int) -> list[tuple[int, int]]:
        """The parts of the shot's media shown, in track order: (media start, length)."""
        return [(start, length) for _, start, length in self.clips.get(shot_id, ())]


def sync_offset(clip: Clip, start: int, pictures: ShotPictures) -> int | None:
    """How many frames the linked line at track frame `start` sits after (+) or before (-) its
    picture; None when it has no link or its shot is not on the picture track."""
    if clip.link is None:
        return None
    synced = pictures.nearest(clip.link.shot_id, clip.link.frame + clip.source_range.start.value)
    return None if synced is None else start - synced


def sync_offsets(timeline: Timeline, track_name: str) -> dict[int, int | None]:
    """The out-of-sync offset in frames of every linked clip of a dialogue track, by item index."""
    picture = picture_track(timeline)
    if picture is None:
        return {}
    pictures = ShotPictures(picture)
    offsets = {}
    for index, (item, span) in enumerate(timeline.track(track_name).spans()):
        if isinstance(item, Clip) and item.link is not None:
            offsets[index] = sync_offset(item, span.start.value, pictures)
    return offsets


def picture_track(timeline: Timeline) -> Track | None:
    return next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)


# ---------------------------------------------------------------------------------- editing


def edit_picture(
    timeline: Timeline, track_name: str, change: Callable[[Track], Track]
) -> LinkedEdit:
    """`change` applied to the track `track_name`; when that is the picture, the linked lines
    of every dialogue track follow it (see the module's docstring)."""
    before = timeline.track(track_name)
    after = change(before)
    edited = with_track(timeline, track_name, after)
    if before is not picture_track(timeline):
        return LinkedEdit(edited)
    old, new = ShotPictures(before), ShotPictures(after)
    tracks, changes = [], []
    for track in edited.tracks:
        if track.kind is TrackKind.DIALOGUE:
            track, notes = carry_lines(track, old, new)
            changes += notes
        tracks.append(track)
    return LinkedEdit(replace(edited, tracks=tuple(tracks)), tuple(changes))


def unlink(timeline: Timeline, track_name: str, indexes: Iterable[int]) -> Timeline:
    """The clips `indexes` of a dialogue track no longer linked to their picture (they stay in
    film time from now on). ValueError for an index that is not a linked clip."""
    track = timeline.track(track_name)
    items = list(track.items)
    for index in indexes:
        if not 0 <= index < len(items):
            raise ValueError(f"track {track_name!r} has no item {index} (it has {len(items)})")
        item = items[index]
        if not isinstance(item, Clip) or item.link is None:
            raise ValueError(f"item {index} on track {track_name!r} is not a linked line")
        items[index] = replace(item, link=None)
    return with_track(timeline, track_name, replace(track, items=tuple(items)))


@dataclass
class _Placed:
    start: int
    item: Clip | Gap
    before: Transition | None = None  # the transition that led into it

    @property
    def end(self) -> int:
        return self.start + self.item.duration.value


def carry_lines(
    track: Track, old: ShotPictures, new: ShotPictures
) -> tuple[Track, list[LineChange]]:
    """A dialogue track with its linked lines moved from the picture `old` to `new`."""
    placed: list[_Placed] = []
    changes: list[LineChange] = []
    moved = False
    previous: Item | None = None
    for item, span in track.spans():
        if isinstance(item, Transition):
            previous = item
            continue
        before = previous if isinstance(previous, Transition) else None
        previous = item
        if isinstance(item, Gap) and not item.name:
            continue  # filler, laid again between what is placed
        start = span.start.value
        if not isinstance(item, Clip) or item.link is None:
            placed.append(_Placed(start, item, before))
            continue
        carried = _carry(item, start, old, new)
        if carried is None:
            changes.append(LineChange(track.name, item.name, item.line_id, "removed", _len(item)))
            moved = True
            continue
        new_start, clip = carried
        if _len(clip) != _len(item):
            lost = _len(item) - _len(clip)
            changes.append(LineChange(track.name, item.name, item.line_id, "trimmed", lost))
        moved = moved or new_start != start or clip is not item
        placed.append(_Placed(new_start, clip, before))
    if not moved:
        return track, changes
    return _laid(track, placed, changes), changes


def _len(item: Clip | Gap) -> int:
    return item.duration.value


def _carry(clip: Clip, start: int, old: ShotPictures, new: ShotPictures) -> tuple[int, Clip] | None:
    """Where `clip` goes on the new picture, and what is left of it; None: nothing is left."""
    link = clip.link
    first = link.frame + clip.source_range.start.value  # the picture frame of its first frame
    synced = old.nearest(link.shot_id, first)
    if synced is None:
        return start, clip  # its shot was not on the picture before: nothing to follow
    drift = start - synced
    length = _len(clip)
    if old.media(link.shot_id) == new.media(link.shot_id):
        return new.nearest(link.shot_id, first) + drift, clip  # the shot only moved, if at all
    lost = [
        old.where(link.shot_id, first + k) is not None
        and new.where(link.shot_id, first + k) is None
        for k in range(length)
    ]
    head = next((k for k, gone in enumerate(lost) if not gone), length)
    if head == length:
        return None
    keep = next((k for k in range(head, length) if lost[k]), length) - head
    at = new.nearest(link.shot_id, first + head)
    if at is None:
        return None
    if keep != length:
        clip = _window(clip, head, keep)
    return at + drift, clip


def _window(clip: Clip, head: int, length: int) -> Clip:
    """`clip` without its first `head` frames, `length` frames long."""
    src = clip.source_range
    rate = src.duration.rate
    start = RationalTime(src.start.value + head, src.start.rate)
    return replace(
        clip,
        source_range=TimeRange(start, RationalTime(length, rate)),
        fade_in=clip.fade_in if head == 0 else 0,
        fade_out=min(clip.fade_out, length),
    )


def _laid(track: Track, placed: list[_Placed], changes: list[LineChange]) -> Track:
    """The items placed at their starts, gaps between; an item running into the next one is
    cut short (and said), one starting before the film loses its head."""
    rate = track_rate(track)
    placed.sort(key=lambda p: p.start)
    items: list[Item] = []
    end = 0
    for index, place in enumerate(placed):
        following = placed[index + 1].start if index + 1 < len(placed) else None
        item, start = place.item, place.start
        if start < end:  # only when the item before it could not be shortened (see below)
            item, start = _cut(item, end - start, 0, track, changes), end
        if following is not None and start + _len(item) > following and isinstance(item, Clip):
            item = _cut(item, 0, start + _len(item) - following, track, changes)
        if item is None:
            continue
        if start > end:
            items.append(Gap(RationalTime(start - end, rate)))
        elif place.before is not None and items and isinstance(items[-1], Clip):
            items.append(place.before)
        items.append(item)
        end = start + _len(item)
    return replace(track, items=normalize(items, rate))


def _cut(item, head: int, tail: int, track: Track, changes: list[LineChange]):
    """`item` less `head` frames at its start and `tail` at its end (None when nothing is left)."""
    left = _len(item) - head - tail
    name, line_id = getattr(item, "name", ""), getattr(item, "line_id", None)
    if left <= 0:
        changes.append(LineChange(track.name, name, line_id, "removed", _len(item)))
        return None
    changes.append(LineChange(track.name, name, line_id, "cut short", head + tail))
    if isinstance(item, Gap):
        return replace(item, duration=RationalTime(left, item.duration.rate))
    return _window(item, head, left)
