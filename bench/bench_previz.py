"""Previz panels per second and camera-clip render speed.

Workload: a 10-minute film's shot list (1,200 shots by default, 4 takes each, the take number
as the seed), with shot sizes, angles, moves, one to three figures and INT/EXT descriptions drawn
from a fixed generator, so every run draws the same panels. Panels are 640x360 PNGs drawn on
one thread. Camera clips: a 72-frame shot with 12-frame handles (96 frames, CRF 14 veryfast
H.264) animated from a 1920x1080 previz panel, at 640x360 and 1280x720.

Staged panels: the sample film's scenes planned and every shot's request built through the
services (take after take, each another composition) up to 1,200, drawn the same way.

Run: .venv/bin/python bench/bench_previz.py [--shots 1200] [--takes 4] [--staged 1200]
[--no-clips]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from studio.generation.backends.camera import CameraBackend
from studio.generation.backends.previz import ANGLES, MOVES, SIZES, PrevizBackend, panel_layout
from studio.generation.backends.previz_draw import draw_panel
from studio.generation.requests import ClipRequest, Figure, KeyframeRequest
from studio.media.decode import encode_png
from studio.progress import JobContext

NAMES = ("ANNA", "BEN", "CLARA", "DEV", "ELENA")
COLOURS = ("#c0392b", "#2471a3", "#27ae60", "#8e44ad", "#d35400")
PLACES = ("INT. KITCHEN - NIGHT", "EXT. HARBOUR - DAY", "INT. OFFICE - DAY", "EXT. ROAD - DUSK")
ACTIONS = (
    "Anna lifts the letter to the lamp and reads it twice before she looks up at Ben.",
    "They walk in silence along the wall, the wind pulling at their coats.",
    "Clara slides the key across the table without a word.",
    "Dev turns away from the window as the phone starts to ring again and again.",
)


def shot_list(count: int) -> list[KeyframeRequest]:
    rng = np.random.default_rng(2026)
    sizes = [s for s in SIZES if s != "INSERT"] + ["INSERT"]
    shots = []
    for number in range(1, count + 1):
        people = int(rng.integers(1, 4))
        figures = tuple(
            Figure(NAMES[k], float(rng.uniform(0.1, 0.9)), COLOURS[k])
            for k in rng.choice(len(NAMES), people, replace=False)
        )
        shots.append(
            KeyframeRequest(
                shot_number=str(number),
                size=sizes[int(rng.integers(len(sizes)))],
                angle=ANGLES[int(rng.integers(len(ANGLES)))],
                movement=MOVES[int(rng.integers(len(MOVES)))],
                figures=figures,
                description=f"{PLACES[number % 4]}. {ACTIONS[int(rng.integers(4))]}",
            )
        )
    return shots


def bench_panels(shots: list[KeyframeRequest], takes: int) -> dict[str, float]:
    return bench_requests([replace(shot, seed=take) for shot in shots for take in range(takes)])


def staged_requests(count: int) -> tuple[list[KeyframeRequest], float]:
    """`count` staged requests from the sample film's scene plans (its 37 shots, take after
    take: every take another composition), and the seconds planning and building them took."""
    from studio.services.generation import keyframe_request
    from studio.services.project import new_project
    from studio.services.script import import_script
    from studio.services.staging import plans_by_scene

    sample = Path(__file__).resolve().parents[1] / "projects" / "sample" / "script.fountain"
    with tempfile.TemporaryDirectory() as folder, new_project(Path(folder) / "film") as project:
        import_script(project, sample)
        store = project.store
        shots = store.shots.in_order()
        start = time.perf_counter()
        plans = plans_by_scene(store)
        requests = [
            keyframe_request(store, shot, take, "previz", width=640, height=360, plans=plans)
            for take in range(-(-count // len(shots)))
            for shot in shots
        ][:count]
        return requests, time.perf_counter() - start


def bench_requests(requests: list[KeyframeRequest]) -> dict[str, float]:
    backend, ctx = PrevizBackend(), JobContext()
    start = time.perf_counter()
    size = 0
    for request in requests:
        size += len(backend.generate(request, {}, ctx).data)
    total = time.perf_counter() - start
    sample = requests[:: max(1, len(requests) // 300)]
    t0 = time.perf_counter()
    images = [draw_panel(panel_layout(r), r) for r in sample]
    t1 = time.perf_counter()
    for image in images:
        encode_png(image)
    t2 = time.perf_counter()
    return {
        "panels": len(requests),
        "seconds": total,
        "per_second": len(requests) / total,
        "draw_ms": (t1 - t0) / len(sample) * 1000,
        "png_ms": (t2 - t1) / len(sample) * 1000,
        "kb": size / len(requests) / 1024,
    }


def bench_clip(source: bytes, width: int, height: int, movement: str) -> tuple[float, int]:
    sha = hashlib.sha256(source).hexdigest()
    request = ClipRequest(
        source_keyframe=sha, movement=movement, frames=72, handles=12, width=width, height=height
    )
    start = time.perf_counter()
    result = CameraBackend().generate(request, {sha: source}, JobContext())
    return request.total_frames / (time.perf_counter() - start), len(result.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--takes", type=int, default=4)
    parser.add_argument("--staged", type=int, default=1200, help="staged panels (0: none)")
    parser.add_argument("--no-clips", action="store_true", help="panels only")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, no GPU, Python {platform.python_version()}")

    cv2.setNumThreads(1)
    panels = bench_panels(shot_list(args.shots), args.takes)
    _report("previz 640x360, 1 thread", panels)
    if args.staged:
        requests, planning = staged_requests(args.staged)
        print(f"staged: {len(requests)} requests planned and built in {planning:.2f} s")
        _report("staged previz 640x360, 1 thread", bench_requests(requests))
    if args.no_clips:
        return

    cv2.setNumThreads(0)
    keyframe = shot_list(1)[0]
    big = replace(keyframe, width=1920, height=1080)
    source = PrevizBackend().generate(big, {}, JobContext()).data
    for width, height in ((640, 360), (1280, 720)):
        for movement in ("push_in", "pan_right", "handheld"):
            fps, size = bench_clip(source, width, height, movement)
            print(
                f"camera clip {width}x{height} {movement}: 96 frames at {fps:.0f} fps "
                f"(warp + H.264 CRF 14 veryfast, encoder threads auto), {size / 1024:.0f} KB"
            )


def _report(what: str, panels: dict[str, float]) -> None:
    print(
        f"{what}: {panels['panels']} panels in {panels['seconds']:.1f} s = "
        f"{panels['per_second']:.1f} panels/s (draw {panels['draw_ms']:.1f} ms + PNG "
        f"{panels['png_ms']:.1f} ms a panel, {panels['kb']:.0f} KB)"
    )


if __name__ == "__main__":
    main()
