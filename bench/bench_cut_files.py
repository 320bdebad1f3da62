"""How long writing each cut file takes for a long film: 1,200 shots, a line each, the music
bed looping under it all and an effect every 10 shots (no project: the timeline and its media
lookup are built in memory; the files are written into a temporary folder).

Run: .venv/bin/python bench/bench_cut_files.py [--shots 1200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.domain.time import RationalTime, TimeRange  # noqa: E402
from studio.domain.timeline import Clip, Gap, Timeline, Track, TrackKind, Transition  # noqa: E402


@dataclass
class _Asset:
    kind: str
    duration: RationalTime | None
    sha256: str


class _Media:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.assets: dict[int, _Asset] = {}

    def add(self, asset_id: int, kind: str, seconds: float | None) -> int:
        length = RationalTime(round(seconds * 48000), 48000) if seconds else None
        self.assets[asset_id] = _Asset(kind, length, f"{asset_id:064x}")
        return asset_id

    def path(self, asset_id: int) -> Path:
        suffix = {"image": ".png", "audio": ".wav"}[self.assets[asset_id].kind]
        return self.folder / f"{asset_id:08x}{suffix}"

    def asset(self, asset_id: int) -> _Asset:
        return self.assets[asset_id]

    def kind(self, asset_id: int) -> str:
        return self.assets[asset_id].kind


def film(shots: int, media: _Media) -> Timeline:
    rt = RationalTime
    picture, dialogue, sfx, at = [], [], [], 0
    music = media.add(1, "audio", 64.0)
    for n in range(shots):
        still = media.add(10 + n, "image", None)
        picture.append(
            Clip(f"Shot {n + 1}", TimeRange(rt(12), rt(96)), still, media_duration=rt(120))
        )
        if n % 50 == 49:
            picture.append(Transition("dissolve", rt(6), rt(6)))
        line = media.add(100_000 + n, "audio", 1.98)
        dialogue += [
            Gap(rt(24)),
            Clip(f"Line {n + 1}", TimeRange(rt(0), rt(48)), line, line_id=n, media_duration=rt(48)),
            Gap(rt(24)),
        ]
        if n % 10 == 0:
            effect = media.add(200_000 + n, "audio", 0.5)
            sfx += [
                Clip("gust", TimeRange(rt(0), rt(12)), effect, media_duration=rt(12), gain_db=-3),
                Gap(rt(84 + 96 * 9)),
            ]
        at += 96
    bed = Clip(
        "Music",
        TimeRange(rt(0), rt(at)),
        music,
        gain_db=-6,
        fade_in=24,
        fade_out=48,
        metadata={"loop": True},
    )
    return Timeline(
        "long",
        24,
        (
            Track("V1", TrackKind.VIDEO, tuple(picture)),
            Track("dialogue", TrackKind.DIALOGUE, tuple(dialogue)),
            Track("music", TrackKind.MUSIC, (bed,)),
            Track("sfx1", TrackKind.SFX, tuple(sfx[:-1])),
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shots", type=int, default=1200)
    parser.add_argument("--formats", default="otio,xml,edl,fcpxml")
    args = parser.parse_args()
    from studio.timeline.interchange import write_cut

    with tempfile.TemporaryDirectory() as folder:
        media = _Media(Path(folder))
        cut = film(args.shots, media)
        for fmt in args.formats.split(","):
            path = Path(folder) / f"film.{fmt}"
            started = time.perf_counter()
            write_cut(cut, media, {}, path, fmt, picture=(1280, 720))
            took = time.perf_counter() - started
            print(f"{fmt:7s} {took:6.2f} s  {path.stat().st_size / 1e6:5.1f} MB")


if __name__ == "__main__":
    main()
