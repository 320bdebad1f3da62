"""A still's camera move as typed data on its clip: stored, upgraded from the old form, exported,
and seeded as the shot's first clip take is."""

from __future__ import annotations

import numpy as np
import pytest

from studio.domain.camera import CameraMove
from studio.domain.entities import Move
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, Track
from studio.errors import InvalidInput
from studio.media.decode import encode_png
from studio.services import timeline
from studio.services.generation import clip_request, import_takes
from studio.services.script import import_script
from studio.timeline.otio import to_otio
from studio.timeline.otio_import import from_otio

OLD_MOVE = {"movement": "tracking", "motion": 1.0, "seed": 1026, "handles": 6}


def t(frames: int) -> RationalTime:
    return RationalTime(frames, 24)


def stored_before_the_move_had_a_field() -> dict:
    """A timeline as versions before Clip.2 wrote it: the move in metadata["move"]."""
    clip = {
        "schema": "Clip.1",
        "name": "Shot 1",
        "source_range": TimeRange(t(6), t(48)).to_json(),
        "asset_id": 3,
        "take_id": 4,
        "shot_id": 1,
        "line_id": None,
        "media_duration": t(60).to_json(),
        "gain_db": 0.0,
        "fade_in": 0,
        "fade_out": 0,
        "metadata": {"shot_number": "1", "description": "Rain.", "move": OLD_MOVE},
    }
    track = {"schema": "Track.1", "name": "V1", "kind": "video", "items": [clip]}
    return {"schema": "Timeline.1", "name": "main", "rate": [24, 1], "tracks": [track]}


def test_an_older_stored_move_is_read_into_the_clip_s_field() -> None:
    clip = Timeline.from_json(stored_before_the_move_had_a_field()).tracks[0].items[0]
    assert clip.move == CameraMove(Move.TRACKING, 1.0, 1026, 6)
    assert clip.move.movement is Move.TRACKING
    assert clip.metadata == {"shot_number": "1", "description": "Rain."}


def test_the_new_form_is_written_and_reads_back_the_same() -> None:
    read = Timeline.from_json(stored_before_the_move_had_a_field())
    written = read.to_json()
    item = written["tracks"][0]["items"][0]
    assert item["schema"] == "Clip.3"
    assert item["move"] == OLD_MOVE and "move" not in item["metadata"]
    again = Timeline.from_json(written)
    assert again.tracks[0].items[0].move == read.tracks[0].items[0].move
    assert again.to_json() == written


def test_a_clip_without_a_move_stores_none() -> None:
    clip = Clip("Shot 2", TimeRange(t(0), t(24)), asset_id=5)
    data = Timeline("main", 24, (Track("V1", "video", (clip,)),)).to_json()
    assert data["tracks"][0]["items"][0]["move"] is None
    assert Timeline.from_json(data).tracks[0].items[0].move is None


def test_an_unknown_move_is_refused_by_name() -> None:
    data = stored_before_the_move_had_a_field()
    data["tracks"][0]["items"][0]["metadata"]["move"]["movement"] = "barrel_roll"
    with pytest.raises(InvalidInput, match="barrel_roll"):
        Timeline.from_json(data)
    with pytest.raises(InvalidInput, match="zoom"):
        CameraMove("zoom")


def test_the_otio_cut_carries_the_move_in_the_clip_metadata_as_before() -> None:
    """What the OTIO export writes is unchanged: the move sits in the clip's metadata; the import
    lifts it back into the field."""
    move = CameraMove(Move.PUSH_IN, 1.0, 7, 3)
    clip = Clip("Shot 1", TimeRange(t(3), t(10)), media_duration=t(16), move=move,
                metadata={"shot_number": "1"})  # fmt: skip
    cut = to_otio(Timeline("main", 24, (Track("V1", "video", (clip,)),)), None, {})
    written = dict(cut.tracks[0][0].metadata["microfilm"]["clip_metadata"])
    assert written == {"shot_number": "1", "move": move.to_json()}

    class NoMedia:
        def by_asset_id(self, asset_id: int) -> None:
            return None

        def by_path(self, path: object) -> None:
            return None

    back = from_otio(cut, NoMedia(), 24).timeline.tracks[0].items[0]
    assert back.move == move and back.metadata == {"shot_number": "1"}


def test_a_held_keyframe_moves_with_the_seed_of_the_shot_s_first_clip_take(project, tmp_path):
    script = tmp_path / "dunes.fountain"
    script.write_text("EXT. DUNES - DAY\n\nWind combs the sand.\n")
    import_script(project, script)
    still = tmp_path / "drawn.png"
    still.write_bytes(encode_png(np.full((36, 64, 3), 90, np.uint8)))
    import_takes(project, "1", [still])
    store = project.store
    shot = store.shots.by_number("1")
    assert shot.seed == 0  # no seed of its own: the one made from its id
    cut = timeline.assemble(project)
    held = next(i for i in cut.track("V1").items if isinstance(i, Clip) and i.shot_id == shot.id)
    first_take = clip_request(store, shot, take_index=0)
    assert held.move is not None
    assert held.move.seed == first_take.seed == shot.base_seed
    assert held.move.movement == first_take.movement
    assert held.move.handles == first_take.handles
