"""The cut as FCP 7 XML, FCPXML and CMX 3600 EDL: written from a real project, read back with
OpenTimelineIO's adapters and imported again through `studio timeline PATH import`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import opentimelineio as otio
import pytest
from typer.testing import CliRunner

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Transition, TransitionKind
from studio.errors import InvalidInput
from studio.services.cut_import import read_cut
from studio.services.project import open_project
from studio.services.timeline import load_timeline
from studio.store.media_lookup import StoreMedia
from studio.timeline.cut_formats import CUT_FORMATS, parse_cut_formats
from studio.timeline.interchange import write_cut, write_cuts
from studio.timeline.otio_import import url_path
from tests.core.timeline.test_otio_import import built, folder, project  # noqa: F401 - fixtures

FORMATS = tuple(CUT_FORMATS)  # every registered format, so a new one is tested by its entry


def written(project, tmp_path: Path, fmt: str) -> Path:  # noqa: F811 - the fixture
    suffix = CUT_FORMATS[fmt].suffix  # the writer is chosen by the file's suffix
    return write_cut(
        load_timeline(project.store), StoreMedia(project.store), {}, tmp_path / f"film{suffix}"
    )


def expected_picture(fmt: str, items) -> tuple:
    """Our picture as format `fmt` carries it (a new format needs its line here)."""
    return {
        "otio": lambda: tuple(items),  # everything
        "xml": lambda: tuple(items),  # everything the picture had, media lengths included
        # OTIO's fcpx_xml reader has no transitions: cuts only (the file has them)
        "fcpxml": lambda: tuple(i for i in items if not isinstance(i, Transition)),
        "edl": lambda: edl_equivalent(items),  # dissolves from their cut
    }[fmt]()


def timeline_of(read) -> otio.schema.Timeline:
    """The one timeline OTIO read (FCPXML's library reads as a collection holding it)."""
    if isinstance(read, otio.schema.Timeline):
        return read
    (found,) = read.find_children(descended_from_type=otio.schema.Timeline)
    return found


def picture(cut) -> otio.schema.Track:
    return next(t for t in timeline_of(cut).tracks if t.kind == otio.schema.TrackKind.Video)


def is_black(clip) -> bool:
    return isinstance(clip.media_reference, otio.schema.GeneratorReference)


def clips_in_frames(track) -> list[tuple]:
    """(name, source in, source frames, record in) of every clip of an OTIO track."""
    return [
        (
            c.name,
            round(c.source_range.start_time.value),
            round(c.source_range.duration.value),
            round(c.range_in_parent().start_time.value),
        )
        for c in track.find_clips(shallow_search=True)
        if not is_black(c)
    ]


def ours_in_frames(items) -> list[tuple]:
    at, rows = 0, []
    for item in items:
        if isinstance(item, Clip):
            rows.append((item.name, item.source_range.start.value, item.duration.value, at))
        at += item.duration.value
    return rows


def edl_equivalent(items) -> tuple:
    """Our picture as a CMX EDL stores it: fades and dips to and from black (BL) as they were,
    each dissolve starting at its cut (the A side shorter by the in offset, the B side
    starting that much earlier)."""
    items = list(items)
    out = []
    for i, item in enumerate(items):
        if isinstance(item, Transition) and item.kind is not TransitionKind.DISSOLVE:
            out.append(item)
            continue
        if isinstance(item, Transition):
            if 0 < i < len(items) - 1 and isinstance(items[i - 1], Clip):
                a, lead = out[-1], item.in_offset.value
                out[-1] = replace(
                    a, source_range=_span(a.source_range.start.value, a.duration.value - lead)
                )
                b = items[i + 1]
                items[i + 1] = replace(
                    b,
                    source_range=_span(b.source_range.start.value - lead, b.duration.value + lead),
                )
                both = item.in_offset + item.out_offset
                out.append(Transition(TransitionKind.DISSOLVE, RationalTime(0), both))
            continue
        out.append(item)
    return tuple(replace(c, media_duration=None) if isinstance(c, Clip) else c for c in out)


def _span(start: int, frames: int) -> TimeRange:
    return TimeRange(RationalTime(start), RationalTime(frames))


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_reads_back_with_the_picture_frame_exact(project, tmp_path, fmt):  # noqa: F811
    ours = load_timeline(project.store).track("V1").items
    path = written(project, tmp_path, fmt)
    assert path.name == f"film{CUT_FORMATS[fmt].suffix}"
    expected = ours_in_frames(expected_picture(fmt, ours))
    for back in (otio.adapters.read_from_file(str(path)), read_cut(path)):  # OTIO's, the registry's
        rows = clips_in_frames(picture(back))
        if fmt == "edl":  # CMX stores a fade's overlap out of the A side (see edl_equivalent)
            assert [r[0] for r in rows] == [r[0] for r in expected]
        else:
            assert rows == expected
    assert [row[0] for row in expected] == ["Title"] + [f"Shot {n}" for n in range(1, 7)]
    sound = [t for t in timeline_of(back).tracks if t.kind == otio.schema.TrackKind.Audio]
    assert bool(sound) == CUT_FORMATS[fmt].sound
    transitions = list(picture(back).find_children(descended_from_type=otio.schema.Transition))
    if fmt == "fcpxml":  # OTIO's reader has none; the file has them
        assert not transitions and "<transition " in path.read_text()
    else:
        assert bool(transitions) == CUT_FORMATS[fmt].transitions


@pytest.mark.parametrize("fmt", FORMATS)
def test_media_are_absolute_file_urls_to_the_projects_own_files(project, folder, tmp_path, fmt):  # noqa: F811
    back = otio.adapters.read_from_file(str(written(project, tmp_path, fmt)))
    media = (folder / "media").resolve()
    clips = [c for c in back.find_clips() if not is_black(c)]
    assert len(clips) >= 6
    for clip in clips:
        url = clip.media_reference.target_url
        assert url.startswith("file:///"), url
        path = url_path(url)
        assert path.is_absolute() and path.is_file() and path.is_relative_to(media), url


def test_fcp_xml_keeps_every_track_the_dissolve_and_the_fades(project, tmp_path):  # noqa: F811
    back = otio.adapters.read_from_file(str(written(project, tmp_path, "xml")))
    assert [t.kind for t in back.tracks] == ["Video"] + ["Audio"] * 3
    video = picture(back)
    transitions = [
        (video[i - 1].name if i else None, round(t.in_offset.value), round(t.out_offset.value))
        for i, t in enumerate(video)
        if isinstance(t, otio.schema.Transition)
    ]
    # the film fades up on its title card, which dips to black before shot 1
    assert transitions == [(None, 0, 12), ("Title", 12, 12), ("Shot 3", 6, 6), ("Shot 6", 18, 0)]
    assert [t.name for t in video if isinstance(t, otio.schema.Transition)][2] == "dissolve"
    lines = clips_in_frames(back.tracks[1])
    assert [row[0] for row in lines] == ["Line 1", "Line 2", "Line 3"]
    card = 72  # the title card's 3 s before the first shot
    assert [row[3] - card for row in lines] == [141, 141 + 24 + 8, 141 + 24 + 8 + 24 + 165]


@pytest.mark.parametrize("fmt", ["xml", "fcpxml", "otio"])
def test_the_looping_music_bed_becomes_whole_repeats_of_its_media(project, tmp_path, fmt):  # noqa: F811
    music = load_timeline(project.store).track("music").items[0]
    back = timeline_of(otio.adapters.read_from_file(str(written(project, tmp_path, fmt))))
    track = next(t for t in back.tracks if any(c.name == "Music" for c in t.find_clips()))
    rows = clips_in_frames(track)
    media = 12  # gust.wav is half a second at 24 fps
    full, rest = divmod(music.duration.value, media)
    assert [(r[1], r[2]) for r in rows] == [(0, media)] * full + [(0, rest)]
    assert [r[3] for r in rows] == [i * media for i in range(full + 1)]  # back to back
    for clip in track.find_clips():
        available = clip.media_reference.available_range
        assert clip.source_range.end_time_exclusive() <= available.end_time_exclusive()


def test_cut_formats_are_parsed_and_unknown_ones_refused(project, tmp_path):  # noqa: F811
    assert parse_cut_formats("otio, XML,.edl,otio") == ("otio", "xml", "edl")
    assert parse_cut_formats("") == ()
    with pytest.raises(InvalidInput, match="'aaf'"):
        parse_cut_formats("otio,aaf")
    cut, media = load_timeline(project.store), StoreMedia(project.store)
    files = write_cuts(cut, media, {}, tmp_path)
    assert {k: v.name for k, v in files.items()} == {
        "otio": "film.otio",
        "xml": "film.xml",
        "edl": "film.edl",
    }
    asked = write_cuts(cut, media, {}, tmp_path / "all", ("otio", "fcpxml"))
    assert {k: v.name for k, v in asked.items()} == {"otio": "film.otio", "fcpxml": "film.fcpxml"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_cli_imports_each_format_back_matching_clips_by_their_files(
    project,  # noqa: F811
    folder,  # noqa: F811
    tmp_path,
    fmt,
):
    from studio.cli.app import app

    before = load_timeline(project.store)
    path = written(project, tmp_path, fmt)
    project.close()  # the CLI opens the project itself
    done = CliRunner().invoke(app, ["timeline", str(folder), "import", str(path)])
    assert done.exit_code == 0, done.output
    with open_project(folder) as reopened:
        after = load_timeline(reopened.store)
    video = next(t for t in after.tracks if t.kind == "video")
    ours = before.track("V1").items
    assert video.items == expected_picture(fmt, ours)
    clips = [i for i in video.items if isinstance(i, Clip)]
    assert [c.take_id for c in clips] == [c.take_id for c in ours if isinstance(c, Clip)]
    # the sound comes back as it was: from the XML, and under the EDL's picture (which carries
    # none) the dialogue follows its shots, which did not move; every track keeps its name
    assert after.track("dialogue").items == before.track("dialogue").items
    assert [t.name for t in after.tracks] == [t.name for t in before.tracks]
