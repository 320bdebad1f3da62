"""Pure edits on a Track: insert, overwrite, trim, split, join, delete, lift, move, slip.

Every function returns a new Track and never mutates its input. Positions are whole frames at
the track's rate (a RationalTime at another rate is rescaled to the nearest frame). Transitions
stay valid after every edit: one whose neighbour goes is dropped, and its offsets are clamped to
the items around it (see `normalize`). An impossible edit raises ValueError saying why.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Item, Timeline, Track, Transition, TransitionKind

# Which sides of a transition must be a clip for it to make sense.
_NEEDS_LEFT = frozenset(TransitionKind) - {TransitionKind.FADE_FROM_BLACK}  # a clip before it
_NEEDS_RIGHT = frozenset(TransitionKind) - {TransitionKind.FADE_TO_BLACK}  # a clip after it


# ---------------------------------------------------------------------------------- helpers


def track_rate(track: Track) -> Fraction | int:
    """The rate the track's items are counted in (24 for an empty track)."""
    for item in track.items:
        return item.duration.rate if not isinstance(item, Transition) else item.in_offset.rate
    return 24


def _frames(time: RationalTime | int, rate: Fraction | int) -> int:
    if isinstance(time, int):
        return time
    if Fraction(time.rate) == Fraction(rate):
        return time.value
    return time.rescaled_to(rate).value


def _rt(frames: int, rate: Fraction | int) -> RationalTime:
    return RationalTime(int(frames), rate)


def _starts(items: Sequence[Item]) -> list[int]:
    """The start frame of every item (a transition starts at its cut)."""
    starts, position = [], 0
    for item in items:
        starts.append(position)
        position += item.duration.value
    return starts


def _length(item: Item) -> int:
    return item.duration.value


def _with_duration(item: Clip | Gap, frames: int, rate: Fraction | int) -> Clip | Gap:
    if isinstance(item, Gap):
        return replace(item, duration=_rt(frames, rate))
    return replace(item, source_range=TimeRange(item.source_range.start, _rt(frames, rate)))


def _split_item(item: Clip | Gap, offset: int, rate) -> tuple[Clip | Gap, Clip | Gap]:
    """Two items: the first `offset` frames of `item` and the rest."""
    rest = _length(item) - offset
    if isinstance(item, Gap):
        return replace(item, duration=_rt(offset, rate)), replace(item, duration=_rt(rest, rate))
    src = item.source_range.start
    head = replace(item, source_range=TimeRange(src, _rt(offset, rate)), fade_out=0)
    tail_start = RationalTime(src.value + _frames(_rt(offset, rate), src.rate), src.rate)
    tail = replace(item, source_range=TimeRange(tail_start, _rt(rest, rate)), fade_in=0)
    return head, tail


def _cut_at(items: list[Item], frame: int, rate) -> int:
    """Split whatever lies across `frame` and return the list index where `frame` begins.

    Past the end, the track is padded with a gap. At an existing cut holding a transition, the
    index returned is the transition's (new content placed there replaces the cut)."""
    total = sum(_length(i) for i in items)
    if frame > total:
        items.append(Gap(_rt(frame - total, rate)))
        return len(items)
    for index, start in enumerate(_starts(items)):
        item = items[index]
        if start == frame:
            return index
        if start < frame < start + _length(item):
            head, tail = _split_item(item, frame - start, rate)
            items[index : index + 1] = [head, tail]
            return index + 1
    return len(items)


def _drop_transitions_at(items: list[Item], index: int) -> int:
    """Remove transitions sitting at list position `index` (a cut); return the new index."""
    while index < len(items) and isinstance(items[index], Transition):
        del items[index]
    while index > 0 and isinstance(items[index - 1], Transition):
        del items[index - 1]
        index -= 1
    return index


