"""Benchmark: the streaming renderer on a 720p film of video clips, moved stills and dissolves.

Prints frames per second with the producer/encoder threads overlapped against the same work done
in one thread, the peak resident memory for a short and a 4x longer film (it should stay flat),
and the per-frame cost of the looks at 1080p. Run: .venv/bin/python bench/render_timeline.py
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.domain.camera import CameraMove  # noqa: E402
from studio.domain.time import RationalTime, TimeRange  # noqa: E402
from studio.domain.timeline import Clip, Timeline, Track, Transition  # noqa: E402
from studio.media.decode import encode_png  # noqa: E402
from studio.media.encode import VideoEncoder  # noqa: E402
from studio.render import looks  # noqa: E402
from studio.render.frames import RenderSettings, iter_timeline_frames  # noqa: E402
from studio.render.pipeline import render_timeline  # noqa: E402

W, H, FPS = 1280, 720, 24


class Media:
    def __init__(self) -> None:
        self.files: dict[int, tuple[Path, str]] = {}

    def path(self, asset_id: int) -> Path:
        return self.files[asset_id][0]

    def kind(self, asset_id: int) -> str:
        return self.files[asset_id][1]


def textured(seed: int, width: int, height: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width]
    base = np.stack([xx * 255 // width, yy * 255 // height, (xx + yy) % 256], axis=2)
    return np.clip(base + rng.integers(-20, 20, base.shape), 0, 255).astype(np.uint8)


def make_media(folder: Path) -> Media:
    media = Media()
    video = folder / "clip.mp4"
    with VideoEncoder(video, W, H, FPS, crf=20, preset="ultrafast") as encoder:
        still = textured(1, W, H)
        for k in range(72):
            encoder.write_frame(np.roll(still, 4 * k, axis=1))
    media.files[1] = (video, "video")
    keyframe = folder / "kf.png"
    keyframe.write_bytes(encode_png(textured(2, 1536, 864)))
    media.files[2] = (keyframe, "image")
    return media


def film(shots: int) -> Timeline:
    t = lambda n: RationalTime(n, FPS)  # noqa: E731
    items: list = []
    for k in range(shots):
        if k % 2:
            move = CameraMove("push_in", 1.0, k, 6)
            items.append(
                Clip(
                    f"s{k}",
                    TimeRange(t(6), t(48)),
                    2,
                    media_duration=t(60),
                    move=move,
                )
            )
        else:
            items.append(Clip(f"s{k}", TimeRange(t(12), t(48)), 1, media_duration=t(72)))
        items.append(Transition("dissolve", t(6), t(6)))
    return Timeline("bench", FPS, (Track("V1", "video", tuple(items[:-1])),))


def single_thread(timeline, media, settings, target: Path) -> float:
    started = time.perf_counter()
    with VideoEncoder(target, W, H, FPS, preset=settings.preset, crf=settings.crf) as encoder:
        for frame in iter_timeline_frames(timeline, media, settings):
            encoder.write_frame(frame)
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare(name: str, timeline, media, settings, folder: Path) -> None:
    frames = timeline.duration.value
    report = render_timeline(timeline, media, settings, folder / "threaded.mp4")
    seconds = single_thread(timeline, media, settings, folder / "single.mp4")
    print(
        f"{name}: {frames} frames, threaded {report.fps_achieved:.1f} fps "
        f"({report.seconds:.1f} s), one thread {frames / seconds:.1f} fps ({seconds:.1f} s)"
    )


def look_costs() -> None:
    frame = textured(3, 1920, 1080)
    grid = np.stack(np.meshgrid(*[np.linspace(0, 1, 33)] * 3, indexing="ij"), axis=-1)
    lut = looks.Lut3D(33, np.transpose(grid, (2, 1, 0, 3)).astype(np.float32))
    started = time.perf_counter()
    table = lut.dense()
    print(f"LUT 33^3 dense table build: {time.perf_counter() - started:.2f} s (once per render)")
    for name, fn in (
        ("black_and_white", lambda: looks.black_and_white(frame, "yellow", 0.25)),
        ("grain", lambda: looks.add_grain(frame, 0.25, 7)),
        ("vignette", lambda: looks.vignette(frame, 0.3)),
        ("LUT trilinear (direct)", lambda: looks.apply_lut(frame, lut)),
        ("LUT dense lookup", lambda: looks.apply_dense(frame, table)),
    ):
        fn()
        started = time.perf_counter()
        for _ in range(3):
            fn()
        print(f"1080p {name}: {(time.perf_counter() - started) / 3 * 1000:.0f} ms/frame")


def main() -> None:
    print(f"machine: {os.cpu_count()} cores, no GPU; {W}x{H} at {FPS} fps, libx264 veryfast crf 18")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        media = make_media(folder)
        short = film(5)
        compare("no look", short, media, RenderSettings(W, H, FPS), folder)
        looked = RenderSettings(W, H, FPS, look="bw_grain", vignette=0.3)
        compare("bw_grain + vignette", short, media, looked, folder)
        plain = RenderSettings(W, H, FPS)
        render_timeline(film(5), media, plain, folder / "s.mp4")
        rss_short = peak_rss_mb()
        report = render_timeline(film(40), media, plain, folder / "l.mp4")
        print(
            f"memory: peak RSS {rss_short:.0f} MB after 240 frames, {peak_rss_mb():.0f} MB after "
            f"a further {report.frames} frames ({report.fps_achieved:.1f} fps)"
        )
    look_costs()


if __name__ == "__main__":
    main()
