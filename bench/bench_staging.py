"""Scene plans per second: every scene of a 1,200-shot film planned (issue 16, point 7).

Workload: `bench_export_scale.screenplay(1200)`: 200 scenes of six shots (establishing, two
action beats with moves, a two-shot and a close-up of dialogue), two speakers a scene, imported
through the services into a fresh project. Measured, median of --runs: `all_plans` (the
project's scenes, shots, sheets, lines and placements read, every scene planned: what `studio
scenes PATH plan` and `check` do per scene) and `check_scenes`; then the pure planning alone
(`plan_scene` over rows read once) to show what the database reading costs.

    .venv/bin/python bench/bench_staging.py [--shots 1200] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    from bench.bench_export_scale import screenplay
    from studio.script.staging import plan_scene
    from studio.services.project import new_project
    from studio.services.script import import_script
    from studio.services.staging import all_plans, check_scenes, scene_inputs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "long.fountain"
        script.write_text(screenplay(args.shots), encoding="utf-8")
        with new_project(Path(folder) / "film", "The Long Night") as project:
            import_script(project, script)
            store = project.store
            scenes = store.scenes.in_order()
            shots = store.shots.in_order()
            print(f"{len(scenes)} scenes, {len(shots)} shots")
            timed: dict[str, list[float]] = {"all_plans": [], "check_scenes": [], "pure": []}
            inputs = list(scene_inputs(store))
            for _ in range(args.runs):
                t0 = time.perf_counter()
                plans = all_plans(store)
                t1 = time.perf_counter()
                flags = check_scenes(store)
                t2 = time.perf_counter()
                for position, scene, its_shots, cast, lines, placements in inputs:
                    plan_scene(position, scene, its_shots, cast, lines, placements)
                t3 = time.perf_counter()
                timed["all_plans"].append(t1 - t0)
                timed["check_scenes"].append(t2 - t1)
                timed["pure"].append(t3 - t2)
            cameras = sum(len(p.cameras) for p in plans)
            print(f"{cameras} cameras, {len(flags)} continuity flags")
            for name, values in timed.items():
                median = statistics.median(values)
                print(
                    f"{name:<13} {median * 1000:8.1f} ms = {len(scenes) / median:8.0f} scenes/s "
                    f"({len(shots) / median:8.0f} shots/s), median of {args.runs}"
                )


if __name__ == "__main__":
    main()
