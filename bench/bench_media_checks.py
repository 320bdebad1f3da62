"""What the media checks cost: the export's content check (first, and once files are known
whole), the import's frame count, and an image's header against its decode.

    .venv/bin/python bench/bench_media_checks.py [--files 40] [--mb 8] [--out FILE.md]

Content check: --files media files of --mb MiB each (random bytes, as incompressible as video)
in a project's media store, a timeline of one clip per file; `check_media` timed cold (every file
hashed) and warm (the verified marker of each file matches: no file read). Frame count: `probe`
of a 2-minute 640x360 H.264 clip with and without `count_frames` (demuxing every packet).
Header: `image_header` against `read_image` of a 24 MP PNG, and the refusal of a 400 MP pixel
bomb (time and the process's peak RSS growth while refusing it).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _best(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2]


def content_check(folder: Path, files: int, mib: int) -> dict:
    from studio.domain.entities import Asset
    from studio.domain.time import RationalTime, TimeRange
    from studio.domain.timeline import Clip, Timeline, Track, TrackKind
    from studio.services.export import check_media
    from studio.services.project import new_project
    from studio.store.media_lookup import StoreMedia

    rng = np.random.default_rng(0)
    with new_project(folder / "project", name="Checks") as project:
        store = project.store
        clips = []
        for i in range(files):
            blob = store.media.put_bytes(rng.bytes(mib << 20), ".mp4")
            asset = store.assets.add(
                Asset(sha256=blob.sha256, kind="video", path=blob.path, size=blob.size)
            )
            span = TimeRange(RationalTime(0, 24), RationalTime(24, 24))
            clips.append(Clip(f"clip {i}", span, asset_id=asset.id, take_id=i + 1))
        cut = Timeline("bench", Fraction(24), (Track("V1", TrackKind.VIDEO, tuple(clips)),))
        media = StoreMedia(store)
        (store.cache / "verified-media.json").unlink(missing_ok=True)
        started = time.perf_counter()
        check_media(cut, media)
        cold = time.perf_counter() - started
        warm = _best(lambda: check_media(cut, media))
    return {"files": files, "mib": mib, "cold_s": cold, "warm_s": warm}


def frame_count(folder: Path) -> dict:
    from studio.media.decode import probe
    from studio.media.encode import VideoEncoder

    path = folder / "two-minutes.mp4"
    frame = np.zeros((360, 640, 3), np.uint8)
    with VideoEncoder(path, 640, 360, 24, preset="ultrafast") as encoder:
        for i in range(24 * 120):
            frame[:, :, 0] = i % 256
            encoder.write_frame(frame)
    header = _best(lambda: probe(path))
    counted = _best(lambda: probe(path, count_frames=True))
    return {"frames": 24 * 120, "header_ms": header * 1e3, "counted_ms": counted * 1e3}


def header_vs_decode(folder: Path) -> dict:
    sys.path.insert(0, str(ROOT / "tests" / "core" / "media"))
    from hostile import pixel_bomb_png

    from studio.errors import InvalidInput
    from studio.media.decode import encode_png, read_image
    from studio.media.image_header import image_header

    picture = np.random.default_rng(1).integers(0, 255, (4000, 6000, 3), dtype=np.uint8)
    data = encode_png(picture)
    header = _best(lambda: image_header(data, "24mp.png"), 9)
    decode = _best(lambda: read_image(data, "24mp.png"), 3)
    bomb = pixel_bomb_png(folder / "bomb.png").read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        read_image(bomb, "bomb.png")
    except InvalidInput:
        pass
    refusal = time.perf_counter() - started
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    return {
        "png_mb": len(data) / 1e6,
        "header_ms": header * 1e3,
        "decode_ms": decode * 1e3,
        "bomb_kb": len(bomb) / 1e3,
        "bomb_ms": refusal * 1e3,
        "bomb_rss_kb": grown,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--mb", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "media_checks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        check = content_check(folder, args.files, args.mb)
        count = frame_count(folder)
        image = header_vs_decode(folder)
    total = check["files"] * check["mib"]
    lines = [
        "# Media checks (bench/bench_media_checks.py)",
        "",
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}. Median of runs.",
        "",
        "| measure | figure |",
        "|---|---|",
        f"| export content check, {check['files']} files × {check['mib']} MiB, cold (hashed) "
        f"| {check['cold_s']:.2f} s ({total / check['cold_s']:.0f} MiB/s) |",
        "| the same, warm (verified markers match, no file read) "
        f"| {check['warm_s'] * 1e3:.1f} ms |",
        f"| probe, 2-minute 640×360 clip ({count['frames']} frames): header / packets counted "
        f"| {count['header_ms']:.1f} ms / {count['counted_ms']:.1f} ms |",
        f"| 24 MP PNG ({image['png_mb']:.1f} MB): header / full decode "
        f"| {image['header_ms']:.2f} ms / {image['decode_ms']:.0f} ms |",
        f"| 400 MP pixel bomb ({image['bomb_kb']:.0f} KB) refused | {image['bomb_ms']:.2f} ms, "
        f"peak RSS +{image['bomb_rss_kb'] / 1024:.1f} MiB |",
    ]
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
