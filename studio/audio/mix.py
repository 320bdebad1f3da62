"""The film's mix: dialogue, music and effects buses, ducking, loudness and a true-peak limiter.

Every clip is resampled to the mix rate, given its gain and fades, placed in its room, panned (or
rendered binaurally for headphones) and added in place into its bus (48 kHz stereo float32). The
music bus is ducked under the dialogue: a sidechain of the dialogue's 10 ms RMS, held through the
gaps between words and looked ahead by the attack time, drives a gain reduction of
`duck_depth_db` with linear attack and release ramps. The sum is normalised to the loudness
target (ITU-R BS.1770 integrated loudness, measured with pyloudnorm), then a look-ahead limiter
keeps the true peak (measured on a 4x oversampled signal) under the ceiling.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from studio.audio import dsp, space
from studio.errors import InvalidInput, NotFound

OVERSAMPLE = 4
# limit this far under the ceiling, so that meters with other oversampling filters agree
TRUE_PEAK_MARGIN_DB = 0.1
_BLOCK = 1 << 16
_TP_OVERLAP = 64
SOUNDFILE_EXTENSIONS = {".wav", ".flac", ".aif", ".aiff", ".ogg", ".oga"}


@dataclass
class AudioClip:
    """A sound placed on the timeline: samples (n,) or (n, ch) at `rate`, from `start` seconds."""

    samples: np.ndarray
    rate: int
    start: float
    gain_db: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    pan: float = 0.0  # -1 left .. +1 right
    azimuth_deg: float | None = None  # for the binaural render; None: use the pan
    room: str | None = None  # "interior", "exterior" or None


@dataclass
class MixSettings:
    """Targets and switches of the mix (-16 LUFS web, -23 EBU R128, -14 streaming)."""

    target_lufs: float = -16.0
    true_peak_dbtp: float = -1.0
    duck_depth_db: float = 12.0
    duck_attack: float = 0.05
    duck_release: float = 0.4
    binaural: bool = False
    rooms: bool = True
    pan: bool = True
    rate: int = 48000


@dataclass
class MixReport:
    """What was measured on the finished mix."""

    integrated_lufs: float
    true_peak_dbtp: float
    loudness_range: float | None
    duration_seconds: float
    gain_applied_db: float
    ducking_db: float  # measured average attenuation of the music under dialogue
    target_lufs: float = -16.0
    limiter_reduction_db: float = 0.0  # the deepest gain reduction of the true-peak limiter

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-safe values (silence's -inf loudness becomes None)."""
        return {
            k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in asdict(self).items()
        }


# ---------------------------------------------------------------------------- clips to buses


def _as_float(clip: AudioClip, index: int, kind: str) -> np.ndarray:
    samples = np.asarray(clip.samples)
    if samples.ndim == 2 and samples.shape[1] == 1:
        samples = samples[:, 0]
    if samples.ndim not in (1, 2) or (samples.ndim == 2 and samples.shape[1] != 2):
        raise InvalidInput(
            f"{kind} clip {index} has samples of shape {samples.shape}",
            "use (n,) mono or (n, 2) stereo",
        )
    if clip.rate <= 0:
        raise InvalidInput(f"{kind} clip {index} has a sample rate of {clip.rate}")
    if samples.dtype.kind in "iu":
        samples = samples / float(np.iinfo(samples.dtype).max)
    return samples.astype(np.float32, copy=False)


def _fades(samples: np.ndarray, rate: int, fade_in: float, fade_out: float) -> np.ndarray:
    n = len(samples)
    fin, fout = min(n, int(fade_in * rate)), min(n, int(fade_out * rate))
    if not fin and not fout:
        return samples
    samples = samples.copy()
    shape = (-1,) + (1,) * (samples.ndim - 1)
    if fin:
        samples[:fin] *= np.linspace(0.0, 1.0, fin, dtype=np.float32).reshape(shape)
    if fout:
        samples[n - fout :] *= np.linspace(1.0, 0.0, fout, dtype=np.float32).reshape(shape)
    return samples


