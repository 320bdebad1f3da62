"""Benchmark: dubbing ~40 screenplay lines with the real Piper voice, and mixing ten minutes.

Run: .venv/bin/python bench/bench_audio.py [--mix-minutes 10] [--no-write]
Prints its figures and writes them to bench/results/audio.md.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.audio.dubbing import default_profiles  # noqa: E402
from studio.audio.mix import AudioClip, MixSettings  # noqa: E402
from studio.audio.mix_stream import mix  # noqa: E402
from studio.audio.space import pan_from_x  # noqa: E402
from studio.audio.voices import find_voice, load_voice  # noqa: E402
from studio.generation.backends.piper_voice import PiperBackend  # noqa: E402
from studio.generation.voice import voice_request_for  # noqa: E402
from studio.progress import JobContext  # noqa: E402

RATE = 48000
SCRIPT = [
    ("MARA", "", "You're late."),
    ("JONAH", "", "The bridge was closed. I had to go around by the quarry."),
    ("MARA", "(beat)", "The quarry road has been shut for a year."),
    ("JONAH", "", "Then I suppose I imagined it."),
    ("MARA", "", "Sit down. Tea's still warm, more or less."),
    ("JONAH", "(softly)", "Is he asleep?"),
    ("MARA", "", "Finally. He asked for you twice."),
    ("JONAH", "", "What did you tell him?"),
    ("MARA", "", "That you'd be here when he woke up. So you'd better be."),
    ("ELI", "(shouting)", "Mara! The generator's out again!"),
    ("MARA", "", "Of course it is."),
    ("ELI", "", "I've checked the fuel. It's not the fuel."),
    ("JONAH", "", "Let me look at it."),
    ("ELI", "", "You? Since when do you know anything about engines?"),
    ("JONAH", "", "Since I spent two winters fixing them for a man who paid in soup."),
    ("MARA", "(whispering)", "Keep your voices down, both of you."),
    ("ELI", "", "Sorry. Sorry."),
    ("ROSA", "", "Is everyone going to stand in the hall all night?"),
    ("ROSA", "", "There's a lamp in the cupboard, and candles in the drawer by the sink."),
    ("ELI", "", "Thank you, Rosa."),
    ("JONAH", "", "It's the starter. I can hear it clicking from here."),
    ("MARA", "", "Can you fix it tonight?"),
    ("JONAH", "(beat)", "Not without a part."),
    ("ROSA", "", "Then we'll manage without it. We did before."),
    ("ELI", "(angrily)", "Before, we didn't have a sick child in the house!"),
    ("MARA", "", "Eli."),
    ("ELI", "", "I know. I know. I'm sorry."),
    ("ROSA", "", "Nobody's blaming you."),
    ("JONAH", "", "There's a shop in Harwick. It opens at seven."),
    ("MARA", "", "That's forty minutes each way."),
    ("JONAH", "", "Then I'll leave at six."),
    ("ROSA", "(quietly)", "You came all this way to leave again?"),
    ("JONAH", "", "I came all this way to stay. That's why I'm going."),
    ("MARA", "", "Take the truck. The keys are on the hook."),
    ("ELI", "", "It needs petrol."),
    ("MARA", "", "Then it needs petrol. Eli, please."),
    ("ELI", "", "Fine. I'll fill it in the morning."),
    ("ROSA", "", "Bed. All of you. The storm won't wait for us to be ready."),
    ("JONAH", "(pause)", "Goodnight, Mara."),
    ("MARA", "", "Goodnight. Welcome home."),
]


def machine() -> str:
    return (
        f"{os.cpu_count()} cores ({platform.machine()}), no GPU, Python {platform.python_version()}"
    )


def bench_dubbing() -> tuple[dict, list[np.ndarray]]:
    started = time.perf_counter()
    load_voice(find_voice("joe"))
    load_seconds = time.perf_counter() - started
    backend = PiperBackend()
    profiles = default_profiles(list(dict.fromkeys(name for name, _, _ in SCRIPT)))
    takes, per_line = [], []
    started = time.perf_counter()
    for index, (name, parenthetical, text) in enumerate(SCRIPT):
        request = voice_request_for(text, parenthetical, profiles[name], {}, name, seed=index)
        line_started = time.perf_counter()
        result = backend.generate(request, {}, JobContext())
        per_line.append(time.perf_counter() - line_started)
        samples, _ = soundfile.read(io.BytesIO(result.data), dtype="float32")
        takes.append(samples)
    wall = time.perf_counter() - started
    audio = sum(len(t) for t in takes) / RATE
    figures = {
        "lines": len(SCRIPT),
        "voice load s": round(load_seconds, 2),
        "synthesis wall s": round(wall, 2),
        "speech s": round(audio, 1),
        "real-time factor": round(wall / audio, 3),
        "per line median s": round(float(np.median(per_line)), 3),
        "per line max s": round(max(per_line), 3),
    }
    return figures, takes


def film(takes: list[np.ndarray], minutes: float) -> tuple[list, list, list, float]:
    """A film's worth of clips: lines in scenes, a music cue per two minutes, effects."""
    duration = minutes * 60.0
    rng = np.random.default_rng(0)
    dialogue, at, index = [], 1.0, 0
    while at < duration - 5:
        take = takes[index % len(takes)]
        scene = int(at // 60)
        dialogue.append(
            AudioClip(
                take,
                RATE,
                at,
                pan=pan_from_x(rng.uniform(0.2, 0.8)),
                azimuth_deg=float(rng.uniform(-60, 60)),
                room="interior" if scene % 2 == 0 else "exterior",
            )
        )
        at += len(take) / RATE + rng.uniform(0.3, 2.5)
        index += 1
    music = [
        AudioClip(_music(min(120.0, duration - start), start), RATE, start, -6, 2.0, 3.0)
        for start in np.arange(0.0, duration, 120.0)
    ]
    effects = [
        AudioClip(_hit(rng), RATE, float(t), gain_db=-3, room="exterior")
        for t in rng.uniform(0, duration - 2, int(minutes * 12))
    ]
    return dialogue, music, effects, duration


def _music(seconds: float, seed: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE), dtype=np.float32) / RATE
    root = 110.0 * 2 ** ((int(seed) // 120 % 5) / 12)
    chord = sum(np.sin(2 * np.pi * root * r * t) for r in (1.0, 1.26, 1.5, 2.0)) / 4
    swell = 0.6 + 0.4 * np.sin(2 * np.pi * t / 7.0)
    left = (0.25 * chord * swell).astype(np.float32)
    return np.stack([left, np.roll(left, 240)], axis=1)


def _hit(rng: np.random.Generator) -> np.ndarray:
    n = int(0.4 * RATE)
    decay = np.exp(-np.arange(n) / (0.05 * RATE))
    return (rng.standard_normal(n) * decay * 0.15).astype(np.float32)


def bench_mix(takes: list[np.ndarray], minutes: float, binaural: bool) -> dict:
    dialogue, music, effects, duration = film(takes, minutes)
    settings = MixSettings(binaural=binaural)
    started = time.perf_counter()
    out, report = mix(dialogue, music, effects, duration, settings)
    wall = time.perf_counter() - started
    del out
    tracemalloc.start()
    mix(dialogue, music, effects, duration, settings)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {
        "film minutes": minutes,
        "clips (dialogue/music/effects)": f"{len(dialogue)}/{len(music)}/{len(effects)}",
        "binaural": binaural,
        "mix wall s": round(wall, 2),
        "x real time": round(duration / wall, 1),
        "peak traced MB (tracemalloc)": round(traced_peak / 2**20, 1),
        "output MB (float32 stereo)": round(duration * RATE * 2 * 4 / 2**20, 1),
        "LUFS": report.integrated_lufs,
        "dBTP": report.true_peak_dbtp,
        "LRA": report.loudness_range,
        "ducking dB": report.ducking_db,
        "limiter dB": report.limiter_reduction_db,
    }


def table(title: str, figures: dict) -> str:
    rows = "\n".join(f"| {k} | {v} |" for k, v in figures.items())
    return f"### {title}\n\n| figure | value |\n|---|---|\n{rows}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mix-minutes", type=float, default=10.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    dubbing, takes = bench_dubbing()
    print(table("Dubbing (piper, joe voice)", dubbing))
    mixing = bench_mix(takes, args.mix_minutes, binaural=False)
    print(table(f"Mixing {args.mix_minutes:g} minutes (pan, rooms, ducking, loudness)", mixing))
    binaural = bench_mix(takes, args.mix_minutes, binaural=True)
    print(table(f"Mixing {args.mix_minutes:g} minutes, binaural", binaural))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the whole run: {rss:.0f} MB")
    if not args.no_write:
        text = "\n".join(
            [
                "## Audio: dubbing and mixing (bench/bench_audio.py)",
                "",
                f"Machine: {machine()}, shared with other work. Measured "
                f"{time.strftime('%Y-%m-%d')}.",
                "",
                table("Dubbing (piper, joe voice)", dubbing),
                table(
                    f"Mixing {args.mix_minutes:g} minutes (pan, rooms, ducking, loudness)", mixing
                ),
                table(f"Mixing {args.mix_minutes:g} minutes, binaural", binaural),
                f"Peak resident memory of the whole run (getrusage): {rss:.0f} MB.",
                "",
                "Workload: 40 lines of a four-character scene (default profiles: pitch shifts, "
                "rates; whispered, shouted and paused lines), seeded. The mix reuses those takes "
                "over the whole film (a line every ~1-3 s, interior and exterior scenes "
                "alternating each minute, pan from a random x), five two-minute music cues "
                "with fades, and 12 noise-burst effects a minute in an exterior. Timings are "
                "one run, wall clock, on a machine shared with other engineers; the traced peak "
                "is tracemalloc's (numpy buffers included) on a second, identical run.",
                "",
            ]
        )
        out = Path(__file__).resolve().parent / "results" / "audio.md"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        print(f"written to {out}")


if __name__ == "__main__":
    main()
