"""What changed between two cuts, per track and per clip, in an editor's words.

Clips are paired across the two cuts by what they show (shot, line, take, asset; the name when
there is nothing else), in order, so a clip used twice pairs with its own uses. A paired clip is
`trimmed` when its in or out point changed and `moved` when it changed places with other clips
(it is not in the longest run of pairs that kept their order); a clip that only slid along the
track because something before it changed length is `kept`, with both positions given. Clips
only in the old cut are `removed`, only in the new one `added`. Transitions are compared by the
kind and the clips they join.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

from studio.domain.timeline import Clip, Timeline, Track, Transition

CHANGE_KINDS = ("kept", "trimmed", "moved", "removed", "added")


@dataclass(frozen=True)
class Placed:
    """Where a clip sits on its track and which part of its media it shows (frames)."""

    index: int
    start: int
    duration: int
    source_start: int

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "start": self.start,
            "duration": self.duration,
            "source_start": self.source_start,
        }


@dataclass(frozen=True)
class ClipChange:
    label: str  # "shot 3", or the clip's name
    changes: tuple[str, ...]  # ("kept",), ("trimmed",), ("moved", "trimmed"), ("added",)…
    before: Placed | None = None
    after: Placed | None = None
    shot_number: str | None = None

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "changes": list(self.changes),
            "shot_number": self.shot_number,
            "before": self.before.to_json() if self.before else None,
            "after": self.after.to_json() if self.after else None,
        }


@dataclass
class TrackChanges:
    track: str
    status: str  # "changed", "unchanged", "added", "removed"
    clips: list[ClipChange] = field(default_factory=list)
    transitions: list[str] = field(default_factory=list)  # "added dissolve between …"
    frames_before: int = 0
    frames_after: int = 0

    def counts(self) -> dict[str, int]:
        return {k: sum(k in c.changes for c in self.clips) for k in CHANGE_KINDS}

    def to_json(self) -> dict:
        return {
            "track": self.track,
            "status": self.status,
            "counts": self.counts(),
            "clips": [c.to_json() for c in self.clips],
            "transitions": self.transitions,
            "frames_before": self.frames_before,
            "frames_after": self.frames_after,
        }


def _key(clip: Clip) -> tuple:
    ids = (clip.shot_id, clip.line_id, clip.take_id, clip.asset_id)
    return ids if any(i is not None for i in ids) else ("name", clip.name)


def _placed(track: Track) -> list[tuple[Clip, Placed]]:
    found, position = [], 0
    for index, item in enumerate(track.items):
        if isinstance(item, Clip):
            placed = Placed(index, position, item.duration.value, item.source_range.start.value)
            found.append((item, placed))
        position += item.duration.value
    return found


def _label(clip: Clip) -> tuple[str, str | None]:
    number = clip.metadata.get("shot_number") if isinstance(clip.metadata, dict) else None
    return (f"shot {number}", str(number)) if number is not None else (clip.name, None)


def _pairs(old: list, new: list) -> list[tuple[int, int]]:
    """(old position, new position) of clips showing the same thing, in order per key."""
    waiting: dict[tuple, list[int]] = {}
    for i, (clip, _) in enumerate(old):
        waiting.setdefault(_key(clip), []).append(i)
    pairs = []
    for j, (clip, _) in enumerate(new):
        queue = waiting.get(_key(clip))
        if queue:
            pairs.append((queue.pop(0), j))
    return pairs


def _in_order(pairs: list[tuple[int, int]]) -> set[int]:
    """The new positions in a longest run of pairs whose old positions keep their order."""
    tails: list[int] = []  # old positions ending runs of each length
    tail_at: list[int] = []  # index into pairs of that tail
    back: list[int] = [-1] * len(pairs)
    for p, (old, _) in enumerate(pairs):
        k = bisect_left(tails, old)
        if k == len(tails):
            tails.append(old)
            tail_at.append(p)
        else:
            tails[k], tail_at[k] = old, p
        back[p] = tail_at[k - 1] if k else -1
    keep, p = set(), tail_at[-1] if tail_at else -1
    while p != -1:
        keep.add(pairs[p][1])
        p = back[p]
    return keep


def _clip_changes(before: Track, after: Track) -> list[ClipChange]:
    old, new = _placed(before), _placed(after)
    pairs = sorted(_pairs(old, new), key=lambda pair: pair[1])
    steady = _in_order(pairs)
    matched_old = {o for o, _ in pairs}
    by_new = dict((n, o) for o, n in pairs)
    changes: list[ClipChange] = []
    for j, (clip, placed) in enumerate(new):
        label, number = _label(clip)
        if j not in by_new:
            changes.append(ClipChange(label, ("added",), None, placed, number))
            continue
        was_clip, was = old[by_new[j]]
        kinds = []
        if j not in steady:
            kinds.append("moved")
        if was_clip.source_range != clip.source_range:
            kinds.append("trimmed")
        changes.append(ClipChange(label, tuple(kinds) or ("kept",), was, placed, number))
    for i, (clip, placed) in enumerate(old):
        if i not in matched_old:
            label, number = _label(clip)
            changes.append(ClipChange(label, ("removed",), placed, None, number))
    return changes


def _transitions(track: Track) -> list[tuple[str, str, str, tuple, tuple, str]]:
    """(kind, left label, right label, left key, right key, offsets) of each transition."""
    found, items = [], track.items
    for index, item in enumerate(items):
        if isinstance(item, Transition):
            left = items[index - 1] if index > 0 else None
            right = items[index + 1] if index + 1 < len(items) else None
            found.append(
                (
                    item.kind,
                    _side(left, "the start"),
                    _side(right, "the end"),
                    _key(left) if isinstance(left, Clip) else (),
                    _key(right) if isinstance(right, Clip) else (),
                    f"{item.in_offset.value}+{item.out_offset.value}",
                )
            )
    return found


def _side(item: object, edge: str) -> str:
    if isinstance(item, Clip):
        return _label(item)[0]
    return edge if item is None else "a gap"


def _transition_changes(before: Track, after: Track) -> list[str]:
    """Transitions paired by kind and the clips they join (then by either one of them)."""
    old, new = _transitions(before), _transitions(after)
    lines: list[str] = []
    for keys in (lambda t: (t[0], t[3], t[4]), lambda t: (t[0], t[3]), lambda t: (t[0], t[4])):
        for made in list(new):
            was = next((t for t in old if keys(t) == keys(made)), None)
            if was is None:
                continue
            old.remove(was)
            new.remove(made)
            if was[1:3] + was[5:] != made[1:3] + made[5:]:
                lines.append(
                    f"{_where(was)} now between {made[1]} and {made[2]} ({made[5]} frames)"
                )
    lines += [f"removed {_where(t)}" for t in old]
    lines += [f"added {_where(t)}" for t in new]
    return lines


def _where(transition: tuple) -> str:
    kind, left, right, _, _, offsets = transition
    return f"{kind} between {left} and {right} ({offsets} frames)"


def compare(before: Timeline | None, after: Timeline) -> list[TrackChanges]:
    """Per track of either cut, what changed from `before` to `after`."""
    old_tracks = {t.name: t for t in (before.tracks if before else ())}
    result: list[TrackChanges] = []
    for track in after.tracks:
        previous = old_tracks.get(track.name)
        if previous is None:
            changes = _clip_changes(Track(track.name, track.kind), track)
            result.append(TrackChanges(track.name, "added", changes, [], 0, track.duration.value))
            continue
        changes = _clip_changes(previous, track)
        transitions = _transition_changes(previous, track)
        same = previous == track
        status = "unchanged" if same else "changed"
        frames = (previous.duration.value, track.duration.value)
        result.append(TrackChanges(track.name, status, changes, transitions, *frames))
    for name, track in old_tracks.items():
        if name not in {t.name for t in after.tracks}:
            changes = _clip_changes(track, Track(name, track.kind))
            result.append(TrackChanges(name, "removed", changes, [], track.duration.value, 0))
    return result


__all__ = ["CHANGE_KINDS", "ClipChange", "Placed", "TrackChanges", "compare"]
