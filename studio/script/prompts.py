"""Image prompts for shots and character turnarounds: the one place they are built.

A shot's prompt is assembled from parts (style, shot size, angle, lens feel, the shot's subject,
each character's appearance without their name, the setting and its light) and kept under the
CLIP text encoder's 75 tokens by dropping the least important parts first. Tokens are estimated
as words × 1.3, which errs on the safe side for plain English.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from studio.domain.entities import Angle, CharacterSheet, Scene, Shot, ShotSize
from studio.script.breakdown_text import collapse, place_words

TOKEN_BUDGET = 75
TOKENS_PER_WORD = 1.3
SUBJECT_WORDS = 30  # a shot's subject is cut to this many words before anything is dropped
APPEARANCE_WORDS = 14
DEFAULT_NEGATIVE = (
    "blurry, lowres, jpeg artifacts, deformed, disfigured, bad anatomy, extra limbs, "
    "extra fingers, text, watermark, signature, logo"
)
STYLE_PRESETS = {
    "cinematic": "cinematic film still, anamorphic, film grain, dramatic lighting",
    "storyboard": "storyboard panel, pencil sketch, loose lines, greyscale",
    "noir": "film noir, black and white, hard shadows, high contrast",
    "watercolor": "watercolor illustration, soft washes, paper texture",
    "anime": "anime key visual, clean line art, cel shading",
}
SIZE_WORDS = {
    ShotSize.EXTREME_WIDE: "extreme wide shot",
    ShotSize.WIDE: "wide shot",
    ShotSize.FULL: "full shot",
    ShotSize.MEDIUM_WIDE: "medium wide shot",
    ShotSize.MEDIUM: "medium shot",
    ShotSize.MEDIUM_CLOSE: "medium close-up",
    ShotSize.CLOSE: "close-up",
    ShotSize.EXTREME_CLOSE: "extreme close-up",
    ShotSize.INSERT: "insert shot, detail",
}
ANGLE_WORDS = {
    Angle.EYE: "",
    Angle.LOW: "low angle",
    Angle.HIGH: "high angle",
    Angle.OVERHEAD: "overhead shot, bird's-eye view",
    Angle.DUTCH: "dutch angle",
    Angle.POV: "point of view shot",
}
LIGHT_WORDS = [  # (words in the time of day, light for EXT, light for INT)
    ({"NIGHT", "MIDNIGHT"}, "night, moonlight", "night, warm lamplight"),
    ({"DAWN", "SUNRISE", "MORNING"}, "dawn, soft pink light", "morning, soft window light"),
    ({"DUSK", "SUNSET", "EVENING", "TWILIGHT"}, "dusk, golden hour", "evening, low warm light"),
    ({"DAY", "AFTERNOON", "NOON"}, "daylight", "daylight through windows"),
]
TURNAROUND_VIEWS = ("front", "three-quarter", "profile")
TURNAROUND_WORDS = {
    "front": "front view, facing the camera",
    "three-quarter": "three-quarter view, turned slightly to the side",
    "profile": "side profile view",
}
TURNAROUND_NEGATIVE = "multiple people, cropped, busy background"
# The order parts appear in the prompt, and the order they are dropped in when it is too long.
PROMPT_ORDER = ("style", "size", "angle", "subject", "characters", "setting", "lens")
DROP_ORDER = ("lens", "angle", "setting", "style", "characters", "size")


@dataclass(frozen=True)
class ShotPrompt:
    prompt: str
    negative: str
    parts: dict = field(default_factory=dict)  # the parts kept, by name, in prompt order
    dropped: tuple[str, ...] = ()  # the parts left out to fit the token budget


def estimate_tokens(text: str) -> int:
    """CLIP tokens in `text`, estimated as words × 1.3 (punctuation rides along)."""
    return math.ceil(len(text.replace(",", " ").split()) * TOKENS_PER_WORD)


def style_words(style: str) -> str:
    """A style preset's words ("noir" → "film noir, black and white, …"), or the text as given."""
    return STYLE_PRESETS.get(style.strip().lower(), collapse(style))


def lens_words(lens: int) -> str:
    """How a focal length feels: wide and deep, natural, or long and shallow."""
    if lens <= 24:
        return "wide-angle lens, deep focus"
    if lens < 50:
        return f"{lens}mm lens"
    if lens < 85:
        return f"{lens}mm lens, shallow depth of field"
    return "telephoto lens, shallow depth of field, bokeh"


def light_words(int_ext: str, time_of_day: str) -> str:
    """The light a time of day gives: "night, moonlight" outside, "night, warm lamplight" in."""
    words = set(re.findall(r"[A-Z]+", time_of_day.upper()))
    for keys, outside, inside in LIGHT_WORDS:
        if keys & words:
            return inside if int_ext == "INT" else outside
    return ""


