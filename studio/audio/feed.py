"""Feeding the film's sound to an encoder: exact sample counts from chunks of any size."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from studio.audio.mix_stream import MixStream
from studio.errors import InvalidInput


class SampleFeed:
    """Exact counts of samples from chunks of any size: (count, channels) float32, silence
    once the chunks run out. Holds at most one chunk beyond what was asked."""

    def __init__(self, chunks: Iterable[np.ndarray], channels: int = 2) -> None:
        self._chunks = iter(chunks)
        self._channels = channels
        self._pending = np.zeros((0, channels), np.float32)
        self._index = 0

    def _next_chunk(self) -> np.ndarray | None:
        chunk = next(self._chunks, None)
        if chunk is None:
            return None
        data = np.asarray(chunk, dtype=np.float32)
        if data.ndim != 2 or data.shape[1] != self._channels:
            raise InvalidInput(
                f"audio chunk {self._index} has shape {data.shape}",
                f"give (n, {self._channels}) float32 chunks",
            )
        self._index += 1
        return data

    @property
    def buffered(self) -> int:
        """Samples already at hand: `take` of up to this many needs no further chunk."""
        return len(self._pending)

    def take(self, count: int) -> np.ndarray:
        """The next `count` samples."""
        out = np.zeros((count, self._channels), np.float32)
        filled = 0
        while filled < count:
            if not len(self._pending):
                chunk = self._next_chunk()
                if chunk is None:
                    break
                self._pending = chunk
            step = min(count - filled, len(self._pending))
            out[filled : filled + step] = self._pending[:step]
            self._pending = self._pending[step:]
            filled += step
        return out


def audio_chunks(audio: object, rate: int = 48_000) -> Iterable[np.ndarray]:
    """Sound to write as chunks: an (n, 2) array, a `MixStream` or an iterable of chunks."""
    if isinstance(audio, np.ndarray):
        data = np.asarray(audio, dtype=np.float32)
        if data.ndim != 2 or data.shape[1] != 2:
            raise InvalidInput(f"film audio has shape {data.shape}, expected (n, 2) at {rate} Hz")
        return [data]
    if isinstance(audio, MixStream):
        if audio.settings.rate != rate:
            raise InvalidInput(
                f"the film's mix is at {audio.settings.rate} Hz", f"mix at {rate} Hz"
            )
        return audio.chunks()
    return audio  # an iterable of chunks, checked by SampleFeed as they come
