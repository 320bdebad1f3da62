"""The export path's scale fixes: one pass over a track, media read in one query, the dialogue
read from its files as the mix reaches it, print-size keyframes in the storyboard, and the
animatic sharing what the film's export already read."""

from __future__ import annotations

import tracemalloc
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from reportlab import rl_config

from studio.audio.mix import AudioClip, load_audio_file
from studio.audio.mix_stream import MixStream
from studio.domain.time import RationalTime, TimeRange
from studio.domain.timeline import Clip, Gap, Track, Transition
from studio.errors import NotFound
from studio.media.decode import encode_png, probe
from studio.render.storyboard_pdf import IMAGE_DPI, StoryboardPanel, write_storyboard
from studio.services import dubbing, generation, script, timeline
from studio.services.export import (
    dialogue_placements,
    export_film,
    timeline_media,
    timeline_mix_stream,
)
from studio.services.export_options import ExportOptions
from studio.services.project import new_project
from studio.store.media_lookup import StoreMedia

SCRIPT = """Title: Long Lines

INT. ENGINE ROOM - NIGHT

The pumps thump.

MARA
Listen to me: the valves on the lower deck have been failing one after another since the
storm, and nobody on this ship has written a single word of it in the log, not one word.

TOMAS
(quietly)
Then we write it now, every valve and every hour, before the captain comes down those stairs.
"""


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("scale")
    source = root / "long-lines.fountain"
    source.write_text(SCRIPT)
    project = new_project(root / "project", name="Long Lines")
    script.import_script(project, source)
    generation.queue_keyframes(project, width=320, height=180)
    generation.run_queue(project, "inline")
    dubbing.queue_dub(project)
    generation.run_queue(project, "inline")
    cut = timeline.assemble(project)
    yield project, cut
    project.close()


def _queries(engine: sa.Engine) -> list[str]:
    seen: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def test_track_spans_are_where_range_of_puts_every_item(made):
    _, cut = made
    for track in cut.tracks:
        spans = list(track.spans())
        assert [item for item, _ in spans] == list(track.items)
        assert [span for _, span in spans] == [track.range_of(i) for i in range(len(spans))]


def test_track_spans_on_a_track_of_mixed_rates():
    track = Track(
        "V1",
        items=(
            Clip("a", TimeRange(RationalTime(0, 24), RationalTime(48, 24))),
            Transition("dissolve", RationalTime(6, 24), RationalTime(6, 24)),
            Gap(RationalTime(50, 25)),
            Clip("b", TimeRange(RationalTime(0, 30), RationalTime(30, 30))),
        ),
    )
    spans = [span for _, span in track.spans()]
    assert spans == [track.range_of(i) for i in range(4)]
    assert spans[3].start.seconds == Fraction(48, 24) + Fraction(50, 25)


def test_preload_reads_the_timelines_media_in_one_query(made):
    project, cut = made
    ids = {i.asset_id for t in cut.tracks for i in t.items if getattr(i, "asset_id", None)}
    seen = _queries(project.store.engine)
    media = timeline_media(project.store, cut)
    assert len([q for q in seen if "FROM assets" in q]) == 1
    seen.clear()
    for asset_id in ids:
        assert media.path(asset_id).is_file()
    assert seen == []  # every lookup answered from what was read
    with pytest.raises(NotFound):
        StoreMedia(project.store).preload([999_999]).asset(999_999)


def test_the_mix_reads_each_line_from_its_file_and_sounds_the_same(made):
    project, cut = made
    store = project.store
    places = dialogue_placements(store, cut)
    media = StoreMedia(store)
    loaded = [load_audio_file(media.path(p["asset_id"])) for p in places]
    held = sum(samples.nbytes for samples, _ in loaded)
    timeline_mix_stream(store, cut, rooms=False)  # warm: imports, compiled queries
    tracemalloc.start()
    stream = timeline_mix_stream(store, cut, rooms=False)
    built = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert built < held / 4  # the takes are not loaded to build the mix
    in_memory = [
        AudioClip(samples, rate, p["start"], p["gain_db"], pan=p["x"] * 2 - 1, room=p["room"])
        for (samples, rate), p in zip(loaded, places, strict=True)
    ]
    duration = float(cut.duration.seconds)
    reference = MixStream(in_memory, [], [], duration, stream.settings)
    assert np.array_equal(stream.to_array(), reference.to_array())


def test_a_big_keyframe_is_printed_at_print_size_as_jpeg(tmp_path: Path):
    rng = np.random.default_rng(7)
    big = tmp_path / "big.png"
    big.write_bytes(encode_png(rng.integers(0, 255, (1080, 1920, 3), dtype=np.uint8)))
    small = tmp_path / "small.png"
    small.write_bytes(encode_png(np.full((90, 160, 3), 200, np.uint8)))
    panels = [
        StoryboardPanel("1", big, "A wide shot of the harbour."),
        StoryboardPanel("2", small, "An insert of the key."),
    ]
    path = tmp_path / "board.pdf"
    write_storyboard(panels, path)
    images = {image.image.size for image in PdfReader(str(path)).pages[0].images}
    page_width_in = 842 / 72
    assert max(width for width, _ in images) < page_width_in / 3 * IMAGE_DPI
    assert (160, 90) in images  # a small keyframe is never enlarged
    data = path.read_bytes()
    assert b"/DCTDecode" in data and b"/ASCII85Decode" not in data
    assert path.stat().st_size < 400_000  # the 1080p noise alone deflates to about 6 MB
    assert rl_config.useA85 == 1  # reportlab's setting is given back


def test_an_export_with_the_animatic(made, tmp_path: Path):
    project, cut = made
    report = export_film(project, tmp_path / "out", ExportOptions(animatic=True, subtitles="none"))
    film, animatic = probe(report.files["film"]), probe(report.files["animatic"])
    assert abs(animatic.frames - cut.duration.value) <= 1
    assert film.frames == animatic.frames  # both are the cut, its title card included
    assert animatic.audio_codec == "aac"
    assert report.files["storyboard"].is_file() and report.files["otio"].is_file()


def test_a_prores_film_keeps_an_h264_animatic_for_review(made, tmp_path: Path):
    project, _cut = made
    options = ExportOptions(codec="prores", animatic=True, subtitles="none", storyboard=False)
    report = export_film(project, tmp_path / "out", options)
    film, animatic = probe(report.files["film"]), probe(report.files["animatic"])
    assert report.files["film"].suffix == ".mov" and film.codec == "prores"
    assert report.files["animatic"].name == "animatic.mp4" and animatic.codec == "h264"
