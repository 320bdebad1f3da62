"""Linked sound: edits of the picture carry the dialogue linked to it, and say what they cut."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, LineLink, Timeline, Track, TrackKind
from studio.timeline import edit
from studio.timeline.linked import edit_picture, sync_offsets, unlink

R = 24


def t(frames: int) -> RationalTime:
    return RationalTime(frames, R)


def shot(number: int, length: int, handles: int = 12) -> Clip:
    return Clip(
        f"Shot {number}",
        TimeRange(t(handles), t(length)),
        asset_id=number,
        shot_id=number,
        media_duration=t(length + 2 * handles),
    )


def line(number: int, shot_id: int, length: int) -> Clip:
    return Clip(
        f"Line {number}",
        TimeRange(t(0), t(length)),
        asset_id=100 + number,
        shot_id=shot_id,
        line_id=number,
        media_duration=t(length),
    )


def cut() -> Timeline:
    """Three shots of 48 frames; one line 10 frames into each (20 frames long), one at 30 in 2."""
    picture = Track("V1", TrackKind.VIDEO, (shot(1, 48), shot(2, 48), shot(3, 48)))
    dialogue = Track(
        "dialogue",
        TrackKind.DIALOGUE,
        (
            Gap(t(10)),
            line(1, 1, 20),
            Gap(t(28)),
            line(2, 2, 15),
            Gap(t(5)),
            line(3, 2, 10),
            Gap(t(18)),
            line(4, 3, 20),
        ),
    )
    music = Track("music", TrackKind.MUSIC, (Clip("Music", TimeRange(t(0), t(144)), asset_id=9),))
    stored = Timeline("main", R, (picture, dialogue, music)).to_json()
    stored["schema"] = "Timeline.1"  # as the studio stored it before lines had links
    for item in stored["tracks"][1]["items"]:
        item.pop("link", None)
    return Timeline.from_json(json.loads(json.dumps(stored)))


def starts(timeline: Timeline, track: str = "dialogue") -> dict[str, tuple[int, int]]:
    """Each clip's (start, length) on the track by name."""
    return {
        item.name: (span.start.value, span.duration.value)
        for item, span in timeline.track(track).spans()
        if isinstance(item, Clip)
    }


def picture_edit(timeline: Timeline, change):
    return edit_picture(timeline, "V1", change)


def test_an_older_timeline_links_its_lines_where_they_lie() -> None:
    timeline = cut()
    lines = [i for i in timeline.track("dialogue").items if isinstance(i, Clip)]
    assert [i.link for i in lines] == [
        LineLink(1, 22),  # 10 frames into shot 1, whose media starts at frame 12
        LineLink(2, 22),
        LineLink(2, 42),
        LineLink(3, 22),
    ]
    assert set(sync_offsets(timeline, "dialogue").values()) == {0}
    again = Timeline.from_json(timeline.to_json())
    assert again.to_json()["schema"] == "Timeline.2"
    assert [i.link for i in again.track("dialogue").items if isinstance(i, Clip)] == [
        i.link for i in lines
    ]


def test_trimming_a_shot_s_end_moves_every_later_line_with_its_picture() -> None:
    before = starts(cut())
    result = picture_edit(cut(), lambda track: edit.trim_end(track, 0, -18))
    after = starts(result.timeline)
    assert after["Line 1"] == before["Line 1"]  # inside what is left of shot 1
    for name in ("Line 2", "Line 3", "Line 4"):
        assert after[name] == (before[name][0] - 18, before[name][1])
    assert starts(result.timeline, "music") == starts(cut(), "music")  # film time
    assert result.lines == ()
    assert set(sync_offsets(result.timeline, "dialogue").values()) == {0}


