"""Conforming the sound to an editor's picture cut that brings no sound (an EDL, a picture-only
export): the dialogue follows its shots, the music and effects are laid anew under the picture.

An editor who sends back only the picture expects the sound to follow it, as a conform does: each
line keeps its place within its shot (its offset from the start of the shot's first clip), a line
whose shot was cut goes with it, and where the picture was shortened so that two lines would
overlap, the later one waits for the earlier to finish.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from studio.domain.entities import Asset
from studio.domain.time import RationalTime
from studio.domain.timeline import SOUND_KINDS, Clip, Gap, Timeline, Track, TrackKind
from studio.timeline.assemble import with_sound


def has_sound(timeline: Timeline) -> bool:
    return any(track.kind in SOUND_KINDS for track in timeline.tracks)


def keep_track_names(before: Timeline, after: Timeline, music_id: int | None = None) -> Timeline:
    """`after` with its tracks named as `before`'s of the same kind, in order (an EDL or XML
    names them V, A2, Video 1…; ours are V1, dialogue, music…), so that the cut compares and
    edits as the same tracks, in the assembly's order (picture, dialogue, music, effects).
    When the cut names no music track, a sound track made only of
    the music bed's clips (an XML cut splits the looping bed into repeats) is the music again."""
    tracks = list(after.tracks)
    if music_id is not None and not any(t.kind is TrackKind.MUSIC for t in tracks):
        for index, track in enumerate(tracks):
            clips = [item for item in track.items if isinstance(item, Clip)]
            if track.kind is TrackKind.SFX and clips and all(c.asset_id == music_id for c in clips):
                tracks[index] = replace(track, kind=TrackKind.MUSIC)
                break
    names = {
        kind: iter([t.name for t in before.tracks if t.kind == kind])
        for kind in {t.kind for t in tracks}
    }
    taken = {t.name for t in tracks}
    renamed = []
    for track in tracks:
        name = next(names[track.kind], None)
        if name is not None and name != track.name and name not in taken:
            taken.add(name)
            track = replace(track, name=name)
        renamed.append(track)
    rank = {kind: i for i, kind in enumerate((TrackKind.VIDEO, *SOUND_KINDS))}  # the assembly's
    renamed.sort(key=lambda t: rank[t.kind])
    return replace(after, tracks=tuple(renamed))


def shot_starts(timeline: Timeline) -> dict[int, int]:
    """Where each shot's first clip starts on the first video track (frames)."""
    picture = next((t for t in timeline.tracks if t.kind is TrackKind.VIDEO), None)
    starts: dict[int, int] = {}
    for item, span in picture.spans() if picture is not None else ():
        if isinstance(item, Clip) and item.shot_id is not None:
            starts.setdefault(item.shot_id, span.start.value)
    return starts


def follow_picture(
    before: Timeline,
    after: Timeline,
    music: Asset | None,
    effects: list[tuple[Asset, Fraction, float]],
) -> tuple[Timeline, list[str]]:
    """`after` (picture only) with `before`'s dialogue moved with its shots, and the music and
    effects laid under it; and what was dropped or moved to say so."""
    was, now = shot_starts(before), shot_starts(after)
    rate = after.rate
    placed: list[tuple[int, Clip]] = []
    dropped = 0
    for track in (t for t in before.tracks if t.kind is TrackKind.DIALOGUE):
        for item, span in track.spans():
            if not isinstance(item, Clip):
                continue
            shot = item.shot_id
            if shot not in was or shot not in now:
                dropped += 1
                continue
            placed.append((now[shot] + span.start.value - was[shot], item))
    items: list = []
    cursor, pushed = 0, 0
    for start, clip in sorted(placed, key=lambda pair: pair[0]):
        if start < cursor:
            start, pushed = cursor, pushed + 1
        if start > cursor:
            items.append(Gap(RationalTime(start - cursor, rate)))
        items.append(clip)
        cursor = start + clip.duration.rescaled_to(rate).value
    tracks = [*after.tracks]
    if items:
        tracks.append(Track("dialogue", TrackKind.DIALOGUE, tuple(items)))
    conformed = with_sound(replace(after, tracks=tuple(tracks)), music, effects)
    notes = [
        "the cut brings no sound: the dialogue follows its shots, the music and effects are "
        "laid anew"
    ]
    if dropped:
        notes.append(f"{dropped} line(s) left out with their shots")
    if pushed:
        notes.append(f"{pushed} line(s) moved later so as not to overlap where shots got shorter")
    return conformed, notes


__all__ = ["follow_picture", "has_sound", "keep_track_names", "shot_starts"]
