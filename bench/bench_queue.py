"""Benchmark: the generation engine at film scale.

1,200 shots × 4 previz takes at 640×360 through the local executor (worker processes): jobs per
second, peak memory, database size. Then the queue's overhead per job against calling the backend
directly (same requests, one process, inline executor).

    .venv/bin/python bench/bench_queue.py [--shots 1200] [--takes 4] [--overhead 200]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.domain import Scene, Shot  # noqa: E402
from studio.generation.backends.base import registry  # noqa: E402
from studio.progress import JobContext  # noqa: E402
from studio.services.generation import keyframe_request, queue_keyframes, run_queue  # noqa: E402
from studio.services.project import new_project  # noqa: E402


def build(folder: Path, shots: int):
    project = new_project(folder, name="Scale")
    store = project.store
    with store.engine.begin() as conn:
        scenes = [
            store.scenes.add(Scene(order=i, heading=f"INT. ROOM {i} - DAY", int_ext="INT"), conn)
            for i in range(max(1, shots // 12))
        ]
        store.shots.add_many(
            (
                Shot(
                    scene_id=scenes[i % len(scenes)].id,
                    order=i,
                    number=str(i + 1),
                    description=f"Shot {i + 1}: someone crosses the room",
                    seed=i + 1,
                )
                for i in range(shots)
            ),
            conn,
        )
    return project


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def scale(shots: int, takes: int, workers: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p", shots)
        t0 = time.perf_counter()
        jobs = queue_keyframes(project, takes=takes, width=640, height=360)
        queued = time.perf_counter() - t0
        t0 = time.perf_counter()
        summary = run_queue(project, "local", cpu_workers=workers)
        ran = time.perf_counter() - t0
        project.close()  # checkpoints the WAL into project.db
        db = sum(f.stat().st_size for f in Path(tmp, "p").glob("project.db*"))
        media = sum(f.stat().st_size for f in Path(tmp, "p", "media").rglob("*") if f.is_file())
    own, children = peak_rss_mb()
    return {
        "jobs": len(jobs),
        "done": summary.done,
        "queue_s": queued,
        "run_s": ran,
        "jobs_per_s": summary.done / ran,
        "peak_parent_mb": own,
        "peak_worker_mb": children,
        "db_mb": db / 1e6,
        "media_mb": media / 1e6,
    }


def overhead(count: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "p", count)
        store = project.store
        backend = registry.get("previz")
        requests = [
            keyframe_request(store, s, 0, width=640, height=360) for s in store.shots.in_order()
        ]
        backend.generate(requests[0], {}, JobContext())  # warm
        t0 = time.perf_counter()
        for request in requests:
            backend.generate(request, {}, JobContext())
        direct = time.perf_counter() - t0
        queue_keyframes(project, takes=1, width=640, height=360)
        t0 = time.perf_counter()
        run_queue(project, "inline")
        queued = time.perf_counter() - t0
        project.close()
    return {
        "count": count,
        "direct_ms": direct / count * 1000,
        "queued_ms": queued / count * 1000,
        "overhead_ms": (queued - direct) / count * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--takes", type=int, default=4)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--overhead", type=int, default=200)
    args = parser.parse_args()
    o = overhead(args.overhead)
    print(
        f"overhead over {o['count']} jobs: direct {o['direct_ms']:.1f} ms/job, through the "
        f"queue {o['queued_ms']:.1f} ms/job → {o['overhead_ms']:.1f} ms/job "
        "(claim, progress, store PNG, asset + take + job rows)"
    )
    r = scale(args.shots, args.takes, args.workers)
    print(
        f"{args.shots} shots × {args.takes} takes = {r['jobs']} jobs (queued in "
        f"{r['queue_s']:.1f} s), {r['done']} done in {r['run_s']:.1f} s → "
        f"{r['jobs_per_s']:.1f} jobs/s with {args.workers} workers"
    )
    print(
        f"peak RSS: project process {r['peak_parent_mb']:.0f} MB, largest worker "
        f"{r['peak_worker_mb']:.0f} MB; project.db {r['db_mb']:.1f} MB; "
        f"media {r['media_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
