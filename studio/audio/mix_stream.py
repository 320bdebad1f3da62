"""The film's mix rendered block by block, so that its memory stays flat in the film's length.

`MixStream` makes the film's mix (described in `studio.audio.mix`, which holds its parts) without
ever holding the whole film's audio; `mix()` gathers its blocks into one array. The film is cut
into blocks of a few seconds (multiples of the 100 ms loudness hop) and rendered several times
over, each time keeping only small per-hop figures:

1. the dialogue bus alone: its level per 10 ms, whose loudest frame sets the speech threshold
   of the ducking, and from which the music's gain reduction per 10 ms is worked out;
2. every bus, the music ducked: the K-weighted energy per 100 ms (BS.1770), the true peak and
   the ducking measured, hence the gain to the loudness target;
3. only when that gain would push a true peak over the ceiling: the gained mix through the
   look-ahead limiter, measured again (and again with a corrected gain while limiting moves the
   loudness by more than 0.1 LU, at most five times);
4. `chunks()`: every block rendered once more, gained and limited, handed out in order.

What the passes find is a `MixPlan` (the gain, whether it limits, the music's ducking per 10 ms):
`plan()` measures and returns it, `use(plan)` adopts a stored one, so a mix whose inputs did not
change (`fingerprint()`) is never measured twice (`studio/audio/mix_plans.py` keeps them). Before
a mix is measured, `provisional_chunks()` hands out its sound at once for a player: the ducking
worked out around each block alone and a given gain, through the same limiter; the finished mix
differs only in its levels.

A clip is rendered whole when a block first reaches it and dropped when the blocks pass its
end, so only the clips near the current block are held. Clips longer than a block whose render
is sample-local (resampling, gain, fades, pan: no room reverb, no binaural render) are instead
rendered slice by slice, the source read through `samples[a:b]`: an `AudioFile` reads such
slices from the disk, so a music bed as long as the film is never loaded whole. `loop_to`
repeats a clip's samples without materialising the repetition.

The limiter is a cascade of four stages, the ceiling tightened by 0.5 % per stage. Each
stage's gain at a sample depends only on the signal within a few milliseconds of it, so a block
rendered with that much margin on each side comes out the same as the whole film rendered at
once: block edges leave no seam.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from math import gcd
from pathlib import Path

import numpy as np

from studio.audio import dsp, space
from studio.audio.mix import (
    TRUE_PEAK_MARGIN_DB,
    AudioClip,
    AudioFile,
    MixReport,
    MixSettings,
    activity_from_levels,
    reduction_from_levels,
    render_clip,
    true_peak_envelope,
    true_peak_max,
)
from studio.errors import InvalidInput
from studio.progress import JobContext

BLOCK_SECONDS = 6.0
LIMITER_STAGES = 4
LIMITER_LOOKAHEAD = 0.005
_TP_EDGE = 64  # samples of context on each side of a true-peak measurement
_LINEAR_SAFETY = 0.995**LIMITER_STAGES * (1.0 - 1e-4)


# ---------------------------------------------------------------------------- sources


def _source_length(clip: AudioClip) -> int:
    if clip.loop_to is not None:
        return int(round(clip.loop_to * clip.rate)) if len(clip.samples) else 0
    return len(clip.samples)


def _read(clip: AudioClip, start: int, stop: int) -> np.ndarray:
    """Source samples [start, stop) as float32 (a looped clip repeats its samples)."""
    samples = clip.samples
    if clip.loop_to is None:
        part = np.asarray(samples[start:stop])
    else:
        size, parts, at = len(samples), [], start
        while at < stop:
            offset = at % size
            take = min(stop - at, size - offset)
            parts.append(np.asarray(samples[offset : offset + take]))
            at += take
        part = np.concatenate(parts) if parts else np.asarray(samples[:0])
    if part.ndim == 2 and part.shape[1] == 1:
        part = part[:, 0]
    if part.dtype.kind in "iu":
        part = part / float(np.iinfo(part.dtype).max)
    return part.astype(np.float32, copy=False)


def _digest_samples(digest, samples) -> None:
    """Add where a clip's samples come from (a file's identity) or the samples themselves."""
    if isinstance(samples, AudioFile):
        source = samples._samples
        stat = source.stat()
        identity = [str(source), samples._first, samples.frames, stat.st_size, stat.st_mtime_ns]
        digest.update(json.dumps(identity).encode())
    else:
        array = np.ascontiguousarray(samples)
        digest.update(f"{array.dtype}{array.shape}".encode())
        digest.update(array.data)


def _check(clip: AudioClip, index: int, kind: str, settings: MixSettings) -> None:
    shape = tuple(np.shape(clip.samples)) if not isinstance(clip.samples, AudioFile) else None
    shape = shape if shape is not None else clip.samples.shape
    if len(shape) == 2 and shape[1] == 1:
        shape = shape[:1]
    if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] != 2):
        raise InvalidInput(
            f"{kind} clip {index} has samples of shape {shape}", "use (n,) mono or (n, 2) stereo"
        )
    if clip.rate <= 0:
        raise InvalidInput(f"{kind} clip {index} has a sample rate of {clip.rate}")
    if settings.rooms and clip.room and clip.room not in space.ROOMS:
        raise InvalidInput(
            f"unknown room {clip.room!r} on {kind} clip {index}",
            f"use one of {', '.join(space.ROOMS)} or none",
        )


# ---------------------------------------------------------------------------- buses


@dataclass
class _Placed:
    index: int
    clip: AudioClip
    at: int  # first sample in the film
    length: int  # rendered samples at the mix rate
    sliced: bool  # rendered slice by slice instead of whole

    @property
    def end(self) -> int:
        return self.at + self.length


def _ratio(clip: AudioClip, settings: MixSettings) -> tuple[int, int]:
    divisor = gcd(int(clip.rate), int(settings.rate))
    return settings.rate // divisor, clip.rate // divisor


def rendered_length(clip: AudioClip, settings: MixSettings) -> int:
    """Samples at the mix rate that `render_clip` makes of `clip` (room tail included)."""
    count = _source_length(clip)
    if count and clip.rate != settings.rate:
        up, down = _ratio(clip, settings)
        count = -(-count * up // down)
    if settings.rooms and clip.room and count:
        count += int(space.ROOM_TAIL_SECONDS[clip.room] * settings.rate)
    return count


def _is_mono(clip: AudioClip) -> bool:
    shape = clip.samples.shape
    return len(shape) == 1 or shape[1] == 1


def _sample_local(clip: AudioClip, settings: MixSettings) -> bool:
    """Can the clip be rendered slice by slice (no reverb, no binaural filter)?"""
    if settings.rooms and clip.room:
        return False
    return not (settings.binaural and clip.azimuth_deg is not None and _is_mono(clip))


def _ceil_to(value: int, step: int) -> int:
    return -(-value // step) * step


def _ramp(start: float, stop: float, count: int, lo: int, hi: int) -> np.ndarray:
    """np.linspace(start, stop, count, dtype=float32)[lo:hi], without the whole ramp."""
    if count == 1:
        return np.full(hi - lo, start, np.float32)
    values = np.arange(lo, hi, dtype=np.float64) * ((stop - start) / (count - 1)) + start
    if hi == count:
        values[-1] = stop
    return values.astype(np.float32)


class _Bus:
    """One bus's clips, rendered over ranges [s0, s1) whose starts never go back."""

    def __init__(self, clips: list[AudioClip], settings: MixSettings, kind: str, block: int):
        self.settings, self.kind = settings, kind
        placed = []
        for index, clip in enumerate(clips):
            _check(clip, index, kind, settings)
            length = rendered_length(clip, settings)
            at = int(round(clip.start * settings.rate))
            sliced = length > block and _sample_local(clip, settings)
            placed.append(_Placed(index, clip, at, length, sliced))
        self._order = sorted(placed, key=lambda p: p.at)
        self._next = 0
        self._active: dict[int, _Placed] = {}
        self._rendered: dict[int, np.ndarray] = {}

    def add_into(self, out: np.ndarray, s0: int) -> None:
        """Add the bus over [s0, s0 + len(out)) into `out`, clip by clip in their order."""
        s1 = s0 + len(out)
        while self._next < len(self._order) and self._order[self._next].at < s1:
            placed = self._order[self._next]
            self._active[placed.index] = placed
            self._next += 1
        for index in sorted(self._active):
            placed = self._active[index]
            if placed.end <= s0:
                del self._active[index]
                self._rendered.pop(index, None)
                continue
            lo, hi = max(s0, placed.at), min(s1, placed.end)
            if hi > lo:
                out[lo - s0 : hi - s0] += self._part(placed, lo - placed.at, hi - placed.at)

    def _part(self, placed: _Placed, p0: int, p1: int) -> np.ndarray:
        if placed.sliced:
            return self._slice(placed, p0, p1)
        if placed.index not in self._rendered:
            clip = placed.clip
            if clip.loop_to is not None or isinstance(clip.samples, AudioFile):
                whole = _read(clip, 0, _source_length(clip))
                clip = replace(clip, samples=whole, loop_to=None)
            self._rendered[placed.index] = render_clip(clip, self.settings, placed.index, self.kind)
        return self._rendered[placed.index][p0:p1]

    def _slice(self, placed: _Placed, p0: int, p1: int) -> np.ndarray:
        """Rendered samples [p0, p1) of a sample-local clip, exactly as `render_clip` makes them."""
        clip, rate = placed.clip, self.settings.rate
        samples = self._resampled(clip, p0, p1)
        if clip.gain_db:
            samples = samples * np.float32(dsp.db_to_gain(clip.gain_db))
        fin = min(placed.length, int(clip.fade_in * rate))
        fout = min(placed.length, int(clip.fade_out * rate))
        tail = placed.length - fout
        if (fin and p0 < fin) or (fout and p1 > tail):
            samples = np.array(samples, dtype=np.float32, copy=True)
            shape = (-1,) + (1,) * (samples.ndim - 1)
            if fin and p0 < fin:
                hi = min(p1, fin)
                samples[: hi - p0] *= _ramp(0.0, 1.0, fin, p0, hi).reshape(shape)
            if fout and p1 > tail:
                lo = max(p0, tail)
                samples[lo - p0 :] *= _ramp(1.0, 0.0, fout, lo - tail, p1 - tail).reshape(shape)
        if samples.ndim == 2:
            pan = self.settings.pan and clip.pan
            return space.balance(samples, clip.pan) if pan else samples
        return space.constant_power_pan(samples, clip.pan if self.settings.pan else 0.0)

    def _resampled(self, clip: AudioClip, p0: int, p1: int) -> np.ndarray:
        if clip.rate == self.settings.rate:
            return _read(clip, p0, p1)
        from scipy.signal import resample_poly

        up, down = _ratio(clip, self.settings)
        margin = -(-32 // down) * down  # the polyphase filter reaches about 10 input samples
        first = (p0 * down // up) // down * down
        last = _ceil_to(-(-p1 * down // up), down)
        a, b = max(0, first - margin), min(_source_length(clip), last + margin)
        out = resample_poly(_read(clip, a, b), up, down, axis=0).astype(np.float32, copy=False)
        offset = a * up // down
        return out[p0 - offset : p1 - offset]


# ---------------------------------------------------------------------------- meters


class _LoudnessMeter:
    """K-weighted energy per 100 ms hop, fed block by block (the filters' state carried)."""

    def __init__(self, rate: int) -> None:
        from pyloudnorm import IIRfilter

        self.stages = [
            IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
            IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
        ]
        self.hop = int(round(dsp.LOUDNESS_HOP * rate))
        self.states: list[np.ndarray] | None = None
        self.hops: list[np.ndarray] = []

    def add(self, block: np.ndarray) -> None:
        from scipy.signal import lfilter

        chunk = block.reshape(len(block), -1).astype(np.float64)
        if self.states is None:
            self.states = [
                np.zeros((max(len(s.a), len(s.b)) - 1, chunk.shape[1])) for s in self.stages
            ]
        for index, stage in enumerate(self.stages):
            chunk, self.states[index] = lfilter(
                stage.b, stage.a, chunk, axis=0, zi=self.states[index]
            )
            chunk *= stage.passband_gain
        whole = len(chunk) // self.hop * self.hop
        self.hops.append(np.square(chunk[:whole]).reshape(-1, self.hop, chunk.shape[1]).sum(1))

    def energies(self, scale: float = 1.0) -> np.ndarray:
        if not self.hops:
            return np.zeros((0, 2))
        return np.concatenate(self.hops) / self.hop * scale


# ---------------------------------------------------------------------------- the stream


class _DuckMeter:
    """The music's power under speech, before and after the ducking, summed block by block."""

    def __init__(self, active: np.ndarray, hop: int) -> None:
        self.active, self.hop = active, hop
        self.before = self.after = 0.0

    def add(self, before: np.ndarray, after: np.ndarray, first_frame: int) -> None:
        power_before = dsp.frame_rms(before, self.hop) ** 2
        power_after = dsp.frame_rms(after, self.hop) ** 2
        active = self.active[first_frame : first_frame + len(power_before)]
        count = len(active)
        self.before += float(power_before[:count][active].sum())
        self.after += float(power_after[:count][active].sum())

    def decibels(self) -> float:
        if self.before <= 0 or self.after <= 0:
            return 0.0
        return round(10.0 * math.log10(self.before / self.after), 2)


@dataclass(frozen=True)
class MixPlan:
    """What measuring a mix found: enough to hand out its finished blocks without measuring."""

    report: MixReport
    gain_db: float
    limited: bool
    reduction: np.ndarray | None  # the music's gain reduction in dB per 10 ms (None: no music)
    active: np.ndarray | None  # per 10 ms: is someone speaking


# seconds of context around a block for its provisional ducking: the hold and release before
# it, the attack's look-ahead and the hold after it
_PROVISIONAL_BEFORE, _PROVISIONAL_AFTER = 1.0, 0.5


class MixStream:
    """The film's mix, rendered in blocks: `.report` first, then `.chunks()`.

    `report` (a `MixReport`) runs the measuring passes on first use; `chunks()` yields the
    finished mix as (n, 2) float32 blocks at `settings.rate`, `total_samples` in all, and can be
    iterated again (each time rendering anew). Memory holds a few blocks, the clips near the
    current block and per-hop figures (about 1.5 KB per second of film).
    """

    def __init__(
        self,
        dialogue: list[AudioClip],
        music: list[AudioClip],
        effects: list[AudioClip],
        duration: float,
        settings: MixSettings,
        block_seconds: float = BLOCK_SECONDS,
    ) -> None:
        if duration <= 0:
            raise InvalidInput(f"the mix needs a positive duration, not {duration} s")
        self.settings = settings
        self.total_samples = int(round(duration * settings.rate))
        hop = int(round(dsp.LOUDNESS_HOP * settings.rate))
        self.block = max(hop, int(round(block_seconds / dsp.LOUDNESS_HOP)) * hop)
        self._clips = (list(dialogue), list(music), list(effects))
        self._buses()  # checks every clip now, so that a bad one is refused at once
        self._window = max(1, int(LIMITER_LOOKAHEAD * settings.rate))
        self._reach = LIMITER_STAGES * (3 * self._window + _TP_EDGE) + _TP_EDGE
        self._ceiling = dsp.db_to_gain(settings.true_peak_dbtp - TRUE_PEAK_MARGIN_DB)
        self._ten_ms = max(1, settings.rate // 100)
        self._reduction: np.ndarray | None = None
        self._active: np.ndarray | None = None
        self._gain_db = 0.0
        self._limited = False
        self._report: MixReport | None = None
        self._ctx: JobContext | None = None  # asked between blocks while measuring

    # ---- public ------------------------------------------------------------------------------
    @property
    def report(self) -> MixReport:
        """What the finished mix measures (runs the measuring passes the first time)."""
        if self._report is None:
            self._report = self._analyse()
        return self._report

    def measure(self, ctx: JobContext | None = None) -> MixReport:
        """`report`, with `ctx` asked between blocks whether to stop (raises Cancelled)."""
        self._ctx = ctx
        try:
            return self.report
        finally:
            self._ctx = None

    def prepare(self) -> None:
        """Import what rendering the mix needs (scipy's filters: seconds the first time), so
        that a player's first block is not late by an import."""
        import scipy.ndimage  # noqa: F401
        import scipy.signal  # noqa: F401

    @property
    def measured(self) -> bool:
        """Whether the mix knows its levels (measured, or given a plan by `use`)."""
        return self._report is not None

    def plan(self, ctx: JobContext | None = None) -> MixPlan:
        """What the measuring passes found (running them the first time)."""
        report = self.measure(ctx)
        return MixPlan(report, self._gain_db, self._limited, self._reduction, self._active)

    def use(self, plan: MixPlan) -> None:
        """Adopt a plan measured before for the same inputs (see `fingerprint`)."""
        frames = -(-self.total_samples // self._ten_ms)
        for name in ("reduction", "active"):
            values = getattr(plan, name)
            if values is not None and abs(len(values) - frames) > 2:
                raise InvalidInput(f"the mix plan's {name} covers {len(values)} of {frames} frames")
        self._gain_db, self._limited = plan.gain_db, plan.limited
        self._reduction, self._active = plan.reduction, plan.active
        self._report = plan.report

    def fingerprint(self) -> str:
        """A digest of everything the mix is made of (settings, clips, where their samples
        come from): two streams with the same fingerprint make the same mix."""
        digest = hashlib.sha256()
        head = {"settings": asdict(self.settings), "samples": self.total_samples}
        digest.update(json.dumps({**head, "block": self.block}, sort_keys=True).encode())
        for kind, clips in zip(("dialogue", "music", "effects"), self._clips, strict=True):
            for clip in clips:
                fields = {k: v for k, v in clip.__dict__.items() if k != "samples"}
                digest.update(json.dumps([kind, fields], sort_keys=True, default=str).encode())
                _digest_samples(digest, clip.samples)
        return digest.hexdigest()

    def provisional_chunks(
        self, start: int = 0, block: int | None = None, gain_db: float = 0.0
    ) -> Iterator[np.ndarray]:
        """The mix from sample `start` before it is measured: each block's music ducked under
        the dialogue around that block alone, `gain_db` applied, then the limiter. Touches
        nothing `measure` uses, so it may run while another thread measures."""
        rate = self.settings.rate
        before, after = int(_PROVISIONAL_BEFORE * rate), int(_PROVISIONAL_AFTER * rate)
        buses, levels_bus = self._buses(), self._buses()[0] if self._clips[1] else None
        for b0, b1 in self._blocks(start, block):
            reduction = None
            if levels_bus is not None:
                w0 = max(0, (b0 - before) // self._ten_ms * self._ten_ms)
                w1 = min(self.total_samples, b1 + after)
                bus = np.zeros((w1 - w0, 2), np.float32)
                levels_bus.add_into(bus, w0)
                local = reduction_from_levels(dsp.frame_rms(bus, self._ten_ms), self.settings)
                reduction = (w0 // self._ten_ms, local)
            out, _, _ = self._limited_block(
                b0, b1, buses, measure=False, gain_db=gain_db, reduction=reduction
            )
            yield out

    def chunks(self, start: int = 0, block: int | None = None) -> Iterator[np.ndarray]:
        """The finished mix, block by block: (n, 2) float32 arrays in order, from sample
        `start` (a player seeking) in blocks of `block` samples (default: the stream's). The
        samples are the same whatever the start and block: the ducking and the limiter do not
        depend on where a block begins."""
        self.report  # noqa: B018 - the gain must be known before the first block
        buses = self._buses()
        for b0, b1 in self._blocks(start, block):
            if self._limited:
                out, _, _ = self._limited_block(b0, b1, buses, measure=False)
            else:
                out = self._mix_range(b0, b1, buses)
                out *= np.float32(dsp.db_to_gain(self._gain_db))
            yield out

    def to_array(self) -> np.ndarray:
        """The whole mix as one (total_samples, 2) float32 array (holds the whole film)."""
        out = np.empty((self.total_samples, 2), np.float32)
        at = 0
        for chunk in self.chunks():
            out[at : at + len(chunk)] = chunk
            at += len(chunk)
        return out

    def write_wav(self, path: str | Path, subtype: str = "PCM_24") -> Path:
        """Write the mix to a WAV file chunk by chunk; returns the path."""
        import soundfile

        path = Path(path)
        with soundfile.SoundFile(
            str(path), "w", samplerate=self.settings.rate, channels=2, subtype=subtype
        ) as handle:
            for chunk in self.chunks():
                handle.write(chunk)
        return path

    # ---- rendering ---------------------------------------------------------------------------
    def _buses(self) -> tuple[_Bus, _Bus, _Bus]:
        kinds = ("dialogue", "music", "effects")
        return tuple(
            _Bus(clips, self.settings, kind, self.block)
            for clips, kind in zip(self._clips, kinds, strict=True)
        )

    def _blocks(self, start: int = 0, block: int | None = None) -> Iterator[tuple[int, int]]:
        step = block or self.block
        for b0 in range(max(0, start), self.total_samples, step):
            if self._ctx is not None:
                self._ctx.check_cancelled()
            yield b0, min(self.total_samples, b0 + step)

    def _mix_range(
        self,
        s0: int,
        s1: int,
        buses: tuple[_Bus, _Bus, _Bus],
        ducking: tuple | None = None,
        reduction: tuple[int, np.ndarray] | None = None,
    ) -> np.ndarray:
        """The mix before the loudness gain over [s0, s1): dialogue, ducked music, effects.
        `reduction` (first 10 ms frame, dB per frame) replaces the measured ducking."""
        dialogue, music, effects = buses
        mixed = np.zeros((s1 - s0, 2), np.float32)
        dialogue.add_into(mixed, s0)
        if self._clips[1]:
            bus = np.zeros_like(mixed)
            music.add_into(bus, s0)
            before = bus.copy() if ducking is not None else None
            self._duck(bus, s0, reduction)
            if ducking is not None:
                meter, b0, b1 = ducking
                part = slice(b0 - s0, b1 - s0)
                meter.add(before[part], bus[part], b0 // self._ten_ms)
            mixed += bus
        effects.add_into(mixed, s0)
        return mixed

    def _duck(self, bus: np.ndarray, s0: int, given: tuple[int, np.ndarray] | None = None) -> None:
        first, reduction = given if given is not None else (0, self._reduction)
        if reduction is None or not len(reduction):
            return
        hop = self._ten_ms
        k0 = max(first, s0 // hop - 1)
        k1 = min(first + len(reduction), (s0 + len(bus)) // hop + 2)
        if k1 <= k0:
            return
        centres = (np.arange(k0, k1) + 0.5) * hop
        db = np.interp(np.arange(s0, s0 + len(bus)), centres, reduction[k0 - first : k1 - first])
        bus *= np.power(10.0, -db / 20.0).astype(np.float32)[:, None]

    def _limited_block(
        self,
        b0: int,
        b1: int,
        buses: tuple[_Bus, _Bus, _Bus],
        peak: float = 0.0,
        measure=True,
        gain_db: float | None = None,
        reduction: tuple[int, np.ndarray] | None = None,
    ) -> tuple[np.ndarray, float, float]:
        """[b0, b1) gained (by the measured gain unless `gain_db` is given) and limited; the
        larger of `peak` and its true peak (when measured), and its deepest reduction (dB)."""
        r0, r1 = max(0, b0 - self._reach), min(self.total_samples, b1 + self._reach)
        x = self._mix_range(r0, r1, buses, reduction=reduction)
        x *= np.float32(dsp.db_to_gain(self._gain_db if gain_db is None else gain_db))
        total: np.ndarray | None = None
        ceiling = self._ceiling
        for _ in range(LIMITER_STAGES):
            gain = _stage_gain(x, ceiling, self._window)
            if gain is not None:
                x *= gain[:, None]
                total = gain if total is None else total * gain
            ceiling *= 0.995
        if measure:
            e0, e1 = max(r0, b0 - _TP_EDGE), min(r1, b1 + _TP_EDGE)
            peak = true_peak_max(x[e0 - r0 : e1 - r0], peak, b0 - e0, b1 - e0)
        deepest = 0.0
        if total is not None:
            deepest = -dsp.gain_to_db(float(total[b0 - r0 : b1 - r0].min()))
        return x[b0 - r0 : b1 - r0].copy(), peak, deepest

    # ---- measuring ---------------------------------------------------------------------------
    def _analyse(self) -> MixReport:
        settings = self.settings
        ducking = self._plan_ducking()
        hops, peak, ducked = self._measure_unlimited(ducking)
        measured = dsp.integrated_from_hops(hops)
        gain_db = settings.target_lufs - measured if math.isfinite(measured) else 0.0
        self._gain_db = gain_db
        if peak * dsp.db_to_gain(gain_db) <= self._ceiling * _LINEAR_SAFETY:
            scaled = hops * dsp.db_to_gain(gain_db) ** 2
            loudness, deepest = dsp.integrated_from_hops(scaled), 0.0
            true_peak = dsp.gain_to_db(peak * dsp.db_to_gain(gain_db))
            lra = dsp.range_from_hops(scaled)
        else:
            self._limited = True
            loudness, true_peak, deepest, lra = self._fit_limited(measured)
        return MixReport(
            integrated_lufs=round(loudness, 2),
            true_peak_dbtp=round(true_peak, 2),
            loudness_range=lra,
            duration_seconds=self.total_samples / settings.rate,
            gain_applied_db=round(self._gain_db, 2),
            ducking_db=ducked,
            target_lufs=settings.target_lufs,
            limiter_reduction_db=round(deepest, 3),
        )

    def _plan_ducking(self) -> _DuckMeter | None:
        """Pass 1: the dialogue's level per 10 ms, hence the music's reduction and the meter."""
        if not self._clips[1]:
            return None
        dialogue = self._buses()[0]
        levels = []
        for b0, b1 in self._blocks():
            bus = np.zeros((b1 - b0, 2), np.float32)
            dialogue.add_into(bus, b0)
            levels.append(dsp.frame_rms(bus, self._ten_ms))
        levels = np.concatenate(levels)
        self._reduction = reduction_from_levels(levels, self.settings)
        self._active = activity_from_levels(levels)
        return _DuckMeter(self._active, self._ten_ms)

    def _measure_unlimited(self, ducking: _DuckMeter | None) -> tuple[np.ndarray, float, float]:
        """Pass 2: the mix before gain: its K-weighted energies, true peak and ducking."""
        meter, peak = _LoudnessMeter(self.settings.rate), 0.0
        buses = self._buses()
        for b0, b1 in self._blocks():
            r0, r1 = max(0, b0 - _TP_EDGE), min(self.total_samples, b1 + _TP_EDGE)
            measure = (ducking, b0, b1) if ducking is not None else None
            mixed = self._mix_range(r0, r1, buses, measure)
            meter.add(mixed[b0 - r0 : b1 - r0])
            peak = true_peak_max(mixed, peak, b0 - r0, b1 - r0)
        return meter.energies(), peak, ducking.decibels() if ducking is not None else 0.0

    def _measure_limited(self) -> tuple[np.ndarray, float, float]:
        """Pass 3: the gained, limited mix: its energies, true peak and deepest reduction."""
        meter, peak, deepest = _LoudnessMeter(self.settings.rate), 0.0, 0.0
        buses = self._buses()
        for b0, b1 in self._blocks():
            out, peak, reduction = self._limited_block(b0, b1, buses, peak)
            meter.add(out)
            deepest = max(deepest, reduction)
        return meter.energies(), peak, deepest

    def _fit_limited(self, measured: float) -> tuple[float, float, float, float | None]:
        """Gain, limit and measure until the loudness is within 0.1 LU of the target."""
        target = self.settings.target_lufs
        tried: list[tuple[float, float]] = []
        for _ in range(5 if math.isfinite(measured) else 1):
            hops, peak, deepest = self._measure_limited()
            loudness = dsp.integrated_from_hops(hops)
            tried.append((self._gain_db, loudness))
            if not math.isfinite(measured) or abs(loudness - target) <= 0.1:
                break
            self._gain_db = _next_gain(tried, target)
        else:
            self._gain_db = tried[-1][0]
        return loudness, dsp.gain_to_db(peak), deepest, dsp.range_from_hops(hops)


def _stage_gain(x: np.ndarray, ceiling: float, window: int) -> np.ndarray | None:
    """One limiter stage's gain for `x` (None where nothing comes over `ceiling`)."""
    if float(np.abs(x).max(initial=0.0)) < ceiling * 0.5:
        return None
    need = true_peak_envelope(x, skip_below=ceiling * 0.5)
    if float(need.max(initial=0.0)) <= ceiling:
        return None
    np.divide(ceiling, np.maximum(need, 1e-12, out=need), out=need)
    np.minimum(need, 1.0, out=need)
    gain = _smooth_gain(need, window)
    return gain if float(gain.min()) < 1.0 else None


def _smooth_gain(need: np.ndarray, window: int) -> np.ndarray:
    """A centred moving average of a centred minimum hold twice as wide: never above `need`."""
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    held = minimum_filter1d(need, size=2 * window + 1, mode="nearest")
    return uniform_filter1d(held, size=window | 1, mode="nearest")


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

    The whole film in one array: `MixStream` makes the same sound block by block (this is built
    on it). A mix too peaky to reach the loudness target under the true-peak ceiling comes out
    as loud as the limiter allows (the report says how loud).
    """
    stream = MixStream(dialogue, music, effects, duration, settings)
    report = stream.report
    return stream.to_array(), report
