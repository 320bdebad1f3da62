"""Derived things know their sources; a pick carries through to the clip and the cut follows,
keeping the editor's work."""

from dataclasses import replace

import pytest

from studio.domain.entities import TakeKind
from studio.domain.timeline import Clip, Timeline
from studio.services import freshness, timeline
from studio.services.generation import (
    pick_take,
    queue_clips,
    queue_keyframes,
    run_queue,
)
from studio.services.project import change_settings


@pytest.fixture
def animated(scripted):
    """The dunes with two keyframe takes and one clip per shot, at a tiny size, and a cut."""
    store = scripted.store
    settings = replace(store.settings(), width=64, height=36)
    store.project_repo.set_fields(store.project().id, settings=settings)
    queue_keyframes(scripted, takes=2)
    run_queue(scripted, executor="inline")
    queue_clips(scripted)
    run_queue(scripted, executor="inline")
    timeline.assemble(scripted)
    return scripted


def _pictures(cut: Timeline) -> dict[int, Clip]:
    return {c.shot_id: c for c in cut.track("V1").items if isinstance(c, Clip)}


def _other_keyframe(store, shot):
    takes = store.takes.of_owner(TakeKind.KEYFRAME, shot.id)
    return next(t for t in takes if t.id != shot.active_keyframe_take_id)


def test_a_clip_records_its_keyframe_and_camera(animated):
    store = animated.store
    shot = store.shots.in_order()[0]
    clip = store.takes.get(shot.active_clip_take_id)
    sources = clip.recipe["sources"]
    assert sources["keyframe_take_id"] == shot.active_keyframe_take_id
    assert sources["camera"]["movement"] == shot.movement.value
    assert set(freshness.clip_status(store).values()) == {True}
    assert freshness.cut_status(store).behind == []


def test_a_pick_carries_through_to_the_cut_and_the_update_keeps_the_edits(animated):
    store = animated.store
    first, second = store.shots.in_order()[:2]
    old_clip = first.active_clip_take_id
    # the editor trims the second shot's end and the first shot's head
    timeline.trim(animated, "V1", _index(store, second.id), end_delta=-5)
    timeline.trim(animated, "V1", _index(store, first.id), start_delta=3)
    edited = _pictures(timeline.load_timeline(store))

    picked_before = first.active_keyframe_take_id
    picked = _other_keyframe(store, first)
    pick_take(animated, picked.id)
    first = store.shots.get(first.id)
    assert freshness.clip_status(store)[first.id] is False  # made from the old keyframe
    assert freshness.cut_status(store).clips_out_of_date == [first.number]
    queued = [j for j in store.jobs.all() if j.kind is TakeKind.CLIP and j.state == "queued"]
    assert len(queued) == 1 and queued[0].owner_id == first.id
    old_request = store.takes.get(old_clip).recipe["request"]
    assert queued[0].request == {**old_request, "source_keyframe": _sha(store, picked.asset_id)}
    assert freshness.cut_status(store).behind == []  # the cut still shows the active clip

    run_queue(animated, executor="inline")
    first = store.shots.get(first.id)
    assert first.active_clip_take_id not in (None, old_clip)  # the new clip became active
    assert freshness.clip_status(store)[first.id] is True
    status = freshness.cut_status(store)
    assert [b.number for b in status.behind] == [first.number]
    assert status.to_json()["reasons"][first.number][0].startswith("picture: clip take")

    cut, updated = freshness.update_cut(animated)
    assert [b.number for b in updated] == [first.number]
    now = _pictures(cut)
    assert now[first.id].take_id == first.active_clip_take_id
    assert now[first.id].source_range == edited[first.id].source_range  # its trim is kept
    assert now[second.id] == edited[second.id]  # the trim elsewhere survives
    assert freshness.cut_status(store).behind == []

    animated.history.undo()
    assert _pictures(timeline.load_timeline(store))[first.id].take_id == old_clip

    # picking the first keyframe back brings its clip back (the identical request is reused)
    pick_take(animated, picked_before)
    run_queue(animated, executor="inline")
    assert store.shots.get(first.id).active_clip_take_id == old_clip


def test_a_longer_shot_keeps_its_trim_and_moves_nothing_else(animated):
    store = animated.store
    first, second = store.shots.in_order()[:2]
    timeline.trim(animated, "V1", _index(store, first.id), end_delta=-4)
    before = _pictures(timeline.load_timeline(store))
    store.shots.set_fields(first.id, duration=replace(first.duration, value=84))  # 72 → 84
    status = freshness.cut_status(store)
    assert status.to_json()["reasons"][first.number] == ["length: 72 → 84 frames"]
    cut, _ = freshness.update_cut(animated)
    after = _pictures(cut)
    assert after[first.id].duration.value == before[first.id].duration.value + 12
    assert after[second.id] == before[second.id]


def test_picks_can_leave_the_clips_alone(animated):
    store = animated.store
    change_settings(animated, clips_follow_picks=False)
    shot = store.shots.in_order()[0]
    pick_take(animated, _other_keyframe(store, shot).id)
    assert not [j for j in store.jobs.all() if j.state == "queued"]
    assert freshness.clip_status(store)[shot.id] is False


def test_a_voice_take_is_out_of_date_when_its_line_changes(scripted):
    from studio.services import dubbing
    from studio.services.generation import run_queue as run

    store = scripted.store
    dubbing.queue_dub(scripted)
    run(scripted, executor="inline")
    assert freshness.voices_out_of_date(store) == []
    line = store.lines.in_order()[0]
    store.lines.set_fields(line.id, text="Keep running.")
    assert freshness.voices_out_of_date(store) == [line.id]


def _index(store, shot_id: int) -> int:
    track = timeline.load_timeline(store).track("V1")
    return next(i for i, c in enumerate(track.items) if getattr(c, "shot_id", None) == shot_id)


def _sha(store, asset_id: int) -> str:
    return store.assets.get(asset_id).sha256
