"""End to end: a short script through keyframes, clips, dubbing, assembly and export, checked by
decoding what was written."""

from fractions import Fraction

import opentimelineio as otio
import pytest

from studio.domain.timeline import Clip
from studio.media.decode import probe
from studio.services import dubbing, generation, script, timeline
from studio.services.export import dialogue_placements, export_film
from studio.services.export_options import ExportOptions
from studio.services.project import new_project
from tests.speech import loudness_ms, onset_near

SCRIPT = """Title: Two Lamps

EXT. QUAY - NIGHT

Rain on the stones. A lamp swings.

NORA
Did you bring the key?

ELI
It was never locked.

DISSOLVE TO:

INT. WORKSHOP - NIGHT

Eli lights a small lamp.

NORA
Then why did we wait all winter?
"""


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    source = root / "two-lamps.fountain"
    source.write_text(SCRIPT)
    project = new_project(root / "project", name="Two Lamps")
    script.import_script(project, source)
    generation.queue_keyframes(project)
    generation.run_queue(project, "inline")
    generation.queue_clips(project, shots="1-2")  # the rest are animated from their keyframes
    generation.run_queue(project, "inline")
    dubbing.queue_dub(project)
    generation.run_queue(project, "inline")
    cut = timeline.assemble(project)
    report = export_film(project, root / "out", ExportOptions(preset="720p", subtitles="sidecar"))
    yield project, cut, report
    project.close()


def test_the_film_has_the_timelines_duration_size_fps_and_codecs(exported):
    _, cut, report = exported
    info = probe(report.files["film"])
    assert cut.track("V1").items[1].name == "Title"  # the title card is an item of the cut
    assert abs(info.frames - cut.duration.value) <= 1  # and the export adds nothing to it
    assert (info.width, info.height, info.fps) == (1280, 720, Fraction(24))
    assert (info.codec, info.pix_fmt, info.audio_codec) == ("h264", "yuv420p", "aac")
    assert info.audio_rate == 48000 and info.audio_channels == 2
    assert report.mix["integrated_lufs"] == pytest.approx(-16.0, abs=0.5)


def test_the_film_the_subtitles_and_the_cut_file_share_the_cut_s_length(exported):
    """Read back by PyAV and OpenTimelineIO themselves, not by the studio's own readers."""
    import av
    import srt

    _, cut, report = exported
    with av.open(str(report.files["film"])) as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert abs(frames - cut.duration.value) <= 1
    loaded = otio.adapters.read_from_file(str(report.files["otio"]))
    assert round(loaded.duration().value) == cut.duration.value
    cues = list(srt.parse(report.files["srt"].read_text()))
    assert cues[-1].end.total_seconds() <= frames / 24


def test_each_line_starts_speaking_within_a_frame_of_its_place(exported):
    project, cut, report = exported
    loud = loudness_ms(report.files["film"])
    places = dialogue_placements(project.store, cut)  # the title card is counted in the places
    assert len(places) == 3
    for place in places:
        expected = int(place["start"] * 1000)
        onset = onset_near(loud, expected)
        assert onset is not None, place["text"]
        assert abs(onset - expected) <= 1000 / 24, (place["text"], onset, expected)


def test_the_otio_cut_has_the_same_clips_and_durations(exported):
    _, cut, report = exported
    loaded = otio.adapters.read_from_file(str(report.files["otio"]))
    video = [t for t in loaded.tracks if t.kind == otio.schema.TrackKind.Video][0]
    ours = [i for i in cut.track("V1").items if isinstance(i, Clip)]
    theirs = [c for c in video if isinstance(c, otio.schema.Clip)]
    assert [c.name for c in theirs] == [c.name for c in ours]
    assert [c.source_range.duration.value for c in theirs] == [c.duration.value for c in ours]
    first = theirs[1].metadata["microfilm"]  # shot 1, after the title card
    assert first["take_id"] == ours[1].take_id and first["recipe"]["backend"] == "camera"
    assert loaded.name == "Two Lamps"  # the sequence an editing suite lists is the film's
    assert report.files["edl"].read_text().startswith("TITLE: Two Lamps\n")


def test_the_storyboard_has_one_panel_per_shot(exported):
    from pypdf import PdfReader

    project, _, report = exported
    text = "\n".join(page.extract_text() for page in PdfReader(report.files["storyboard"]).pages)
    shots = project.store.shots.in_order()
    for shot in shots:
        assert f"SHOT {shot.number}" in text or f"\n{shot.number}\n" in text


def test_subtitles_follow_the_dialogue(exported):
    import srt

    project, cut, report = exported
    cues = list(srt.parse(report.files["srt"].read_text()))
    assert [c.content.replace("\n", " ") for c in cues] == [
        "Did you bring the key?",
        "It was never locked.",
        "Then why did we wait all winter?",
    ]
    first = dialogue_placements(project.store, cut)[0]
    assert first["start"] > 3.0  # after the title card, which the film and the cut share
    assert cues[0].start.total_seconds() == pytest.approx(first["start"], abs=0.05)
