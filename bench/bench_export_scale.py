"""The export path at the scale of a real micro-film: each step timed at 300 and 1,200 shots.

Build (once; reused): a screenplay of N/6 scenes, each an establishing shot, two action beats,
a two-shot and a close-up of dialogue (three lines a scene: 600 lines at 1,200 shots), imported
through the services; previz keyframes at 320x180 through the job queue; the lines dubbed with
the built-in Piper voice (all of them, or the first --dub lines); a 30 s music bed (looped under
the film) and a sound effect every 10 scenes.

    .venv/bin/python bench/bench_export_scale.py build --shots 1200 --folder /tmp/scale/p1200

Measure: every step runs in a fresh subprocess on a copy of the project, so that its peak RSS
(VmHWM) is its own; the figure given is the peak minus the RSS after the imports and opening
the project ("+MiB"), and the tracemalloc peak of the step's Python allocations.

    .venv/bin/python bench/bench_export_scale.py measure --folder /tmp/scale/p1200 \
        [--render-minutes 5] [--steps assemble,mix,...] [--label before]

The render is timed at 320x180 (a custom RenderSettings, veryfast CRF 20) over the first
--render-minutes of the cut (0: the whole film), with the real mix as its sound; the figure is
also given per minute of film so that the whole film's render can be extrapolated.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

STEPS = (
    "assemble",
    "load",
    "mix",
    "subtitles",
    "otio",
    "storyboard",
    "storyboard_hd",
    "render",
    "animatic",
    "export_json",
    "timeline_show",
    "script_report",
)


# ---------------------------------------------------------------------------------- build


def screenplay(shots: int) -> str:
    """About `shots` shots: six a scene (establishing, 2 action beats, 2 coverage, 1 insert-ish
    action), three dialogue lines a scene, camera moves written into the action."""
    parts = ["Title: THE LONG NIGHT\nCredit: written by\nAuthor: Bench\n"]
    for s in range(1, shots // 6 + 1):
        place = ("INT. LIGHTHOUSE - NIGHT", "EXT. CLIFF PATH - DUSK")[s % 2]
        parts.append(f"\n{place} #{s}#\n")
        parts.append(f"\nANNA and BEN stand at the rail as the fog rolls in ({s}).\n")
        parts.append(
            f"\nANNA\nThe lamp has to turn all night, every night, until {s} ships pass.\n"
        )
        parts.append("\nBEN\n(quietly)\nThen we keep it turning.\n")
        parts.append("\nThe beam sweeps across the water and we PUSH IN on the lamp.\n")
        parts.append("\nANNA\nDo you hear that?\n")
        parts.append("\nBen turns toward the door, HANDHELD.\n")
        if s % 5 == 0:
            parts.append("\nDISSOLVE TO:\n")
    return "".join(parts)


def _tone_wav(path: Path, seconds: float, rate: int, freq: float, stereo: bool) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    wave_ = 0.2 * np.sin(2 * np.pi * freq * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 0.25 * t))
    data = np.stack([wave_, wave_], axis=1) if stereo else wave_
    pcm = (np.clip(data, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2 if stereo else 1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path


def build(folder: Path, shots: int, dub: int | None) -> None:
    from studio.services.dubbing import queue_dub
    from studio.services.generation import queue_keyframes, run_queue
    from studio.services.project import new_project
    from studio.services.script import import_script
    from studio.services.timeline import add_effect, assemble, set_music_bed

    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "long.fountain"
    script.write_text(screenplay(shots), encoding="utf-8")
    os.environ.setdefault("STUDIO_HOME", str(folder / "home"))
    t0 = time.perf_counter()
    with new_project(folder / "film", "The Long Night") as project:
        import_script(project, script)
        t1 = time.perf_counter()
        queue_keyframes(project, width=320, height=180)
        run_queue(project, executor="local")
        t2 = time.perf_counter()
        lines = project.store.lines.count() if hasattr(project.store.lines, "count") else None
        spec = f"1-{dub}" if dub else None
        queue_dub(project, spec)
        run_queue(project, executor="local")
        t3 = time.perf_counter()
        set_music_bed(project, _tone_wav(folder / "music.wav", 30, 44_100, 220.0, True))
        hit = _tone_wav(folder / "hit.wav", 1.5, 44_100, 880.0, False)
        for scene in range(0, shots // 6, 10):
            add_effect(project, hit, at=scene * 20.0 + 5.0)
        count = project.store.shots.count()
        assemble(project)  # the stored cut every export step reads
    print(
        f"built {count} shots ({lines} lines, dubbed {dub or 'all'}): script "
        f"{t1 - t0:.1f} s, keyframes {t2 - t1:.1f} s, dubbing {t3 - t2:.1f} s"
    )


# ---------------------------------------------------------------------------------- one step


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _reset_hwm() -> None:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _settings(minutes: float):
    from studio.render.frames import RenderSettings

    return RenderSettings(width=320, height=180, fps=24, crf=20, preset="veryfast")


def _cut(timeline, minutes: float):
    """The first `minutes` of the cut on every track (the item across the limit trimmed to
    it); 0: all of it."""
    from dataclasses import replace

    from studio.domain.time import RationalTime, TimeRange
    from studio.domain.timeline import Clip, Gap, Transition

    if not minutes:
        return timeline
    limit = int(minutes * 60 * timeline.rate)
    tracks = []
    for track in timeline.tracks:
        items, at = [], 0
        for item in track.items:
            if at >= limit:
                break
            length = item.duration.rescaled_to(timeline.rate).value
            if at + length > limit and isinstance(item, Clip):
                rate = item.source_range.start.rate
                keep = RationalTime(limit - at, timeline.rate).rescaled_to(rate)
                item = replace(item, source_range=TimeRange(item.source_range.start, keep))
            elif at + length > limit and isinstance(item, Gap):
                item = Gap(RationalTime(limit - at, timeline.rate))
            items.append(item)
            at += length
        while items and isinstance(items[-1], Transition):
            items.pop()
        tracks.append(replace(track, items=tuple(items)))
    return replace(timeline, tracks=tuple(tracks))


HD_PANELS = 120  # panels of the storyboard_hd step


def _hd_panels(store, panels: list) -> list:
    """The panels with 1280x720 previz keyframes in place of the 320x180 ones (drawn once by
    the previz backend, kept in /tmp/scale-hd-keyframes): a keyframe at the size a user makes."""
    from dataclasses import replace

    from studio.generation.backends.base import registry
    from studio.progress import JobContext
    from studio.services.generation import keyframe_request

    folder = Path(tempfile.gettempdir()) / "scale-hd-keyframes"
    folder.mkdir(exist_ok=True)
    shots = {s.number: s for s in store.shots.all()}
    made = []
    for panel in panels:
        path = folder / f"{panel.shot_number}.png"
        if not path.is_file():
            request = keyframe_request(store, shots[panel.shot_number], width=1280, height=720)
            path.write_bytes(registry.get(request.backend).generate(request, {}, JobContext()).data)
        made.append(replace(panel, image=path))
    return made


def _import_libraries() -> None:
    import av  # noqa: F401
    import cv2  # noqa: F401
    import opentimelineio  # noqa: F401
    import PIL.Image  # noqa: F401
    import reportlab.pdfgen.canvas  # noqa: F401
    import scipy.signal  # noqa: F401
    import soundfile  # noqa: F401

    import studio.audio.mix_stream  # noqa: F401
    import studio.render.pipeline  # noqa: F401


def run_step(step: str, folder: Path, minutes: float, trace: bool) -> dict:  # noqa: C901
    import tracemalloc

    from studio.services import export as ex
    from studio.services.project import open_project
    from studio.services.timeline import assemble, load_timeline
    from studio.store.media_lookup import StoreMedia

    extra: dict = {}
    if step in ("timeline_show", "script_report"):
        cli = str(Path(sys.executable).parent / "studio")
        args = (
            [cli, "timeline", str(folder), "show", "--json"]
            if step == "timeline_show"
            else [cli, "script", "report", str(folder)]
        )
        t0 = time.perf_counter()
        done = subprocess.run(args, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
        if done.returncode:
            raise SystemExit(f"{step} failed: {done.stderr[-2000:]}")
        return {"step": step, "seconds": round(seconds, 2), "output_kb": len(done.stdout) // 1024}
    _import_libraries()  # so that the step's peak RSS is its data, not the libraries' code
    project = open_project(folder)
    store = project.store
    timeline = load_timeline(store)
    out = folder.parent / "out"
    out.mkdir(exist_ok=True)
    base = _rss_mb()
    _reset_hwm()
    if trace:
        tracemalloc.start()
    t0 = time.perf_counter()
    if step == "assemble":
        timeline = assemble(project)
        extra["items"] = sum(len(t.items) for t in timeline.tracks)
    elif step == "load":
        timeline = load_timeline(store)
    elif step == "mix":
        report = ex.timeline_mix_stream(store, timeline).report
        extra["lufs"] = round(report.integrated_lufs, 2)
    elif step == "subtitles":
        from studio.audio.subtitles import to_srt, to_vtt

        cues = ex.subtitle_cues(store, timeline, 0.0)
        (out / "film.srt").write_text(to_srt(cues))
        (out / "film.vtt").write_text(to_vtt(cues))
        extra["cues"] = len(cues)
    elif step == "otio":
        from studio.timeline.otio import write_otio

        recipes = {t.id: t.recipe for t in store.takes.all()}
        path = write_otio(timeline, StoreMedia(store), recipes, out / "film.otio")
        extra["mb"] = round(path.stat().st_size / 2**20, 2)
    elif step == "storyboard":
        from studio.render.storyboard_pdf import write_storyboard

        pages = write_storyboard(ex.storyboard_panels(store), out / "storyboard.pdf", "Bench")
        extra["pages"] = pages
        extra["mb"] = round((out / "storyboard.pdf").stat().st_size / 2**20, 2)
    elif step == "storyboard_hd":
        from studio.render.storyboard_pdf import write_storyboard

        panels = _hd_panels(store, ex.storyboard_panels(store)[:HD_PANELS])
        base = _rss_mb()  # the 1280x720 keyframes are made before the clock starts
        _reset_hwm()
        t0 = time.perf_counter()
        pages = write_storyboard(panels, out / "storyboard_hd.pdf", "Bench")
        extra["panels"] = len(panels)
        extra["pages"] = pages
        extra["mb"] = round((out / "storyboard_hd.pdf").stat().st_size / 2**20, 2)
    elif step in ("render", "animatic"):
        from studio.render.pipeline import render_timeline

        cut = _cut(timeline, minutes)
        if step == "animatic":
            cut = ex.animatic_timeline(store, cut)
        # as the export does: its own media lookup where it has one (after the fixes)
        lookup = getattr(ex, "timeline_media", None)
        media = lookup(store, cut) if lookup else StoreMedia(store)
        audio = ex.timeline_mix_stream(store, cut)
        if step == "animatic":  # the export gives the animatic the film's measured mix
            audio.report  # noqa: B018
            t0 = time.perf_counter()
        done = render_timeline(cut, media, _settings(minutes), out / f"{step}.mp4", audio)
        film_minutes = done.frames / 24 / 60
        extra["film_minutes"] = round(film_minutes, 2)
        extra["frames"] = done.frames
    elif step == "export_json":
        report = ex.ExportReport(out, {"film": out / "film.mp4"}, 3600.0, 86400)
        (out / "export.json").write_text(json.dumps(report.to_json(), indent=2))
    seconds = time.perf_counter() - t0
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    if trace:
        tracemalloc.stop()
    if "film_minutes" in extra and extra["film_minutes"]:
        extra["s_per_film_minute"] = round(seconds / extra["film_minutes"], 2)
    project.close()
    return {
        "step": step,
        "seconds": round(seconds, 2),
        "rss_base_mb": round(base),
        "rss_peak_add_mb": round(_hwm_mb() - base),
        "tracemalloc_peak_mb": round(traced, 1) if traced is not None else None,
        **extra,
    }


# ---------------------------------------------------------------------------------- runner


def _copy_project(source: Path, work: Path) -> Path:
    """A copy of the project to work on: the database copied, the media hard-linked."""
    if work.exists():
        shutil.rmtree(work)
    target = work / "film"
    shutil.copytree(source / "film", target, copy_function=os.link, ignore=_db_files)
    for name in os.listdir(source / "film"):
        if name.startswith("project.db"):
            shutil.copy2(source / "film" / name, target / name)
    return target


def _db_files(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n.startswith("project.db")]


def measure(folder: Path, steps: list[str], minutes: float, label: str, trace: bool) -> list:
    results = []
    work = Path(str(folder) + f"-work-{label}")
    project = _copy_project(folder, work)
    for step in steps:
        command = [sys.executable, __file__, "step", step, str(project), "--render-minutes"]
        command += [str(minutes)] + (["--trace"] if trace and step not in ("render",) else [])
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            print(done.stderr[-3000:])
            raise SystemExit(f"step {step} failed")
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        print(json.dumps(figures), flush=True)
        results.append(figures)
    shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--shots", type=int, default=1200)
    b.add_argument("--folder", type=Path, required=True)
    b.add_argument("--dub", type=int, default=None, help="dub only the first N lines")
    m = sub.add_parser("measure")
    m.add_argument("--folder", type=Path, required=True)
    m.add_argument("--steps", default=",".join(STEPS))
    m.add_argument("--render-minutes", type=float, default=5.0)
    m.add_argument("--label", default="now")
    m.add_argument("--trace", action="store_true", help="tracemalloc (slower) in each step")
    m.add_argument("--markdown", type=Path, help="append this run's table to a markdown file")
    s = sub.add_parser("step")
    s.add_argument("name", choices=STEPS)
    s.add_argument("project", type=Path)
    s.add_argument("--render-minutes", type=float, default=5.0)
    s.add_argument("--trace", action="store_true")
    args = parser.parse_args()
    if args.command == "build":
        build(args.folder, args.shots, args.dub)
    elif args.command == "step":
        print(json.dumps(run_step(args.name, args.project, args.render_minutes, args.trace)))
    else:
        print(
            f"machine: {os.cpu_count()} cores, no GPU, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}"
        )
        steps = [s.strip() for s in args.steps.split(",") if s.strip()]
        results = measure(args.folder, steps, args.render_minutes, args.label, args.trace)
        if args.markdown:
            with args.markdown.open("a", encoding="utf-8") as out:
                out.write(markdown(results, args.folder, args.label))


def markdown(results: list[dict], folder: Path, label: str) -> str:
    """One run as a markdown table: step, seconds, peak RSS above the base, the rest."""
    head = (
        f"\n### {label}: {folder.name} (load average {os.getloadavg()[0]:.2f})\n\n"
        "| step | seconds | +RSS MiB | figures |\n|---|---|---|---|\n"
    )
    rows = []
    for r in results:
        skip = ("step", "seconds", "rss_base_mb", "rss_peak_add_mb")
        rest = {k: v for k, v in r.items() if k not in skip and v is not None}
        added = r.get("rss_peak_add_mb", "")
        figures = ", ".join(f"{k} {v}" for k, v in rest.items())
        rows.append(f"| {r['step']} | {r['seconds']} | {added} | {figures} |")
    return head + "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