def render_clip(
    clip: AudioClip, settings: MixSettings, index: int = 0, kind: str = ""
) -> np.ndarray:
    """One clip as (n, 2) float32 at the mix rate: gain, fades, room, pan or binaural.

    Mono clips are panned (or, with `settings.binaural` and an azimuth, rendered for
    headphones); stereo clips keep their image, moved by `pan` as a balance control.
    """
    samples = dsp.resample(_as_float(clip, index, kind), clip.rate, settings.rate)
    if clip.gain_db:
        samples = samples * np.float32(dsp.db_to_gain(clip.gain_db))
    samples = _fades(samples, settings.rate, clip.fade_in, clip.fade_out)
    if settings.rooms and clip.room:
        samples = space.apply_room(samples, settings.rate, clip.room)
    if samples.ndim == 2:
        return space.balance(samples, clip.pan) if settings.pan and clip.pan else samples
    if settings.binaural and clip.azimuth_deg is not None:
        return space.binaural(samples, settings.rate, clip.azimuth_deg)
    return space.constant_power_pan(samples, clip.pan if settings.pan else 0.0)


def _bus(
    clips: list[AudioClip],
    frames: int,
    settings: MixSettings,
    kind: str,
    bus: np.ndarray | None = None,
) -> np.ndarray:
    """Render every clip and add it in place into `bus` (a new silent bus when None)."""
    bus = np.zeros((frames, 2), dtype=np.float32) if bus is None else bus
    for index, clip in enumerate(clips):
        rendered = render_clip(clip, settings, index, kind)
        at = int(round(clip.start * settings.rate))
        head = max(0, -at)
        end = min(frames, at + len(rendered))
        if end > at + head:
            bus[at + head : end] += rendered[head : end - at]
    return bus


# ---------------------------------------------------------------------------- ducking


def _window_any(active: np.ndarray, before: int, after: int) -> np.ndarray:
    """True where `active` is true anywhere in [k - before, k + after]."""
    counts = np.concatenate([[0], np.cumsum(active, dtype=np.int64)])
    index = np.arange(len(active))
    high = np.minimum(len(active), index + after + 1)
    low = np.maximum(0, index - before)
    return counts[high] - counts[low] > 0


def dialogue_activity(dialogue: np.ndarray, rate: int, hop: int) -> np.ndarray:
    """Per `hop`-sample frame: is someone speaking (RMS within 35 dB of the loudest frame)?"""
    levels = dsp.frame_rms(dialogue, hop)
    if levels.size == 0 or levels.max() <= 1e-6:
        return np.zeros(len(levels), dtype=bool)
    threshold = max(dsp.db_to_gain(-55.0), levels.max() * dsp.db_to_gain(-35.0))
    return levels > threshold


