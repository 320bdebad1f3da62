"""Track and transition kinds are enums stored as their strings: old stored timelines load, the
JSON and the OTIO metadata keep the same strings, and an unknown kind is a clear error."""

from __future__ import annotations

import json
from pathlib import Path

import opentimelineio as otio
import pytest

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Track, TrackKind, Transition, TransitionKind
from studio.errors import InvalidInput, StudioError
from studio.timeline.otio import to_otio
from studio.timeline.otio_import import MediaMatch, from_otio

STORED = {  # a timeline as an earlier version stored it, kinds as plain strings
    "schema": "Timeline.1",
    "name": "main",
    "rate": [24, 1],
    "metadata": {},
    "tracks": [
        {
            "schema": "Track.1",
            "name": "V1",
            "kind": "video",
            "muted": False,
            "gain_db": 0.0,
            "items": [
                {"schema": "Gap.1", "name": "", "duration": {"value": 12, "rate": [24, 1]}},
                {
                    "schema": "Transition.1",
                    "kind": "dip_to_black",
                    "in_offset": {"value": 0, "rate": [24, 1]},
                    "out_offset": {"value": 0, "rate": [24, 1]},
                },
                {"schema": "Gap.1", "name": "", "duration": {"value": 12, "rate": [24, 1]}},
            ],
        },
        {"schema": "Track.1", "name": "fx", "kind": "sfx", "muted": True, "gain_db": -3.0,
         "items": []},
    ],
}  # fmt: skip


class Media:
    """A project where every asset is a file named by its id, found by its id."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, asset_id: int) -> Path:
        return self.folder / f"{asset_id}.png"

    def by_asset_id(self, asset_id: int) -> MediaMatch:
        return MediaMatch(asset_id)

    def by_path(self, path: Path) -> None:
        return None


def test_a_stored_timeline_loads_with_enum_kinds_and_stores_the_same_strings():
    timeline = Timeline.from_json(json.loads(json.dumps(STORED)))
    picture, effects = timeline.tracks
    assert picture.kind is TrackKind.VIDEO and effects.kind is TrackKind.SFX
    assert picture.items[1].kind is TransitionKind.DIP_TO_BLACK
    assert json.loads(json.dumps(timeline.to_json())) == {**STORED, "schema": "Timeline.2"}


def test_strings_given_at_construction_become_the_enums():
    assert Track("A1", "music").kind is TrackKind.MUSIC
    assert Transition("fade_to_black").kind is TransitionKind.FADE_TO_BLACK
    assert Track("V1").kind == "video" and Transition().kind == "dissolve"


@pytest.mark.parametrize(
    ("where", "value"),
    [(("tracks", 1, "kind"), "foley"), (("tracks", 0, "items", 1, "kind"), "wipe")],
)
def test_an_unknown_stored_kind_is_an_error_naming_it(where, value):
    data = json.loads(json.dumps(STORED))
    place = data
    for key in where[:-1]:
        place = place[key]
    place[where[-1]] = value
    with pytest.raises(InvalidInput, match=repr(value)) as refused:
        Timeline.from_json(data)
    assert isinstance(refused.value, StudioError) and "use one of" in str(refused.value)


def test_otio_metadata_keeps_the_strings_and_unknown_ones_fall_back_with_a_warning(tmp_path):
    shot = TimeRange(RationalTime(0), RationalTime(24))
    dip = Transition("dip_to_black", RationalTime(6), RationalTime(6))
    picture = Track("V1", "video", (Clip("a", shot, 1), dip, Clip("b", shot, 2)))
    timeline = Timeline("main", 24, (picture, Track("fx", "sfx", (Gap(RationalTime(48)),))))
    media = Media(tmp_path)
    cut = to_otio(timeline, media, {})
    assert [t.metadata["microfilm"]["kind"] for t in cut.tracks] == ["video", "sfx"]
    assert type(cut.tracks[1].metadata["microfilm"]["kind"]) is str
    assert cut.tracks[0][1].metadata["microfilm"] == {"kind": "dip_to_black"}
    back = from_otio(cut, media, 24).timeline
    assert [t.kind for t in back.tracks] == [TrackKind.VIDEO, TrackKind.SFX]
    assert back.tracks[0].items[1] == dip
    cut.tracks[1].metadata["microfilm"]["kind"] = "foley"
    cut.tracks[1].name = "A2"
    cut.tracks[0][1].metadata["microfilm"]["kind"] = "wipe"
    cut.tracks[0][1].name = "Wipe"
    cut.tracks[0][1].transition_type = otio.schema.TransitionTypes.Custom
    again = from_otio(cut, media, 24)
    assert again.timeline.tracks[1].kind is TrackKind.SFX
    assert again.timeline.tracks[0].items[1].kind is TransitionKind.DISSOLVE
    assert any("imported as sound effects" in w for w in again.warnings)
    assert any("imported as a dissolve" in w for w in again.warnings)
