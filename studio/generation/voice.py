"""A dialogue line's VoiceRequest: its voice (`studio.audio.dubbing`) and its delivery
(`studio.audio.delivery`) in the frozen request a voice backend renders."""

from __future__ import annotations

from studio.audio.delivery import delivered, delivery_tokens
from studio.audio.dubbing import line_voice
from studio.domain.entities import VoiceProfile
from studio.errors import InvalidInput
from studio.generation.requests import VoiceRequest


def voice_request_for(
    line_text: str,
    parenthetical: str,
    profile: VoiceProfile,
    override: dict,
    character: str,
    seed: int = 0,
) -> VoiceRequest:
    """The VoiceRequest for one dialogue line.

    `override` (VoiceProfile fields, and optionally "delivery") wins over `profile`; the
    parenthetical (or an overriding delivery) then adjusts level, rate and pitch and names the
    delivery tokens the backend renders.
    """
    text = " ".join(line_text.split())
    if not text:
        raise InvalidInput(f"a line of {character or 'a character'} has no words to speak")
    tokens = delivery_tokens(str((override or {}).get("delivery", parenthetical or "")))
    voice = delivered(line_voice(profile, override or {}, character), tokens)
    return VoiceRequest(
        text=text,
        voice=voice.voice,
        rate=round(voice.rate, 4),
        variation=voice.variation,
        pitch_semitones=voice.pitch_semitones,
        gain_db=voice.gain_db,
        delivery="+".join(tokens),
        seed=int(seed),
        character=character,
    )
