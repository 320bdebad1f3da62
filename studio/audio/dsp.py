"""Small signal helpers shared by the voice backend, the space and the mix (numpy and scipy)."""

from __future__ import annotations

from math import gcd

import numpy as np


def db_to_gain(db: float) -> float:
    """A level change in decibels as a linear amplitude factor."""
    return float(10.0 ** (db / 20.0))


def gain_to_db(gain: float) -> float:
    """A linear amplitude factor in decibels (-inf for 0)."""
    return float(20.0 * np.log10(gain)) if gain > 0 else float("-inf")


def rms(samples: np.ndarray) -> float:
    """Root-mean-square of every sample (all channels together); 0 for an empty array."""
    if samples.size == 0:
        return 0.0
    return float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample along the first axis with a polyphase filter (scipy's resample_poly)."""
    if rate_in == rate_out or samples.shape[0] == 0:
        return samples.astype(np.float32, copy=False)
    from scipy.signal import resample_poly

    divisor = gcd(int(rate_in), int(rate_out))
    out = resample_poly(samples, rate_out // divisor, rate_in // divisor, axis=0)
    return out.astype(np.float32, copy=False)


def butter(
    samples: np.ndarray,
    rate: int,
    cutoff: float,
    kind: str,
    order: int = 2,
    zero_phase: bool = False,
) -> np.ndarray:
    """A Butterworth low-pass or high-pass filter along the first axis (kind "low"/"high").

    `zero_phase` runs it forwards and backwards: no delay, twice the slope.
    """
    from scipy.signal import butter as design
    from scipy.signal import sosfilt, sosfiltfilt

    nyquist = rate / 2.0
    cutoff = min(max(cutoff, 10.0), nyquist * 0.95)
    sos = design(order, cutoff / nyquist, btype=kind, output="sos")
    run = sosfiltfilt if zero_phase and len(samples) > 12 * order else sosfilt
    return run(sos, samples, axis=0).astype(np.float32, copy=False)


def frame_rms(samples: np.ndarray, frame: int, block_frames: int = 256) -> np.ndarray:
    """RMS of consecutive frames of `frame` samples (power averaged over channels).

    Computed `block_frames` frames at a time, so a long mix is never copied whole.
    """
    count = len(samples) // frame
    out = np.zeros(count)
    channels = 1 if samples.ndim == 1 else samples.shape[1]
    for first in range(0, count, block_frames):
        last = min(count, first + block_frames)
        block = samples[first * frame : last * frame].astype(np.float64)
        power = np.square(block).reshape(last - first, frame * channels).mean(axis=1)
        out[first:last] = np.sqrt(power)
    return out


def trim_silence(
    samples: np.ndarray, rate: int, pad: float = 0.05, threshold_db: float = -45.0
) -> np.ndarray:
    """Cut leading and trailing silence, keeping `pad` seconds of room on each side.

    Silence is any 10 ms frame quieter than `threshold_db` below the loudest frame. Where the
    sound starts or ends closer than `pad` to the edge, zeros are added so the pad is kept.
    """
    frame = max(1, rate // 100)
    levels = frame_rms(samples, frame)
    if levels.size == 0 or levels.max() <= 0:
        return samples[:0]
    active = np.flatnonzero(levels >= levels.max() * db_to_gain(threshold_db))
    start = int(active[0]) * frame
    end = min(len(samples), (int(active[-1]) + 1) * frame)
    keep = int(round(pad * rate))
    lead = max(0, keep - start)
    tail = max(0, keep - (len(samples) - end))
    body = samples[max(0, start - keep) : min(len(samples), end + keep)]
    if lead or tail:
        body = np.pad(body, [(lead, tail)] + [(0, 0)] * (body.ndim - 1))
    return body.astype(np.float32, copy=False)


def soft_clip(samples: np.ndarray, drive: float) -> np.ndarray:
    """tanh saturation with `drive` (>1 adds harmonics), peak-matched to the input."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak <= 0:
        return samples
    shaped = np.tanh(samples * (drive / peak))
    return (shaped * (peak / np.tanh(drive))).astype(np.float32)


def envelope(samples: np.ndarray, rate: int, window: float = 0.02) -> np.ndarray:
    """A smooth amplitude envelope: RMS over a sliding `window` (seconds), sample by sample."""
    from scipy.ndimage import uniform_filter1d

    size = max(1, int(window * rate))
    power = uniform_filter1d(np.square(samples.astype(np.float64)), size, axis=0)
    return np.sqrt(np.maximum(power, 0.0)).astype(np.float32)


# ---------------------------------------------------------------------------- loudness (BS.1770)

LOUDNESS_HOP = 0.1  # seconds: the 400 ms gating blocks and 3 s short-term windows step by this


def k_weighted_hops(samples: np.ndarray, rate: int, block: int = 1 << 16) -> np.ndarray:
    """K-weighted energy per 100 ms hop and channel, (hops, channels), computed block by block.

    The K-weighting filters are pyloudnorm's own (its IIRfilter with the BS.1770 shelf and
    high-pass), run with carried state so that a long mix never needs a float64 copy.
    """
    from pyloudnorm import IIRfilter
    from scipy.signal import lfilter

    stages = [
        IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
        IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
    ]
    data = samples.reshape(len(samples), -1)
    hop = int(round(LOUDNESS_HOP * rate))
    block = max(hop, block // hop * hop)
    states = [np.zeros((max(len(s.a), len(s.b)) - 1, data.shape[1])) for s in stages]
    hops = []
    for start in range(0, len(data) - hop + 1, block):
        chunk = data[start : start + block].astype(np.float64)
        for index, stage in enumerate(stages):
            chunk, states[index] = lfilter(stage.b, stage.a, chunk, axis=0, zi=states[index])
            chunk *= stage.passband_gain
        whole = len(chunk) // hop * hop
        hops.append(np.square(chunk[:whole]).reshape(-1, hop, data.shape[1]).sum(axis=1))
    if not hops:
        return np.zeros((0, data.shape[1]))
    return np.concatenate(hops) / hop


def block_loudness(hop_power: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean power per channel and loudness of every `width`-hop block, stepping one hop."""
    if len(hop_power) < width:
        return np.zeros((0, hop_power.shape[1])), np.zeros(0)
    cumulative = np.concatenate([np.zeros((1, hop_power.shape[1])), np.cumsum(hop_power, axis=0)])
    power = (cumulative[width:] - cumulative[:-width]) / width
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10.0 * np.log10(power.sum(axis=1))
    return power, loudness


def integrated_from_hops(hops: np.ndarray) -> float:
    """BS.1770 gated integrated loudness from K-weighted energies per 100 ms hop."""
    power, loudness = block_loudness(hops, 4)
    above = loudness >= -70.0
    if not above.any():
        return float("-inf")
    relative = -0.691 + 10.0 * np.log10(power[above].mean(axis=0).sum()) - 10.0
    gated = (loudness > relative) & (loudness > -70.0)
    if not gated.any():
        return float("-inf")
    return float(-0.691 + 10.0 * np.log10(power[gated].mean(axis=0).sum()))


def range_from_hops(hops: np.ndarray) -> float | None:
    """EBU Tech 3342 loudness range (3 s windows at 10 Hz) from K-weighted energies per hop."""
    padded = np.concatenate([hops, np.zeros((15, hops.shape[1]))])  # 1.5 s of silence after
    _, short_term = block_loudness(padded, 30)
    short_term = short_term[short_term >= -70.0]
    if len(short_term) < 2:
        return None
    mean = 10.0 * np.log10(np.mean(np.power(10.0, short_term / 10.0)))
    gated = short_term[short_term >= mean - 20.0]
    if len(gated) < 2:
        return None
    return round(float(np.percentile(gated, 95) - np.percentile(gated, 10)), 2)


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """ITU-R BS.1770-4 gated integrated loudness in LUFS (-inf for silence or under 0.4 s)."""
    return integrated_from_hops(k_weighted_hops(samples, rate))


def loudness_range(samples: np.ndarray, rate: int) -> float | None:
    """EBU Tech 3342 loudness range in LU, None if too short or quiet."""
    return range_from_hops(k_weighted_hops(samples, rate))