def duck_reduction(dialogue: np.ndarray, settings: MixSettings, hold: float = 0.3) -> np.ndarray:
    """The music's gain reduction in dB per 10 ms frame that ducks it under the dialogue.

    Speech frames held `hold` seconds through pauses and looked ahead by the attack time set a
    target reduction of `duck_depth_db`, reached with linear ramps over `duck_attack` (down)
    and `duck_release` (back up), so the music is fully down when a line starts.
    """
    rate = settings.rate
    hop = max(1, rate // 100)
    active = dialogue_activity(dialogue, rate, hop)
    if not active.any() or settings.duck_depth_db <= 0:
        return np.zeros(len(active))
    hop_seconds = hop / rate
    ahead = int(math.ceil(settings.duck_attack / hop_seconds))
    target = _window_any(active, int(hold / hop_seconds), ahead) * settings.duck_depth_db
    down = settings.duck_depth_db * hop_seconds / max(settings.duck_attack, hop_seconds)
    up = settings.duck_depth_db * hop_seconds / max(settings.duck_release, hop_seconds)
    reduction = np.empty(len(target))
    level = 0.0
    for k, goal in enumerate(target.tolist()):
        level = min(goal, level + down) if goal > level else max(goal, level - up)
        reduction[k] = level
    return reduction


def _apply_reduction(bus: np.ndarray, reduction: np.ndarray, hop: int) -> None:
    """Multiply `bus` in place by the frame reductions, interpolated sample by sample."""
    centres = (np.arange(len(reduction)) + 0.5) * hop
    for start in range(0, len(bus), _BLOCK):
        stop = min(len(bus), start + _BLOCK)
        db = np.interp(np.arange(start, stop), centres, reduction) if len(reduction) else 0.0
        gain = np.power(10.0, -np.asarray(db) / 20.0).astype(np.float32)
        bus[start:stop] *= gain.reshape(-1, *([1] * (bus.ndim - 1)))


def duck_gain(dialogue: np.ndarray, settings: MixSettings, hold: float = 0.3) -> np.ndarray:
    """The music bus gain, sample by sample (float32), that ducks it under `dialogue`."""
    gain = np.ones(len(dialogue), dtype=np.float32)
    _apply_reduction(gain, duck_reduction(dialogue, settings, hold), max(1, settings.rate // 100))
    return gain


def _duck(music: np.ndarray, dialogue: np.ndarray, settings: MixSettings) -> float:
    """Duck the music bus in place; return the measured attenuation under speech in dB."""
    hop = max(1, settings.rate // 100)
    power_before = dsp.frame_rms(music, hop) ** 2
    _apply_reduction(music, duck_reduction(dialogue, settings), hop)
    active = dialogue_activity(dialogue, settings.rate, hop)
    power_after = dsp.frame_rms(music, hop) ** 2
    before, after = float(power_before[active].sum()), float(power_after[active].sum())
    if before <= 0 or after <= 0:
        return 0.0
    return round(10.0 * math.log10(before / after), 2)


# ---------------------------------------------------------------------------- loudness and peaks


@functools.cache
def _oversampling_filter() -> np.ndarray:
    """A 49-tap (about 12 per phase, as in BS.1770 Annex 2) low-pass for 4x oversampling."""
    from scipy.signal import firwin

    return firwin(49, 1.0 / OVERSAMPLE, window=("kaiser", 5.0)).astype(np.float32)


def _true_peak_blocks(samples: np.ndarray, skip_below: float | None):
    """(start, per-sample true peak) for each block of the signal."""
    from scipy.signal import resample_poly

    stereo = samples.reshape(len(samples), -1)
    for start in range(0, len(stereo), _BLOCK):
        count = min(_BLOCK, len(stereo) - start)
        block = np.abs(stereo[start : start + count])
        loudest = block[:, 0] if block.shape[1] == 1 else np.maximum(block[:, 0], block[:, 1])
        if skip_below is not None and float(loudest.max(initial=0.0)) < skip_below:
            yield start, loudest
            continue
        low = max(0, start - _TP_OVERLAP)
        high = min(len(stereo), start + count + _TP_OVERLAP)
        up = resample_poly(stereo[low:high], OVERSAMPLE, 1, axis=0, window=_oversampling_filter())
        up = np.abs(up.astype(np.float32, copy=False))
        up = up[:, 0] if up.shape[1] == 1 else np.maximum(up[:, 0], up[:, 1])
        phases = up.reshape(-1, OVERSAMPLE)
        peak = np.maximum(
            np.maximum(phases[:, 0], phases[:, 1]), np.maximum(phases[:, 2], phases[:, 3])
        )
        yield start, peak[start - low : start - low + count]


def true_peak_envelope(samples: np.ndarray, skip_below: float | None = None) -> np.ndarray:
    """Per input sample, the largest |value| over the channels of the 4x oversampled signal.

    With `skip_below`, blocks whose sample peak is under it are not oversampled (their sample
    values stand in): the limiter's shortcut where nothing comes near the ceiling.
    """
    out = np.empty(len(samples), dtype=np.float32)
    for start, peak in _true_peak_blocks(samples, skip_below):
        out[start : start + len(peak)] = peak
    return out


def true_peak_dbtp(samples: np.ndarray) -> float:
    """The true peak in dBTP (4x oversampling, as ITU-R BS.1770 describes)."""
    if samples.size == 0:
        return float("-inf")
    peak = max(float(block.max(initial=0.0)) for _, block in _true_peak_blocks(samples, None))
    return dsp.gain_to_db(peak)


def limit_true_peak(
    samples: np.ndarray, rate: int, ceiling_dbtp: float, lookahead: float = 0.005
) -> tuple[np.ndarray, float]:
    """A look-ahead limiter holding the true peak at or under `ceiling_dbtp`, in place.

    The needed gain per sample is min-held over twice a window, then averaged over that window,
    so the smoothed gain is never above what any peak needs. It runs block by block (a block's
    gain is applied once the next block's gain is known, so every block sees unlimited
    neighbours). Returns the limited signal and the deepest reduction in dB.
    """
    ceiling = dsp.db_to_gain(ceiling_dbtp)
    window = max(1, int(lookahead * rate))
    margin = 3 * window + _TP_OVERLAP
    deepest = 0.0
    blocks = list(range(0, len(samples), _BLOCK))
    for _ in range(4):
        pending: tuple[int, int, np.ndarray] | None = None
        limited: list[int] = []
        for start in blocks:
            stop = min(len(samples), start + _BLOCK)
            gain = _block_gain(samples, start, stop, margin, window, ceiling)
            if pending is not None:  # the previous block's gain waited for this one's
                _apply_gain(samples, *pending)
            pending = None
            if gain is not None:
                pending = (start, stop, gain)
                limited.append(start)
                deepest = max(deepest, -dsp.gain_to_db(float(gain.min())))
        if pending is not None:
            _apply_gain(samples, *pending)
        if not limited:
            break
        # only the limited blocks and their neighbours can have changed: check those again
        near = {b + d * _BLOCK for b in limited for d in (-1, 0, 1)}
        blocks = sorted(b for b in near if 0 <= b < len(samples))
        ceiling *= 0.995  # inter-sample peaks of a moving gain: tighten a little each pass
    return samples, round(deepest, 3)


def _block_gain(
    samples: np.ndarray, start: int, stop: int, margin: int, window: int, ceiling: float
) -> np.ndarray | None:
    """The limiter gain for samples[start:stop], or None where nothing needs limiting."""
    low, high = max(0, start - margin), min(len(samples), stop + margin)
    need = true_peak_envelope(samples[low:high], skip_below=ceiling * 0.5)
    if float(need.max(initial=0.0)) <= ceiling:
        return None
    np.divide(ceiling, np.maximum(need, 1e-12, out=need), out=need)
    np.minimum(need, 1.0, out=need)
    gain = _smooth_gain(need, window)[start - low : stop - low]
    return gain if float(gain.min()) < 1.0 else None


def _apply_gain(samples: np.ndarray, start: int, stop: int, gain: np.ndarray) -> None:
    samples[start:stop] *= gain.reshape(-1, *([1] * (samples.ndim - 1)))


def _smooth_gain(need: np.ndarray, window: int) -> np.ndarray:
    """A centred moving average of a centred minimum hold twice as wide: never above `need`."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    held = minimum_filter1d(need, size=2 * window + 1, mode="nearest")
    return uniform_filter1d(held, size=window | 1, mode="nearest")


integrated_loudness = dsp.integrated_loudness
loudness_range = dsp.loudness_range


def _normalise(mixed: np.ndarray, settings: MixSettings) -> tuple[np.ndarray, float, float, float]:
    """Gain to the target, the limiter, and corrections while limiting moves the loudness.

    Returns the result, the gain applied before limiting, the limiter's deepest reduction and
    the loudness measured on the result. `mixed` is left as it was.
    """
    rate, target = settings.rate, settings.target_lufs
    ceiling = settings.true_peak_dbtp - TRUE_PEAK_MARGIN_DB
    measured = integrated_loudness(mixed, rate)
    if not math.isfinite(measured):
        return limit_true_peak(mixed.copy(), rate, ceiling) + (0.0, measured)
    tried: list[tuple[float, float]] = []
    gain_db = target - measured
    for _ in range(5):
        out = mixed * np.float32(dsp.db_to_gain(gain_db))
        out, deepest = limit_true_peak(out, rate, ceiling)
        loudness = integrated_loudness(out, rate)
        tried.append((gain_db, loudness))
        if abs(loudness - target) <= 0.1:
            break
        gain_db = _next_gain(tried, target)
    return out, tried[-1][0], deepest, loudness


def _next_gain(tried: list[tuple[float, float]], target: float) -> float:
    """Secant step on loudness(gain): limiting makes each dB of gain add less than a dB."""
    gain, loudness = tried[-1]
    slope = 1.0
    if len(tried) > 1:
        (g0, l0), (g1, l1) = tried[-2], tried[-1]
        slope = (l1 - l0) / (g1 - g0) if g1 != g0 else 1.0
    slope = min(1.0, max(0.1, slope))
    return gain + min(24.0, (target - loudness) / slope)


def mix(
    dialogue: list[AudioClip],
    music: list[AudioClip],
    effects: list[AudioClip],
    duration: float,
    settings: MixSettings,
) -> tuple[np.ndarray, MixReport]:
    """The finished stereo mix (n, 2) float32 at `settings.rate` and what was measured on it.

    A mix too peaky to reach the loudness target under the true-peak ceiling comes out as loud
    as the limiter allows (the report says how loud).
    """
    if duration <= 0:
        raise InvalidInput(f"the mix needs a positive duration, not {duration} s")
    frames = int(round(duration * settings.rate))
    mixed = _bus(dialogue, frames, settings, "dialogue")
    music_bus = _bus(music, frames, settings, "music")
    ducking = _duck(music_bus, mixed, settings) if music else 0.0
    mixed += music_bus
    del music_bus
    _bus(effects, frames, settings, "effects", bus=mixed)
    out, gain_db, deepest, loudness = _normalise(mixed, settings)
    del mixed
    report = MixReport(
        integrated_lufs=round(loudness, 2),
        true_peak_dbtp=round(true_peak_dbtp(out), 2),
        loudness_range=loudness_range(out, settings.rate),
        duration_seconds=frames / settings.rate,
        gain_applied_db=round(gain_db, 2),
        ducking_db=ducking,
        target_lufs=settings.target_lufs,
        limiter_reduction_db=deepest,
    )
    return out, report


# ---------------------------------------------------------------------------- files


def load_audio_file(path: str | Path) -> tuple[np.ndarray, int]:
    """Samples (n,) or (n, ch) float32 and the rate of an audio file.

    WAV, FLAC, AIFF and Ogg through soundfile; MP3 and anything else FFmpeg reads through PyAV.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"no audio file at {path}")
    if path.suffix.lower() in SOUNDFILE_EXTENSIONS:
        import soundfile

        try:
            samples, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
        except (RuntimeError, soundfile.LibsndfileError) as err:
            raise InvalidInput(
                f"cannot read the audio file {path}: {err}", "the file may be damaged"
            ) from err
        return samples, int(rate)
    return _load_with_av(path)


def _load_with_av(path: Path) -> tuple[np.ndarray, int]:
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise InvalidInput(f"the file {path} has no audio stream")
            stream = container.streams.audio[0]
            resampler = av.AudioResampler(format="fltp")
            chunks = [
                out.to_ndarray()
                for frame in container.decode(stream)
                for out in resampler.resample(frame)
            ]
            rate = int(stream.rate or stream.codec_context.sample_rate)
    except av.FFmpegError as err:
        raise InvalidInput(
            f"cannot decode the audio file {path}: {err}", "the file may be damaged"
        ) from err
    if not chunks:
        raise InvalidInput(f"the audio file {path} holds no sound", "the file may be damaged")
    samples = np.concatenate(chunks, axis=1).T.astype(np.float32)
    return (samples[:, 0] if samples.shape[1] == 1 else samples), rate
