"""Where speech starts in a film's sound, read from the decoded audio (not from our timeline)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from studio.media.decode import decode_audio

RATE = 48000
QUIET_MS = 60  # a line's speech starts with a rise out of at least this much quiet
THRESHOLD = 10 ** (-40 / 20)


def loudness_ms(film: Path) -> np.ndarray:
    """For each millisecond of the film's sound: whether it is louder than -40 dBFS (RMS, 5 ms)."""
    audio = decode_audio(film, RATE, 1)[:, 0]
    hop = RATE // 1000
    window = np.ones(hop * 5) / (hop * 5)
    envelope = np.sqrt(np.convolve(audio**2, window, mode="same"))[::hop]
    return envelope > THRESHOLD


def onset_near(loud: np.ndarray, expected_ms: int, search_ms: int = 250) -> int | None:
    """The speech onset nearest `expected_ms`: the first loud millisecond after QUIET_MS quiet."""
    lo = max(QUIET_MS, expected_ms - search_ms)
    hi = min(len(loud), expected_ms + search_ms)
    onsets = [i for i in range(lo, hi) if loud[i] and not loud[i - QUIET_MS : i].any()]
    return min(onsets, key=lambda i: abs(i - expected_ms)) if onsets else None
