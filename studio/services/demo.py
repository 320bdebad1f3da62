"""The demo: the sample screenplay in, a finished film out, with no GPU and no model weights.

Script → breakdown → previz keyframes → camera clips → dubbing → music → assembly → export
(film, subtitles, OTIO cut, storyboard PDF, animatic), with progress, into a folder it names.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from studio.errors import InvalidInput

SAMPLE = Path(__file__).resolve().parents[2] / "projects" / "sample" / "script.fountain"


def make_ambient_music(path: Path, seconds: float = 64.0, rate: int = 48000) -> Path:
    """A quiet original score for the demo, synthesised: a slow minor pad over a sea wash."""
    rng = np.random.default_rng(7)
    t = np.arange(int(seconds * rate)) / rate
    chords = [
        (220.0, 261.63, 329.63),
        (196.0, 246.94, 293.66),
        (174.61, 220.0, 261.63),
        (164.81, 207.65, 246.94),
    ]
    bar = seconds / len(chords)
    pad = np.zeros_like(t)
    for i, chord in enumerate(chords):
        envelope = np.clip(1 - np.abs((t - (i + 0.5) * bar) / (bar * 0.75)), 0, 1) ** 1.5
        for k, freq in enumerate(chord):
            detune = 1 + 0.002 * (k - 1)
            pad += envelope * np.sin(2 * np.pi * freq * detune * t + k) / (k + 2)
    noise = rng.standard_normal(len(t))
    kernel = np.ones(400) / 400
    sea = np.convolve(noise, kernel, mode="same") * (0.6 + 0.4 * np.sin(2 * np.pi * t / 9.0))
    left = 0.25 * pad + 0.5 * sea
    right = 0.25 * np.roll(pad, 300) + 0.5 * np.roll(sea, 4800)
    stereo = np.stack([left, right], axis=1)
    stereo /= np.abs(stereo).max() / 0.5
    fade = min(len(t) // 8, rate * 2)
    ramp = np.linspace(0, 1, fade)[:, None]
    stereo[:fade] *= ramp
    stereo[-fade:] *= ramp[::-1]
    import soundfile

    soundfile.write(path, stereo.astype(np.float32), rate, subtype="PCM_16")
    return path


def run_demo(
    out_dir: Path,
    script: Path | None = None,
    say: Callable[[str], None] = print,
    executor: str = "local",
    on_job_event=None,
    export_ctx=None,
    animatic: bool = True,
    preset: str = "720p",
) -> dict:
    """Make the demo film in `out_dir`. Returns the export report's JSON."""
    from studio.services import dubbing, export, generation, timeline
    from studio.services import script as script_service
    from studio.services.export_options import ExportOptions
    from studio.services.project import new_project

    script = Path(script or SAMPLE)
    if not script.is_file():
        raise InvalidInput(
            f"the sample screenplay {script} is missing",
            "run the demo from a checkout of the repository",
        )
    out_dir = Path(out_dir).resolve()
    folder = out_dir / "project"
    if folder.exists():
        shutil.rmtree(folder)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def step(message: str) -> None:
        say(f"[{time.monotonic() - started:6.1f}s] {message}")

    with new_project(folder, name="The Last Lamp") as project:
        step(f"breaking down {script.name}")
        plan = script_service.import_script(project, script)
        b = plan.breakdown
        step(
            f"{len(b.scenes)} scenes, {len(b.shots)} shots, {len(b.characters)} characters, "
            f"{len(b.lines)} lines"
        )
        step("drawing previz keyframes")
        generation.queue_keyframes(project)
        generation.run_queue(project, executor, on_event=on_job_event)
        step("animating camera clips")
        generation.queue_clips(project)
        generation.run_queue(project, executor, on_event=on_job_event)
        step("dubbing the dialogue")
        dubbing.queue_dub(project)
        generation.run_queue(project, executor, on_event=on_job_event)
        step("scoring: a synthesised ambient bed")
        timeline.set_music_bed(project, make_ambient_music(out_dir / "music.wav"))
        step("assembling the cut")
        cut = timeline.assemble(project)
        step(f"cut is {cut.duration.to_seconds():.1f} s; exporting")
        options = ExportOptions(preset=preset, animatic=animatic)
        report = export.export_film(project, out_dir, options, ctx=export_ctx)
    step(f"done: the film is {report.files['film']}")
    return report.to_json()
