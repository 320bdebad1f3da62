"""The film's mix: dialogue, music and effects buses, ducking, loudness and a true-peak limiter.

Every clip is resampled to the mix rate, given its gain and fades, placed in its room, panned (or
rendered binaurally for headphones) and added in place into its bus (48 kHz stereo float32). The
music bus is ducked under the dialogue: a sidechain of the dialogue's 10 ms RMS, held through the
gaps between words and looked ahead by the attack time, drives a gain reduction of
`duck_depth_db` with linear attack and release ramps. The sum is normalised to the loudness
target (ITU-R BS.1770 integrated loudness, measured with pyloudnorm), then a look-ahead limiter
keeps the true peak (measured on a 4x oversampled signal) under the ceiling.

This module holds the mix's parts: its settings and report, a clip rendered to the mix rate,
the ducking, the loudness and true-peak meters, and audio files read whole or in slices. The
rendering itself is `mix_stream.MixStream`, which does all of this block by block with flat
memory; `mix_stream.mix()` gathers its blocks into one array for callers that want it whole.
"""

from __future__ import annotations

import copy
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
_MAX_SPAN = 1 << 13  # true_peak_max skips quiet stretches this long
_SKIP_SPAN = 1 << 11  # and the limiter's envelope these
SOUNDFILE_EXTENSIONS = {".wav", ".flac", ".aif", ".aiff", ".ogg", ".oga"}


@dataclass
class AudioClip:
    """A sound placed on the timeline: samples (n,) or (n, ch) at `rate`, from `start` seconds.

    `samples` is an array, or anything sliced like one (an `AudioFile` reads a file's slices on
    demand).
    """

    samples: np.ndarray
    rate: int
    start: float
    gain_db: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    pan: float = 0.0  # -1 left .. +1 right
    azimuth_deg: float | None = None  # for the binaural render; None: use the pan
    room: str | None = None  # "interior", "exterior" or None
    loop_to: float | None = None  # seconds: repeat the samples to this length (None: once)


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


# ---------------------------------------------------------------------------- ducking


def _window_any(active: np.ndarray, before: int, after: int) -> np.ndarray:
    """True where `active` is true anywhere in [k - before, k + after]."""
    counts = np.concatenate([[0], np.cumsum(active, dtype=np.int64)])
    index = np.arange(len(active))
    high = np.minimum(len(active), index + after + 1)
    low = np.maximum(0, index - before)
    return counts[high] - counts[low] > 0


def activity_from_levels(levels: np.ndarray) -> np.ndarray:
    """Per frame of dialogue RMS `levels`: is someone speaking (within 35 dB of the loudest)?"""
    if levels.size == 0 or levels.max() <= 1e-6:
        return np.zeros(len(levels), dtype=bool)
    threshold = max(dsp.db_to_gain(-55.0), levels.max() * dsp.db_to_gain(-35.0))
    return levels > threshold


def dialogue_activity(dialogue: np.ndarray, rate: int, hop: int) -> np.ndarray:
    """Per `hop`-sample frame: is someone speaking (RMS within 35 dB of the loudest frame)?"""
    return activity_from_levels(dsp.frame_rms(dialogue, hop))


