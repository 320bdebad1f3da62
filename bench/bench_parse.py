"""Parse speed: a 1 MB Fountain script built by repeating a realistic one, and a feature length.

Run: .venv/bin/python bench/bench_parse.py   (figures printed; copy them to bench/results/parse.md)
"""

from __future__ import annotations

import platform
import statistics
import time
from pathlib import Path

from studio.script.fountain import parse
from studio.script.writer import write_fountain

SAMPLE = Path(__file__).resolve().parents[1] / "tests/core/script/corpus/lighthouse.fountain"


def build(target_bytes: int) -> str:
    """Repeat the sample's body (title page once) until the text reaches `target_bytes`."""
    text = SAMPLE.read_text(encoding="utf-8")
    title, _, body = text.partition("\n\n")
    parts = [title, "\n\n"]
    size = len(title.encode())
    copy = 0
    while size < target_bytes:
        copy += 1
        chunk = body.replace("#1#", f"#{copy}.1#").replace("#2#", f"#{copy}.2#") + "\n"
        parts.append(chunk)
        size += len(chunk.encode())
    return "".join(parts)


def timed(text: str, repeats: int = 5) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(repeats):
        start = time.perf_counter()
        count = len(parse(text).elements)
        times.append(time.perf_counter() - start)
    return statistics.median(times), count


def main() -> None:
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    for label, size in (("feature length (~180 KB, ~120 pages)", 180_000), ("1 MB", 1_000_000)):
        text = build(size)
        seconds, count = timed(text)
        lines = text.count("\n")
        print(
            f"{label}: {len(text.encode()) / 1e6:.2f} MB, {lines} lines, {count} elements: "
            f"parse {seconds * 1000:.0f} ms (median of 5), "
            f"{len(text.encode()) / seconds / 1e6:.2f} MB/s"
        )
    text = build(1_000_000)
    sp = parse(text)
    start = time.perf_counter()
    written = write_fountain(sp)
    print(
        f"1 MB: write_fountain {(time.perf_counter() - start) * 1000:.0f} ms, {len(written)} chars"
    )


if __name__ == "__main__":
    main()
