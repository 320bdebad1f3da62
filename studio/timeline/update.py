"""Bringing an edited cut up to date with its shots, keeping the editor's work.

Only the shots named are touched: each one's picture gets the media the assembly would give it
now, keeping the clip's in point, its length change and its gain and fades as far as the new
media allows; its dialogue is laid anew where the shot's lines changed. Every other clip keeps
its trims, moves, transitions and gains. Later dialogue moves with a picture that got longer or
shorter, so lines stay with their shots; music and effects stay where they are in film time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track, TrackKind
from studio.timeline import edit


@dataclass(frozen=True)
class ShotUpdate:
    """One shot to bring up to date: its fresh one-shot assembly and what to replace."""

    shot_id: int
    fresh: Timeline  # the shot assembled alone: its picture clip and its lines from frame 0
    picture: bool = True
    dialogue: bool = False


def updated_cut(timeline: Timeline, updates: list[ShotUpdate]) -> Timeline:
    """`timeline` with each update's shot brought up to date (the latest shots first, so that
    the places of earlier ones do not move under them)."""
    picture = _video(timeline)
    if picture is None:
        return timeline
    order = {shot_id: i for i, shot_id in enumerate(_shot_order(picture))}
    for update in sorted(updates, key=lambda u: order.get(u.shot_id, -1), reverse=True):
        if update.shot_id in order:
            timeline = _update_shot(timeline, update)
    return timeline


def _video(timeline: Timeline) -> Track | None:
    return next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)


def _shot_order(track: Track) -> list[int]:
    seen: list[int] = []
    for item in track.items:
        if isinstance(item, Clip) and item.shot_id is not None and item.shot_id not in seen:
            seen.append(item.shot_id)
    return seen


def _fresh_picture(fresh: Timeline) -> Clip | None:
    track = _video(fresh)
    return next((i for i in track.items if isinstance(i, Clip)), None) if track else None


def _update_shot(timeline: Timeline, update: ShotUpdate) -> Timeline:
    track = _video(timeline)
    pieces = [
        (index, item, span)
        for index, (item, span) in enumerate(track.spans())
        if isinstance(item, Clip) and item.shot_id == update.shot_id
    ]
    fresh = _fresh_picture(update.fresh)
    if not pieces or fresh is None:
        return timeline
    index, old, span = pieces[0]
    start = span.start.value
    if update.picture:
        single = len(pieces) == 1
        new = _replacement(old, fresh, single)
        items = list(track.items)
        items[index] = new
        rate = edit.track_rate(track)
        timeline = edit.with_track(
            timeline, track.name, replace(track, items=edit.normalize(items, rate))
        )
        shift = new.duration.value - old.duration.value
        if shift:
            timeline = _shift_dialogue(timeline, span.start.value + old.duration.value, shift)
        old = new
    if update.dialogue:
        head = old.source_range.start.value - fresh.source_range.start.value
        timeline = _relay_lines(timeline, update, start - head)
    return timeline


def _replacement(old: Clip, fresh: Clip, single: bool) -> Clip:
    """`fresh`'s media with `old`'s trim (in point, length change), gain and fades, as far as
    the fresh media allows."""
    rate = old.duration.rate
    length = old.duration.value
    if single and old.assembled_duration is not None and fresh.assembled_duration is not None:
        length += fresh.assembled_duration.value - old.assembled_duration.rescaled_to(rate).value
    head = old.source_range.start.value
    media = fresh.media_duration
    if media is not None and fresh.move is not None:
        # a held keyframe can be held as long as needed: its move spans the whole hold
        media = RationalTime(max(media.value, head + length + fresh.source_range.start.value), rate)
    if media is not None:
        head = min(head, max(0, media.value - 1))
        length = min(length, media.value - head)
    length = max(1, length)
    if fresh.asset_id is None:  # a slate card: no media to keep a trim in
        head = 0
    return replace(
        fresh,
        source_range=TimeRange(RationalTime(head, rate), RationalTime(length, rate)),
        media_duration=media,
        gain_db=old.gain_db,
        fade_in=old.fade_in,
        fade_out=old.fade_out,
        metadata={**old.metadata, **fresh.metadata},
    )


def _dialogue_tracks(timeline: Timeline) -> list[Track]:
    return [t for t in timeline.tracks if t.kind is TrackKind.DIALOGUE]


def _shift_dialogue(timeline: Timeline, at: int, shift: int) -> Timeline:
    """Dialogue from frame `at` on moved by `shift` frames (taken from or added to the gap
    there), so later lines stay with their pictures."""
    for track in _dialogue_tracks(timeline):
        timeline = edit.with_track(timeline, track.name, _shifted(track, at, shift))
    return timeline


def _shifted(track: Track, at: int, shift: int) -> Track:
    items = list(track.items)
    rate = edit.track_rate(track)
    position, index = 0, len(items)
    for i, item in enumerate(items):
        if position >= at:
            index = i
            break
        position += item.duration.value
    if index == len(items):
        return track  # no line after the change
    if shift > 0:
        items.insert(index, Gap(RationalTime(shift, rate)))
    else:
        _take_from_gaps(items, max(0, index - 1), -shift, rate)
    return replace(track, items=edit.normalize(items, rate))


def _take_from_gaps(items: list, index: int, frames: int, rate) -> None:
    for i in range(index, min(index + 2, len(items))):
        if frames and isinstance(items[i], Gap):
            taken = min(frames, items[i].duration.value)
            items[i] = Gap(RationalTime(items[i].duration.value - taken, rate), items[i].name)
            frames -= taken


def _relay_lines(timeline: Timeline, update: ShotUpdate, origin: int) -> Timeline:
    """The shot's dialogue taken off and laid again from its fresh assembly, from `origin`."""
    for track in _dialogue_tracks(timeline):
        items = [
            Gap(i.duration) if isinstance(i, Clip) and i.shot_id == update.shot_id else i
            for i in track.items
        ]
        changed = replace(track, items=edit.normalize(items, edit.track_rate(track)))
        if track.name == "dialogue":
            changed = _lay(changed, update.fresh, origin)
        timeline = edit.with_track(timeline, track.name, changed)
    return timeline


def _lay(track: Track, fresh: Timeline, origin: int) -> Track:
    lines = next((t for t in fresh.tracks if t.kind is TrackKind.DIALOGUE), None)
    if lines is None:
        return track
    for item, span in lines.spans():
        if isinstance(item, Clip):
            at = max(0, origin + span.start.value)
            track = edit.overwrite(track, RationalTime(at, span.start.rate), item)
    return track
