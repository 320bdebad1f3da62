"""Rendering a timeline to a film file: frames and sound made ahead on threads, encoded in order.

Three streams of work overlap so that both cores stay busy: a thread makes the picture
(decode, compose, looks, camera moves) into a small bounded queue; another makes the sound (the
mix's measuring passes, then its blocks) into another; the calling thread encodes, and x264 runs
its own frame threads. PyAV, OpenCV, numpy and scipy release the GIL in their work. The encoder
never waits for the sound while the picture can go on: audio is written when it is ready, and the
encoder holds the video packets until the sound reaches them, so the file stays interleaved; only
when `_HOLD_BYTES` of picture wait does the picture wait for the sound.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np

from studio.domain.timeline import Timeline
from studio.progress import JobContext
from studio.render.frames import (
    AUDIO_RATE,
    MediaLookup,
    RenderSettings,
    cut_frames,
    film_frames,
    iter_timeline_frames,
)

_QUEUE_FRAMES = 4
_QUEUE_CHUNKS = 2
_HOLD_BYTES = 64 << 20  # encoded picture that may wait for its sound (minutes of film at 720p)

T = TypeVar("T")


@dataclass(frozen=True)
class RenderReport:
    frames: int
    seconds: float  # wall-clock time the render took
    path: Path
    fps_achieved: float


def render_timeline(
    timeline: Timeline,
    media: MediaLookup,
    settings: RenderSettings,
    target: Path,
    audio: np.ndarray | Iterable[np.ndarray] | None = None,
    ctx: JobContext | None = None,
) -> RenderReport:
    """Render and encode the film to `target`. `audio` is the mix at 48 kHz from the film's
    first frame: a float32 (n, 2) array, a `MixStream` or an iterable of (n, 2) chunks (made on
    a thread of its own as the picture advances, so the whole film's sound is never held and a
    `MixStream`'s measuring passes overlap the first frames). On cancel or error the partial
    file is removed."""
    from studio.media.encode import VideoEncoder

    target = Path(target)
    total = film_frames(timeline, settings)
    started = time.perf_counter()
    encoder = VideoEncoder(
        target,
        settings.width,
        settings.height,
        settings.fps,
        codec=settings.codec,
        crf=settings.crf,
        preset=settings.preset,
        threads=settings.threads,
        audio_rate=AUDIO_RATE if audio is not None else None,
        audio_channels=2,
        audio_bitrate=settings.audio_bitrate,
    )
    picture = Ahead(iter_timeline_frames(timeline, media, settings, None, i420=True), _QUEUE_FRAMES)
    sound = None
    try:
        sound = _Sound(audio, settings) if audio is not None else None
        cuts = cut_frames(timeline, settings)  # each a keyframe: seeks and conforms land whole
        written = _encode(picture, encoder, total, sound, ctx, cuts)
        encoder.close()
    except BaseException:
        _stop_all(picture, sound)
        _close_quietly(encoder)
        target.unlink(missing_ok=True)
        raise
    _stop_all(picture, sound)
    seconds = time.perf_counter() - started
    if ctx is not None:
        ctx.report(1.0, f"rendered {written} frames")
    return RenderReport(written, seconds, target, written / seconds if seconds > 0 else 0.0)


def _encode(
    picture: Ahead, encoder, total: int, sound: _Sound | None, ctx, keys: frozenset[int]
) -> int:
    fps = encoder.fps
    chunk = max(1, round(fps))  # audio goes in about once a second, or when it is ready
    written, flushed = 0, 0
    for frame in picture:
        if ctx is not None:
            ctx.check_cancelled()
        key = written in keys
        if frame.ndim == 2:
            encoder.write_i420(frame, key)
        else:
            encoder.write_frame(frame, key)
        written += 1
        lag = written - flushed
        if sound is not None and lag >= chunk:
            waiting = encoder.held_bytes >= _HOLD_BYTES
            if written == total or waiting or sound.ready(flushed, written):
                encoder.write_audio(sound.samples(flushed, written))
                flushed = written
        if ctx is not None and (written % chunk == 0 or written == total):
            ctx.report(written / max(total, 1), f"frame {written} of {total}")
    if sound is not None and written > flushed:
        encoder.write_audio(sound.samples(flushed, written))
    return written


class _Sound:
    """The film's sound by film frames: the mix, whose chunks are made ahead on a thread of
    their own."""

    def __init__(self, audio, settings: RenderSettings) -> None:
        from studio.audio.feed import SampleFeed, audio_chunks

        self._chunks = Ahead(iter(audio_chunks(audio, AUDIO_RATE)), _QUEUE_CHUNKS)
        self._feed = SampleFeed(self._chunks)
        self._fps = Fraction(settings.fps)

    def _count(self, first: int, last: int) -> int:
        """Samples under the film frames [first, last)."""
        return round(last * AUDIO_RATE / self._fps) - round(first * AUDIO_RATE / self._fps)

    def ready(self, first: int, last: int) -> bool:
        """Whether `samples(first, last)` would not wait for the mix."""
        return self._count(first, last) <= self._feed.buffered or self._chunks.ready()

    def samples(self, first: int, last: int) -> np.ndarray:
        """The (n, 2) float32 samples under the film frames [first, last)."""
        return self._feed.take(self._count(first, last))

    def stop(self) -> None:
        self._chunks.stop()


class Ahead(Generic[T]):
    """Runs an iterator on a thread of its own, `size` items ahead of the consumer; iterate it
    to take them in order. An error on the thread is raised to the consumer; `stop()` ends the
    thread early (and closes the iterator when it is a generator)."""

    _DONE = object()

    def __init__(self, items: Iterator[T], size: int) -> None:
        self._items = items
        self._queue: queue.Queue = queue.Queue(maxsize=size)
        self._stop = threading.Event()
        self._finished = False
        self._thread = threading.Thread(target=self._run, name="render-ahead", daemon=True)
        self._thread.start()

    def ready(self) -> bool:
        """Whether the next item (or the end) can be taken without waiting."""
        return self._finished or not self._queue.empty()

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    break
            self._put(self._DONE)
        except BaseException as err:  # noqa: BLE001 - handed to the consuming thread
            self._put(err)
        finally:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    def __iter__(self) -> Iterator[T]:
        while not self._finished:
            item = self._queue.get()
            if item is self._DONE:
                self._finished = True
                return
            if isinstance(item, BaseException):
                self._finished = True
                raise item
            yield item

    def stop(self) -> None:
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()


def _stop_all(picture: Ahead, sound: _Sound | None) -> None:
    picture.stop()
    if sound is not None:
        sound.stop()


def _close_quietly(encoder) -> None:
    try:
        encoder.close()
    except Exception:  # noqa: BLE001 - the render already failed; the file is removed
        pass


__all__ = ["Ahead", "RenderReport", "render_timeline"]
