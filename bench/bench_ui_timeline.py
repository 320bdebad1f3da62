"""UI benchmark: the timeline of a dubbed, assembled 1,200-shot film in the desktop studio.

Opens a project built by `bench_export_scale.py build` (1,200 shots, 600 dubbed lines, music,
effects, the cut assembled) in the main window offscreen and times: opening it until every
view has loaded (the timeline draws about 1,800 clips and starts their waveforms), a timeline
reload, zooming, a trim with its redraw, and scrolling across the whole cut.

    .venv/bin/python bench/bench_export_scale.py build --folder /tmp/scale/p1200
    .venv/bin/python bench/bench_ui_timeline.py /tmp/scale/p1200/film
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository's `ui` package


def measure(project: Path) -> dict[str, float]:
    from PySide6.QtWidgets import QApplication

    from studio.services.project import open_project
    from ui.app import create_window

    window = create_window(executor="inline", model_home=project.parent / "home")
    window.show()
    QApplication.processEvents()
    figures: dict[str, float] = {}

    def timed(name: str, action) -> None:
        start = time.perf_counter()
        action()
        QApplication.processEvents()
        figures[name] = time.perf_counter() - start

    timed("open the project (all views)", lambda: window.session.set_project(open_project(project)))
    window.docks["timeline"].raise_()
    timed("timeline reload and draw", window.timeline.reload)
    figures["clips drawn"] = len(window.timeline.canvas.items_by_place)
    for factor in (0.5, 4.0):
        timed(f"zoom ×{factor}", lambda f=factor: window.timeline.zoom(f))
    timed("trim a clip, redraw", lambda: window.timeline.trim("V1", 1, 0, -6))
    bar = window.timeline.canvas.horizontalScrollBar()

    def scroll() -> None:
        for value in range(0, bar.maximum() + 1, max(1, bar.maximum() // 50)):
            bar.setValue(value)
            window.timeline.canvas.viewport().repaint()
            QApplication.processEvents()

    timed("scroll the whole cut (50 steps, painted)", scroll)
    window.session.project.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path, help="a project folder (…/film)")
    args = parser.parse_args()
    # the trim must not change the built project; workers may still write thumbnails at exit
    with tempfile.TemporaryDirectory(prefix="bench_ui_", ignore_cleanup_errors=True) as tmp:
        copy = Path(tmp) / "film"
        shutil.copytree(args.project, copy)
        figures = measure(copy)
    print(f"machine: {os.cpu_count()} cores, no GPU; load average {os.getloadavg()[0]:.2f}")
    for name, value in figures.items():
        shown = f"{value:.0f}" if name == "clips drawn" else f"{value * 1000:.0f} ms"
        print(f"{name:<44} {shown}")


if __name__ == "__main__":
    main()