def test_trimming_into_a_line_trims_it_too_and_says_so() -> None:
    result = picture_edit(cut(), lambda track: edit.trim_start(track, 1, 35))  # into line 3
    after = starts(result.timeline)
    assert "Line 2" not in after  # its whole picture went
    assert after["Line 3"] == (48, 5)  # its last 5 frames, at the shot's new start
    assert after["Line 4"] == (48 + 13 + 10, 20)
    changes = {c.name: (c.change, c.frames) for c in result.lines}
    assert changes == {"Line 2": ("removed", 15), "Line 3": ("trimmed", 5)}
    assert "no longer in the cut" in result.lines[0].describe()
    trimmed = next(i for i in result.timeline.track("dialogue").items if i.name == "Line 3")
    assert trimmed.source_range.start.value == 5  # it still starts in sync with its picture
    assert set(sync_offsets(result.timeline, "dialogue").values()) == {0}


def test_a_ripple_delete_removes_the_shot_s_lines_and_closes_up_the_rest() -> None:
    result = picture_edit(cut(), lambda track: edit.ripple_delete(track, 1))
    after = starts(result.timeline)
    assert set(after) == {"Line 1", "Line 4"}
    assert after["Line 4"] == (48 + 10, 20)
    assert [c.change for c in result.lines] == ["removed", "removed"]


def test_a_slip_moves_the_lines_with_the_picture_s_content() -> None:
    result = picture_edit(cut(), lambda track: edit.slip(track, 2, 6))
    assert starts(result.timeline)["Line 4"] == (96 + 10 - 6, 20)
    assert set(sync_offsets(result.timeline, "dialogue").values()) == {0}


def test_a_split_moves_nothing_and_a_move_takes_the_lines_along() -> None:
    split = picture_edit(cut(), lambda track: edit.split(track, t(60)))
    assert starts(split.timeline) == starts(cut()) and split.lines == ()
    moved = picture_edit(cut(), lambda track: edit.move(track, 0, t(144)))
    assert starts(moved.timeline)["Line 1"] == (144 + 10, 20)
    assert starts(moved.timeline)["Line 4"] == starts(cut())["Line 4"]


def test_a_line_moved_away_shows_its_offset_and_keeps_it_through_edits() -> None:
    timeline = cut()
    moved = edit.with_track(
        timeline, "dialogue", edit.move(timeline.track("dialogue"), 7, t(96 + 14))
    )
    assert sync_offsets(moved, "dialogue")[7] == 4
    trimmed = picture_edit(moved, lambda track: edit.trim_end(track, 0, -6)).timeline
    assert starts(trimmed)["Line 4"] == (96 + 14 - 6, 20)
    assert sync_offsets(trimmed, "dialogue")[7] == 4


def test_an_unlinked_line_stays_in_film_time() -> None:
    timeline = unlink(cut(), "dialogue", [7])
    assert timeline.track("dialogue").items[7].link is None
    after = picture_edit(timeline, lambda track: edit.trim_end(track, 0, -18)).timeline
    assert starts(after)["Line 4"] == starts(cut())["Line 4"]
    assert starts(after)["Line 2"][0] == starts(cut())["Line 2"][0] - 18
    with pytest.raises(ValueError, match="not a linked line"):
        unlink(timeline, "dialogue", [0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["trim_start", "trim_end", "slip", "delete", "split"]),
            st.integers(0, 5),
            st.integers(-20, 20),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_after_any_picture_edits_every_line_left_is_in_sync(steps) -> None:
    timeline = cut()
    for name, index, amount in steps:
        picture = timeline.track("V1")
        if not picture.items:
            break
        index = index % len(picture.items)

        def change(track: Track, name=name, index=index, amount=amount) -> Track:
            if name == "trim_start":
                return edit.trim_start(track, index, amount)
            if name == "trim_end":
                return edit.trim_end(track, index, amount)
            if name == "slip":
                return edit.slip(track, index, amount)
            if name == "delete":
                return edit.ripple_delete(track, index)
            return edit.split(track, t(max(1, index * 20 + amount)))

        try:
            result = picture_edit(timeline, change)
        except ValueError:
            continue  # an edit the media does not allow
        timeline = result.timeline
        lines = [i for i in timeline.track("dialogue").items if isinstance(i, Clip)]
        assert all(i.duration.value > 0 for i in lines)
    assert set(sync_offsets(timeline, "dialogue").values()) <= {0}
