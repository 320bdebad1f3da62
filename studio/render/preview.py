"""The cut drawn ahead for a player: picture and sound made on worker threads from the play
position, into a small bounded cache, by the film's own code (`FrameSeeker`, `MixStream`).

A player asks `seek(frame)` (the picture there is drawn first), then, while it plays, tells the
preview where its clock stands with `advance(frame)` and takes what is ready: `frame(index)` is
the picture if it was drawn in time (None otherwise: the player counts a dropped frame and
shows the last one), `take_sound(count)` the next samples of the mix (silence where the mix
was not ready, counted in `late_samples`). The picture thread keeps `cache_frames` frames ahead
of the play position, the sound thread `sound_ahead` seconds; nothing older is kept.

The sound plays at once. A mix measured before (its plan stored in `plans`, under the mix's
fingerprint) is the finished mix from the first sample. Otherwise a third thread measures it
(its loudness and ducking passes over the whole film) while the sound thread hands out the
provisional mix (`MixStream.provisional_chunks`: ducked around each block, at the gain of the
last measured cut); once measured, the sound goes on from where it stands as the finished mix,
and the plan is stored for the next time. `measured` says which the player hears. `close()`
stops and joins every thread.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np

from studio.audio import mix_plans
from studio.audio.mix_stream import MixStream
from studio.errors import Cancelled
from studio.progress import JobContext
from studio.render.frames import FrameSeeker

CACHE_FRAMES = 12
SOUND_AHEAD_SECONDS = 1.0
SOUND_BLOCK_SECONDS = 0.25


class CutPreview:
    """Picture and sound of a cut, drawn ahead of a play position (see the module)."""

    def __init__(
        self,
        seeker: FrameSeeker,
        mix: MixStream | None,
        cache_frames: int = CACHE_FRAMES,
        sound_ahead: float = SOUND_AHEAD_SECONDS,
        on_frame: Callable[[int], None] | None = None,
        plans: Path | None = None,
    ) -> None:
        self.seeker, self.mix = seeker, mix
        self.frames = seeker.frames
        self.fps = Fraction(seeker.settings.fps)
        self.rate = mix.settings.rate if mix is not None else 48_000
        self.cache_frames = max(1, cache_frames)
        self.on_frame = on_frame  # called on the picture thread after a frame is drawn
        self.error: BaseException | None = None  # what stopped a thread, if anything did
        self.late_samples = 0
        self._sound_ahead = int(sound_ahead * self.rate)
        self._cond = threading.Condition()
        self._position = 0
        self._generation = 0
        self._cache: dict[int, np.ndarray] = {}
        self._sound: deque[np.ndarray] = deque()
        self._buffered = 0  # samples in `_sound`
        self._read = 0  # the film sample `take_sound` hands out next
        self._ctx = JobContext()
        self._plans = plans
        if mix is not None:
            mix.prepare()  # on the opener's thread (a worker), not in the first sound block
        self._gain = 0.0  # the provisional mix's gain until the mix is measured
        if mix is not None and plans is not None and not mix_plans.adopt(mix, plans):
            self._gain = mix_plans.latest_gain(plans) or 0.0
        self._measured = mix is None or mix.measured
        self._threads = [
            threading.Thread(target=self._draw_picture, name="studio-preview-picture", daemon=True),
            threading.Thread(target=self._draw_sound, name="studio-preview-sound", daemon=True),
        ]
        if not self._measured:
            self._threads.append(
                threading.Thread(target=self._measure, name="studio-preview-measure", daemon=True)
            )
        for thread in self._threads:
            thread.start()

    # ---- the player's side ------------------------------------------------------------------
    @property
    def measured(self) -> bool:
        """Whether the sound is the finished mix (else the provisional one, while measuring)."""
        return self._measured

    def seek(self, frame: int) -> None:
        """Move the play position to `frame`: what was drawn elsewhere is dropped."""
        frame = max(0, min(frame, self.frames - 1))
        with self._cond:
            keep = range(frame, frame + self.cache_frames)
            self._cache = {i: image for i, image in self._cache.items() if i in keep}
            self._position = frame
            self._generation += 1
            self._sound.clear()
            self._buffered = 0
            self._read = self.sample_of(frame)
            self._cond.notify_all()

    def advance(self, frame: int) -> None:
        """The player's clock reached `frame`: frames before it are no longer wanted."""
        with self._cond:
            if frame <= self._position:
                return
            self._position = min(frame, self.frames - 1)
            for index in [i for i in self._cache if i < self._position]:
                del self._cache[index]
            self._cond.notify_all()

    def frame(self, index: int) -> np.ndarray | None:
        """The picture of `index` if it is drawn (never waits)."""
        with self._cond:
            return self._cache.get(index)

    def wait_frame(self, index: int, timeout: float) -> np.ndarray | None:
        """The picture of `index`, waiting up to `timeout` seconds for it."""
        with self._cond:
            self._cond.wait_for(lambda: index in self._cache or self.error, timeout)
            return self._cache.get(index)

    def sample_of(self, frame: int) -> int:
        """The first sample of the mix under film frame `frame`."""
        return round(frame * self.rate / self.fps)

    def take_sound(self, count: int) -> np.ndarray:
        """The next `count` samples (n, 2) of the mix from the play position; silence where
        the mix is not drawn yet (counted in `late_samples`) or past the film's end."""
        out = np.zeros((count, 2), np.float32)
        with self._cond:
            filled = 0
            while filled < count and self._sound:
                head = self._sound[0]
                n = min(count - filled, len(head))
                out[filled : filled + n] = head[:n]
                filled += n
                if n == len(head):
                    self._sound.popleft()
                else:
                    self._sound[0] = head[n:]
            self._buffered -= filled
            end = self.mix.total_samples if self.mix is not None else 0
            missing = max(0, min(count, end - self._read) - filled)
            self.late_samples += missing
            self._read += count
            self._cond.notify_all()
        return out

    def close(self) -> None:
        """Stop drawing and join the threads (a mix being measured stops at its next block)."""
        self._ctx.cancel()
        with self._cond:
            self._generation += 1
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join()
        self.seeker.close()

    # ---- the picture thread -----------------------------------------------------------------
    _closed = False

    def _next_wanted(self) -> int | None:
        end = min(self.frames, self._position + self.cache_frames)
        return next((i for i in range(self._position, end) if i not in self._cache), None)

    def _draw_picture(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closed or self._next_wanted() is not None)
                if self._closed:
                    return
                index = self._next_wanted()
            try:
                image = self.seeker.frame(index)
            except BaseException as err:  # noqa: BLE001 - handed to the player through `error`
                with self._cond:
                    self.error = err
                    self._cond.notify_all()
                return
            with self._cond:
                if self._position <= index < self._position + self.cache_frames:
                    self._cache[index] = image
                    self._cond.notify_all()
            if self.on_frame is not None:
                self.on_frame(index)

    # ---- the sound thread -------------------------------------------------------------------
    def _measure(self) -> None:
        """The measuring thread: the mix's plan, then the sound goes on as the finished mix.
        It yields the processor to the picture and the sound (a nicer thread, where the system
        lets a thread be niced: Linux)."""
        _be_nice()
        try:
            self.mix.measure(self._ctx)
        except Cancelled:
            return
        except BaseException as err:  # noqa: BLE001 - handed to the player through `error`
            with self._cond:
                self.error = err
                self._cond.notify_all()
            return
        if self._plans is not None:
            mix_plans.remember(self.mix, self._plans)
        with self._cond:
            self._measured = True
            self._cond.notify_all()

    def _draw_sound(self) -> None:
        if self.mix is None:
            return
        block = max(1, int(SOUND_BLOCK_SECONDS * self.rate))
        chunks: Iterator[np.ndarray] | None = None
        generation, finished = -1, False

        def restart(at: int) -> Iterator[np.ndarray]:
            if finished:
                return self.mix.chunks(at, block)
            return self.mix.provisional_chunks(at, block, self._gain)

        while True:
            with self._cond:
                while not (
                    self._closed
                    or self._generation != generation
                    or self._measured != finished
                    or self._wants(chunks)
                ):
                    self._cond.wait()
                if self._closed:
                    return
                if self._generation != generation or self._measured != finished:
                    generation, finished = self._generation, self._measured
                    chunks = restart(self._read + self._buffered)
            try:
                chunk = next(chunks, None)
            except Cancelled:
                return
            with self._cond:
                if generation != self._generation:
                    continue
                if chunk is None:
                    chunks = None
                    continue
                self._sound.append(chunk)
                self._buffered += len(chunk)
                self._cond.notify_all()

    def _wants(self, chunks: Iterator[np.ndarray] | None) -> bool:
        return chunks is not None and self._buffered < self._sound_ahead


def _be_nice(increment: int = 10) -> None:
    """Lower this thread's scheduling priority (Linux: a thread id is a process id here)."""
    import os

    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, os.getpriority(os.PRIO_PROCESS, tid) + increment)
    except (AttributeError, OSError):
        pass  # elsewhere the thread keeps its priority


__all__ = ["CutPreview"]
