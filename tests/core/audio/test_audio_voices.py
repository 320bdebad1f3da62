"""Voice discovery and seeded synthesis with the real bundled Piper voice."""

from __future__ import annotations

import os

import numpy as np
import pytest
from piper import SynthesisConfig

from studio.audio.voices import VOICE_DIRS_ENV, find_voice, list_voices, load_voice
from studio.errors import NotFound
from tests.core.audio.helpers import user_voice


def test_the_bundled_voice_is_found_as_joe():
    voices = list_voices()
    assert voices[0].id == "joe"
    assert voices[0].source == "bundled"
    assert voices[0].sample_rate == 22050
    assert voices[0].language == "en_US"
    assert voices[0].model_path.is_file() and voices[0].config_path.is_file()


def test_user_folders_add_voices_by_file_stem(tmp_path, monkeypatch):
    monkeypatch.delenv(VOICE_DIRS_ENV, raising=False)
    user_voice(tmp_path / "mine", "narrator")
    (tmp_path / "mine" / "broken.onnx").write_bytes(b"no config next to it")
    ids = [v.id for v in list_voices([tmp_path / "mine"])]
    assert ids == ["joe", "narrator"]
    assert find_voice("narrator", [tmp_path / "mine"]).source == str(tmp_path / "mine")


def test_the_environment_names_voice_folders(tmp_path, monkeypatch):
    user_voice(tmp_path / "a", "alto")
    user_voice(tmp_path / "b", "bass")
    monkeypatch.setenv(VOICE_DIRS_ENV, os.pathsep.join([str(tmp_path / "a"), str(tmp_path / "b")]))
    assert [v.id for v in list_voices()] == ["joe", "alto", "bass"]


def test_an_unknown_voice_lists_the_known_ones(monkeypatch):
    monkeypatch.delenv(VOICE_DIRS_ENV, raising=False)
    with pytest.raises(NotFound) as err:
        find_voice("nobody")
    assert "nobody" in str(err.value) and "joe" in str(err.value)


def test_a_voice_is_loaded_once_per_process(joe):
    assert load_voice(find_voice("joe")) is joe


def test_synthesis_is_reproducible_for_the_same_seed(joe):
    config = SynthesisConfig(length_scale=1.0, noise_scale=0.667, noise_w_scale=0.8)
    first = joe.synthesize("Where were you last night?", config, seed=3)
    again = joe.synthesize("Where were you last night?", config, seed=3)
    other = joe.synthesize("Where were you last night?", config, seed=4)
    assert first.dtype == np.float32 and len(first) > 0.5 * joe.sample_rate
    np.testing.assert_array_equal(first, again)
    assert len(first) != len(other) or not np.array_equal(first, other)


def test_the_length_scale_slows_the_voice(joe):
    text = "Where were you last night?"
    normal = joe.synthesize(text, SynthesisConfig(length_scale=1.0), seed=1)
    slow = joe.synthesize(text, SynthesisConfig(length_scale=1.5), seed=1)
    assert 1.3 < len(slow) / len(normal) < 1.7