def normalize(items: Iterable[Item], rate: Fraction | int = 24) -> tuple[Item, ...]:
    """Items made valid: no zero-length clips or gaps, adjacent gaps merged, no two transitions
    in a row, transitions only where their neighbours are clips, offsets clamped to fit."""
    cleaned: list[Item] = []
    for item in items:
        if not isinstance(item, Transition) and _length(item) <= 0:
            continue
        if isinstance(item, Gap) and cleaned and isinstance(cleaned[-1], Gap):
            cleaned[-1] = replace(
                cleaned[-1], duration=_rt(_length(cleaned[-1]) + _length(item), rate)
            )
            continue
        if isinstance(item, Transition) and cleaned and isinstance(cleaned[-1], Transition):
            continue
        cleaned.append(item)
    result: list[Item] = []
    for index, item in enumerate(cleaned):
        if isinstance(item, Transition):
            item = _fit_transition(cleaned, index, result)
            if item is None:
                continue
        result.append(item)
    return tuple(result)


def _fit_transition(items: list[Item], index: int, done: list[Item]) -> Transition | None:
    left = items[index - 1] if index > 0 else None
    right = items[index + 1] if index + 1 < len(items) else None
    kind = items[index].kind
    if kind in _NEEDS_LEFT and not isinstance(left, Clip):
        return None
    if kind in _NEEDS_RIGHT and not isinstance(right, Clip):
        return None
    transition: Transition = items[index]
    in_frames = transition.in_offset.value if isinstance(left, Clip) else 0
    out_frames = transition.out_offset.value if isinstance(right, Clip) else 0
    if isinstance(left, Clip):
        used = _previous_out_offset(done)
        in_frames = max(0, min(in_frames, _length(left) - used))
    if isinstance(right, Clip):
        out_frames = max(0, min(out_frames, _length(right)))
    rate = transition.in_offset.rate
    return replace(transition, in_offset=_rt(in_frames, rate), out_offset=_rt(out_frames, rate))


def _previous_out_offset(done: list[Item]) -> int:
    """Frames of the last clip in `done` already taken by the transition before it."""
    if len(done) >= 2 and isinstance(done[-2], Transition):
        return done[-2].out_offset.value
    return 0


def _rebuilt(track: Track, items: Iterable[Item]) -> Track:
    return replace(track, items=normalize(items, track_rate(track)))


def _clip_index(track: Track, index: int) -> Clip:
    if not 0 <= index < len(track.items):
        raise ValueError(f"track {track.name!r} has no item {index} (it has {len(track.items)})")
    item = track.items[index]
    if not isinstance(item, Clip):
        raise ValueError(
            f"item {index} on track {track.name!r} is a {type(item).__name__}, not a clip"
        )
    return item


def _neighbour(items: Sequence[Item], index: int, step: int) -> int | None:
    """The index of the next non-transition item from `index` in direction `step`."""
    other = index + step
    while 0 <= other < len(items):
        if not isinstance(items[other], Transition):
            return other
        other += step
    return None


# ---------------------------------------------------------------------------------- queries


def item_at(track: Track, time: RationalTime) -> tuple[int, TimeRange]:
    """The index of the clip or gap playing at `time`, and where it sits on the track."""
    rate = track_rate(track)
    frame = _frames(time, rate)
    for index, start in enumerate(_starts(track.items)):
        item = track.items[index]
        if not isinstance(item, Transition) and start <= frame < start + _length(item):
            return index, TimeRange(_rt(start, rate), _rt(_length(item), rate))
    raise ValueError(
        f"nothing plays at frame {frame} on track {track.name!r} "
        f"(it lasts {track.duration.value} frames)"
    )


def cut_points(track: Track) -> list[RationalTime]:
    """Every edit point on the track, the start and the end included: snapping candidates."""
    rate = track_rate(track)
    points = sorted(
        {0, *(s + _length(i) for s, i in zip(_starts(track.items), track.items, strict=True))}
    )
    return [_rt(p, rate) for p in points]


def snap(
    time: RationalTime, candidates: Iterable[RationalTime], tolerance_frames: int
) -> RationalTime:
    """The candidate nearest to `time` when within `tolerance_frames`, else `time` itself."""
    best, best_distance = time, None
    for candidate in candidates:
        distance = abs(_frames(candidate, time.rate) - time.value)
        if distance <= tolerance_frames and (best_distance is None or distance < best_distance):
            best, best_distance = RationalTime(_frames(candidate, time.rate), time.rate), distance
    return best


# ---------------------------------------------------------------------------------- edits


