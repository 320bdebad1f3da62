"""UI benchmark: a 1,200-shot project in the desktop studio (offscreen).

Measures (1) opening the project to the storyboard's first paint, (2) memory (RSS) after
scrolling the whole grid with its thumbnails, (3) the longest UI event-loop stall while a batch
of takes generates on the local executor (a 5 ms QTimer measures its own lateness).

    .venv/bin/python bench/bench_ui.py [--shots 1200] [--batch 48]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psutil  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository's `ui` package, not a namespace of that name


def long_script(shots: int) -> str:
    """A screenplay whose breakdown has about `shots` shots (5 action beats and an
    establishing shot a scene)."""
    parts = ["Title: THE LONG NIGHT\n"]
    for scene in range(1, shots // 6 + 1):
        place = ("INT. LIGHTHOUSE - NIGHT", "EXT. CLIFF PATH - DUSK")[scene % 2]
        parts.append(f"\n{place} #{scene}#\n")
        for beat in range(5):
            parts.append(f"\nBeat {beat + 1} of scene {scene}: the lamp turns, fog rolls in.\n")
    return "".join(parts)


def build_project(folder: Path, shots: int) -> int:
    from studio.services.generation import queue_keyframes, run_queue
    from studio.services.project import new_project
    from studio.services.script import import_script

    script = folder / "long.fountain"
    script.write_text(long_script(shots), encoding="utf-8")
    with new_project(folder / "film", "The Long Night") as project:
        import_script(project, script)
        queue_keyframes(project, width=320, height=180)
        run_queue(project, executor="local")
        return project.store.shots.count()


def first_paint(folder: Path):
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from studio.services.project import open_project
    from ui.app import create_window

    painted: list[float] = []

    class Watch(QObject):
        def eventFilter(self, obj, event) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint and not painted:
                painted.append(time.perf_counter())
            return False

    window = create_window(executor="local", model_home=folder / "home")
    watch = Watch()
    window.storyboard.viewport().installEventFilter(watch)
    window.show()
    QApplication.processEvents()
    painted.clear()
    start = time.perf_counter()
    window.session.set_project(open_project(folder / "film"))
    while not painted:
        QApplication.processEvents()
    return window, painted[0] - start


def scroll_all(window) -> tuple[float, float, int]:
    from PySide6.QtWidgets import QApplication

    bar = window.storyboard.verticalScrollBar()
    rss_before = psutil.Process().memory_info().rss / 2**20
    start = time.perf_counter()
    value = 0
    while value <= bar.maximum():
        bar.setValue(value)
        QApplication.processEvents()
        window.thumbs.wait()
        QApplication.processEvents()
        value += max(1, bar.pageStep())
    seconds = time.perf_counter() - start
    rss_after = psutil.Process().memory_info().rss / 2**20
    return rss_before, rss_after, int(seconds * 1000) or 1


def stall_while_generating(window, batch: int) -> tuple[float, float, int, float]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.services.generation import queue_keyframes

    lateness: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - 0.005))
        last[0] = now

    project = window.session.project
    numbers = ",".join(str(n) for n in range(1, batch + 1))
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    start = time.perf_counter()
    queue_keyframes(project, numbers, force=True)  # full-size previz panels
    window.jobs.reload()
    window.session.run_queue()
    last[0] = time.perf_counter()
    timer.start()
    while window.session.jobs.running:
        QApplication.processEvents()
    timer.stop()
    seconds = time.perf_counter() - start
    lateness.sort()
    p99 = lateness[int(len(lateness) * 0.99)] if lateness else 0.0
    return max(lateness, default=0.0) * 1000, p99 * 1000, len(lateness), seconds


def stall_after_edits(window, edits: int = 3) -> float:
    """The longest UI stall around inspector-like edits (each one reloads what shows shots:
    the grid, the browser, the player's stills, the inspector), in ms."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from studio.services.shots import set_shot

    lateness: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        lateness.append(max(0.0, now - last[0] - 0.005))
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    last[0] = time.perf_counter()
    timer.start()
    for n, size in zip(range(edits), ("CU", "WS", "MS"), strict=False):
        window.session.call(set_shot, window.session.project, str(n + 5), size=size)
        end = time.perf_counter() + 0.6  # past the player's 300 ms debounce
        while time.perf_counter() < end:
            QApplication.processEvents()
    timer.stop()
    return max(lateness, default=0.0) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--batch", type=int, default=48)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["STUDIO_HOME"] = str(folder / "home")
        t0 = time.perf_counter()
        shots = build_project(folder, args.shots)
        build = time.perf_counter() - t0
        from ui.app import application

        application()
        window, paint = first_paint(folder)
        rss0, rss1, scroll_ms = scroll_all(window)
        worst, p99, ticks, gen = stall_while_generating(window, args.batch)
        edit = stall_after_edits(window)
        window.close()
    machine = f"{os.cpu_count()} cores, no GPU, {platform.system()} {platform.machine()}"
    lines = [
        "## Desktop studio (bench/bench_ui.py)",
        "",
        f"Machine: {machine} (shared with other work). Offscreen Qt.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| shots in the project | {shots} (built with the services in {build:.1f} s, "
        "previz keyframes at 320×180) |",
        f"| open the project → first paint of the storyboard | {paint * 1000:.0f} ms |",
        f"| RSS before / after scrolling the whole grid | {rss0:.0f} MiB / {rss1:.0f} MiB |",
        f"| scrolling the whole grid, thumbnails decoded on the way | {scroll_ms} ms |",
        f"| longest UI stall while {args.batch} 1280×720 previz takes generate "
        f"(local executor, {gen:.1f} s) | {worst:.1f} ms (p99 {p99:.1f} ms, {ticks} ticks; "
        "goal < 50 ms) |",
        f"| longest UI stall around an edit of one shot (3 edits: grid, browser, player and "
        f"inspector follow) | {edit:.1f} ms |",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    out = ROOT / "bench" / "results" / "ui.md"
    out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
