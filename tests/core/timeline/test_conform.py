"""Sound follows picture: a picture-only cut keeps the dialogue with its shots."""

from __future__ import annotations

from studio.domain.entities import Asset
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track
from studio.timeline.conform import follow_picture, keep_track_names


def t(frames: int) -> RationalTime:
    return RationalTime(frames, 24)


def shot(number: int, frames: int) -> Clip:
    return Clip(f"Shot {number}", TimeRange(t(0), t(frames)), asset_id=number, shot_id=number)


def line(number: int, shot_id: int, frames: int) -> Clip:
    return Clip(f"Line {number}", TimeRange(t(0), t(frames)), asset_id=100 + number,
                shot_id=shot_id, line_id=number)  # fmt: skip


def cut(*tracks: Track) -> Timeline:
    return Timeline("main", 24, tracks)


BEFORE = cut(
    Track("V1", "video", (shot(1, 48), shot(2, 48), shot(3, 48))),
    # line 1 at 12 in shot 1, line 2 at 60 (12 into shot 2), line 3 at 100 (4 into shot 3)
    Track(
        "dialogue",
        "dialogue",
        (Gap(t(12)), line(1, 1, 30), Gap(t(18)), line(2, 2, 24), Gap(t(16)), line(3, 3, 20)),
    ),  # fmt: skip
)


def starts(track: Track) -> dict[str, int]:
    return {item.name: span.start.value for item, span in track.spans() if isinstance(item, Clip)}


def test_lines_move_with_their_shots_and_leave_with_them():
    # the editor cut shot 2 and trimmed shot 1 to 40 frames
    after = cut(Track("V", "video", (shot(1, 40), shot(3, 48))))
    music = Asset(sha256="m" * 64, kind="audio", path="media/mm/m.wav", size=1, id=9)
    conformed, notes = follow_picture(BEFORE, keep_track_names(BEFORE, after), music, [])
    assert [t.name for t in conformed.tracks] == ["V1", "dialogue", "music"]
    assert starts(conformed.track("dialogue")) == {"Line 1": 12, "Line 3": 44}
    assert conformed.track("music").duration.value == 88  # the bed under the new picture
    assert "1 line(s) left out with their shots" in notes


def test_a_line_that_would_overlap_waits_for_the_one_before():
    # shot 1 trimmed to 20 frames: line 1 (12..42) now runs past line 3's new place (24)
    after = cut(Track("V1", "video", (shot(1, 20), shot(3, 48))))
    conformed, notes = follow_picture(BEFORE, after, None, [])
    assert starts(conformed.track("dialogue")) == {"Line 1": 12, "Line 3": 42}
    assert any("moved later" in note for note in notes)
