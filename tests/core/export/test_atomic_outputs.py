"""Outputs are atomic: a killed `studio export` or `studio mix --out` leaves the previous outputs
whole, and the next run clears what the killed one left (`studio.atomic`)."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
import soundfile

from studio.atomic import PARTIAL, Staging, clean_partials, partial_path, written
from studio.services import generation, script, shots, timeline
from studio.services.project import new_project, open_project

SCRIPT = """Title: Harbour

EXT. HARBOUR - DUSK

Gulls over the water. A rope slaps a mast.
"""
SHORT_SECONDS = 3
LONG_SECONDS = 120  # far longer than the kill takes to come: the second run is always cut off


def _studio(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from studio.cli import main; main()", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kw,
    )


def _run(*args: str) -> str:
    proc = _studio(*args)
    out, _ = proc.communicate()
    assert proc.returncode == 0, out
    return out


def _cut_of(folder: Path, seconds: int) -> None:
    """The project's one shot `seconds` long, and the cut assembled again."""
    with open_project(folder) as project:
        shots.set_shot(project, project.store.shots.in_order()[0].number, duration=seconds)
        timeline.assemble(project)


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and not PARTIAL.match(p.name)
    }


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if PARTIAL.match(p.name))


def _decoded_frames(film: Path) -> int:
    with av.open(str(film)) as container:
        return sum(1 for _ in container.decode(video=0))


@pytest.fixture
def harbour(tmp_path: Path) -> Path:
    source = tmp_path / "harbour.fountain"
    source.write_text(SCRIPT, encoding="utf-8")
    with new_project(tmp_path / "project", name="Harbour") as project:
        script.import_script(project, source)
        generation.queue_keyframes(project, width=320, height=180)
        generation.run_queue(project, "inline")
        bed = tmp_path / "bed.wav"  # a music bed: the mix is sound, not silence
        tone = 0.2 * np.sin(2 * np.pi * 220 * np.arange(48000 * 2) / 48000)
        soundfile.write(str(bed), np.stack([tone, tone], axis=1), 48000)
        timeline.set_music_bed(project, bed)
    _cut_of(tmp_path / "project", SHORT_SECONDS)
    return tmp_path / "project"


def _kill_at(proc: subprocess.Popen, seen) -> list[str]:
    """Read `proc`'s output until a line satisfies `seen`, then SIGKILL it."""
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if seen(line):
            break
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, "".join(lines)
    return lines


def test_a_killed_export_leaves_the_previous_export_whole(harbour, tmp_path):
    out = tmp_path / "out"
    export = ("export", str(harbour), "--out", str(out), "--preset", "draft")
    _run(*export, "--cut-formats", "otio,xml,edl,fcpxml")
    before = _digests(out)
    report = json.loads((out / "export.json").read_text())
    frames = _decoded_frames(out / "film.mp4")
    assert frames == report["frames"]
    assert {"film.mp4", "film.srt", "film.otio", "storyboard.pdf", "export.json"} <= set(before)

    _cut_of(harbour, LONG_SECONDS)
    proc = _studio(*export, "--cut-formats", "otio,xml,edl,fcpxml")
    _kill_at(proc, lambda line: "frame" in line)  # killed in the middle of the render

    assert _digests(out) == before  # every file of the previous export, byte for byte
    assert _decoded_frames(out / "film.mp4") == frames == report["frames"]
    assert json.loads((out / "export.json").read_text()) == report
    from pypdf import PdfReader

    assert len(PdfReader(out / "storyboard.pdf").pages) >= 1
    left = _partials(out)
    assert any(name.startswith(".film.mp4.partial-") for name in left), left

    _cut_of(harbour, SHORT_SECONDS + 1)  # the next export clears what the killed one left
    _run(*export, "--cut-formats", "otio")
    assert _partials(out) == []
    again = json.loads((out / "export.json").read_text())
    assert again["frames"] == _decoded_frames(out / "film.mp4") > frames


def test_a_killed_mix_leaves_the_previous_wav_whole(harbour, tmp_path):
    wav = tmp_path / "mix.wav"
    _run("mix", str(harbour), "--out", str(wav))
    before = hashlib.sha256(wav.read_bytes()).hexdigest()
    seconds = soundfile.info(str(wav)).duration

    _cut_of(harbour, LONG_SECONDS)
    proc = _studio("mix", str(harbour), "--out", str(wav))
    _wait_for_growing_partial(proc, tmp_path, "mix.wav")
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL

    assert hashlib.sha256(wav.read_bytes()).hexdigest() == before
    assert soundfile.info(str(wav)).duration == pytest.approx(seconds)
    assert _partials(tmp_path)  # the killed run's, under a hidden name
    _cut_of(harbour, SHORT_SECONDS)
    _run("mix", str(harbour), "--out", str(wav))  # and the next mix into that file clears it
    assert _partials(tmp_path) == []


def _wait_for_growing_partial(proc: subprocess.Popen, folder: Path, name: str) -> None:
    """Return once the mix's partial WAV holds audio (over 1 MB); fail if the mix ends first."""
    while True:
        sizes = [p.stat().st_size for p in folder.glob(f".{name}.partial-*")]
        if sizes and max(sizes) > 1 << 20:
            return
        try:
            proc.wait(timeout=0.02)  # checks again at once when the mix has ended
        except subprocess.TimeoutExpired:
            continue
        pytest.fail(f"the mix ended before it was killed: {proc.stdout.read()}")


def test_written_replaces_the_file_only_when_the_block_ends(tmp_path):
    target = tmp_path / "take.wav"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), written(target) as partial:
        partial.write_bytes(b"new, but not finished")
        raise RuntimeError("the disk went away")
    assert target.read_bytes() == b"old"
    assert _partials(tmp_path) == []
    with written(target) as partial:
        assert partial.parent == tmp_path and partial.suffix == ".wav"
        partial.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _partials(tmp_path) == []


def test_staging_renames_everything_at_commit_and_the_report_last(tmp_path):
    (tmp_path / "export.json").write_text("old report")
    (tmp_path / "film.srt").write_text("old subtitles")
    with Staging(tmp_path, last="export.json") as staged:
        staged.write_text("film.srt", "new subtitles")
        staged.write_text("export.json", "new report")
        assert (tmp_path / "film.srt").read_text() == "old subtitles"  # nothing shows yet
        assert (tmp_path / "export.json").read_text() == "old report"
        staged.commit()
    assert (tmp_path / "film.srt").read_text() == "new subtitles"
    assert (tmp_path / "export.json").read_text() == "new report"
    assert _partials(tmp_path) == []

    with pytest.raises(RuntimeError), Staging(tmp_path, last="export.json") as staged:
        staged.write_text("film.srt", "half an export")
        raise RuntimeError("cancelled")
    assert (tmp_path / "film.srt").read_text() == "new subtitles"
    assert _partials(tmp_path) == []


def test_only_partials_of_processes_that_are_gone_are_cleaned(tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead = tmp_path / f".film.mp4.partial-{gone.pid}-1.mp4"
    mine = partial_path(tmp_path / "film.mp4")  # this process's: another export may be writing
    users = [tmp_path / ".film.mp4.partial-notes", tmp_path / "film.partial-1-1.mp4"]
    for path in (dead, mine, *users):
        path.write_bytes(b"x")
    assert os.getpid() != gone.pid
    assert clean_partials(tmp_path) == [dead]
    assert mine.exists() and all(p.exists() for p in users)
