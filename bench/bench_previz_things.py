"""Things drawn per panel: 20 nouns of the staging vocabulary in a 640×360 panel (issue 16,
points 3 and 7).

Workload: panels of 20 things each, the nouns taken in turn through the whole vocabulary (so every
drawing is timed), each in a box of its own size and place (widths 24–200 px, heights 20–160 px,
seeded), on paper. Measured: wall and CPU time per panel of 20 (median and 90th percentile over
--panels), and per thing by kind. `draw_hand` is timed alone.

    .venv/bin/python bench/bench_previz_things.py [--panels 300]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    import numpy as np

    from studio.generation.backends.previz_pencil import PAPER
    from studio.generation.backends.previz_things import draw_hand, draw_thing
    from studio.script.staging_things import VOCABULARY

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--panels", type=int, default=300)
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.2f}"
    )
    rng = np.random.default_rng(7)
    img = np.empty((360, 640, 3), np.uint8)
    nouns = [(t.noun, t.kind.value) for t in VOCABULARY]
    wall, cpu = [], []
    by_kind: dict[str, list[float]] = {}
    for p in range(args.panels):
        img[:] = PAPER
        things = [nouns[(p * 20 + i) % len(nouns)] for i in range(20)]
        boxes = []
        for _ in things:
            w, h = int(rng.integers(24, 200)), int(rng.integers(20, 160))
            x, y = int(rng.integers(0, 640 - w)), int(rng.integers(0, 360 - h))
            boxes.append((x, y, x + w, y + h))
        w0, c0 = time.perf_counter(), time.process_time()
        for (name, kind), box in zip(things, boxes, strict=True):
            t0 = time.perf_counter()
            draw_thing(img, name, kind, box)
            by_kind.setdefault(kind, []).append(time.perf_counter() - t0)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    wall.sort()
    cpu.sort()
    pct = int(len(wall) * 0.9)
    print(
        f"20 things per 640x360 panel, {args.panels} panels: wall median "
        f"{statistics.median(wall) * 1e3:.2f} ms (p90 {wall[pct] * 1e3:.2f}), CPU median "
        f"{statistics.median(cpu) * 1e3:.2f} ms (p90 {cpu[pct] * 1e3:.2f})"
    )
    for kind, times in sorted(by_kind.items()):
        print(f"  {kind:10s} median {statistics.median(times) * 1e3:.3f} ms per thing")
    hands = []
    for holding in (None, "pen", "cup", "letter", "harpoon") * 40:
        t0 = time.perf_counter()
        draw_hand(img, (100, 60, 420, 300), holding)
        hands.append(time.perf_counter() - t0)
    print(f"draw_hand 320x240: median {statistics.median(hands) * 1e3:.3f} ms")


if __name__ == "__main__":
    main()
