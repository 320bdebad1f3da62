"""The exported film and animatic as a web player or an editing suite reads them: the index
before the media, BT.709 tags, and a keyframe at every cut of an edited cut (a trim, a dissolve,
fades from and to black) and at least every 2 s. The cut's edit points are read from the
exported OTIO file by OpenTimelineIO, the film by PyAV and a box walk (`tests/film_file.py`)."""

from __future__ import annotations

import opentimelineio as otio
import pytest

from studio.services import generation, script, timeline
from studio.services.export import export_film
from studio.services.export_options import ExportOptions
from studio.services.project import new_project
from tests.film_file import colour_tags, keyframe_seconds, top_level, video_colr

SCRIPT = """Title: Three Lamps

EXT. QUAY - NIGHT

Rain on the stones. A lamp swings on its hook above the black water, back and forth.

CLOSE ON the rope, fraying.

DISSOLVE TO:

INT. WORKSHOP - NIGHT

Eli lights a small lamp.

FADE OUT.
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("film-file")
    source = root / "three-lamps.fountain"
    source.write_text(SCRIPT, encoding="utf-8")
    with new_project(root / "project", name="Three Lamps") as project:
        script.import_script(project, source)
        generation.queue_keyframes(project, width=320, height=180)
        generation.run_queue(project, "inline")
        cut = timeline.assemble(project)
        shots = [i for i, item in enumerate(cut.track("V1").items) if getattr(item, "shot_id", 0)]
        timeline.trim(project, "V1", shots[1], start_delta=5, end_delta=-7)  # an edited cut
        options = ExportOptions(
            preset="draft", subtitles="none", storyboard=False, animatic=True, cut_formats=("otio",)
        )
        report = export_film(project, root / "out", options)
    return report


def edit_points(path) -> list[float]:
    """Where each item of the cut's first video track starts, in seconds, as OTIO reads it."""
    cut = otio.adapters.read_from_file(str(path))
    track = cut.video_tracks()[0]
    return [
        track.range_of_child_at_index(index).start_time.to_seconds()
        for index, item in enumerate(track)
        if isinstance(item, otio.schema.Clip | otio.schema.Gap)
    ]


@pytest.mark.parametrize("name", ["film", "animatic"])
def test_the_film_and_the_animatic_stream_and_say_their_colours(exported, name) -> None:
    path = exported.files[name]
    kinds = top_level(path)
    assert kinds.index(b"moov") < kinds.index(b"mdat")
    assert colour_tags(path) == ("BT709", "BT709", "ITU709", "MPEG")
    box = video_colr(path)
    assert box is not None and (box.primaries, box.transfer, box.matrix) == (1, 1, 1)
    assert box.full_range is False


@pytest.mark.parametrize("name", ["film", "animatic"])
def test_a_keyframe_at_every_cut_and_at_least_every_two_seconds(exported, name) -> None:
    keys = keyframe_seconds(exported.files[name])
    points = edit_points(exported.files["otio"])
    assert len(points) >= 5  # the title card, the shots and what the trim left
    key_frames = {round(t * 24) for t in keys}
    assert {round(t * 24) for t in points} <= key_frames
    film_end = exported.duration_seconds
    assert max(b - a for a, b in zip(keys, [*keys[1:], film_end], strict=True)) <= 2.0 + 1e-9
