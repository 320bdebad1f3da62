"""Clip.3 records the length the assembly gave a clip; older cuts still load."""

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, Track


def _cut(clip: Clip) -> Timeline:
    return Timeline("main", 24, (Track("V1", items=(clip,)),))


def test_a_clip_keeps_its_assembled_length_and_a_clip_2_reads_without_one():
    clip = Clip(
        "Shot 1",
        TimeRange(RationalTime(12, 24), RationalTime(60, 24)),
        asset_id=3,
        take_id=4,
        shot_id=1,
        assembled_duration=RationalTime(72, 24),
    )
    stored = _cut(clip).to_json()
    item = stored["tracks"][0]["items"][0]
    assert item["schema"] == "Clip.3"
    back = Timeline.from_json(stored).tracks[0].items[0]
    assert back.assembled_duration == RationalTime(72, 24)
    older = {k: v for k, v in item.items() if k != "assembled_duration"}
    stored["tracks"][0]["items"][0] = {**older, "schema": "Clip.2"}
    upgraded = Timeline.from_json(stored).tracks[0].items[0]
    assert upgraded.assembled_duration is None and upgraded == back
