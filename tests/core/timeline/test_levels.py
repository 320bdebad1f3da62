"""The music's ducking keyframes: each frame's level comes from the one ducking span over it."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest

from studio.audio.mix import MixSettings
from studio.timeline.levels import clip_levels, duck_spans


def _scanned(frame: int, spans, depth: float) -> float:
    """The level under the ducking by looking at every span (what a search must agree with)."""
    for start, down, up, end in spans:
        if start < frame < down:
            return depth * (frame - start) / (down - start)
        if down <= frame <= up:
            return depth
        if up < frame < end:
            return depth * (end - frame) / (end - up)
    return 0.0


@pytest.mark.parametrize("seed", range(5))
def test_a_bed_under_many_lines_is_ducked_where_each_line_is(seed):
    rng = random.Random(seed)
    lines, at = [], 0
    for _ in range(300):
        at += rng.randint(1, 200)
        length = rng.randint(5, 120)
        lines.append((at, at + length))
        at += length
    spans = duck_spans(lines, Fraction(24), MixSettings())
    assert all(a[3] < b[0] for a, b in zip(spans, spans[1:], strict=False))  # sorted, apart
    levels = clip_levels(0, at + 100, -3.0, 0, 0, spans, 12.0)
    assert len(levels) > 4 * len(spans) // 2
    for frame, db in levels:
        assert db == pytest.approx(-3.0 - _scanned(frame, spans, 12.0), abs=1e-3), frame
    down = next(db for frame, db in levels if spans[0][1] <= frame <= spans[0][2])
    assert down == pytest.approx(-15.0)
