"""The player playing the cut at 640×360: does it keep real time, how fast is a seek, how long
does the UI thread stall while it plays?

Workloads: the sample film (projects/sample: previz keyframes held with their camera moves,
every line dubbed with the built-in Piper voice, a music bed ducked under them; built once into
--folder) and a project made by `bench_export_scale.py build` (1,200 shots).

    .venv/bin/python bench/bench_player.py build-sample --folder /tmp/player/sample
    .venv/bin/python bench/bench_player.py measure /tmp/player/sample/film [--seconds 20]

Measured in the desktop app offscreen (no sound device: the clock is the monotonic clock and
the sound is taken from the mix in real time into a capture, as a device would take it):
- opening the cut's preview (the worker's part), its first frame and its first sound, playing
  while its mix is measured (the provisional levels), and measuring it (a measured mix is
  remembered: `--remembered` keeps those of a run before, else they are deleted first);
- seek to first frame: `player.seek(f)` until the picture of f is on screen, at 12 places;
- playing --seconds from three places: frames shown in time and dropped, the sound late
  (samples of silence the mix had not drawn), the longest UI-thread tick of the player and the
  longest gap between two turns of the event loop (a 1 ms timer; any stall shows there).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the repository's `ui` package


def build_sample(folder: Path) -> None:
    """The sample film without its export: keyframes, every line dubbed, a bed, the cut."""
    from studio.services import dubbing, generation, timeline
    from studio.services.demo import SAMPLE, make_ambient_music
    from studio.services.project import new_project
    from studio.services.script import import_script

    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("STUDIO_HOME", str(folder / "home"))
    with new_project(folder / "film", "The Last Lamp") as project:
        import_script(project, SAMPLE)
        generation.queue_keyframes(project)
        generation.run_queue(project, "local")
        dubbing.queue_dub(project)
        generation.run_queue(project, "local")
        timeline.set_music_bed(project, make_ambient_music(folder / "music.wav"))
        cut = timeline.assemble(project)
    print(f"built the sample film: {cut.duration.to_seconds():.1f} s")


class _Loop:
    """The longest gap between two turns of the event loop, seen by a 1 ms timer."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest, self._last = 0.0, None
        self.timer = QTimer()
        self.timer.setInterval(1)
        self.timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest, self._last = 0.0, None
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest


def _wait(app, until, timeout: float) -> float:
    start = time.perf_counter()
    while not until():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the player did not get there in time")
        app.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - start


def _play(app, player, preview, frame: int, seconds: float) -> str:
    """Play `seconds` from `frame`: frames shown and dropped, sound late, ticks and stalls."""
    player.seek(frame)
    _wait(app, lambda f=frame: player.shown_frame == f, 30)
    time.sleep(0.3)
    late_before = preview.late_samples
    playback = player.playback
    shown, dropped = playback.shown, playback.dropped
    loop = _Loop()
    loop.start()
    player.toggle()
    playback.longest_tick = 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and playback.playing:
        app.processEvents()
        time.sleep(0.0005)
    played = time.perf_counter() - (end - seconds)
    player.stop()
    stall = loop.stop()
    heard = playback.capture.samples / preview.rate  # a new capture each start
    late = (preview.late_samples - late_before) / preview.rate
    shown, dropped = playback.shown - shown, playback.dropped - dropped
    return (
        f"{shown} frames shown, {dropped} dropped ({shown / played:.1f} fps shown); sound "
        f"{heard:.2f} s, late {late:.2f} s; longest tick {playback.longest_tick * 1000:.1f} ms, "
        f"longest UI stall {stall * 1000:.1f} ms"
    )


def measure(project: Path, seconds: float, remembered: bool = False) -> dict[str, str]:
    import shutil

    from PySide6.QtWidgets import QApplication

    from studio.services.project import open_project
    from ui.app import create_window
    from ui.models.playback import CutSource

    if not remembered:
        shutil.rmtree(project / "cache" / "mix", ignore_errors=True)  # measure it anew
    app = QApplication.instance() or QApplication([])
    window = create_window(executor="inline", model_home=project.parent / "home")
    window.resize(1600, 1000)
    window.show()
    window.session.set_project(open_project(project))
    player = window.player
    _wait(app, lambda: not window.session.tasks.tasks(), 300)  # the views have loaded
    window.thumbs.wait(60_000)
    figures: dict[str, str] = {}
    before = player.source  # the cut the player opened with the project
    started = time.perf_counter()
    player.reload()
    _wait(app, lambda: isinstance(player.source, CutSource) and player.source is not before, 120)
    preview = player.source.preview
    minutes = preview.frames / float(preview.fps) / 60
    figures["frames in the cut"] = f"{preview.frames} ({minutes:.1f} min)"
    opened = (time.perf_counter() - started) * 1000
    figures["open the cut's preview (views loaded)"] = f"{opened:.0f} ms"
    _wait(app, lambda: player.shown_frame == 0, 30)
    figures["first frame shown after opening"] = f"{(time.perf_counter() - started) * 1000:.0f} ms"
    _wait(app, lambda: preview._buffered > 0 or preview.mix is None, 60)
    figures["first sound drawn after opening"] = f"{(time.perf_counter() - started) * 1000:.0f} ms"
    figures["mix measured when the sound was first drawn"] = str(preview.measured)
    if not preview.measured:
        figures[f"play {seconds:.0f} s from 0 % while the mix is measured"] = _play(
            app, player, preview, 0, seconds
        )
    _wait(app, lambda: preview.measured, 1800)
    figures["mix measured (finished levels from here)"] = f"{time.perf_counter() - started:.1f} s"
    seeks = []
    for k in range(12):
        frame = (k * 7919 + 13) % preview.frames
        player.seek(frame)
        seeks.append(_wait(app, lambda f=frame: player.shown_frame == f, 30) * 1000)
        time.sleep(0.05)
    figures["seek to first frame (12 places)"] = (
        f"median {statistics.median(seeks):.0f} ms, max {max(seeks):.0f} ms"
    )
    for place in (0.0, 0.5, 0.9):
        frame = int(place * max(0, preview.frames - seconds * float(preview.fps) - 1))
        figures[f"play {seconds:.0f} s from {place:.0%}"] = _play(
            app, player, preview, frame, seconds
        )
    player.shutdown()
    window.session.project.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build-sample")
    b.add_argument("--folder", type=Path, required=True)
    m = sub.add_parser("measure")
    m.add_argument("project", type=Path, help="a project folder (…/film)")
    m.add_argument("--seconds", type=float, default=20.0)
    m.add_argument(
        "--remembered", action="store_true", help="keep the measured mixes (cache/mix) of before"
    )
    args = parser.parse_args()
    if args.command == "build-sample":
        build_sample(args.folder)
        return
    figures = measure(args.project, args.seconds, args.remembered)
    print(f"machine: {os.cpu_count()} cores, no GPU; load average {os.getloadavg()[0]:.2f}")
    for name, value in figures.items():
        print(f"{name:<36} {value}")


if __name__ == "__main__":
    main()
