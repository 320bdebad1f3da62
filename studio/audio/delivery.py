"""Delivery rules: how a parenthetical steers the way a line is spoken.

Whispering is quieter and slightly slower; shouting is louder, faster and a little higher; a beat
or a pause puts silence before the line. A delivery travels in a VoiceRequest as "+"-joined
tokens ("pause+whisper"): the voice backend turns them into sound and the assembly leaves the
pause. Pure: no generation, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import replace

from studio.domain.entities import VoiceProfile

WHISPER = "whisper"
SHOUT = "shout"
PAUSE = "pause"
DELIVERIES = (PAUSE, WHISPER, SHOUT)

_WORDS = {
    WHISPER: (
        "whisper",
        "whispers",
        "whispering",
        "whispered",
        "softly",
        "quietly",
        "hushed",
        "under her breath",
        "under his breath",
        "under their breath",
        "sotto voce",
    ),
    SHOUT: (
        "shout",
        "shouts",
        "shouting",
        "yell",
        "yells",
        "yelling",
        "angrily",
        "angry",
        "screaming",
        "screams",
        "furious",
        "loudly",
    ),
    PAUSE: ("beat", "a beat", "pause", "pauses", "pausing", "a pause", "long pause"),
}

# how each delivery moves the voice: gain in dB, rate factor, pitch in semitones
WHISPER_GAIN_DB = -9.0
WHISPER_RATE = 0.92
SHOUT_GAIN_DB = 5.0
SHOUT_RATE = 1.08
SHOUT_PITCH = 1.0
PAUSE_SECONDS = 0.6


def delivery_tokens(text: str) -> tuple[str, ...]:
    """The delivery tokens in a parenthetical or a request's delivery, in a fixed order.

    Accepts "(whispering)", "beat, softly", "pause+whisper". Unknown words are ignored; whisper and
    shout together keep the shout.
    """
    cleaned = re.sub(r"[()\[\]]", " ", text.lower())
    parts = [p.strip(" .!?") for p in re.split(r"[,;+/]|\band\b|\bthen\b", cleaned)]
    found = {token for token, words in _WORDS.items() for part in parts if part in words}
    found |= {token for token in DELIVERIES if token in parts}
    if WHISPER in found and SHOUT in found:
        found.discard(WHISPER)
    return tuple(token for token in DELIVERIES if token in found)


def delivered(voice: VoiceProfile, tokens: tuple[str, ...]) -> VoiceProfile:
    """`voice` with the level, rate and pitch moved by the delivery `tokens`."""
    rate, gain, pitch = voice.rate, voice.gain_db, voice.pitch_semitones
    if WHISPER in tokens:
        rate, gain = rate * WHISPER_RATE, gain + WHISPER_GAIN_DB
    if SHOUT in tokens:
        rate, gain, pitch = rate * SHOUT_RATE, gain + SHOUT_GAIN_DB, pitch + SHOUT_PITCH
    return replace(voice, rate=rate, gain_db=gain, pitch_semitones=pitch)
