"""An editor's cut back from OpenTimelineIO: exported, edited with OTIO's own API, imported.

The project is real (a script, previz keyframes, one camera clip, Piper voices, a music bed and a
sound effect), built once and copied for every test."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import opentimelineio as otio
import pytest
import soundfile
from typer.testing import CliRunner

from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Timeline, Transition
from studio.errors import InvalidInput
from studio.services import dubbing, generation, script, timeline
from studio.services.cut_import import import_cut
from studio.services.project import new_project, open_project
from studio.services.timeline import load_timeline
from studio.store.media_lookup import StoreMedia
from studio.timeline.otio import write_otio
from tests.core.export.test_export import SCRIPT  # the same two-scene film


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A closed project folder with an assembled cut on V1, dialogue, music and sfx1."""
    root = tmp_path_factory.mktemp("cut-import")
    source = root / "two-lamps.fountain"
    source.write_text(SCRIPT)
    gust = root / "gust.wav"
    soundfile.write(gust, np.zeros((24000, 2), np.float32), 48000)
    with new_project(root / "project", name="Two Lamps") as project:
        script.import_script(project, source)
        generation.queue_keyframes(project, width=96, height=54)
        generation.run_queue(project, "inline")
        generation.queue_clips(project, shots="1")
        generation.run_queue(project, "inline")
        dubbing.queue_dub(project)
        generation.run_queue(project, "inline")
        timeline.set_music_bed(project, gust)
        timeline.add_effect(project, gust, at=0.5)
        timeline.assemble(project)
    return root / "project"


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "project"))


@pytest.fixture
def project(folder: Path):
    with open_project(folder) as opened:
        yield opened


def export_cut(project, path: Path) -> otio.schema.Timeline:
    """The project's cut written as the export writes it, and read back with OTIO."""
    cut = load_timeline(project.store)
    recipes = {t.id: t.recipe for t in project.store.takes.all()}
    write_otio(cut, StoreMedia(project.store), recipes, path)
    return otio.adapters.read_from_file(str(path))


def save(cut: otio.schema.Timeline, path: Path) -> Path:
    otio.adapters.write_to_file(cut, str(path))
    return path


def track(cut: otio.schema.Timeline, name: str) -> otio.schema.Track:
    return next(t for t in cut.tracks if t.name == name)


def index_of(otio_track: otio.schema.Track, name: str) -> int:
    return next(i for i, child in enumerate(otio_track) if child.name == name)


def shot(ours: Timeline, number: int) -> Clip:
    return next(i for i in ours.track("V1").items if getattr(i, "name", "") == f"Shot {number}")


