"""The cut files checked by readers nobody here wrote: OpenTimelineIO's `otioconvert` (in a
subprocess), pycmx (CMX 3600 by its columns), a structural FCPXML check (Apple's DTD ships only
inside Final Cut) and the FCP 7 XML Premiere reads, on the demo film and on an edited cut
(a trim, a dissolve, fades in and out on sound, a louder effect, the music bed looping under
ducked dialogue)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import opentimelineio as otio
import pycmx
import pytest

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Timeline, TrackKind, Transition, TransitionKind
from studio.services.cut_import import StoreMediaIndex
from studio.services.timeline import load_timeline
from studio.store.media_lookup import StoreMedia
from studio.timeline.interchange import write_cuts
from studio.timeline.otio_import import from_otio, url_path
from tests.core.timeline.test_otio_import import built, folder, project  # noqa: F401 - fixtures

FORMATS = ("otio", "xml", "edl", "fcpxml")
OTIOCONVERT = Path(sys.executable).with_name("otioconvert")


def edited(cut: Timeline) -> Timeline:
    """The demo's cut as an editor leaves it: shot 2 trimmed by 10 frames, a 6+6 dissolve
    into shot 2, the first line faded in and out, the effect 4 dB up."""
    tracks = []
    for track in cut.tracks:
        items = list(track.items)
        if track.kind is TrackKind.VIDEO:
            at = next(i for i, c in enumerate(items) if getattr(c, "name", "") == "Shot 2")
            two = items[at]
            items[at] = replace(
                two,
                source_range=TimeRange(
                    two.source_range.start, RationalTime(two.duration.value - 10)
                ),
            )
            items.insert(at, Transition(TransitionKind.DISSOLVE, RationalTime(6), RationalTime(6)))
        if track.kind is TrackKind.DIALOGUE:
            at = next(i for i, c in enumerate(items) if isinstance(c, Clip))
            items[at] = replace(items[at], fade_in=4, fade_out=6)
        if track.kind is TrackKind.SFX:
            items = [replace(c, gain_db=4.0) if isinstance(c, Clip) else c for c in items]
        tracks.append(replace(track, items=tuple(items)))
    return replace(cut, tracks=tuple(tracks))


@pytest.fixture(params=["demo", "edited"])
def cut(request, project):  # noqa: F811
    ours = load_timeline(project.store)
    return ours if request.param == "demo" else edited(ours)


@pytest.fixture
def files(project, cut, tmp_path):  # noqa: F811
    return write_cuts(cut, StoreMedia(project.store), {}, tmp_path, FORMATS, picture=(1280, 720))


def line_start(cut: Timeline) -> int:
    """Where the first line starts in the film (frames)."""
    return next(s.start.value for i, s in cut.track("dialogue").spans() if isinstance(i, Clip))


def frames(time: otio.opentime.RationalTime) -> Fraction:
    return Fraction(time.value) * 24 / Fraction(time.rate).limit_denominator(1000)


# ------------------------------------------------------------------------------------ OTIO


@pytest.mark.parametrize("suffix", [".xml", ".fcpxml"])
def test_otioconvert_turns_the_otio_cut_into_each_suites_file(files, tmp_path, suffix):
    out = tmp_path / f"converted{suffix}"
    done = subprocess.run(
        [str(OTIOCONVERT), "-i", str(files["otio"]), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    back = otio.adapters.read_from_file(str(out))
    names = [c.name for c in back.find_clips()]
    assert "Shot 1" in names and "Line 1" in names


def test_the_otio_cut_is_valid_for_every_reader(files, project, cut):  # noqa: F811
    back = otio.adapters.read_from_file(str(files["otio"]))
    end = Fraction(cut.duration.value)
    media = StoreMedia(project.store)
    for track in back.tracks:
        assert frames(track.duration()) == end, track.name  # every track ends with the film
        for clip in track.find_clips():
            available = clip.media_reference.available_range
            assert available is not None, clip.name
            assert clip.source_range.end_time_exclusive() <= available.end_time_exclusive()
            asset = media.asset(clip.metadata["microfilm"]["asset_id"])
            if asset.kind == "audio":  # the file's real length, in whole frames
                assert frames(available.duration) <= asset.duration.seconds * 24
    for item in [back, *back.tracks, *back.find_children()]:
        assert set(item.metadata) <= {"microfilm"}, (item.name, dict(item.metadata))


def test_the_otio_cut_comes_back_as_the_same_timeline(files, project, cut):  # noqa: F811
    back = from_otio(
        otio.adapters.read_from_file(str(files["otio"])), StoreMediaIndex(project.store), 24
    )
    assert back.timeline.tracks == cut.tracks
    assert back.warnings == []


def test_levels_are_keyframes_a_reader_can_see(files, cut):
    back = otio.adapters.read_from_file(str(files["otio"]))
    music = next(t for t in back.tracks if t.name == "music")
    pieces = list(music.find_clips())
    assert list(pieces[0].metadata["microfilm"]["levels"][0]) == [0, None]  # fades up from silence
    gain = cut.track("music").items[0].gain_db
    at = {
        round(c.range_in_parent().start_time.value) + frame: db
        for c in pieces
        for frame, db in c.metadata["microfilm"]["levels"]
    }
    assert at[line_start(cut)] == pytest.approx(gain - 12.0)  # ducked 12 dB under the lines
    first = next(c for c in back.tracks[1].find_clips())
    line = next(c for c in cut.track("dialogue").items if isinstance(c, Clip))
    assert bool(first.metadata["microfilm"]["levels"]) == bool(line.fade_in or line.fade_out)


# ------------------------------------------------------------------------------------- EDL


def test_the_edl_reads_with_pycmx_column_by_column(files, cut):
    text = files["edl"].read_text()
    lines = text.splitlines()
    assert lines[0].startswith("TITLE: ") and lines[1] == "FCM: NON-DROP FRAME"
    edl = pycmx.parse_cmx3600(files["edl"].open())
    edits = [edit for event in edl.events for edit in event.edits]
    dissolves = [e.transition.effect_duration for e in edits if e.transition.dissolve]
    assert 12 in dissolves  # the 6+6 dissolve (edited) or the title's 12-frame dip, as D    012
    assert "D    012" in text
    assert sum(" BL       V " in line for line in lines) >= 4  # fade up, dip, fade out
    assert any(e.black and e.transition.dissolve for e in edits)  # a dissolve into black
    channels = {(e.channels.video, tuple(e.channels.channels)) for e in edits}
    assert (False, (1,)) in channels and (False, (2,)) in channels  # dialogue A, music A2
    lines_out = [e for e in edits if e.channels.get_audio_channel(1)]
    dialogue = [c for c in cut.track("dialogue").items if isinstance(c, Clip)]
    assert [e.clip_name for e in lines_out] == [c.name for c in dialogue]
    for edit in edits:
        assert edit.black or len(edit.source) == 8 and edit.source_file is None


def test_the_edl_reads_with_otios_reader_and_back_as_our_fades(files, project, cut):  # noqa: F811
    read = otio.adapters.read_from_file(str(files["edl"]), adapter_name="cmx_3600")
    assert {t.name for t in read.tracks} == {"V", "A1", "A2"}
    back = from_otio(read, StoreMediaIndex(project.store), 24)
    video = next(t for t in back.timeline.tracks if t.kind is TrackKind.VIDEO)
    kinds = [i.kind for i in video.items if isinstance(i, Transition)]
    ours = [i.kind for i in cut.track("V1").items if isinstance(i, Transition)]
    assert kinds == ours  # fades from and to black and the dip come back as ours
    dialogue = next(t for t in back.timeline.tracks if t.kind is TrackKind.DIALOGUE)
    assert placed(dialogue) == placed(cut.track("dialogue"))  # in place, whole (no levels)


def placed(track) -> list[tuple]:
    """(name, asset, line, source range, where) of every clip of a track of ours."""
    return [
        (i.name, i.asset_id, i.line_id, i.source_range, span.start.value)
        for i, span in track.spans()
        if isinstance(i, Clip)
    ]


# ---------------------------------------------------------------------------------- FCPXML


def seconds(value: str) -> Fraction:
    assert value.endswith("s"), value
    return Fraction(value[:-1])


def test_the_fcpxml_is_a_library_with_transitions_on_frame_boundaries(files, cut):
    root = ET.parse(files["fcpxml"]).getroot()
    assert root.tag == "fcpxml" and root.get("version") == "1.8"
    assert [c.tag for c in root] == ["resources", "library"]
    ids = {r.get("id"): r for r in root.find("resources")}
    fmt = root.find("resources/format")
    assert fmt.get("frameDuration") == "1/24s" and (fmt.get("width"), fmt.get("height")) == (
        "1280",
        "720",
    )
    for element in root.iter():
        for attribute in ("ref", "format"):
            if element.get(attribute) and element.tag != "format":
                assert element.get(attribute) in ids, (element.tag, element.get(attribute))
        for attribute in ("offset", "start", "duration", "time"):
            if element.get(attribute) is not None:
                assert (seconds(element.get(attribute)) * 24).denominator == 1, element.attrib
    sequence = root.find("library/event/project/sequence")
    assert sequence is not None and root.find("library/event").get("name")
    assert seconds(sequence.get("duration")) * 24 == cut.duration.value
    spine = sequence.find("spine")
    at, cuts = Fraction(0), []
    for element in spine:
        if element.tag == "transition":
            cuts.append((seconds(element.get("offset")), seconds(element.get("duration"))))
            assert element.find("filter-video").get("ref") in ids
            continue
        assert seconds(element.get("offset")) == at  # end to end, in order
        at += seconds(element.get("duration"))
    assert at * 24 == cut.duration.value
    expected, position = [], 0
    for item in cut.track("V1").items:
        if isinstance(item, Transition):
            expected.append(
                (
                    Fraction(position - item.in_offset.value, 24),
                    Fraction(item.in_offset.value + item.out_offset.value, 24),
                )
            )
        else:
            position += item.duration.value
    assert cuts == expected  # every fade, dip and dissolve, over its cut
    roles = {c.get("audioRole") for c in spine.iter("asset-clip") if c.get("lane")}
    assert roles == {"dialogue", "music", "effects"}
    for clip in spine.iter("asset-clip"):
        asset = ids[clip.get("ref")]
        assert seconds(clip.get("start")) + seconds(clip.get("duration")) <= seconds(
            asset.get("duration")
        ), clip.get("name")


def test_the_fcpxml_reads_back_with_otio_frame_exact(files, cut):
    read = otio.adapters.read_from_file(str(files["fcpxml"]), adapter_name="fcpx_xml")
    (timeline,) = read.find_children(descended_from_type=otio.schema.Timeline)
    audio = [t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Audio]
    assert len(audio) == len([t for t in cut.tracks if t.kind is not TrackKind.VIDEO])
    video = next(t for t in timeline.tracks if t.kind == otio.schema.TrackKind.Video)
    ours = [i for i in cut.track("V1").items if isinstance(i, Clip)]
    assert [(c.name, frames(c.source_range.duration)) for c in video.find_clips()] == [
        (c.name, c.duration.value) for c in ours
    ]


# ------------------------------------------------------------------------------ FCP 7 XML


def test_the_fcp7_xml_tells_premiere_the_format_tracks_and_levels(files, cut):
    root = ET.parse(files["xml"]).getroot()
    sample = root.find(".//sequence/media/video/format/samplecharacteristics")
    assert (sample.findtext("width"), sample.findtext("height")) == ("1280", "720")
    assert sample.findtext("pixelaspectratio") == "square"
    for item in root.iter("clipitem"):
        assert len(item.findall("rate")) == 1
    audio_items = root.findall(".//sequence/media/audio/track/clipitem")
    assert audio_items
    for item in audio_items:
        assert item.findtext("sourcetrack/mediatype") == "audio"
        assert item.findtext("sourcetrack/trackindex") == "1"
    for file in root.iter("file"):
        media = file.find("media")
        if media is None:
            continue  # a reference to a file described before
        path = url_path(file.findtext("pathurl"))
        kind = "audio" if path.suffix == ".wav" else "video"
        assert [c.tag for c in media] == [kind], path.name  # stills and silent clips: no audio
    music = [i for i in audio_items if i.findtext("name") == "Music"]
    levels = music[0].find("filter/effect")
    assert levels.findtext("effectid") == "audiolevels"
    keys = {
        int(m.findtext("start")) + int(k.findtext("when")): float(k.findtext("value"))
        for m in music
        for k in m.iter("keyframe")
    }
    assert keys[0] == 0.0  # the bed fades up from silence
    gain = 10 ** (-6 / 20)  # the bed's -6 dB, 12 dB down under the first line
    assert keys[line_start(cut)] == pytest.approx(gain * 10 ** (-12 / 20), rel=1e-3)
