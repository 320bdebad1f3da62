"""A sound clip's level over time as keyframes, for the cut files: gain, fades and ducking.

The mix (`studio.audio.mix_stream`) applies a clip's gain, its linear fades in and out and, on
the music, the ducking under the dialogue. An editing suite has none of our mix, so the cut
files carry the same levels as keyframes an editor sees and can change: `clip_levels` gives
them for one clip as `(frame, dB)` pairs from the clip's first frame on the track, where dB is
None for silence (the ends of a fade). Formats convert them: FCP 7 XML to the linear gain of
its Audio Levels filter, FCPXML to `adjust-volume` keyframes, the OTIO cut keeps them in the
clip's `metadata["microfilm"]["levels"]`.

The ducking is laid from where the lines sit (the mix measures the dialogue's loudness; the
keyframes follow the lines' clips): down by `duck_depth_db` over the attack before a line,
held for `DUCK_HOLD` seconds after it, back up over the release, as `MixSettings` sets it.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

from studio.audio.mix import MixSettings

DUCK_HOLD = Fraction(3, 10)  # seconds the music stays down after a line, as the mix holds it
Level = tuple[int, float | None]  # (frame from the clip's start, dB; None: silence)


def duck_spans(lines: Iterable[tuple[int, int]], rate: Fraction, settings: MixSettings) -> list:
    """The music's ducking as (start, down, up, end) frames of film: it leaves full level at
    `start`, is fully down from `down` to `up` and back at full level at `end`; spans that
    touch are merged."""
    attack = max(1, math.ceil(Fraction(settings.duck_attack).limit_denominator(1000) * rate))
    release = max(1, math.ceil(Fraction(settings.duck_release).limit_denominator(1000) * rate))
    hold = math.ceil(DUCK_HOLD * rate)
    spans: list[list[int]] = []
    for start, end in sorted(lines):
        down, up = start, end + hold
        if spans and down - attack <= spans[-1][3]:
            spans[-1][2] = max(spans[-1][2], up)
            spans[-1][3] = max(spans[-1][3], up + release)
        else:
            spans.append([down - attack, down, up, up + release])
    return [tuple(span) for span in spans]


def clip_levels(
    at: int,
    duration: int,
    gain_db: float,
    fade_in: int,
    fade_out: int,
    ducks: Sequence[tuple[int, int, int, int]] = (),
    depth_db: float = 0.0,
    cuts: Iterable[int] = (),
) -> list[Level]:
    """The keyframes of a clip placed at film frame `at` for `duration` frames: its gain,
    fades (frames) and the ducking spans (`duck_spans`) that fall on it, with a keyframe at
    each of `cuts` too (where a loop's repeats meet, so each repeat starts and ends on its
    exact level). Empty when the level is the clip's gain throughout (a plain gain needs no
    keyframe)."""
    fade_in, fade_out = min(fade_in, duration), min(fade_out, duration)
    points = {0, duration}
    if fade_in:
        points.add(fade_in)
    if fade_out:
        points.add(duration - fade_out)
    mine = _overlapping(ducks, at, at + duration) if depth_db else []
    for span in mine:
        points.update(p - at for p in span if 0 < p - at < duration)
    if not fade_in and not fade_out and not mine:
        return []
    points.update(c for c in cuts if 0 < c < duration)
    starts = [span[0] for span in mine]

    def level(frame: int) -> float | None:
        ramp = 1.0
        if fade_in and frame < fade_in:
            ramp = min(ramp, frame / fade_in)
        if fade_out and frame > duration - fade_out:
            ramp = min(ramp, (duration - frame) / fade_out)
        if ramp <= 0:
            return None
        ducked = _ducked(at + frame, mine, starts, depth_db)
        return round(gain_db + 20 * math.log10(ramp) - ducked, 3)

    return [(frame, level(frame)) for frame in sorted(points)]


def _overlapping(ducks: Sequence[tuple[int, int, int, int]], start: int, end: int) -> list:
    """The ducking spans (sorted, apart) that overlap frames `start` to `end`: a search, so
    that a bed of many repeats under many lines stays linear."""
    first = max(0, bisect.bisect_left(ducks, (start,)) - 1)
    found = []
    for span in ducks[first:]:
        if span[0] >= end:
            break
        if span[3] > start:
            found.append(span)
    return found


def _ducked(
    frame: int, spans: Sequence[tuple[int, int, int, int]], starts: Sequence[int], depth_db: float
) -> float:
    """How far the ducking has the music down at `frame`: the one span (sorted, apart; `starts`
    their first frames) that can hold it is found by a search, so a bed under a film of lines
    is linear, not lines × keyframes."""
    index = bisect.bisect_left(starts, frame) - 1  # the last span starting before `frame`
    if index < 0:
        return 0.0
    start, down, up, end = spans[index]
    if start < frame < down:
        return depth_db * (frame - start) / (down - start)
    if down <= frame <= up:
        return depth_db
    if up < frame < end:
        return depth_db * (end - frame) / (end - up)
    return 0.0


def sliced(
    levels: Sequence[Level], start: int, frames: int, keys: Sequence[int] | None = None
) -> list[Level]:
    """The keyframes of `frames` frames of a clip from its frame `start` (a loop's repeat),
    from the repeat's own first frame, with keyframes at both of its ends (exact where
    `clip_levels` was given those ends as `cuts`, else interpolated). `keys` are the levels'
    frames (pass them when slicing many repeats: each slice is then a search, not a scan)."""
    if not levels:
        return []
    keys = [f for f, _ in levels] if keys is None else keys
    first, last = bisect.bisect_right(keys, start), bisect.bisect_left(keys, start + frames)
    inside = [(f - start, db) for f, db in levels[first:last]]
    ends = (value_at(levels, start, keys), value_at(levels, start + frames, keys))
    return [(0, ends[0]), *inside, (frames, ends[1])]


def value_at(
    levels: Sequence[Level], frame: int, keys: Sequence[int] | None = None
) -> float | None:
    """The level at `frame`, interpolated linearly in dB between keyframes (silence as the
    next keyframe's level less 60 dB, for interpolating only)."""
    keys = [f for f, _ in levels] if keys is None else keys
    index = bisect.bisect_left(keys, frame)
    if index < len(keys) and keys[index] == frame:
        return levels[index][1]
    if index == 0:
        return levels[0][1]
    if index == len(keys):
        return levels[-1][1]
    (f0, d0), (f1, d1) = levels[index - 1], levels[index]
    if d0 is None and d1 is None:
        return None
    a = d1 - 60.0 if d0 is None else d0
    b = d0 - 60.0 if d1 is None else d1
    return round(a + (b - a) * (frame - f0) / (f1 - f0), 3)


def linear(db: float | None) -> float:
    """A level as a linear gain (0 for silence)."""
    return 0.0 if db is None else round(10 ** (db / 20), 6)


__all__ = ["DUCK_HOLD", "Level", "clip_levels", "duck_spans", "linear", "sliced", "value_at"]
