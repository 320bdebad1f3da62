"""The `piper` voice backend: a VoiceRequest to a mono 16-bit WAV at the request's rate.

Synthesis with the Piper voice the request names (seeded: the same request gives the same
bytes), then the delivery (whisper: breathy and low-passed; shout: saturated and brighter),
a pitch shift that keeps the duration (Spotify's pedalboard), the gain, resampling to the
request's rate, silence trimmed to 15 ms pads. A beat before a line is timing, not audio: the
assembly leaves the pause (studio.timeline.assemble).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from studio.audio import dsp
from studio.audio.delivery import SHOUT, WHISPER, delivery_tokens
from studio.errors import InvalidInput
from studio.generation.backends.base import Capabilities
from studio.generation.requests import GenerationResult, Request, VoiceRequest
from studio.progress import JobContext

# Piper normalises each sentence to full scale; this is the level a line starts from, leaving
# headroom for gain, shouting and pitch shifting
REFERENCE_VOLUME = 0.5
PAD_SECONDS = 0.015  # under a frame at 24–30 fps: a line's speech starts where it is placed
DEFAULT_NOISE_W = 0.8
DEFAULT_NOISE = 0.667


def _whisper(audio: np.ndarray, rate: int, seed: int) -> np.ndarray:
    """Breathy and low-passed: less voicing, band-limited breath noise riding the envelope."""
    voiced = dsp.butter(dsp.butter(audio, rate, 2800.0, "low", order=4), rate, 200.0, "high")
    rng = np.random.default_rng([int(seed) & 0xFFFFFFFF, 7])
    noise = rng.standard_normal(len(audio)).astype(np.float32)
    breath = dsp.butter(dsp.butter(noise, rate, 1200.0, "high"), rate, 6000.0, "low")
    breath *= dsp.envelope(audio, rate, 0.03) * 1.2
    return (0.55 * voiced + breath).astype(np.float32)


def _shout(audio: np.ndarray, rate: int) -> np.ndarray:
    """A little saturation and brightness: tanh drive plus a high-frequency lift."""
    driven = dsp.soft_clip(audio, 2.2)
    return (driven + 0.5 * dsp.butter(driven, rate, 2500.0, "high")).astype(np.float32)


def _pitch_shift(audio: np.ndarray, rate: int, semitones: float) -> np.ndarray:
    if abs(semitones) < 1e-3 or audio.size == 0:
        return audio
    import pedalboard

    shifted = pedalboard.PitchShift(semitones=float(semitones))(audio.astype(np.float32), rate)
    return np.asarray(shifted, dtype=np.float32).reshape(-1)[: len(audio)]


def _wav_bytes(audio: np.ndarray, rate: int) -> bytes:
    import soundfile

    buffer = io.BytesIO()
    soundfile.write(buffer, audio, rate, format="WAV", subtype="PCM_16")
    return buffer.getvalue()


def render_delivery(audio: np.ndarray, rate: int, request: VoiceRequest) -> np.ndarray:
    """Delivery timbre, pitch shift and gain applied to synthesised audio at its own rate."""
    tokens = delivery_tokens(request.delivery)
    if WHISPER in tokens:
        audio = _whisper(audio, rate, request.seed)
    if SHOUT in tokens:
        audio = _shout(audio, rate)
    audio = _pitch_shift(audio, rate, request.pitch_semitones)
    return np.clip(audio * dsp.db_to_gain(request.gain_db), -1.0, 1.0).astype(np.float32)


class PiperBackend:
    """Neural text to speech with Piper voices (the bundled "joe" and the user's own)."""

    name = "piper"
    version = "1"
    capabilities = Capabilities(kind="voice", accepts=frozenset({"text"}), needs_gpu=False)

    def __init__(self, extra_dirs: list[Path] | tuple[Path, ...] = ()) -> None:
        self.extra_dirs = tuple(Path(d) for d in extra_dirs)

    def _check(self, request: Request) -> VoiceRequest:
        if not isinstance(request, VoiceRequest):
            raise InvalidInput(f"the piper backend makes voices, not {request.kind}s")
        if not request.text.strip():
            raise InvalidInput(f"the line of {request.character or 'a character'} is empty")
        if not 0.25 <= request.rate <= 4.0:
            raise InvalidInput(f"speaking rate {request.rate} is out of 0.25..4")
        if not 8000 <= request.sample_rate <= 192000:
            raise InvalidInput(f"sample rate {request.sample_rate} Hz is out of 8000..192000")
        return request

    def generate(
        self, request: Request, inputs: dict[str, bytes], ctx: JobContext
    ) -> GenerationResult:
        """Synthesise the line; see the module docstring for the chain."""
        from piper import SynthesisConfig

        from studio.audio.voices import file_sha256, find_voice, load_voice

        request = self._check(request)
        ctx.check_cancelled()
        info = find_voice(request.voice, self.extra_dirs)
        voice = load_voice(info)
        ctx.report(0.1, f"speaking as {info.id}")
        variation = max(0.0, float(request.variation))
        config = SynthesisConfig(
            length_scale=1.0 / request.rate,
            noise_scale=variation,
            noise_w_scale=min(1.5, DEFAULT_NOISE_W * variation / DEFAULT_NOISE),
            volume=REFERENCE_VOLUME,
        )
        audio = voice.synthesize(request.text, config, seed=request.seed, ctx=ctx)
        ctx.check_cancelled()
        ctx.report(0.7, "delivery")
        audio = render_delivery(audio, voice.sample_rate, request)
        audio = dsp.resample(audio, voice.sample_rate, request.sample_rate)
        audio = dsp.trim_silence(audio, request.sample_rate, pad=PAD_SECONDS)
        audio = np.clip(audio, -1.0, 1.0).astype(np.float32)
        ctx.report(1.0, "done")
        return GenerationResult(
            data=_wav_bytes(audio, request.sample_rate),
            extension=".wav",
            mime="audio/wav",
            sample_rate=request.sample_rate,
            duration_seconds=len(audio) / request.sample_rate,
            info={
                "voice": info.id,
                "voice_sha256": file_sha256(info.model_path),
                "sample_rate_native": voice.sample_rate,
                "delivery": request.delivery,
                "seeded": True,
            },
        )
