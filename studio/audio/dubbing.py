"""Who speaks how: a dialogue line's voice, the characters' default voices, spoken lengths.

A line's `voice_override` (VoiceProfile fields) wins over its character's VoiceProfile
(`line_voice`); its parenthetical then steers the delivery (`studio.audio.delivery`), and
`studio.generation.voice` turns both into the line's VoiceRequest.
"""

from __future__ import annotations

import re
from dataclasses import fields

from studio.domain.entities import VoiceProfile
from studio.errors import InvalidInput

_PROFILE_FIELDS = {f.name for f in fields(VoiceProfile)}


def line_voice(profile: VoiceProfile, override: dict, character: str) -> VoiceProfile:
    """`profile` with the VoiceProfile fields of a line's `override` winning (checked)."""
    unknown = set(override) - _PROFILE_FIELDS - {"delivery"}
    if unknown:
        raise InvalidInput(
            f"the voice override of a line of {character or 'a character'} has unknown "
            f"field(s) {', '.join(sorted(unknown))}",
            f"use only {', '.join(sorted(_PROFILE_FIELDS))}",
        )
    values = profile.to_json()
    values.update({k: v for k, v in override.items() if k in _PROFILE_FIELDS})
    try:
        merged = VoiceProfile(
            voice=str(values["voice"]),
            rate=float(values["rate"]),
            variation=float(values["variation"]),
            pitch_semitones=float(values["pitch_semitones"]),
            gain_db=float(values["gain_db"]),
        )
    except (TypeError, ValueError) as err:
        raise InvalidInput(f"a bad voice setting for {character or 'a line'}: {err}") from err
    if not 0.25 <= merged.rate <= 4.0:
        raise InvalidInput(f"the speaking rate {merged.rate} of {character} is out of 0.25..4")
    return merged


# (pitch in semitones, rate, variation) for the characters in order, when voices run out
_SPREAD = (
    (-4.0, 0.95, 0.60),
    (3.0, 1.05, 0.75),
    (-1.5, 1.00, 0.50),
    (5.0, 1.10, 0.80),
    (-6.0, 0.90, 0.55),
    (1.5, 0.97, 0.70),
    (7.0, 1.08, 0.65),
    (-2.5, 1.03, 0.45),
)


def default_profiles(names: list[str], voices: list[str] | None = None) -> dict[str, VoiceProfile]:
    """A distinct VoiceProfile per character, deterministic by the order of `names`.

    Installed voices (`voices`, default: every voice found by `list_voices`) are dealt out first;
    characters that share a voice get spread pitch shifts, rates and variation, so that even with
    the single bundled voice every character sounds different.
    """
    if voices is None:
        from studio.audio.voices import list_voices

        voices = [v.id for v in list_voices()] or ["joe"]
    profiles: dict[str, VoiceProfile] = {}
    for index, name in enumerate(dict.fromkeys(names)):
        voice = voices[index % len(voices)]
        turn = index // len(voices)
        if turn == 0 and len(voices) > 1:
            profiles[name] = VoiceProfile(voice=voice)
            continue
        slot = turn - 1 if len(voices) > 1 else turn
        pitch, rate, variation = _SPREAD[slot % len(_SPREAD)]
        cycle = slot // len(_SPREAD)
        pitch += 0.5 * cycle if cycle % 2 else -0.5 * cycle
        profiles[name] = VoiceProfile(
            voice=voice, rate=rate, variation=variation, pitch_semitones=pitch
        )
    return profiles


# fitted (least squares) on 20 typical lines spoken by the bundled joe voice at rate 1,
# silence trimmed to 50 ms pads; worst error 22 %
_BASE_SECONDS = 0.29
_CHARS_PER_SECOND = 22.8
_SENTENCE_GAP = 0.32
_CLAUSE_GAP = 0.33


def estimate_line_seconds(text: str, rate: float = 1.0) -> float:
    """How long a line will take to speak, in seconds, before it is synthesised (for planning)."""
    spoken = " ".join(text.split())
    if not spoken:
        return 0.0
    sentences = max(1, len(re.findall(r"[.!?]+(\s|$)", spoken)))
    clauses = len(re.findall(r"[,;:\u2014]", spoken))
    letters = len(re.sub(r"[^\w ]", "", spoken))
    seconds = _BASE_SECONDS + letters / _CHARS_PER_SECOND + _SENTENCE_GAP * (sentences - 1)
    seconds += _CLAUSE_GAP * clauses
    return round(seconds / max(rate, 0.05), 3)
