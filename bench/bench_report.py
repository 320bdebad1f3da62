"""The script report (and the breakdown under it) on a feature-length and a 1 MB screenplay.

Generates plausible Fountain text (headings, action with camera directions, four-person
exchanges with parentheticals and CONT'D, dual dialogue, transitions), parses it once with
`studio.script.fountain`, then times `breakdown()` and `script_report()` (which runs the
breakdown itself). Goal: a ≈120-page script reports in well under a second.

Run: .venv/bin/python bench/bench_report.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.script.breakdown import breakdown  # noqa: E402
from studio.script.fountain import parse  # noqa: E402
from studio.script.report import script_report  # noqa: E402

WORDS = (
    "the old keeper climbs slowly toward a lamp that has burned for forty years while fog "
    "rolls over black water and a small drone hums somewhere below the gallery rail"
).split()
PEOPLE = ["ODA", "KIT", "COURIER-7", "DAD", "HARBOUR MASTER"]
DIRECTIONS = ["", "CLOSE ON: ", "WIDE SHOT -- ", "PUSH IN on ", "", "TRACKING SHOT -- ", ""]


def _words(count: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i) % len(WORDS)] for i in range(count))


def _scene(n: int) -> str:
    who = [PEOPLE[(n + k) % len(PEOPLE)] for k in range(4)]
    out = [f"{'INT' if n % 3 else 'EXT'}. PLACE {n % 23} - {'NIGHT' if n % 2 else 'DAY'} #{n + 1}#"]
    out.append(f"{DIRECTIONS[n % len(DIRECTIONS)]}{_words(28, n)}. {who[0]} waits.")
    out.append(f"{_words(16, n + 1)}, {who[1].title()} on the left.")
    for turn in range(7):
        speaker = who[turn % 2] if turn < 4 else who[2 + turn % 2]
        lines = [speaker + (" (CONT'D)" if turn == 5 else "") + (" ^" if turn == 6 else "")]
        if turn % 3 == 0:
            lines.append("(beat)")
        lines.append(_words(6 + (n * 5 + turn * 3) % 22, n + turn) + ".")
        out.append("\n".join(lines))
    out.append(f"{_words(20, n + 2)}.")
    out.append("CUT TO:")
    return "\n\n".join(out)


def generate(scenes: int) -> str:
    """Fountain text of `scenes` generated scenes, with a title page."""
    title = "Title: Benchmark Feature\nAuthor: bench_report.py\n\n"
    return title + "\n\n".join(_scene(n) for n in range(scenes)) + "\n"


def _scenes_for_pages(pages: float) -> int:
    probe = script_report(parse(generate(40)))
    return max(1, round(pages / probe.page_count * 40))


def _scenes_for_bytes(size: int) -> int:
    return max(1, round(size / len(generate(40).encode()) * 40))


def _timed(call, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of `repeat` calls."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def run(label: str, text: str, repeat: int) -> dict:
    started = time.perf_counter()
    screenplay = parse(text)
    parse_s = time.perf_counter() - started
    report = script_report(screenplay)
    return {
        "label": label,
        "bytes": len(text.encode()),
        "pages": report.page_count,
        "scenes": len(report.scenes),
        "shots": report.shot_count,
        "elements": len(screenplay.elements),
        "parse_s": parse_s,
        "breakdown_s": _timed(lambda: breakdown(screenplay), repeat),
        "report_s": _timed(lambda: script_report(screenplay), repeat),
        "load": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = [
        run("feature (≈120 pages)", generate(_scenes_for_pages(120)), args.repeat),
        run("1 MB", generate(_scenes_for_bytes(1_000_000)), args.repeat),
    ]
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs visible, no GPU")
    print(f"median of {args.repeat} warm runs; parse timed once, for reference")
    print("breakdown and report: wall s / CPU s; load: the 1-minute load average")
    header = f"{'script':<22}{'KB':>6}{'pages':>7}{'scenes':>7}{'shots':>7}{'parse s':>9}"
    print(header + f"{'breakdown s':>15}{'report s':>15}{'load':>6}")
    for r in rows:
        (bw, bc), (rw, rc) = r["breakdown_s"], r["report_s"]
        print(
            f"{r['label']:<22}{r['bytes'] / 1000:>6.0f}{r['pages']:>7.1f}{r['scenes']:>7}"
            f"{r['shots']:>7}{r['parse_s']:>9.3f}{f'{bw:.3f} / {bc:.3f}':>15}"
            f"{f'{rw:.3f} / {rc:.3f}':>15}{r['load']:>6.1f}"
        )


if __name__ == "__main__":
    main()
