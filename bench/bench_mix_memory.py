"""Benchmark: memory and time of the streamed mix (MixStream) for 2, 10 and 40 minutes of film,
and of our export with the streamed mix at 24 and 96 shots.

The film is bench/bench_audio.py's: Piper lines in scenes (rooms alternating, panned), a music
cue per two minutes, twelve effects per minute. Each size runs in a fresh subprocess: the
report's measuring passes and every chunk of the streamed mix, with tracemalloc on (peak traced
bytes) and the process's peak RSS (VmHWM, which includes the interpreter and the libraries).
For comparison, `mix()` (the whole film in one array) at 2 and 10 minutes.

The export part runs bench/bench_export.py's "ours" job (moved stills, music bed as long as the
film, dialogue bursts) but through the stream, as `export_film` now does: MixStream with the
bed read from its WAV in slices, then render_timeline pulling the chunks.

Run: .venv/bin/python bench/bench_mix_memory.py [--minutes 2 10 40] [--export-shots 24 96]
Prints its figures and writes bench/results/mix_memory.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def vm_hwm_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def takes_file(folder: Path) -> Path:
    """Dub bench_audio's 40 lines once and keep them in an .npz for the children."""
    import numpy as np
    from bench_audio import bench_dubbing

    path = folder / "takes.npz"
    if not path.exists():
        _, takes = bench_dubbing()
        np.savez(path, *takes)
    return path


def child_mix(minutes: float, takes_path: Path, mode: str) -> dict:
    import numpy as np
    from bench_audio import film

    from studio.audio.mix import MixSettings
    from studio.audio.mix_stream import MixStream, mix

    with np.load(takes_path) as data:
        takes = [data[k] for k in data.files]
    dialogue, music, effects, duration = film(takes, minutes)
    baseline = vm_hwm_mb()
    tracemalloc.start()
    started = time.perf_counter()
    if mode == "stream":
        stream = MixStream(dialogue, music, effects, duration, MixSettings())
        report = stream.report
        measured = time.perf_counter() - started
        samples = sum(len(chunk) for chunk in stream.chunks())
    else:
        out, report = mix(dialogue, music, effects, duration, MixSettings())
        measured, samples = float("nan"), len(out)
    wall = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert samples == round(duration * 48000)
    return {
        "mode": mode,
        "film minutes": minutes,
        "clips d/m/e": f"{len(dialogue)}/{len(music)}/{len(effects)}",
        "wall s": round(wall, 1),
        "of which report s": round(measured, 1),
        "x real time": round(duration / wall, 1),
        "peak traced MB": round(traced / 2**20, 1),
        "peak RSS MB": vm_hwm_mb(),
        "RSS before mixing MB": baseline,
        "input clips MB": round(
            sum(c.samples.nbytes for c in dialogue + music + effects) / 2**20, 1
        ),
        "LUFS": report.integrated_lufs,
        "dBTP": report.true_peak_dbtp,
        "limiter dB": report.limiter_reduction_db,
        "ducking dB": report.ducking_db,
    }


def child_export(folder: Path, target: Path) -> dict:
    import bench_export as be
    import export_workload as wl

    from studio.audio.mix import AudioClip, AudioFile, MixSettings, load_audio_file
    from studio.audio.mix_stream import MixStream
    from studio.render.pipeline import render_timeline

    workload = wl.Workload.load(folder)
    started = time.perf_counter()
    music = AudioFile(workload.music)
    dialogue = []
    for shot in workload.shots:
        if shot.dialogue:
            samples, rate = load_audio_file(shot.dialogue)
            dialogue.append(AudioClip(samples, rate, shot.dialogue_at))
    bed = AudioClip(music, music.rate, 0.0, gain_db=wl.MUSIC_GAIN_DB)
    stream = MixStream(dialogue, [bed], [], workload.seconds, MixSettings())
    report = stream.report
    mixed = time.perf_counter() - started
    timeline, media = be.our_timeline(workload), be.Media(workload)
    render_timeline(timeline, media, be.our_settings(), target, stream)
    return {
        "shots": len(workload.shots),
        "frames": workload.frames,
        "film s": round(workload.seconds, 1),
        "wall s": round(time.perf_counter() - started, 1),
        "report s": round(mixed, 1),
        "peak RSS MB": vm_hwm_mb(),
        "LUFS": report.integrated_lufs,
        "dBTP": report.true_peak_dbtp,
    }


def run_child(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def table(rows: list[dict]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def main(args: argparse.Namespace) -> None:
    machine = f"{os.cpu_count()} cores ({platform.machine()}), no GPU, Python "
    machine += f"{platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    print(f"machine: {machine}")
    sections = []
    with tempfile.TemporaryDirectory(prefix="bench_mix_memory_") as tmp:
        tmp = Path(tmp)
        takes = takes_file(tmp)
        rows = []
        for minutes in args.minutes:
            modes = ["stream", "array"] if minutes <= args.array_up_to else ["stream"]
            for mode in modes:
                rows.append(run_child("mix", str(minutes), str(takes), mode))
                print(json.dumps(rows[-1]), flush=True)
        sections.append("### The streamed mix (MixStream) and mix() (one array)\n\n" + table(rows))
        if args.export_shots:
            import export_workload as wl

            rows = []
            for shots in args.export_shots:
                folder = tmp / f"media_{shots}"
                wl.build(folder, shots)
                rows.append(run_child("export", str(folder), str(tmp / f"ours_{shots}.mp4")))
                print(json.dumps(rows[-1]), flush=True)
            sections.append(
                "### Our export with the streamed mix (bench_export's job, 1280x720)\n\n"
                + table(rows)
            )
    text = "\n\n".join(
        [
            "## Streamed mix memory (bench/bench_mix_memory.py)",
            f"Machine: {machine}; measured {time.strftime('%Y-%m-%d')}.",
            *sections,
        ]
    )
    print(text)
    if not args.no_write:
        out = ROOT / "bench" / "results" / "mix_memory.md"
        out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, nargs="*", default=[2.0, 10.0, 40.0])
    parser.add_argument("--array-up-to", type=float, default=10.0, help="mix() up to this size")
    parser.add_argument("--export-shots", type=int, nargs="*", default=[24, 96])
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        kind, *rest = options.child
        if kind == "mix":
            figures = child_mix(float(rest[0]), Path(rest[1]), rest[2])
        else:
            figures = child_export(Path(rest[0]), Path(rest[1]))
        print(json.dumps(figures))
    else:
        main(options)