def insert(track: Track, at: RationalTime, item: Clip | Gap) -> Track:
    """`item` placed at `at`, pushing everything after it later (a ripple insert).

    Inserting inside an item splits it; inserting at a cut that holds a transition drops it."""
    if isinstance(item, Transition):
        raise ValueError("insert() places clips and gaps; a transition belongs to a cut")
    rate = track_rate(track) if track.items else item.duration.rate
    items = list(track.items)
    index = _drop_transitions_at(items, _cut_at(items, _frames(at, rate), rate))
    items.insert(index, item)
    return replace(track, items=normalize(items, rate))


def overwrite(track: Track, at: RationalTime, clip: Clip | Gap) -> Track:
    """`clip` laid over the track from `at`, replacing what lay under it; nothing moves.

    Items across its edges are split; transitions inside or at its edges are dropped."""
    rate = track_rate(track) if track.items else clip.duration.rate
    items = list(track.items)
    start = _frames(at, rate)
    if start < 0:
        raise ValueError(f"cannot overwrite at a negative time (frame {start})")
    first = _cut_at(items, start, rate)
    last = _cut_at(items, start + _length(clip), rate)
    del items[first:last]
    index = _drop_transitions_at(items, first)
    items.insert(index, clip)
    return replace(track, items=normalize(items, rate))


def split(track: Track, at: RationalTime) -> Track:
    """The clip (or gap) under `at` cut into two at that frame; unchanged at an existing cut."""
    rate = track_rate(track)
    frame = _frames(at, rate)
    if not 0 < frame < track.duration.value:
        return track
    items = list(track.items)
    _cut_at(items, frame, rate)
    return replace(track, items=normalize(items, rate))


def join(track: Track, index: int) -> Track:
    """Clip `index` and the clip after it made one, when the second continues the first's media."""
    first = _clip_index(track, index)
    second = _clip_index(track, index + 1)
    src = first.source_range
    if first.asset_id != second.asset_id or src.end_exclusive != second.source_range.start:
        raise ValueError(f"clips {index} and {index + 1} are not contiguous in the same media")
    total = _length(first) + _length(second)
    merged = replace(
        first,
        source_range=TimeRange(src.start, _rt(total, first.duration.rate)),
        fade_out=second.fade_out,
    )
    items = list(track.items)
    items[index : index + 2] = [merged]
    return _rebuilt(track, items)


def ripple_delete(track: Track, index: int) -> Track:
    """Item `index` removed and everything after it moved earlier; its transitions go too."""
    if not 0 <= index < len(track.items):
        raise ValueError(f"track {track.name!r} has no item {index}")
    items = list(track.items)
    del items[index]
    if not isinstance(track.items[index], Transition):
        _drop_transitions_at(items, index)
    return _rebuilt(track, items)


def lift(track: Track, index: int) -> Track:
    """Item `index` replaced by a gap of its length; nothing moves; its transitions go."""
    if not 0 <= index < len(track.items):
        raise ValueError(f"track {track.name!r} has no item {index}")
    item = track.items[index]
    items = list(track.items)
    if isinstance(item, Transition):
        del items[index]
        return _rebuilt(track, items)
    items[index] = Gap(item.duration)
    if index + 1 < len(items) and isinstance(items[index + 1], Transition):
        del items[index + 1]
    if index > 0 and isinstance(items[index - 1], Transition):
        del items[index - 1]
    return _rebuilt(track, items)


def move(track: Track, index: int, to: RationalTime) -> Track:
    """Clip `index` lifted and laid over the track at `to` (an overwrite move)."""
    clip = _clip_index(track, index)
    return overwrite(lift(track, index), to, clip)


def slip(track: Track, index: int, delta: RationalTime | int) -> Track:
    """Clip `index` showing a later (delta > 0) or earlier part of its media, in the same place."""
    clip = _clip_index(track, index)
    src = clip.source_range
    new_start = src.start.value + _frames(delta, src.start.rate)
    _check_media_bounds(clip, new_start, _frames(src.duration, src.start.rate), "slip")
    items = list(track.items)
    items[index] = replace(
        clip, source_range=TimeRange(_rt(new_start, src.start.rate), src.duration)
    )
    return _rebuilt(track, items)


