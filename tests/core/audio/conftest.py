"""Fixtures for the audio tests: the real bundled Piper voice, loaded once per session."""

from __future__ import annotations

import io

import pytest
import soundfile

from studio.audio.voices import LoadedVoice, find_voice, load_voice
from studio.generation.backends.piper_voice import PiperBackend
from studio.generation.requests import VoiceRequest
from studio.progress import JobContext


@pytest.fixture(scope="session")
def joe() -> LoadedVoice:
    return load_voice(find_voice("joe"))


@pytest.fixture(scope="session")
def piper(joe: LoadedVoice) -> PiperBackend:
    return PiperBackend()


@pytest.fixture(scope="session")
def speak(piper: PiperBackend):
    """Synthesise a request with the real backend: (samples float64 mono, rate, result)."""
    cache: dict[str, tuple] = {}

    def run(request: VoiceRequest):
        if request.hash not in cache:
            result = piper.generate(request, {}, JobContext())
            samples, rate = soundfile.read(io.BytesIO(result.data), dtype="float64")
            cache[request.hash] = (samples, rate, result)
        return cache[request.hash]

    return run
