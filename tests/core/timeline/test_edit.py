"""Pure timeline edits: each returns a new track, durations add up, transitions stay valid."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Track, Transition
from studio.timeline import edit

R = 24


def t(frames: int) -> RationalTime:
    return RationalTime(frames, R)


def clip(name: str, start: int, length: int, media: int | None = 100, asset: int = 1) -> Clip:
    return Clip(
        name,
        TimeRange(t(start), t(length)),
        asset_id=asset,
        media_duration=t(media) if media is not None else None,
    )


def frames_of(track: Track) -> list[tuple]:
    """What plays on every frame: (asset, source frame) for a clip, None for a gap."""
    out: list[tuple | None] = []
    for item in track.items:
        if isinstance(item, Clip):
            start = item.source_range.start.value
            out += [(item.asset_id, start + k) for k in range(item.duration.value)]
        elif isinstance(item, Gap):
            out += [None] * item.duration.value
    return out


def lengths(track: Track) -> list[int]:
    return [i.duration.value for i in track.items if not isinstance(i, Transition)]


@pytest.fixture
def abc() -> Track:
    return Track(
        "V1",
        items=(clip("a", 0, 10, asset=1), clip("b", 5, 20, asset=2), clip("c", 0, 30, asset=3)),
    )


def test_item_at_finds_the_item_and_its_range(abc: Track) -> None:
    index, where = edit.item_at(abc, t(12))
    assert index == 1 and where == TimeRange(t(10), t(20))
    assert edit.item_at(abc, t(0))[0] == 0 and edit.item_at(abc, t(59))[0] == 2
    with pytest.raises(ValueError, match="nothing plays at frame 60"):
        edit.item_at(abc, t(60))


def test_snap_picks_the_nearest_candidate_within_tolerance(abc: Track) -> None:
    points = edit.cut_points(abc)
    assert [p.value for p in points] == [0, 10, 30, 60]
    assert edit.snap(t(28), points, 3) == t(30)
    assert edit.snap(t(26), points, 3) == t(26)
    assert edit.snap(t(11), points, 3).value == 10


def test_insert_ripples_later_items_and_splits_under_it(abc: Track) -> None:
    new = edit.insert(abc, t(15), clip("x", 0, 4, asset=9))
    assert abc.duration.value == 60  # the input is untouched
    assert new.duration.value == 64
    assert lengths(new) == [10, 5, 4, 15, 30]
    assert frames_of(new)[15:19] == [(9, k) for k in range(4)]
    assert frames_of(new)[19] == (2, 10)  # b resumes where it was cut


def test_insert_past_the_end_pads_with_a_gap(abc: Track) -> None:
    new = edit.insert(abc, t(70), clip("x", 0, 4, asset=9))
    assert isinstance(new.items[3], Gap) and new.items[3].duration.value == 10
    assert new.duration.value == 74


def test_overwrite_replaces_what_lies_under_it(abc: Track) -> None:
    new = edit.overwrite(abc, t(8), clip("x", 0, 12, asset=9))
    assert new.duration.value == 60
    assert lengths(new) == [8, 12, 10, 30]
    assert frames_of(new)[20] == (2, 15)


def test_overwrite_drops_transitions_it_covers() -> None:
    track = Track(
        "V1", items=(clip("a", 0, 10), Transition("dissolve", t(2), t(2)), clip("b", 0, 10))
    )
    new = edit.overwrite(track, t(8), clip("x", 0, 4, asset=9))
    assert not any(isinstance(i, Transition) for i in new.items)
    assert new.duration.value == 20


def test_split_makes_two_clips_at_a_frame(abc: Track) -> None:
    new = edit.split(abc, t(15))
    assert lengths(new) == [10, 5, 15, 30]
    assert (
        new.items[1].source_range.start.value == 5 and new.items[2].source_range.start.value == 10
    )
    assert frames_of(new) == frames_of(abc)
    assert edit.split(abc, t(10)) == abc  # at a cut: nothing to split


def test_trim_end_ripple_and_media_bound(abc: Track) -> None:
    new = edit.trim_end(abc, 0, t(5))
    assert lengths(new) == [15, 20, 30]
    assert new.duration.value == 65
    with pytest.raises(ValueError, match="past the end of its media"):
        edit.trim_end(abc, 0, t(91))
    with pytest.raises(ValueError, match="at least one frame"):
        edit.trim_end(abc, 0, t(-10))


def test_trim_end_without_ripple_keeps_positions(abc: Track) -> None:
    shorter = edit.trim_end(abc, 0, t(-4), ripple=False)
    assert lengths(shorter) == [6, 4, 20, 30] and isinstance(shorter.items[1], Gap)
    longer = edit.trim_end(abc, 0, t(3), ripple=False)
    assert lengths(longer) == [13, 17, 30]
    assert longer.items[1].source_range.start.value == 8  # b gave up its first 3 frames
    assert frames_of(longer)[13:] == frames_of(abc)[13:]


def test_trim_start_ripple_and_bounds(abc: Track) -> None:
    new = edit.trim_start(abc, 1, t(3))
    assert lengths(new) == [10, 17, 30]
    assert new.items[1].source_range.start.value == 8
    with pytest.raises(ValueError, match="before its media"):
        edit.trim_start(abc, 1, t(-6))
    unknown = Track("V1", items=(clip("a", 0, 10, media=None),))
    assert lengths(edit.trim_end(unknown, 0, t(500))) == [510]


def test_trim_start_without_ripple_opens_a_gap_or_eats_the_neighbour(abc: Track) -> None:
    new = edit.trim_start(abc, 1, t(3), ripple=False)
    assert lengths(new) == [10, 3, 17, 30] and new.duration == abc.duration
    grown = edit.trim_start(abc, 1, t(-2), ripple=False)
    assert lengths(grown) == [8, 22, 30]
    with pytest.raises(ValueError, match="no room before"):
        edit.trim_start(Track("V", items=(clip("a", 5, 10),)), 0, t(-2), ripple=False)


def test_ripple_delete_and_lift(abc: Track) -> None:
    deleted = edit.ripple_delete(abc, 1)
    assert lengths(deleted) == [10, 30] and deleted.duration.value == 40
    lifted = edit.lift(abc, 1)
    assert lengths(lifted) == [10, 20, 30] and isinstance(lifted.items[1], Gap)
    assert lifted.duration == abc.duration


def test_a_transition_goes_with_its_neighbour() -> None:
    track = Track(
        "V1",
        items=(
            clip("a", 0, 10),
            Transition("dissolve", t(3), t(3)),
            clip("b", 10, 10),
            clip("c", 0, 5),
        ),
    )
    assert not any(isinstance(i, Transition) for i in edit.ripple_delete(track, 2).items)
    assert not any(isinstance(i, Transition) for i in edit.lift(track, 0).items)
    kept = edit.ripple_delete(track, 3)
    assert isinstance(kept.items[1], Transition)


def test_transition_offsets_are_clamped_when_a_neighbour_shrinks() -> None:
    track = Track(
        "V1", items=(clip("a", 0, 10), Transition("dissolve", t(4), t(4)), clip("b", 10, 10))
    )
    new = edit.trim_start(track, 2, t(8))
    transition = new.items[1]
    assert transition.out_offset.value == 2 and transition.in_offset.value == 4


def test_move_lifts_and_overwrites(abc: Track) -> None:
    new = edit.move(abc, 0, t(40))
    assert isinstance(new.items[0], Gap)
    assert frames_of(new)[40:50] == [(1, k) for k in range(10)]
    assert new.duration == abc.duration


def test_slip_changes_source_not_place(abc: Track) -> None:
    new = edit.slip(abc, 1, t(10))
    assert new.items[1].source_range.start.value == 15 and lengths(new) == lengths(abc)
    with pytest.raises(ValueError, match="past the end of its media"):
        edit.slip(abc, 1, t(76))
    with pytest.raises(ValueError, match="before its media"):
        edit.slip(abc, 1, t(-6))
    with pytest.raises(ValueError, match="is a Gap, not a clip"):
        edit.slip(Track("V", items=(Gap(t(3)),)), 0, t(1))


def test_join_undoes_split_and_refuses_unrelated_clips(abc: Track) -> None:
    assert edit.join(edit.split(abc, t(20)), 1) == abc
    with pytest.raises(ValueError, match="not contiguous"):
        edit.join(abc, 0)


# --------------------------------------------------------------------------- properties

clips = st.lists(
    st.builds(
        lambda start, length, asset: clip(f"c{asset}", start, length, media=None, asset=asset),
        st.integers(0, 50),
        st.integers(1, 40),
        st.integers(1, 5),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(clips, st.integers(0, 300))
def test_split_then_join_gives_back_the_same_frames(items: list[Clip], at: int) -> None:
    track = Track("V1", items=tuple(items))
    at = at % track.duration.value
    cut = edit.split(track, t(at))
    assert frames_of(cut) == frames_of(track)
    if len(cut.items) > len(track.items):
        index, _ = edit.item_at(cut, t(at))
        assert frames_of(edit.join(cut, index - 1)) == frames_of(track)


@settings(max_examples=60, deadline=None)
@given(clips, st.integers(0, 300), st.integers(1, 30))
def test_durations_add_up(items: list[Clip], at: int, length: int) -> None:
    track = Track("V1", items=tuple(items))
    new_clip = clip("n", 0, length, media=None, asset=99)
    total = track.duration.value
    assert edit.insert(track, t(at), new_clip).duration.value == max(total, at) + length
    assert edit.overwrite(track, t(at), new_clip).duration.value == max(total, at + length)
    index = at % len(items)
    assert edit.ripple_delete(track, index).duration.value == total - items[index].duration.value
    assert edit.lift(track, index).duration.value == total
    assert sum(lengths(edit.split(track, t(at % total)))) == total
