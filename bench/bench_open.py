"""What checking a project's database costs when it opens (issue 14, point 1).

Build (once; reused): a 1,200-shot project with 4 previz keyframe takes a shot (4,800 jobs and
takes with their recipes, as in bench_queue; the panels at 32x18 to keep the media small).

Measure, each in a fresh process (`studio info` is one process per command), median of 7:
the whole read-only open + `project_info`; the schema check's parts: building the expected schema
from the migrations (once per process), reading the database's shape (sqlite_master + PRAGMAs),
`quick_check` (every open) and `integrity_check` (doctor, unbundle).

    .venv/bin/python bench/bench_open.py [--shots 1200] [--folder /tmp/bench-open]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
from studio.services.project import open_readonly, project_info
from studio.store import migrate, schema
from studio.store.db import connect_readonly
t1 = time.perf_counter()
folder = sys.argv[1]
with open_readonly(folder) as store:
    project_info(store)
t2 = time.perf_counter()
db = store.db_path
schema.expected_shape.cache_clear()
t3 = time.perf_counter()
schema.expected_shape(migrate.head_revision())
t4 = time.perf_counter()
con = connect_readonly(db)
schema.read_shape(con)
t5 = time.perf_counter()
con.execute("PRAGMA quick_check").fetchall()
t6 = time.perf_counter()
con.execute("PRAGMA integrity_check").fetchall()
t7 = time.perf_counter()
schema.inspect_database(db)
t8 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "open_and_info": t2 - t1, "expected_shape": t4 - t3,
                  "read_shape": t5 - t4, "quick_check": t6 - t5, "integrity_check": t7 - t6,
                  "inspect_warm": t8 - t7}))
"""


def build(folder: Path, shots: int) -> None:
    from bench.bench_ui import long_script
    from studio.services.generation import queue_keyframes, run_queue
    from studio.services.project import new_project
    from studio.services.script import import_script

    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "long.fountain"
    script.write_text(long_script(shots), encoding="utf-8")
    with new_project(folder / "film", "The Long Night") as project:
        import_script(project, script)
        queue_keyframes(project, takes=4, width=32, height=18)
        run_queue(project, executor="local")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/bench-open"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    film = args.folder / "film"
    if not (film / "project.db").exists():
        build(args.folder, args.shots)
    runs = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, str(film)],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        runs.append(json.loads(out.stdout))
    median = {k: statistics.median(r[k] for r in runs) * 1000 for k in runs[0]}
    size = (film / "project.db").stat().st_size / 1e6
    print("## Opening a project with its database checked (bench/bench_open.py)\n")
    print(
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load {os.getloadavg()[0]:.1f}. project.db {size:.1f} MB ({args.shots} shots).\n"
    )
    print("| step | median ms |\n|---|---|")
    for key, value in median.items():
        print(f"| {key} | {value:.1f} |")


if __name__ == "__main__":
    main()
