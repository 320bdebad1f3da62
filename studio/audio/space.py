"""Where a sound sits: constant-power panning, binaural rendering and per-scene rooms.

- `pan_from_x`: a character's x in the frame (0 left .. 1 right) to a pan (-1 .. +1).
- `constant_power_pan`: mono to stereo with cos/sin gains, so a sound keeps its loudness as it
  moves across the image.
- `binaural`: for headphones, the interaural time difference by Woodworth's formula (up to about
  0.66 ms at 90 degrees) and a level difference with a head-shadow low-pass on the far ear.
- `apply_room`: "interior" is a short small-room reverb (pedalboard's Reverb, small room, low
  wet); "exterior" is dry open air with one faint, darker slap echo off a distant wall.
"""

from __future__ import annotations

import math

import numpy as np

from studio.audio import dsp
from studio.errors import InvalidInput

HEAD_RADIUS_M = 0.0875
SPEED_OF_SOUND = 343.0
ROOMS = ("interior", "exterior")
ROOM_TAIL_SECONDS = {"interior": 0.6, "exterior": 0.25}


def pan_from_x(x: float) -> float:
    """A screen position (0 left .. 1 right) as a pan (-1 left .. +1 right)."""
    return max(-1.0, min(1.0, 2.0 * float(x) - 1.0))


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power left and right gains for a pan in -1..+1 (centre: 0.707 each)."""
    angle = (max(-1.0, min(1.0, pan)) + 1.0) * math.pi / 4.0
    return math.cos(angle), math.sin(angle)


def constant_power_pan(mono: np.ndarray, pan: float) -> np.ndarray:
    """Mono (n,) to stereo (n, 2) with constant-power gains."""
    left, right = pan_gains(pan)
    return np.stack([mono * left, mono * right], axis=1).astype(np.float32)


def balance(stereo: np.ndarray, pan: float) -> np.ndarray:
    """Move a stereo sound towards one side, keeping the centre at unity."""
    left, right = pan_gains(pan)
    scale = math.sqrt(2.0)
    return (stereo * np.asarray([left * scale, right * scale], dtype=np.float32)).astype(np.float32)


def woodworth_itd(azimuth_deg: float) -> float:
    """Interaural time difference in seconds for an azimuth (0 ahead, +90 right, -90 left).

    Woodworth: ITD = r/c (θ + sin θ) on the lateral angle θ; sources behind mirror to the front.
    """
    azimuth = (float(azimuth_deg) + 180.0) % 360.0 - 180.0
    lateral = math.radians(azimuth)
    if abs(lateral) > math.pi / 2:
        lateral = math.copysign(math.pi, lateral) - lateral
    magnitude = abs(lateral)
    itd = HEAD_RADIUS_M / SPEED_OF_SOUND * (magnitude + math.sin(magnitude))
    return math.copysign(itd, lateral)


def _delay(samples: np.ndarray, seconds: float, rate: int) -> np.ndarray:
    """Delay by a fractional number of samples (linear interpolation), keeping the length."""
    shift = seconds * rate
    if shift <= 0:
        return samples
    positions = np.arange(len(samples), dtype=np.float64) - shift
    return np.interp(positions, np.arange(len(samples)), samples, left=0.0).astype(np.float32)


def binaural(mono: np.ndarray, rate: int, azimuth_deg: float) -> np.ndarray:
    """Mono to a headphone stereo image at `azimuth_deg` (n, 2).

    The far ear hears the sound later (Woodworth ITD), quieter (up to 6 dB at 90 degrees) and
    darker (a zero-phase head-shadow low-pass from 20 kHz ahead down to about 1.5 kHz at
    the side, so that the delay is the ITD alone).
    """
    itd = woodworth_itd(azimuth_deg)
    lateral = min(1.0, abs(itd) / woodworth_itd(90.0))
    near = mono.astype(np.float32)
    far = _delay(near, abs(itd), rate)
    if lateral > 0.01:
        cutoff = 20000.0 * (1.5 / 20.0) ** lateral
        far = dsp.butter(far, rate, cutoff, "low", order=1, zero_phase=True)
    far = far * dsp.db_to_gain(-6.0 * lateral)
    left, right = (far, near) if itd > 0 else (near, far)
    return np.stack([left, right], axis=1).astype(np.float32)


def apply_room(samples: np.ndarray, rate: int, room: str | None) -> np.ndarray:
    """The scene's acoustic space on a clip (mono or stereo); the result is longer by the tail."""
    if room is None:
        return samples
    if room not in ROOMS:
        raise InvalidInput(f"unknown room {room!r}", f"use one of {', '.join(ROOMS)} or none")
    tail = int(ROOM_TAIL_SECONDS[room] * rate)
    padded = np.pad(samples, [(0, tail)] + [(0, 0)] * (samples.ndim - 1)).astype(np.float32)
    if room == "interior":
        return _small_room(padded, rate)
    return _open_air(padded, rate)


def _small_room(samples: np.ndarray, rate: int) -> np.ndarray:
    import pedalboard

    reverb = pedalboard.Reverb(
        room_size=0.18, damping=0.7, wet_level=0.12, dry_level=0.9, width=0.8
    )
    planar = samples.T if samples.ndim == 2 else samples
    out = np.asarray(reverb(np.ascontiguousarray(planar, dtype=np.float32), rate))
    return (out.T if samples.ndim == 2 else out.reshape(-1)).astype(np.float32)


def _open_air(samples: np.ndarray, rate: int) -> np.ndarray:
    delay = int(0.11 * rate)
    echo = np.zeros_like(samples)
    echo[delay:] = samples[: len(samples) - delay]
    echo = dsp.butter(dsp.butter(echo, rate, 2500.0, "low"), rate, 150.0, "high")
    return (samples + 0.1 * echo).astype(np.float32)
