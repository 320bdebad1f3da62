"""The piper backend with the real joe voice: format, reproducibility, pitch, delivery, cancel."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from studio.audio.dubbing import default_profiles
from studio.audio.voices import file_sha256, find_voice
from studio.domain.entities import VoiceProfile
from studio.errors import Cancelled, InvalidInput, NotFound
from studio.generation.backends.base import Backend, registry
from studio.generation.backends.piper_voice import PiperBackend
from studio.generation.requests import KeyframeRequest, VoiceRequest
from studio.generation.voice import voice_request_for
from studio.progress import JobContext
from tests.core.audio.helpers import median_f0, user_voice

LINE = "I told you already. The car was gone when I came back."


def test_the_registry_builds_the_piper_backend():
    backend = registry.get("piper")
    assert isinstance(backend, Backend)
    assert (backend.name, backend.version, backend.capabilities.kind) == ("piper", "1", "voice")
    assert not backend.capabilities.needs_gpu


def test_a_line_is_a_48khz_mono_16bit_wav_of_the_stated_length(speak):
    samples, rate, result = speak(VoiceRequest(text=LINE))
    info = soundfile.info(io.BytesIO(result.data))
    assert (info.samplerate, info.channels, info.subtype, info.format) == (
        48000,
        1,
        "PCM_16",
        "WAV",
    )
    assert (result.extension, result.mime, result.sample_rate) == (".wav", "audio/wav", 48000)
    assert result.duration_seconds == pytest.approx(info.frames / 48000)
    assert 2.0 < result.duration_seconds < 6.0  # eleven words of speech
    assert result.info["voice"] == "joe"
    assert result.info["voice_sha256"] == file_sha256(find_voice("joe").model_path)
    assert result.info["sample_rate_native"] == 22050


def test_silence_is_trimmed_to_short_pads(speak):
    samples, rate, _ = speak(VoiceRequest(text=LINE))
    frame = rate // 100
    levels = np.sqrt(np.mean(samples[: len(samples) // frame * frame].reshape(-1, frame) ** 2, 1))
    active = np.flatnonzero(levels > levels.max() * 10 ** (-45 / 20))
    lead, tail = active[0] * 0.01, (len(levels) - 1 - active[-1]) * 0.01
    assert lead <= 1 / 24 and tail <= 0.05  # speech starts within a frame of the take's start


def test_the_request_rate_is_honoured(speak):
    _, rate, result = speak(VoiceRequest(text="Run.", sample_rate=16000))
    assert rate == 16000 and result.sample_rate == 16000


def test_the_same_request_gives_the_same_bytes(piper):
    request = VoiceRequest(text="Not again.", pitch_semitones=2.0, delivery="whisper", seed=5)
    first = piper.generate(request, {}, JobContext()).data
    assert piper.generate(request, {}, JobContext()).data == first
    reseeded = VoiceRequest(text="Not again.", pitch_semitones=2.0, delivery="whisper", seed=6)
    assert piper.generate(reseeded, {}, JobContext()).data != first


def test_two_profiles_differ_in_pitch_in_the_expected_direction(speak):
    profiles = default_profiles(["ANNA", "BEN"], voices=["joe"])
    assert (profiles["ANNA"].pitch_semitones, profiles["BEN"].pitch_semitones) == (-4.0, 3.0)
    low = voice_request_for(LINE, "", profiles["ANNA"], {}, "ANNA")
    high = voice_request_for(LINE, "", profiles["BEN"], {}, "BEN")
    natural = median_f0(*speak(VoiceRequest(text=LINE))[:2])
    f0_low = median_f0(*speak(low)[:2])
    f0_high = median_f0(*speak(high)[:2])
    assert f0_low < natural < f0_high
    # seven semitones apart is a ratio of 1.50
    assert 1.3 < f0_high / f0_low < 1.7


def test_pitch_shifting_keeps_the_duration(speak):
    plain = speak(VoiceRequest(text=LINE))[2].duration_seconds
    shifted = speak(VoiceRequest(text=LINE, pitch_semitones=5.0))[2].duration_seconds
    assert shifted == pytest.approx(plain, abs=0.08)


def _high_band_share(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) ** 2
    freqs = np.fft.rfftfreq(len(samples), 1 / rate)
    return float(spectrum[freqs > 3000].sum() / spectrum.sum())


def test_whispering_is_quieter_slower_and_darker_and_shouting_louder_and_brighter(speak):
    def line(parenthetical):
        request = voice_request_for(LINE, parenthetical, VoiceProfile(), {}, "ANNA")
        return speak(request)

    plain, rate, plain_result = line("")
    whisper, _, whisper_result = line("(whispering)")
    shout, _, _ = line("(shouting)")
    assert np.sqrt(np.mean(whisper**2)) < np.sqrt(np.mean(plain**2)) * 10 ** (-6 / 20)
    assert np.sqrt(np.mean(shout**2)) > np.sqrt(np.mean(plain**2)) * 10 ** (3 / 20)
    assert whisper_result.duration_seconds > plain_result.duration_seconds
    assert _high_band_share(shout, rate) > _high_band_share(plain, rate)


def test_a_beat_is_timing_not_silence_in_the_take(speak):
    request = voice_request_for("Fine.", "(beat)", VoiceProfile(), {}, "BEN")
    assert "pause" in request.delivery  # the assembly leaves the pause before the line
    samples, rate, _ = speak(request)
    assert np.max(np.abs(samples[: int(0.1 * rate)])) > 0.01


def test_cancellation_is_checked_before_synthesis(piper):
    ctx = JobContext()
    ctx.cancel()
    with pytest.raises(Cancelled):
        piper.generate(VoiceRequest(text=LINE), {}, ctx)


def test_cancellation_during_synthesis_stops_the_take(piper):
    calls = []

    def cancel_after_first(progress):
        calls.append(progress.fraction)
        ctx.cancel()

    ctx = JobContext(on_progress=cancel_after_first)
    with pytest.raises(Cancelled):
        piper.generate(VoiceRequest(text=LINE), {}, ctx)
    assert calls == [0.1]


def test_bad_requests_are_refused_with_a_reason(piper):
    with pytest.raises(InvalidInput, match="voices"):
        piper.generate(KeyframeRequest(), {}, JobContext())
    with pytest.raises(InvalidInput, match="rate"):
        piper.generate(VoiceRequest(text="Hi.", rate=9.0), {}, JobContext())
    with pytest.raises(InvalidInput, match="empty"):
        piper.generate(VoiceRequest(text="   ", character="ANNA"), {}, JobContext())


def test_a_user_voice_is_used_by_its_id(tmp_path, monkeypatch):
    monkeypatch.delenv("STUDIO_VOICE_DIRS", raising=False)
    user_voice(tmp_path / "voices", "narrator")
    backend = PiperBackend(extra_dirs=[tmp_path / "voices"])
    result = backend.generate(VoiceRequest(text="Once.", voice="narrator"), {}, JobContext())
    assert result.info["voice"] == "narrator"
    with pytest.raises(NotFound, match="nobody.*joe"):
        PiperBackend().generate(VoiceRequest(text="Once.", voice="nobody"), {}, JobContext())
