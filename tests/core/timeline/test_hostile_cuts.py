"""Imported cuts and stored timelines are bounded: each hostile value, in each format that can
express it, is refused in one line naming the file, the clip and the value, and the project's
timeline stays as it was."""

from __future__ import annotations

import copy
import json
import math
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import opentimelineio as otio
import pytest

from studio.domain.timeline import MAX_FILM_SECONDS, Timeline
from studio.errors import InvalidInput, ProjectDamaged
from studio.services import generation, script, timeline
from studio.services.cut_import import import_cut, read_cut
from studio.services.project import new_project, open_project
from studio.services.timeline import load_timeline
from studio.store.media_lookup import StoreMedia
from studio.timeline.interchange import write_cut

SCRIPT = """Title: Pier

EXT. PIER - DAY

Fog over the boards.

INT. SHED - NIGHT

A lamp on a hook.
"""
RT, TR = otio.opentime.RationalTime, otio.opentime.TimeRange
ADAPTERS = {"otio": ".otio", "xml": ".xml", "fcpxml": ".fcpxml"}
ADAPTER_NAMES = {"otio": "otio_json", "xml": "fcp_xml", "fcpxml": "fcpx_xml"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A project whose cut has a title card, shot 1 as a 4 s video clip and shot 2 as a still."""
    root = tmp_path_factory.mktemp("hostile-cuts")
    source = root / "pier.fountain"
    source.write_text(SCRIPT, encoding="utf-8")
    with new_project(root / "project", name="Pier") as project:
        script.import_script(project, source)
        generation.queue_keyframes(project, width=96, height=54)
        generation.run_queue(project, "inline")
        generation.queue_clips(project, shots="1")
        generation.run_queue(project, "inline")
        timeline.assemble(project)
    return root / "project"


@pytest.fixture
def project(built: Path, tmp_path: Path):
    with open_project(Path(shutil.copytree(built, tmp_path / "project"))) as opened:
        yield opened


def _shot_1(cut: otio.schema.Timeline) -> otio.schema.Clip:
    return next(c for c in cut.find_clips() if c.name == "Shot 1")


def _huge_gap(cut):
    cut.tracks[0].insert(1, otio.schema.Gap(source_range=TR(RT(0, 24), RT(10**12, 24))))


def _negative_length(cut):
    clip = _shot_1(cut)
    clip.source_range = TR(clip.source_range.start_time, RT(-48, 24))


def _rate_zero(cut):
    _shot_1(cut).source_range = TR(RT(0, 0), RT(48, 0))


def _nan(cut):
    clip = _shot_1(cut)
    clip.source_range = TR(clip.source_range.start_time, RT(math.nan, 24))


def _inf(cut):
    clip = _shot_1(cut)
    clip.source_range = TR(clip.source_range.start_time, RT(math.inf, 24))


def _negative_start(cut):
    clip = _shot_1(cut)
    clip.source_range = TR(RT(-100, 24), clip.source_range.duration)


def _beyond_media(cut):
    _shot_1(cut).source_range = TR(RT(10, 24), RT(5000, 24))  # the clip is 96 frames long


# (format, hostile change, what the one line must say)
CASES = [
    ("otio", _huge_gap, "1000000000000 frames"),
    ("otio", _negative_length, "'Shot 1': a length of -48 frames"),
    ("otio", _rate_zero, "'Shot 1': 48 frames at 0 fps"),
    ("otio", _nan, "'Shot 1': nan frames"),
    ("otio", _inf, "'Shot 1': inf frames"),
    ("otio", _negative_start, "'Shot 1' (in point): -100 frames"),
    ("otio", _beyond_media, "'Shot 1': it ends 4914 frames past the end of its media"),
    ("xml", _huge_gap, "longer than a film may be"),
    ("xml", _negative_length, "'Shot 1': a length of -48 frames"),
    ("xml", _nan, "'nan'"),  # the FCP XML adapter itself refuses it: the file is named
    ("xml", _negative_start, "'Shot 1' (in point): -100 frames"),
    ("xml", _beyond_media, "'Shot 1': it ends 4914 frames past the end of its media"),
    ("fcpxml", _huge_gap, "1000000000000 frames"),
    ("fcpxml", _negative_length, "'Shot 1': a length of -48 frames"),
    ("fcpxml", _negative_start, "'Shot 1' (in point): -100 frames"),
    ("fcpxml", _beyond_media, "'Shot 1': it ends 4914 frames past the end of its media"),
]


def _hostile(project, folder: Path, fmt: str, change) -> Path:
    """The project's cut written in `fmt`, read back, changed, and written in `fmt` again."""
    cut = load_timeline(project.store)
    recipes = {t.id: t.recipe for t in project.store.takes.all()}
    clean = write_cut(cut, StoreMedia(project.store), recipes, folder / f"film{ADAPTERS[fmt]}")
    hostile = read_cut(clean)
    change(hostile)
    path = folder / f"{change.__name__.strip('_')}{ADAPTERS[fmt]}"
    otio.adapters.write_to_file(hostile, str(path), adapter_name=ADAPTER_NAMES[fmt])
    return path


@pytest.mark.parametrize(
    ("fmt", "change", "said"), CASES, ids=[f"{f}-{c.__name__.strip('_')}" for f, c, _ in CASES]
)
def test_a_hostile_cut_is_refused_in_one_line_and_the_timeline_kept(
    project, tmp_path, fmt, change, said
):
    path = _hostile(project, tmp_path, fmt, change)
    before = project.store.timelines.load("main")
    with pytest.raises(InvalidInput) as refused:
        import_cut(project, path)
    message = str(refused.value)
    assert "\n" not in message and not message.lower().startswith("unexpected")
    assert path.name in message and said in message, message
    assert project.store.timelines.load("main") == before


def test_a_hostile_edl_is_refused_naming_the_file(project, tmp_path):
    """CMX 3600 cannot carry a negative length or a day-long gap (its timecodes wrap at 24 h):
    a source out before its source in is what it can say, and it is refused by the file."""
    edl = tmp_path / "backwards.edl"
    edl.write_text(
        "TITLE: Pier\nFCM: NON-DROP FRAME\n\n"
        "001  AX       V     C        00:00:04:00 00:00:02:00 00:00:00:00 00:00:02:00\n"
        "* FROM CLIP NAME:  Shot 1\n",
        encoding="utf-8",
    )
    before = project.store.timelines.load("main")
    with pytest.raises(InvalidInput) as refused:
        import_cut(project, edl)
    assert "backwards.edl" in str(refused.value) and "\n" not in str(refused.value)
    assert project.store.timelines.load("main") == before


def _nested_otio(levels: int) -> str:
    """A timeline whose stack holds a stack holding a stack... `levels` deep."""
    opening = '{"OTIO_SCHEMA": "Stack.1", "children": ['
    return (
        '{"OTIO_SCHEMA": "Timeline.1", "name": "deep", "tracks": '
        + opening * levels
        + "]}" * levels
        + "}"
    )


def _refused_by_the_cli(folder: Path, cut: Path) -> str:
    """`timeline import --dry-run` of `cut` in a process of its own: a reader that crashes
    (OpenTimelineIO's JSON reader recurses in C++) would kill it, not the test."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from studio.cli import main; main()",
            "timeline",
            str(folder),
            "import",
            str(cut),
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    said = (result.stdout + result.stderr).strip()
    assert result.returncode == 1, (result.returncode, said)  # -11 would be the crash
    assert "unexpected" not in said and len(said.splitlines()) <= 2, said
    return said


def test_a_cut_nested_thousands_deep_is_refused_before_it_is_read(project, tmp_path):
    folder = project.folder
    project.close()  # the CLI opens it
    deep = tmp_path / "deep.otio"
    deep.write_text(_nested_otio(20_000), encoding="utf-8")
    assert "deep.otio: it nests 40001 levels deep" in _refused_by_the_cli(folder, deep)
    zipped = tmp_path / "deep.otioz"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("content.otio", _nested_otio(20_000))
    assert "deep.otioz: it nests 40001 levels deep" in _refused_by_the_cli(folder, zipped)
    xml = tmp_path / "deep.xml"
    xml.write_text(
        '<?xml version="1.0"?><xmeml version="4">'
        + "<sequence>" * 50_000
        + "</sequence>" * 50_000
        + "</xmeml>",
        encoding="utf-8",
    )
    assert "deep.xml: it nests elements deeper than a cut can be" in _refused_by_the_cli(
        folder, xml
    )
    # brackets inside names do not count, and a real cut is far from the limit
    named = tmp_path / "named.otio"
    named.write_text(_nested_otio(3).replace('"deep"', '"' + "[{" * 500 + '"'), "utf-8")
    assert "nests" not in _refused_by_the_cli(folder, named)


# ------------------------------------------------------------------ stored timeline documents


def _document(project) -> dict:
    return copy.deepcopy(project.store.timelines.load("main"))


def _picture(document: dict) -> list[dict]:
    return next(t for t in document["tracks"] if t["name"] == "V1")["items"]


def _clip(document: dict) -> dict:
    return next(i for i in _picture(document) if i.get("name") == "Shot 1")


def _stored_gap(doc):
    _picture(doc).insert(1, {"schema": "Gap.1", "duration": {"value": 10**12, "rate": [24, 1]}})


def _stored_negative_gap(doc):
    _picture(doc).insert(1, {"schema": "Gap.1", "duration": {"value": -50, "rate": [24, 1]}})


def _stored_rate_zero(doc):
    doc["rate"] = [0, 1]


def _stored_nan(doc):
    _clip(doc)["source_range"]["duration"]["value"] = math.nan


def _stored_negative_start(doc):
    _clip(doc)["source_range"]["start"]["value"] = -100


def _stored_beyond_media(doc):
    _clip(doc)["source_range"]["duration"]["value"] = 5000


def _stored_inf_gain(doc):
    _clip(doc)["gain_db"] = math.inf


def _stored_missing_key(doc):
    del _clip(doc)["source_range"]


STORED = [
    (_stored_gap, "longer than a film may be"),
    (_stored_negative_gap, "V1 item 1 (length): -50 frames"),
    (_stored_rate_zero, "rate"),
    (_stored_nan, "item"),
    (_stored_negative_start, "'Shot 1' (in point): -100 frames"),
    (_stored_beyond_media, "'Shot 1': it ends"),
    (_stored_inf_gain, "'Shot 1': a gain of inf dB"),
    (_stored_missing_key, "'source_range' is missing"),
]


@pytest.mark.parametrize(("change", "said"), STORED, ids=[c.__name__ for c, _ in STORED])
def test_a_hostile_stored_timeline_is_refused_when_read(project, change, said):
    document = _document(project)
    change(document)
    with pytest.raises(InvalidInput) as refused:
        Timeline.from_json(json.loads(json.dumps(document)))
    assert "\n" not in str(refused.value) and said in str(refused.value), str(refused.value)
    project.store.timelines.save(document, "main")
    with pytest.raises(ProjectDamaged) as damaged:
        load_timeline(project.store)
    assert "stored cut 'main'" in str(damaged.value) and said in str(damaged.value)


def test_mix_and_export_refuse_a_day_long_stored_cut_at_once(project, tmp_path):
    """A hostile bundle's timeline cannot make `studio mix` or `studio export` run for ever."""
    document = _document(project)
    _picture(document).insert(
        1, {"schema": "Gap.1", "duration": {"value": MAX_FILM_SECONDS * 24 + 1, "rate": [24, 1]}}
    )
    project.store.timelines.save(document, "main")
    folder = project.folder
    project.close()
    for command in (["mix", str(folder)], ["export", str(folder), "--out", str(tmp_path / "o")]):
        result = subprocess.run(
            [sys.executable, "-c", "from studio.cli import main; main()", *command],
            capture_output=True,
            text=True,
            timeout=120,  # generous: the refusal comes before any sound or picture is made
        )
        said = (result.stdout + result.stderr).strip()
        assert result.returncode == 1, said
        assert "longer than a film may be" in said and "unexpected" not in said, said
        assert len(said.splitlines()) <= 2, said  # the line, and its hint
    assert not (tmp_path / "o" / "film.mp4").exists()


def test_a_stored_value_nested_thousands_deep_is_damage_doctor_reports(project):
    """A hostile bundle's database can hold JSON no reader can follow: reading it says the
    project is damaged in one line, and doctor reports it instead of calling it healthy."""
    from studio.errors import ProjectDamaged
    from studio.services.doctor import doctor

    store = project.store
    deep = '{"a":' * 100_000 + "1" + "}" * 100_000
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE timelines SET document = ?", (deep,))
    with pytest.raises(ProjectDamaged, match="nested thousands of levels deep") as damaged:
        load_timeline(store)
    assert "\n" not in str(damaged.value)
    report = doctor(store, verify_hashes=False)
    assert report.damaged and any("nested thousands" in s for s in report.schema)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE takes SET recipe = ?", ("[" * 100_000 + "]" * 100_000,))
    report = doctor(store, verify_hashes=False)
    assert len([s for s in report.schema if "nested thousands" in s]) == 2