def reduction_from_levels(
    levels: np.ndarray, settings: MixSettings, hold: float = 0.3
) -> np.ndarray:
    """The music's gain reduction in dB per 10 ms frame, from the dialogue's RMS per frame.

    Speech frames held `hold` seconds through pauses and looked ahead by the attack time set a
    target reduction of `duck_depth_db`, reached with linear ramps over `duck_attack` (down)
    and `duck_release` (back up), so the music is fully down when a line starts.
    """
    hop = max(1, settings.rate // 100)
    active = activity_from_levels(levels)
    if not active.any() or settings.duck_depth_db <= 0:
        return np.zeros(len(active))
    hop_seconds = hop / settings.rate
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


def duck_reduction(dialogue: np.ndarray, settings: MixSettings, hold: float = 0.3) -> np.ndarray:
    """The music's gain reduction in dB per 10 ms frame that ducks it under `dialogue`."""
    hop = max(1, settings.rate // 100)
    return reduction_from_levels(dsp.frame_rms(dialogue, hop), settings, hold)


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


# ---------------------------------------------------------------------------- loudness and peaks


@functools.cache
def _oversampling_filter() -> np.ndarray:
    """A 49-tap (about 12 per phase, as in BS.1770 Annex 2) low-pass for 4x oversampling."""
    from scipy.signal import firwin

    return firwin(49, 1.0 / OVERSAMPLE, window=("kaiser", 5.0)).astype(np.float32)


def _oversampled_peak(stereo: np.ndarray, start: int, count: int) -> np.ndarray:
    """Per sample of stereo[start:start+count], the largest |value| over the channels and the
    four phases of the 4x oversampled signal (the samples around are the filter's context)."""
    from scipy.signal import resample_poly

    low = max(0, start - _TP_OVERLAP)
    high = min(len(stereo), start + count + _TP_OVERLAP)
    up = resample_poly(stereo[low:high], OVERSAMPLE, 1, axis=0, window=_oversampling_filter())
    up = np.abs(up.astype(np.float32, copy=False))
    up = up[:, 0] if up.shape[1] == 1 else np.maximum(up[:, 0], up[:, 1])
    phases = up.reshape(-1, OVERSAMPLE)
    peak = np.maximum(phases[:, 0], phases[:, 1])
    np.maximum(peak, np.maximum(phases[:, 2], phases[:, 3]), out=peak)
    return peak[start - low : start - low + count]


def _true_peak_blocks(samples: np.ndarray, skip_below: float | None):
    """(start, per-sample true peak) for each block of the signal. With `skip_below`, the
    stretches of `_SKIP_SPAN` samples whose loudest sample (and their neighbours') stays under
    it keep their sample values, and only the rest is oversampled."""
    stereo = samples.reshape(len(samples), -1)
    for start in range(0, len(stereo), _BLOCK):
        count = min(_BLOCK, len(stereo) - start)
        block = np.abs(stereo[start : start + count])
        loudest = block[:, 0] if block.shape[1] == 1 else np.maximum(block[:, 0], block[:, 1])
        if skip_below is None:
            yield start, _oversampled_peak(stereo, start, count)
            continue
        loud = _loud_spans(loudest, skip_below)
        for first, last in loud:  # runs of spans near the threshold: oversampled
            span = slice(first, last)
            loudest[span] = _oversampled_peak(stereo, start + first, last - first)
        yield start, loudest


def _loud_spans(loudest: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """[first, last) runs of `_SKIP_SPAN`-sample spans of `loudest` that reach `threshold`,
    or whose neighbour does (the oversampling filter reaches across a span's edge)."""
    spans = -(-len(loudest) // _SKIP_SPAN)
    padded = np.zeros(spans * _SKIP_SPAN, np.float32)
    padded[: len(loudest)] = loudest
    peaks = padded.reshape(spans, _SKIP_SPAN).max(axis=1)
    near = peaks >= threshold
    near[1:] |= near[:-1].copy()
    near[:-1] |= (peaks >= threshold)[1:]
    runs, index = [], 0
    while index < spans:
        if not near[index]:
            index += 1
            continue
        end = index
        while end < spans and near[end]:
            end += 1
        runs.append((index * _SKIP_SPAN, min(len(loudest), end * _SKIP_SPAN)))
        index = end
    return runs


@functools.cache
def _overshoot() -> float:
    """How far the 4x oversampled signal can rise above the largest |sample| within the filter's
    reach: the largest sum of |taps| over the filter's phases. A stretch whose loudest sample
    times this cannot beat a peak already found need not be oversampled."""
    taps = np.abs(_oversampling_filter().astype(np.float64)) * OVERSAMPLE
    return float(max(taps[phase::OVERSAMPLE].sum() for phase in range(OVERSAMPLE)))


def true_peak_max(
    samples: np.ndarray, at_least: float = 0.0, start: int = 0, stop: int | None = None
) -> float:
    """The larger of `at_least` and the true peak (linear) over samples[start:stop], the samples
    around serving as context. Exact, and cheap where the sound stays below `at_least`: stretches
    that cannot beat it (by the filter's overshoot bound) are not oversampled."""
    stereo = samples.reshape(len(samples), -1)
    stop = len(stereo) if stop is None else stop
    spans = []
    for first in range(start, stop, _MAX_SPAN):
        count = min(_MAX_SPAN, stop - first)
        low, high = max(0, first - _TP_OVERLAP), min(len(stereo), first + count + _TP_OVERLAP)
        spans.append((float(np.abs(stereo[low:high]).max(initial=0.0)), first, count))
    best, reach = at_least, _overshoot()
    for loudest, first, count in sorted(spans, reverse=True):
        if loudest * reach <= best:
            break
        best = max(best, float(_oversampled_peak(stereo, first, count).max(initial=0.0)))
    return best


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
    return dsp.gain_to_db(true_peak_max(samples))


integrated_loudness = dsp.integrated_loudness
loudness_range = dsp.loudness_range


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
        _check_header(path, int(rate), 1 if samples.ndim == 1 else samples.shape[1])
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


# what a sound file may declare: a header saying 1 Hz makes 48,000 samples last 13 hours
SAMPLE_RATES = (1000, 768_000)
MAX_CHANNELS = 16


def _check_header(path: Path, rate: int, channels: int) -> None:
    low, high = SAMPLE_RATES
    if not low <= rate <= high:
        raise InvalidInput(
            f"the audio file {path} declares a sample rate of {rate} Hz",
            f"a sound is {low} to {high} Hz: the file's header is damaged, export it again",
        )
    if not 1 <= channels <= MAX_CHANNELS:
        raise InvalidInput(
            f"the audio file {path} declares {channels} channels",
            f"a sound has 1 to {MAX_CHANNELS}: the file's header is damaged, export it again",
        )


class AudioFile:
    """A sound file read on demand: `len()`, `.shape`, `.rate` and `[a:b]` slices as float32.

    For WAV, FLAC, AIFF and Ogg (what soundfile seeks in); a long music bed then costs only the
    slices being mixed. `np.asarray(audio_file)` reads it whole. `samples_from` names another
    file holding the samples (a decoded copy of `path`; see `compressed.CompressedAudioFile`).
    """

    def __init__(self, path: str | Path, samples_from: str | Path | None = None) -> None:
        import soundfile

        self.path = Path(path)
        self._samples = Path(samples_from) if samples_from is not None else self.path
        if not self._samples.is_file():
            raise NotFound(f"no audio file at {self._samples}")
        try:
            info = soundfile.info(str(self._samples))
        except (RuntimeError, soundfile.LibsndfileError) as err:
            raise InvalidInput(
                f"cannot read the audio file {self.path}: {err}", "the file may be damaged"
            ) from err
        self.rate = int(info.samplerate)
        self.channels = int(info.channels)
        _check_header(self.path, self.rate, self.channels)
        self._first = 0  # the file's sample this one's sample 0 is (see `window`)
        self._set_frames(int(info.frames))
        self.dtype = np.dtype(np.float32)

    def _set_frames(self, frames: int) -> None:
        self.frames = frames
        self.shape = (self.frames,) if self.channels == 1 else (self.frames, self.channels)
        self.ndim = len(self.shape)

    def window(self, start: int, stop: int) -> AudioFile:
        """The samples [start, stop) of this one as an AudioFile of their own (a trimmed
        clip's part of its take), still read on demand."""
        start, stop, _ = slice(start, stop).indices(self.frames)
        part = copy.copy(self)
        part._first = self._first + start
        part._set_frames(max(0, stop - start))
        return part

    def __len__(self) -> int:
        return self.frames

    def __getitem__(self, index: slice) -> np.ndarray:
        import soundfile

        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError(f"a {type(self).__name__} is read in contiguous slices")
        start, stop, _ = index.indices(self.frames)
        with soundfile.SoundFile(str(self._samples)) as handle:
            handle.seek(self._first + start)
            data = handle.read(max(0, stop - start), dtype="float32", always_2d=False)
        return data

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        data = self[:]
        return data if dtype is None else data.astype(dtype)
