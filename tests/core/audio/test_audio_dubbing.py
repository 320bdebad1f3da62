"""How a line is spoken: override over profile, parentheticals, default profiles, estimates."""

from __future__ import annotations

import pytest

from studio.audio.delivery import (
    PAUSE,
    SHOUT,
    SHOUT_GAIN_DB,
    WHISPER,
    WHISPER_GAIN_DB,
    delivery_tokens,
)
from studio.audio.dubbing import default_profiles, estimate_line_seconds
from studio.domain.entities import VoiceProfile
from studio.errors import InvalidInput
from studio.generation.requests import VoiceRequest
from studio.generation.voice import voice_request_for

PROFILE = VoiceProfile(voice="joe", rate=1.1, variation=0.5, pitch_semitones=-3.0, gain_db=1.0)


def test_the_profile_carries_into_the_request():
    request = voice_request_for("  Get in   the car. ", "", PROFILE, {}, "ANNA", seed=9)
    assert request == VoiceRequest(
        text="Get in the car.",
        voice="joe",
        rate=1.1,
        variation=0.5,
        pitch_semitones=-3.0,
        gain_db=1.0,
        delivery="",
        seed=9,
        character="ANNA",
    )


def test_the_line_override_wins_over_the_profile():
    request = voice_request_for("Go.", "", PROFILE, {"pitch_semitones": 4, "rate": 0.8}, "ANNA")
    assert (request.pitch_semitones, request.rate, request.variation) == (4.0, 0.8, 0.5)


@pytest.mark.parametrize("parenthetical", ["(whispering)", "(whispers)", "(softly)", "quietly"])
def test_whispered_lines_are_quieter_and_slower(parenthetical):
    request = voice_request_for("Go.", parenthetical, PROFILE, {}, "ANNA")
    assert request.delivery == WHISPER
    assert request.gain_db == pytest.approx(PROFILE.gain_db + WHISPER_GAIN_DB)
    assert request.rate < PROFILE.rate


@pytest.mark.parametrize("parenthetical", ["(shouting)", "(yelling)", "(angrily)"])
def test_shouted_lines_are_louder_and_faster(parenthetical):
    request = voice_request_for("Go.", parenthetical, PROFILE, {}, "ANNA")
    assert request.delivery == SHOUT
    assert request.gain_db == pytest.approx(PROFILE.gain_db + SHOUT_GAIN_DB)
    assert request.rate > PROFILE.rate


def test_a_beat_or_a_pause_is_combined_with_the_delivery():
    assert voice_request_for("Go.", "(beat)", PROFILE, {}, "A").delivery == PAUSE
    assert voice_request_for("Go.", "(pause)", PROFILE, {}, "A").delivery == PAUSE
    assert voice_request_for("Go.", "(beat, softly)", PROFILE, {}, "A").delivery == "pause+whisper"
    assert delivery_tokens("pause+whisper") == (PAUSE, WHISPER)


def test_unknown_parentheticals_leave_the_delivery_alone():
    plain = voice_request_for("Go.", "", PROFILE, {}, "ANNA")
    assert voice_request_for("Go.", "(to Ben, smiling)", PROFILE, {}, "ANNA") == plain


def test_an_override_may_set_the_delivery():
    request = voice_request_for("Go.", "(shouting)", PROFILE, {"delivery": "(whispering)"}, "A")
    assert request.delivery == WHISPER


def test_bad_overrides_and_empty_lines_are_refused():
    with pytest.raises(InvalidInput, match="ANNA.*pitch"):
        voice_request_for("Go.", "", PROFILE, {"pitch": 2}, "ANNA")
    with pytest.raises(InvalidInput, match="ANNA"):
        voice_request_for("Go.", "", PROFILE, {"rate": "fast"}, "ANNA")
    with pytest.raises(InvalidInput, match="BEN"):
        voice_request_for("   ", "", PROFILE, {}, "BEN")


def test_default_profiles_differ_per_character_with_one_voice():
    names = [f"CHARACTER {i}" for i in range(12)]
    profiles = default_profiles(names, voices=["joe"])
    assert list(profiles) == names
    shapes = {(p.pitch_semitones, p.rate, p.variation) for p in profiles.values()}
    assert len(shapes) == len(names)
    assert [p.pitch_semitones for p in profiles.values()][:4] == [-4.0, 3.0, -1.5, 5.0]
    assert default_profiles(names, voices=["joe"]) == profiles


def test_default_profiles_deal_out_installed_voices_first():
    profiles = default_profiles(["A", "B", "C"], voices=["joe", "amy"])
    assert [p.voice for p in profiles.values()] == ["joe", "amy", "joe"]
    assert profiles["A"].pitch_semitones == 0.0 and profiles["C"].pitch_semitones != 0.0


def test_default_profiles_find_the_installed_voices():
    assert {p.voice for p in default_profiles(["A", "B"]).values()} == {"joe"}


def test_the_estimate_scales_with_text_and_rate():
    short = estimate_line_seconds("Yes.")
    long = estimate_line_seconds("I told you already, the car was gone when I came back.")
    assert 0 < short < long
    assert estimate_line_seconds("I told you.", rate=2.0) == pytest.approx(
        estimate_line_seconds("I told you.") / 2, rel=0.01
    )
    assert estimate_line_seconds("   ") == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Yes.",
        "Where were you last night?",
        "I told you already. The car was gone when I came back, and so were you.",
    ],
)
def test_the_estimate_is_close_to_the_spoken_length(speak, text):
    spoken = speak(VoiceRequest(text=text))[2].duration_seconds
    assert estimate_line_seconds(text) == pytest.approx(spoken, rel=0.3, abs=0.25)