def _check_media_bounds(clip: Clip, start: int, duration: int, edit: str) -> None:
    if start < 0:
        raise ValueError(
            f"cannot {edit} clip {clip.name!r}: it would start {-start} frames before its media"
        )
    if duration < 1:
        raise ValueError(f"cannot {edit} clip {clip.name!r}: it must keep at least one frame")
    media = clip.media_duration
    if media is not None:
        media_frames = _frames(media, clip.source_range.start.rate)
        if start + duration > media_frames:
            raise ValueError(
                f"cannot {edit} clip {clip.name!r}: it would end {start + duration - media_frames} "
                f"frames past the end of its media ({media_frames} frames)"
            )


def trim_start(track: Track, index: int, delta: RationalTime | int, ripple: bool = True) -> Track:
    """Clip `index`'s in point moved by `delta` frames (positive shortens the clip).

    With `ripple`, later items move; without, the clip's end stays put and the item before it
    (a gap or a clip) grows or shrinks to fill, or a gap opens."""
    clip = _clip_index(track, index)
    rate = track_rate(track)
    src = clip.source_range
    shift = _frames(delta, rate)
    new_start, new_duration = src.start.value + shift, _length(clip) - shift
    _check_media_bounds(clip, new_start, new_duration, "trim the start of")
    trimmed = replace(
        clip, source_range=TimeRange(_rt(new_start, src.start.rate), _rt(new_duration, rate))
    )
    items = list(track.items)
    items[index] = trimmed
    if not ripple:
        _fill_beside(items, index, -1, shift, rate, track.name)
    return _rebuilt(track, items)


def trim_end(track: Track, index: int, delta: RationalTime | int, ripple: bool = True) -> Track:
    """Clip `index`'s out point moved by `delta` frames (positive lengthens the clip).

    With `ripple`, later items move; without, the item after it shrinks or grows to fill."""
    clip = _clip_index(track, index)
    rate = track_rate(track)
    change = _frames(delta, rate)
    new_duration = _length(clip) + change
    _check_media_bounds(clip, clip.source_range.start.value, new_duration, "trim the end of")
    items = list(track.items)
    items[index] = _with_duration(clip, new_duration, rate)
    if not ripple:
        _fill_beside(items, index, +1, -change, rate, track.name)
    return _rebuilt(track, items)


def _fill_beside(items: list[Item], index: int, step: int, frames: int, rate, name: str) -> None:
    """Keep the items beside clip `index` (on side `step`) in place after it changed length.

    `frames` > 0: the clip gave up that many frames on that side, so a gap fills them.
    `frames` < 0: the clip took that many, so the neighbouring gap or clip gives them up."""
    if frames == 0:
        return
    other = _neighbour(items, index, step)
    if frames > 0:
        if other is not None and isinstance(items[other], Gap):
            items[other] = _with_duration(items[other], _length(items[other]) + frames, rate)
        elif other is not None or step < 0:
            items.insert(index if step < 0 else index + 1, Gap(_rt(frames, rate)))
        return
    if other is None:
        if step < 0:
            raise ValueError(f"no room before clip {index} on track {name!r} to extend its start")
        return
    _shrink_neighbour(items, other, step, -frames, rate, index, name)


def _shrink_neighbour(items, other: int, step: int, frames: int, rate, index: int, name) -> None:
    neighbour = items[other]
    length = _length(neighbour) - frames
    if length < 0 or (length == 0 and isinstance(neighbour, Clip)):
        raise ValueError(
            f"not enough room beside clip {index} on track {name!r}: item {other} has only "
            f"{_length(neighbour)} frames and {frames} are needed"
        )
    if isinstance(neighbour, Gap) or step < 0:
        items[other] = _with_duration(neighbour, length, rate)
        return
    src = neighbour.source_range
    start = src.start.value + frames
    items[other] = replace(
        neighbour, source_range=TimeRange(_rt(start, src.start.rate), _rt(length, rate))
    )


def with_track(timeline: Timeline, name: str, track: Track) -> Timeline:
    """`timeline` with its track called `name` replaced by `track`."""
    timeline.track(name)  # raises KeyError naming the track when it is missing
    tracks = tuple(track if t.name == name else t for t in timeline.tracks)
    return replace(timeline, tracks=tracks)