def without_names(text: str, labels: dict[str, str]) -> str:
    """`text` with each character name (whole words, any case, possessives too) replaced by its
    label: `{"MAYA": "a woman"}` turns "Maya's hand" into "a woman's hand"."""
    for name in sorted(filter(None, labels), key=len, reverse=True):
        words = r"\s+".join(map(re.escape, name.split()))
        label = labels[name]
        text = re.sub(
            rf"(?<!\w){words}(?!\w)(?:(['’]s)(?!\w)|(\s*\([^)]*\)\s*,?\s*|\s*,\s*(?=(?:a|an|the)\s)))?",
            lambda m, label=label: "" if m[2] or not label else f"{label}{m[1] or ''}",
            text,
            flags=re.I,
        )
    text = re.sub(r"\s+([,.;:!?])", r"\1", collapse(text))
    return re.sub(r"^[,.;:\s]+|(?<=[,;:])[,;:]+", "", text).strip()


def appearance(sheet: CharacterSheet, names: list[str] | None = None) -> str:
    """A character's looks with no names in them: "(30s), a projectionist" → "in their 30s, a
    projectionist"; cut to a few words."""
    text = collapse(sheet.appearance or sheet.description)
    text = re.sub(r"^\((\d+)s\)", r"in their \1s", text)
    text = re.sub(r"^\((\d+)\)", r"\1 years old", text)
    text = without_names(text, dict.fromkeys([sheet.name, *(names or [])], ""))
    return _cut_words(text, APPEARANCE_WORDS)


def label(sheet: CharacterSheet) -> str:
    """What to call a character in a prompt instead of their name: "a woman in her 30s"."""
    chunks = [c.strip() for c in appearance(sheet).split(",")]
    chunk = next((c for c in chunks if re.match(r"(?i)(a|an|the)\s", c)), "")
    chunk = re.split(r"\s+(?:with|who|wearing)\s+", chunk)[0]
    return _cut_words(chunk, 6) or "a person"


def build_shot_prompt(
    style: str, scene: Scene, shot: Shot, characters: list[CharacterSheet]
) -> ShotPrompt:
    """The image prompt for a shot: its parts by priority, kept under the token budget."""
    names = [sheet.name for sheet in characters]
    looks = [look for look in (appearance(sheet, names) for sheet in characters) if look]
    labels = {sheet.name: label(sheet) for sheet in characters}
    subject = shot.prompt or shot.description
    parts = {
        "style": style_words(style),
        "size": SIZE_WORDS.get(shot.size, ""),
        "angle": ANGLE_WORDS.get(shot.angle, ""),
        "subject": _cut_words(without_names(subject, labels), SUBJECT_WORDS),
        "characters": "; ".join(looks),
        "setting": _setting(scene),
        "lens": lens_words(shot.lens),
    }
    parts = _deduplicated({key: parts[key] for key in PROMPT_ORDER})
    dropped: list[str] = []
    for key in DROP_ORDER:
        if _tokens(parts) <= TOKEN_BUDGET:
            break
        if key in parts:
            dropped.append(key)
            del parts[key]
    if _tokens(parts) > TOKEN_BUDGET and "subject" in parts:
        spare = TOKEN_BUDGET - _tokens({k: v for k, v in parts.items() if k != "subject"})
        parts["subject"] = _cut_words(parts["subject"], max(1, int(spare / TOKENS_PER_WORD)))
    return ShotPrompt(
        prompt=", ".join(parts.values()),
        negative=_negative(shot.negative_prompt),
        parts=parts,
        dropped=tuple(dropped),
    )


def turnaround_prompts(style: str, sheet: CharacterSheet) -> list[tuple[str, str]]:
    """(prompt, negative) for a character's front, three-quarter and profile views, in the
    order of TURNAROUND_VIEWS; the same look in each, no name."""
    look = appearance(sheet) or "a person"
    base = [style_words(style), "character reference sheet", "full body"]
    tail = [look, "plain neutral background, even studio lighting"]
    negative = _negative(TURNAROUND_NEGATIVE)
    return [
        (", ".join(w for w in [*base, TURNAROUND_WORDS[view], *tail] if w), negative)
        for view in TURNAROUND_VIEWS
    ]


def _setting(scene: Scene) -> str:
    place = place_words(scene.int_ext, scene.location, "")
    return ", ".join(w for w in (place, light_words(scene.int_ext, scene.time_of_day)) if w)


def _negative(extra: str) -> str:
    terms = [t.strip() for t in f"{DEFAULT_NEGATIVE}, {extra}".split(",")]
    return ", ".join(dict.fromkeys(t for t in terms if t))


def _deduplicated(parts: dict[str, str]) -> dict[str, str]:
    """Parts without the comma-separated terms an earlier part already says; empty ones gone."""
    seen: set[str] = set()
    kept = {}
    for key, text in parts.items():
        terms = [t.strip() for t in text.split(",") if t.strip()]
        terms = [t for t in terms if t.lower() not in seen]
        seen.update(t.lower() for t in terms)
        if terms:
            kept[key] = ", ".join(terms)
    return kept


def _tokens(parts: dict) -> int:
    return estimate_tokens(", ".join(parts.values()))


def _cut_words(text: str, words: int) -> str:
    split = text.split()
    return text if len(split) <= words else " ".join(split[:words]).rstrip(",;:")