def test_a_round_trip_with_no_edit_gives_the_identical_timeline(project, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    report = import_cut(project, save(cut, tmp_path / "back.otio"))
    after = load_timeline(project.store)
    assert after == before
    assert after.to_json()["tracks"] == before.to_json()["tracks"]  # metadata too
    assert [t.name for t in after.tracks] == ["V1", "dialogue", "music", "sfx1"]
    assert [t.kind for t in after.tracks] == ["video", "dialogue", "music", "sfx"]
    assert not report.changed and report.warnings == []
    assert report.counts() == {"kept": 12, "trimmed": 0, "moved": 0, "removed": 0, "added": 0}


def edit_in_otio(cut: otio.schema.Timeline) -> None:
    """An editor's session: trim shot 2's out point, swap shots 4 and 5, delete shot 6, and a
    12-frame dissolve between shots 1 and 2."""
    video = track(cut, "V1")
    two = video[index_of(video, "Shot 2")]
    source = two.source_range
    two.source_range = otio.opentime.TimeRange(
        source.start_time, source.duration - otio.opentime.RationalTime(10, 24)
    )
    video.pop(index_of(video, "Shot 6"))
    five = video.pop(index_of(video, "Shot 5"))
    video.insert(index_of(video, "Shot 4"), five)
    dissolve = otio.schema.Transition(
        name="Cross Dissolve",
        transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
        in_offset=otio.opentime.RationalTime(6, 24),
        out_offset=otio.opentime.RationalTime(6, 24),
    )
    video.insert(index_of(video, "Shot 2"), dissolve)


def expected_edit(before: Timeline) -> tuple:
    """The same edit, made by hand on our items."""
    items = list(before.track("V1").items)
    names = [getattr(i, "name", None) for i in items]
    two = items[names.index("Shot 2")]
    items[names.index("Shot 2")] = replace(
        two, source_range=TimeRange(two.source_range.start, RationalTime(two.duration.value - 10))
    )
    four, five = names.index("Shot 4"), names.index("Shot 5")
    items[four], items[five] = items[five], items[four]
    del items[names.index("Shot 6")]
    items.insert(names.index("Shot 2"), Transition("dissolve", RationalTime(6), RationalTime(6)))
    return tuple(items)


def test_an_editors_trim_swap_delete_and_dissolve_come_back_frame_exact(project, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    edit_in_otio(cut)
    report = import_cut(project, save(cut, tmp_path / "edited.otio"))
    after = load_timeline(project.store)
    assert after.track("V1").items == expected_edit(before)
    assert after.track("dialogue") == before.track("dialogue")
    dropped = shot(before, 6).duration.value + 10
    assert after.track("V1").duration.value == before.track("V1").duration.value - dropped
    picture = report.tracks[0]
    assert (picture.track, picture.status) == ("V1", "changed")
    assert (picture.frames_before, picture.frames_after) == (
        before.track("V1").duration.value,
        after.track("V1").duration.value,
    )
    changes = {c.label: c.changes for c in picture.clips}
    assert changes["shot 2"] == ("trimmed",)
    assert changes["shot 6"] == ("removed",)
    assert sorted([changes["shot 4"], changes["shot 5"]]) == [("kept",), ("moved",)]
    assert changes["shot 1"] == changes["shot 3"] == ("kept",)
    trimmed = next(c for c in picture.clips if c.label == "shot 2")
    assert trimmed.after.duration == trimmed.before.duration - 10
    assert picture.transitions == [
        "dissolve between shot 3 and shot 4 (6+6 frames) now between shot 3 and shot 5 "
        "(6+6 frames)",
        "fade_to_black between shot 6 and the end (18+0 frames) now between shot 4 and the end "
        "(18+0 frames)",
        "added dissolve between shot 1 and shot 2 (6+6 frames)",
    ]
    assert {t.track: t.status for t in report.tracks[1:]} == {
        "dialogue": "unchanged",
        "music": "unchanged",
        "sfx1": "unchanged",
    }


def test_the_import_is_one_undoable_step_and_a_dry_run_changes_nothing(project, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    edit_in_otio(cut)
    path = save(cut, tmp_path / "edited.otio")
    dry = import_cut(project, path, dry_run=True)
    assert dry.changed and load_timeline(project.store) == before
    assert not project.history.can_undo
    imported = import_cut(project, path)
    assert imported.timeline == dry.timeline == load_timeline(project.store) != before
    assert project.history.undo_label == "import the cut edited.otio"
    project.history.undo()
    assert load_timeline(project.store) == before
    project.history.redo()
    assert load_timeline(project.store) == imported.timeline


def test_undo_of_an_import_into_a_project_with_no_timeline_removes_it(project, tmp_path):
    cut = export_cut(project, tmp_path / "film.otio")
    with project.store.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM timelines")
    report = import_cut(project, save(cut, tmp_path / "back.otio"))
    assert report.counts()["added"] == 12 and report.before_frames == 0
    project.history.undo()
    assert load_timeline(project.store) is None


def foreign_clip(path: Path, frames: int = 30) -> otio.schema.Clip:
    path.write_bytes(b"not from this project")
    return otio.schema.Clip(
        name="B-roll",
        media_reference=otio.schema.ExternalReference(target_url=path.as_uri()),
        source_range=otio.opentime.TimeRange(
            otio.opentime.RationalTime(0, 24), otio.opentime.RationalTime(frames, 24)
        ),
    )


def test_a_clip_from_elsewhere_is_refused_by_name_or_becomes_a_gap(project, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    video = track(cut, "V1")
    at = index_of(video, "Shot 3")
    video.insert(at, foreign_clip(tmp_path / "broll.mp4"))
    path = save(cut, tmp_path / "with-broll.otio")
    with pytest.raises(InvalidInput) as refused:
        import_cut(project, path)
    message = str(refused.value)
    assert "with-broll.otio" in message and f"V1 item {at} 'B-roll'" in message
    assert (tmp_path / "broll.mp4").as_uri() in message and "--allow-missing" in message
    assert load_timeline(project.store) == before
    report = import_cut(project, path, allow_missing=True)
    items = load_timeline(project.store).track("V1").items
    assert items[at] == Gap(RationalTime(30), "B-roll")  # named for what is missing
    assert items[:at] + items[at + 1 :] == before.track("V1").items
    assert [(f.track, f.index, f.name) for f in report.foreign] == [("V1", at, "B-roll")]
    assert any("placed as gaps" in w for w in report.warnings)


def test_without_studio_metadata_clips_are_matched_by_their_media_files(project, tmp_path):
    """An editing suite that drops clip metadata: the project's media paths still match, and
    so does a copy of a project file anywhere else (by its content), with a timecode start."""
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    for clip in cut.find_clips():
        del clip.metadata["microfilm"]
    first = track(cut, "V1")[index_of(track(cut, "V1"), "Shot 1")]
    copied = tmp_path / "graded" / "shot1.mp4"
    copied.parent.mkdir()
    shutil.copyfile(otio.url_utils.filepath_from_url(first.media_reference.target_url), copied)
    first.media_reference.target_url = copied.as_uri()
    hour = otio.opentime.RationalTime(86400, 24)  # a suite that starts media at 01:00:00:00
    available = first.media_reference.available_range
    first.media_reference.available_range = otio.opentime.TimeRange(hour, available.duration)
    first.source_range = otio.opentime.TimeRange(
        first.source_range.start_time + hour, first.source_range.duration
    )
    import_cut(project, save(cut, tmp_path / "bare.otio"))
    after = load_timeline(project.store)

    def ids(ours: Timeline) -> list:
        return [
            (c.asset_id, c.take_id, c.shot_id, c.line_id, c.source_range, c.name)
            for t in ours.tracks
            for c in t.items
            if isinstance(c, Clip)
        ]

    assert ids(after) == ids(before)
    assert shot(after, 4).metadata["shot_number"] == "4"


def rates_scaled(cut: otio.schema.Timeline, rate: int) -> None:
    """Re-time every time in the cut to `rate`, rounded to whole frames (as a suite conforms)."""

    def at(time: otio.opentime.RationalTime) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(round(time.value * rate / time.rate), rate)

    def span(time_range: otio.opentime.TimeRange) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(at(time_range.start_time), at(time_range.duration))

    for otio_track in cut.tracks:
        for child in otio_track:
            if isinstance(child, otio.schema.Transition):
                child.in_offset, child.out_offset = at(child.in_offset), at(child.out_offset)
                continue
            child.source_range = span(child.source_range)
            reference = getattr(child, "media_reference", None)
            if reference is not None and reference.available_range is not None:
                reference.available_range = span(reference.available_range)


def test_a_cut_at_another_rate_is_conformed_when_exact_and_refused_when_not(project, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    rates_scaled(cut, 48)  # every frame at 24 is a whole frame at 48: exact
    import_cut(project, save(cut, tmp_path / "at48.otio"))
    assert load_timeline(project.store) == before
    cut = export_cut(project, tmp_path / "film.otio")
    rates_scaled(cut, 25)
    with pytest.raises(InvalidInput) as refused:
        import_cut(project, save(cut, tmp_path / "at25.otio"))
    message = str(refused.value)
    assert "at25.otio runs at 25 fps and the project at 24 fps" in message
    assert "'Shot 2'" in message and "conform the sequence to 24 fps" in message


def test_a_malformed_or_unknown_file_is_refused_naming_it(project, tmp_path):
    broken = tmp_path / "broken.otio"
    broken.write_text('{"OTIO_SCHEMA": "Timeline.1", "tracks": ')
    with pytest.raises(InvalidInput, match="broken.otio"):
        import_cut(project, broken)
    aaf = tmp_path / "cut.aaf"
    aaf.write_bytes(b"not an AAF")
    with pytest.raises(InvalidInput, match="cut.aaf.*adapter"):
        import_cut(project, aaf)
    edl = tmp_path / "cut.edl"
    edl.write_text("TITLE: cut\n")
    with pytest.raises(InvalidInput, match="cut.edl has no tracks"):
        import_cut(project, edl)
    with pytest.raises(InvalidInput, match="no cut at"):
        import_cut(project, tmp_path / "missing.otio")
    assert not project.history.can_undo


def test_nested_sequences_are_refused_and_markers_dropped_with_a_warning(project, tmp_path):
    cut = export_cut(project, tmp_path / "film.otio")
    video = track(cut, "V1")
    video[index_of(video, "Shot 1")].markers.append(
        otio.schema.Marker(
            name="fix sky",
            marked_range=otio.opentime.TimeRange(duration=otio.opentime.RationalTime(1, 24)),
        )
    )
    report = import_cut(project, save(cut, tmp_path / "marked.otio"), dry_run=True)
    assert report.warnings == ["V1 item 3 'Shot 1': 1 marker(s) dropped"]
    nest = otio.schema.Stack(name="Compound 1")
    nest.append(otio.schema.Track(name="inner"))
    video.insert(5, nest)
    with pytest.raises(InvalidInput, match="V1 item 5 'Compound 1': a nested sequence"):
        import_cut(project, save(cut, tmp_path / "nested.otio"))


def test_the_cli_imports_the_cut_and_reports_what_changed(project, folder, tmp_path):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    edit_in_otio(cut)
    path = save(cut, tmp_path / "edited.otio")
    project.close()  # the CLI opens the project itself
    from studio.cli.app import app

    runner = CliRunner()
    dry = runner.invoke(app, ["timeline", str(folder), "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "trimmed" in dry.output and "shot 2" in dry.output and "would be" in dry.output
    done = runner.invoke(app, ["timeline", str(folder), "import", str(path), "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["counts"] == {"kept": 9, "trimmed": 1, "moved": 1, "removed": 1, "added": 0}
    with open_project(folder) as reopened:
        assert load_timeline(reopened.store).track("V1").items == expected_edit(before)


def test_the_imported_cut_renders_to_its_own_length(project, tmp_path):
    from studio.media.decode import probe
    from studio.render.frames import RenderSettings
    from studio.render.pipeline import render_timeline

    cut = export_cut(project, tmp_path / "film.otio")
    edit_in_otio(cut)
    report = import_cut(project, save(cut, tmp_path / "edited.otio"))
    settings = RenderSettings(width=96, height=54, fps=24, crf=30, preset="ultrafast")
    film = tmp_path / "edited.mp4"
    render_timeline(report.timeline, StoreMedia(project.store), settings, film)
    assert probe(film).frames == report.timeline.duration.value


def test_a_disabled_clip_is_a_gap_and_a_new_audio_track_takes_its_kind_from_its_name(
    project, tmp_path
):
    before = load_timeline(project.store)
    cut = export_cut(project, tmp_path / "film.otio")
    video = track(cut, "V1")
    video[index_of(video, "Shot 3")].enabled = False
    line = track(cut, "dialogue").find_clips()[0].deepcopy()
    del line.metadata["microfilm"]
    extra = otio.schema.Track(name="Dialogue 2", kind=otio.schema.TrackKind.Audio)
    extra.append(line)
    cut.tracks.append(extra)
    report = import_cut(project, save(cut, tmp_path / "extra.otio"))
    after = load_timeline(project.store)
    at = index_of(video, "Shot 3")
    assert after.track("V1").items[at] == Gap(shot(before, 3).duration)
    assert report.warnings == [
        f"V1 item {at} 'Shot 3': disabled in the cut, imported as a gap",
        "track V1: 1 transition(s) dropped (no clip on the side they need)",
    ]
    assert not any(
        isinstance(i, Transition) and i.kind == "dissolve" for i in after.track("V1").items
    )
    added = after.track("Dialogue 2")
    first_line = before.track("dialogue").items[1]
    assert added.kind == "dialogue" and added.items[0].line_id == first_line.line_id
    change = next(t for t in report.tracks if t.track == "Dialogue 2")
    assert change.status == "added" and change.counts()["added"] == 1


def _clip(name: str, shot_id: int, start: int = 0, frames: int = 24) -> Clip:
    return Clip(name, TimeRange(RationalTime(start), RationalTime(frames)), shot_id=shot_id)


def test_compare_reports_reorders_as_moves_and_slides_as_kept():
    from studio.domain.timeline import Track
    from studio.timeline.cut_diff import compare

    a, b, c, d = (_clip(n, i) for i, n in enumerate("abcd", start=1))
    before = Timeline("main", 24, (Track("V1", "video", (a, b, c, d)),))
    b_trimmed = _clip("b", 2, start=3, frames=20)
    after = Timeline(
        "main", 24, (Track("V1", "video", (Gap(RationalTime(5)), d, a, b_trimmed, c)),)
    )
    result = compare(before, after)[0]
    changes = {x.label: x.changes for x in result.clips}
    assert changes == {"d": ("moved",), "a": ("kept",), "b": ("trimmed",), "c": ("kept",)}
    slid = next(x for x in result.clips if x.label == "c")
    assert (slid.before.start, slid.after.start) == (48, 5 + 24 + 24 + 20)
    back = compare(after, before)[0].counts()
    assert back == {"kept": 2, "trimmed": 1, "moved": 1, "removed": 0, "added": 0}
    none = compare(None, before)
    assert none[0].status == "added" and none[0].counts()["added"] == 4
