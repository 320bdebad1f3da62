"""Measurements and fixtures-in-files shared by the audio tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np

from studio.audio.voices import find_voice


def user_voice(folder: Path, name: str) -> Path:
    """A user voice folder holding NAME.onnx (a link to joe's model) and NAME.onnx.json."""
    joe = find_voice("joe")
    folder.mkdir(parents=True, exist_ok=True)
    model = folder / f"{name}.onnx"
    os.symlink(joe.model_path, model)
    shutil.copyfile(joe.config_path, folder / f"{name}.onnx.json")
    return model


def median_f0(samples: np.ndarray, rate: int, fmin: float = 55.0, fmax: float = 420.0) -> float:
    """Median fundamental frequency of the voiced frames, by normalised autocorrelation."""
    frame, hop = int(0.06 * rate), int(0.01 * rate)
    starts = range(0, len(samples) - frame, hop)
    energy = np.array([np.sum(samples[s : s + frame] ** 2) for s in starts])
    loud = energy > energy.max() * 10 ** (-25 / 10)
    lags = np.arange(int(rate / fmax), int(rate / fmin) + 1)
    f0s = []
    for start, keep in zip(starts, loud, strict=True):
        if not keep:
            continue
        x = samples[start : start + frame] - samples[start : start + frame].mean()
        spectrum = np.fft.rfft(x, 2 * frame)
        corr = np.fft.irfft(np.abs(spectrum) ** 2)[:frame] / (np.dot(x, x) + 1e-12)
        lag = lags[np.argmax(corr[lags])]
        if corr[lag] > 0.5:
            f0s.append(rate / lag)
    assert len(f0s) >= 10, "too few voiced frames to estimate a pitch"
    return float(np.median(f0s))
