"""The OTIO cut: written, read back with OpenTimelineIO itself, frame-exact."""

from __future__ import annotations

from pathlib import Path

import opentimelineio as otio
import pytest

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track, Transition
from studio.timeline.otio import to_otio, write_otio


def t(frames: int, rate: int = 24) -> RationalTime:
    return RationalTime(frames, rate)


class Media:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, asset_id: int) -> Path:
        return self.folder / f"asset-{asset_id}.mp4"

    def kind(self, asset_id: int) -> str:
        return "video"


@pytest.fixture
def cut() -> Timeline:
    picture = Track(
        "V1",
        "video",
        (
            Clip("1A", TimeRange(t(4), t(48)), 11, take_id=101, shot_id=1, media_duration=t(72)),
            Transition("dissolve", t(6), t(6)),
            Clip("1B", TimeRange(t(0), t(30)), 12, take_id=102, shot_id=2, media_duration=t(30)),
            Gap(t(12)),
            Clip("2A", TimeRange(t(10), t(25)), 13, take_id=103, shot_id=3),
        ),
    )
    dialogue = Track(
        "dialogue",
        "dialogue",
        (Gap(t(10)), Clip("ANA: Hello", TimeRange(t(0), t(40)), 21, take_id=201, line_id=7)),
    )
    return Timeline("The Lighthouse", 24, (picture, dialogue))


RECIPES = {101: {"backend": "camera", "seed": 3, "movement": "push_in"}, 201: {"backend": "piper"}}


def test_structure_kinds_and_metadata(cut: Timeline, tmp_path: Path) -> None:
    made = to_otio(cut, Media(tmp_path), RECIPES)
    video, audio = made.tracks
    assert video.kind == otio.schema.TrackKind.Video and audio.kind == otio.schema.TrackKind.Audio
    first = video[0]
    assert first.media_reference.target_url == (tmp_path / "asset-11.mp4").resolve().as_uri()
    assert first.media_reference.available_range.duration == otio.opentime.RationalTime(72, 24)
    assert first.metadata["microfilm"]["recipe"]["movement"] == "push_in"
    assert video[1].transition_type == otio.schema.TransitionTypes.SMPTE_Dissolve
    assert video[4].media_reference.available_range is None  # no media duration known


def test_file_round_trip_is_frame_exact(cut: Timeline, tmp_path: Path) -> None:
    path = write_otio(cut, Media(tmp_path), RECIPES, tmp_path / "cut.otio")
    back = otio.adapters.read_from_file(str(path))
    assert back.name == "The Lighthouse"
    video, audio = back.tracks
    names = [c.name for c in video.find_clips()]
    assert names == ["1A", "1B", "2A"]
    assert (
        len(video) == 5 and len(list(video.find_children(descended_from_type=otio.schema.Gap))) == 1
    )
    assert len(list(video.find_children(descended_from_type=otio.schema.Transition))) == 1
    assert video.duration() == otio.opentime.RationalTime(48 + 30 + 12 + 25, 24)
    assert audio.duration() == otio.opentime.RationalTime(50, 24)
    assert back.duration().to_frames() == cut.duration.value
    first = video[0]
    assert first.source_range.start_time.to_frames() == 4
    assert video[1].in_offset.to_frames() == 6
    meta = first.metadata["microfilm"]
    assert (meta["take_id"], meta["shot_id"], meta["asset_id"]) == (101, 1, 11)
    assert meta["recipe"]["seed"] == 3
    line = audio[1].metadata["microfilm"]
    assert line["line_id"] == 7 and line["recipe"] == {"backend": "piper"}


def test_string_round_trip(cut: Timeline, tmp_path: Path) -> None:
    text = otio.adapters.write_to_string(to_otio(cut, Media(tmp_path), RECIPES))
    back = otio.adapters.read_from_string(text)
    again = otio.adapters.write_to_string(back)
    assert again == text
    assert [c.name for c in back.find_clips()] == ["1A", "1B", "2A", "ANA: Hello"]


def test_rates_are_kept(tmp_path: Path) -> None:
    rate = 30
    tl = Timeline(
        "30", rate, (Track("V1", "video", (Clip("a", TimeRange(t(0, 30), t(45, 30)), 1),)),)
    )
    back = otio.adapters.read_from_string(
        otio.adapters.write_to_string(to_otio(tl, Media(tmp_path), {}))
    )
    clip = back.find_clips()[0]
    assert clip.source_range.duration == otio.opentime.RationalTime(45, 30)
