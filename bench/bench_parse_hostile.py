"""Parse time and memory on adversarial scripts of 1 MB and 10 MB, next to a normal script of the
same size: the ratio adversarial/normal (goal ≤ 3×).

Fountain: `parse(text)` and then `breakdown(screenplay)` (what `script import` runs on the text);
Final Draft: `parse_fdx(bytes)` against a normal .fdx of the same size. Time: median of
`--repeats` runs (1 at 10 MB); peak memory: tracemalloc in a separate run (parse only).

Run: .venv/bin/python bench/bench_parse_hostile.py [--sizes 1,10] [--repeats 3]
(figures printed as Markdown rows; copy them to bench/results/parse_hostile.md)
"""

from __future__ import annotations

import argparse
import gc
import platform
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.script.breakdown import breakdown  # noqa: E402
from studio.script.fdx import parse_fdx  # noqa: E402
from studio.script.fountain import parse  # noqa: E402
from tests.core.script.hostile_inputs import (  # noqa: E402
    FDX_CASES,
    FOUNTAIN_CASES,
    normal_fdx,
    normal_fountain,
)


def seconds(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mb(work: Callable[[], object]) -> float:
    gc.collect()
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def fountain_rows(size: int, repeats: int) -> None:
    normal = normal_fountain(size)
    screenplay = parse(normal)
    base_parse = seconds(lambda: parse(normal), repeats)
    base_breakdown = seconds(lambda: breakdown(screenplay, 24), repeats)
    base_peak = peak_mb(lambda: parse(normal))
    print(
        f"| normal script | {len(normal) / 1e6:.1f} MB | {base_parse * 1000:.0f} ms | — "
        f"| {base_breakdown * 1000:.0f} ms | — | {base_peak:.0f} MB | — |",
        flush=True,
    )
    for name, build in FOUNTAIN_CASES.items():
        text = build(size)
        hostile = parse(text)
        took = seconds(lambda text=text: parse(text), repeats)
        broken = seconds(lambda hostile=hostile: breakdown(hostile, 24), repeats)
        peak = peak_mb(lambda text=text: parse(text))
        print(
            f"| {name} | {len(text) / 1e6:.1f} MB | {took * 1000:.0f} ms | "
            f"{took / base_parse:.2f}× | {broken * 1000:.0f} ms | {broken / base_breakdown:.2f}× | "
            f"{peak:.0f} MB | {peak / base_peak:.2f}× |",
            flush=True,
        )
        del text, hostile


def fdx_rows(size: int, repeats: int) -> None:
    normal = normal_fdx(size)
    base = seconds(lambda: parse_fdx(normal), repeats)
    base_peak = peak_mb(lambda: parse_fdx(normal))
    print(
        f"| normal .fdx | {len(normal) / 1e6:.1f} MB | {base * 1000:.0f} ms | — "
        f"| {base_peak:.0f} MB | — |",
        flush=True,
    )
    for name, build in FDX_CASES.items():
        data = build(size)
        took = seconds(lambda data=data: parse_fdx(data), repeats)
        peak = peak_mb(lambda data=data: parse_fdx(data))
        print(
            f"| {name} | {len(data) / 1e6:.1f} MB | {took * 1000:.0f} ms | {took / base:.2f}× "
            f"| {peak:.0f} MB | {peak / base_peak:.2f}× |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,10", help="sizes in MB, comma-separated")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs at 1 MB (1 above)")
    args = parser.parse_args()
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    for mb in (float(value) for value in args.sizes.split(",")):
        size = int(mb * 1_000_000)
        repeats = args.repeats if mb <= 1 else 1
        print(f"\n### Fountain, {mb:g} MB\n")
        print("| input | size | parse | ratio | breakdown | ratio | parse peak | ratio |")
        print("|---|---|---|---|---|---|---|---|")
        fountain_rows(size, repeats)
        print(f"\n### Final Draft, {mb:g} MB\n")
        print("| input | size | parse_fdx | ratio | peak | ratio |")
        print("|---|---|---|---|---|---|")
        fdx_rows(size, repeats)


if __name__ == "__main__":
    main()
