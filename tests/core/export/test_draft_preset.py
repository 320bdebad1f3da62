"""`studio export --preset draft`: a quick check at 480p, encoded fast, read back."""

from __future__ import annotations

import subprocess
import sys

from studio.media.decode import probe
from studio.services import generation, script, timeline
from studio.services.project import new_project

SCRIPT = """Title: Draft

EXT. PIER - DAWN

Fog over the water. A lamp blinks once.
"""


def test_studio_export_preset_draft_writes_a_fast_480p_film(tmp_path):
    source = tmp_path / "draft.fountain"
    source.write_text(SCRIPT, encoding="utf-8")
    with new_project(tmp_path / "project", name="Draft") as project:
        script.import_script(project, source)
        generation.queue_keyframes(project, width=320, height=180)
        generation.run_queue(project, "inline")
        timeline.assemble(project)
    out = tmp_path / "out"
    command = "from studio.cli import main; main()"
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            command,
            "export",
            str(tmp_path / "project"),
            "--out",
            str(out),
            "--preset",
            "draft",
            "--cut-formats",
            "",
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    info = probe(out / "film.mp4")
    assert (info.width, info.height, info.codec) == (854, 480, "h264")
    settings = (out / "film.mp4").read_bytes().split(b"options: ")[1][:2000]  # x264's SEI
    assert b"crf=30.0" in settings
    assert b"cabac=0" in settings and b"subme=0" in settings  # ultrafast: no CABAC, no subpel
