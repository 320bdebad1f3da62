"""Screenplay text as the breakdown reads it: cleaning, names, headings, directions, durations.

Pure helpers shared by the breakdown, the report and the prompts.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from fractions import Fraction

from studio.domain.entities import Angle, Move, ShotSize
from studio.script.elements import Element
from studio.script.fountain_inline import remove_spans, spans_between

OFFSCREEN_EXTENSIONS = {"V.O.", "O.S.", "O.C.", "OFF", "PRE-LAP", "PRELAP"}
WORDS_PER_SECOND = Fraction(5, 2)
LINE_PAD = Fraction(3, 10)
CHARS_PER_SECOND = Fraction(27, 2)  # 1 s per 12–15 characters of action
ACTION_MIN, ACTION_MAX = Fraction(2), Fraction(8)
LONG_BEAT_CHARS = 240  # an action paragraph longer than this splits at sentences
BEAT_TARGET_CHARS = 180
PAUSES = {"beat": Fraction(1), "pause": Fraction(3, 2), "long pause": Fraction(5, 2)}
_NOT_VISUAL_TIME = {"CONTINUOUS", "LATER", "SAME", "MOMENTS"}
_TIME_WORDS = {
    "DAY",
    "NIGHT",
    "MORNING",
    "EVENING",
    "AFTERNOON",
    "DAWN",
    "DUSK",
    "SUNSET",
    "SUNRISE",
    "NOON",
    "MIDNIGHT",
    "CONTINUOUS",
    "LATER",
    "SAME",
    "TWILIGHT",
    "HOUR",
    "MOMENTS",
}

# --- text helpers -------------------------------------------------------------------------------

_STARS = re.compile(r"(?<!\\)\*+")
_UNDERLINE = re.compile(r"(?<![\w\\])_|(?<!\\)_(?!\w)")
_ESCAPE = re.compile(r"\\([*_\\])")
_CONTD = re.compile(r"\bCONT['’]?D\b\.?|\bCONTINUED\b", re.I)
_EXT_ALIASES = {"VO": "V.O.", "OS": "O.S.", "OC": "O.C.", "V.O": "V.O.", "O.S": "O.S."}


def clean_text(text: str) -> str:
    """Text as it is read: boneyard, [[notes]] and emphasis markers removed, escapes resolved."""
    text = remove_spans(remove_spans(text, "/*", "*/"), "[[", "]]")
    text = _UNDERLINE.sub("", _STARS.sub("", text))
    return _ESCAPE.sub(r"\1", text)


def element_text(el: Element) -> str:
    """An element's text as read: from its emphasis runs when the parser gave them."""
    if el.runs:
        return "".join(text for text, _styles in el.runs)
    return clean_text(el.text)


def collapse(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """What fingerprints compare: clean, whitespace collapsed, case-folded, punctuation kept."""
    return collapse(clean_text(text)).casefold()


def fingerprint(*parts: str) -> str:
    """sha256 hex (16 chars) of the parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def split_character(text: str) -> tuple[str, str]:
    """`"maya (v.o.) (cont'd)"` → `("MAYA", "V.O.")`: the normalised name and its extension."""
    text = collapse(clean_text(text)).lstrip("@").rstrip("^").strip()
    extensions = []
    outside: list[str] = []
    position = 0
    for start, end in spans_between(text, "(", ")"):
        ext = collapse(_CONTD.sub("", text[start + 1 : end - 1])).upper()
        if ext:
            extensions.append(_EXT_ALIASES.get(ext, ext))
        outside.append(text[position:start])
        position = end
    outside.append(text[position:])
    name = collapse(_CONTD.sub(" ", " ".join(outside))).upper()
    return name, " ".join(extensions)


def is_offscreen(extension: str) -> bool:
    """True for V.O., O.S., O.C. …: the speaker is heard, not seen."""
    return any(ext in OFFSCREEN_EXTENSIONS for ext in extension.split())


_INT_EXT = re.compile(
    r"^(?P<ie>INT\.?\s*/\s*EXT|EXT\.?\s*/\s*INT|I\s*/\s*E|INT|EXT|EST)(?:\.\s*|\s+|$)", re.I
)
_DASH = re.compile(r"\s+[-–—]{1,2}\s+")
SCENE_NUMBER = re.compile(r"\s*#[^#\s]*#\s*$")


def without_scene_number(text: str) -> str:
    """A heading's text collapsed, its trailing `#1A#` gone (collapsed first: `SCENE_NUMBER`
    would rescan a long run of spaces from each of its positions)."""
    return collapse(SCENE_NUMBER.sub("", collapse(text)))


def parse_heading(text: str) -> tuple[str, str, str]:
    """`"INT. LIGHTHOUSE - LAMP ROOM - NIGHT"` → `("INT", "LIGHTHOUSE - LAMP ROOM", "NIGHT")`."""
    text = without_scene_number(clean_text(text))
    match = _INT_EXT.match(text)
    int_ext, rest = "", text
    if match:
        key = re.sub(r"[\s.]", "", match["ie"].upper())
        int_ext = {"INT": "INT", "EXT": "EXT", "EST": "EST"}.get(key, "INT./EXT.")
        rest = text[match.end() :]
    parts = _DASH.split(rest.strip())
    time_of_day = ""
    if len(parts) > 1 and _TIME_WORDS & set(re.findall(r"[A-Z]+", parts[-1].upper())):
        time_of_day = parts.pop().upper()
    return int_ext, " - ".join(parts).strip(" -"), time_of_day


# --- camera directions --------------------------------------------------------------------------

_S, _A, _M = "size", "angle", "move"
_ON = r"(?: (?i:on|to|of|with|from|across|at))?"  # "CLOSE ON the lamp", "PUSH IN on Maya"
_DIRECTIONS: list[tuple[str, dict]] = [
    (rf"(?:EXTREME CLOSE[- ]UP|ECU){_ON}", {_S: ShotSize.EXTREME_CLOSE}),
    (rf"(?:MEDIUM CLOSE[- ]UP|MCU){_ON}", {_S: ShotSize.MEDIUM_CLOSE}),
    (rf"(?:CLOSE[- ]UP|CLOSE ON|CU){_ON}", {_S: ShotSize.CLOSE}),
    (rf"(?:ANGLE ON|MEDIUM SHOT|TWO[- ]SHOT){_ON}", {_S: ShotSize.MEDIUM}),
    (rf"(?:WIDE SHOT|WIDE ON){_ON}", {_S: ShotSize.WIDE}),
    (rf"ESTABLISHING(?: SHOT)?{_ON}", {_S: ShotSize.EXTREME_WIDE}),
    (rf"INSERT(?: SHOT)?{_ON}", {_S: ShotSize.INSERT, "origin": "insert"}),
    (rf"(?:[A-Z][A-Z.'’ -]*?['’]S )?POV(?: SHOT)?{_ON}", {_A: Angle.POV}),
    (rf"TRACKING(?: SHOT)?{_ON}", {_M: Move.TRACKING}),
    (rf"(?:PUSH|DOLLY) IN{_ON}", {_M: Move.PUSH_IN}),
    (rf"(?:PULL (?:BACK|OUT)|DOLLY OUT){_ON}", {_M: Move.PULL_OUT}),
    (rf"PAN LEFT{_ON}", {_M: Move.PAN_LEFT}),
    (rf"PAN(?: RIGHT)?{_ON}", {_M: Move.PAN_RIGHT}),
    (rf"TILT DOWN{_ON}", {_M: Move.TILT_DOWN}),
    (rf"TILT(?: UP)?{_ON}", {_M: Move.TILT_UP}),
    (rf"DOLLY LEFT{_ON}", {_M: Move.DOLLY_LEFT}),
    (rf"DOLLY RIGHT{_ON}", {_M: Move.DOLLY_RIGHT}),
    (rf"HANDHELD(?: SHOT)?{_ON}", {_M: Move.HANDHELD}),
    (rf"(?:AERIAL|OVERHEAD|BIRD['’]S[- ]EYE)(?: SHOT| VIEW)?{_ON}", {_A: Angle.OVERHEAD}),
    (rf"LOW ANGLE(?: SHOT)?{_ON}", {_A: Angle.LOW}),
    (rf"HIGH ANGLE(?: SHOT)?{_ON}", {_A: Angle.HIGH}),
    (rf"DUTCH ANGLE(?: SHOT)?{_ON}", {_A: Angle.DUTCH}),
]
_DIRECTION_RES = [(re.compile(rf"(?:{pat})(?![A-Za-z'’])"), eff) for pat, eff in _DIRECTIONS]
_DIRECTION_SEP = re.compile(r"(?:\s*[,/&+]\s*|\s+AND\s+|\s+)")
_DIRECTION_END = re.compile(r"\s*(?::|--|—|–|-|\.|,)?\s*")
_MIDDLE_MOVES = re.compile(
    r"(?<![A-Za-z])(PUSH IN|DOLLY IN|PULL BACK|PULL OUT|TRACKING SHOT|HANDHELD)(?![A-Za-z])"
)
TRANSITION_LIKE = re.compile(r"^(FADE (IN|OUT|TO BLACK)|CUT TO BLACK|SMASH CUT)[.:]?$")


@dataclass
class Direction:
    """Camera directions found at the start of an action paragraph."""

    words: str = ""
    size: ShotSize | None = None
    angle: Angle | None = None
    move: Move | None = None
    origin: str = "action"
    rest: str = ""  # the paragraph with the direction words stripped


def _match_direction(text: str, start: int) -> tuple[re.Match | None, dict]:
    for regex, effect in _DIRECTION_RES:
        match = regex.match(text, start)
        if match:
            return match, effect
    return None, {}


def parse_direction(text: str) -> Direction:
    """Read caps camera directions at the start of `text` ("CLOSE ON: …", "WIDE SHOT -- …").

    A direction written mid-paragraph ("… and we PUSH IN on her") only sets the movement.
    """
    found, pos = Direction(rest=text), 0
    while True:
        sep = _DIRECTION_SEP.match(text, pos) if pos else None
        match, effect = _match_direction(text, sep.end() if sep else pos)
        if not match:
            break
        found.size = effect.get(_S, found.size)
        found.angle = effect.get(_A, found.angle)
        found.move = effect.get(_M, found.move)
        if found.origin != "insert":
            found.origin = effect.get("origin", "direction")
        pos = match.end()
    if pos:
        found.words = text[:pos].strip()
        found.rest = text[_DIRECTION_END.match(text, pos).end() :].strip()
    elif middle := _MIDDLE_MOVES.search(text):
        found.move = _match_direction(middle[1], 0)[1].get(_M)
    return found


def place_words(int_ext: str, location: str, time_of_day: str) -> str:
    """`("EXT", "LIGHTHOUSE - GALLERY", "NIGHT")` → "exterior, lighthouse, gallery, night"."""
    where = {"INT": "interior", "EXT": "exterior", "EST": "exterior"}.get(int_ext, "")
    when = "" if _NOT_VISUAL_TIME & set(time_of_day.split()) else time_of_day.lower()
    words = [where, location.replace(" - ", ", ").lower(), when]
    return ", ".join(w for w in words if w)


def shorten(text: str, words: int) -> str:
    """The first `words` words of `text`, with an ellipsis when cut."""
    split = text.split()
    return text if len(split) <= words else " ".join(split[:words]) + "…"


def introduction(text: str, start: int, end: int) -> str:
    """What an action paragraph says of a character named at text[start:end]: the appositive
    after the name ("(30s), a projectionist"), else the sentence that names them."""
    after = text[end:]
    if re.match(r"\s*[(,]", after):
        return _appositive(_to_sentence_end(after).strip(" ,;:-—"))
    sentence_start = max(
        text.rfind(". ", 0, start), text.rfind("! ", 0, start), text.rfind("? ", 0, start)
    )
    head = text[sentence_start + 2 if sentence_start >= 0 else 0 : start]
    return (head + _to_sentence_end(text[start:])).strip()


def _to_sentence_end(text: str) -> str:
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth <= 0 and char in ".!?" and (index + 1 == len(text) or text[index + 1] == " "):
            return text[: index + 1] if char != "." else text[:index]
    return text


def _appositive(text: str) -> str:
    """ "(30s), a projectionist, threads the film" → "(30s), a projectionist": the description
    stops at a chunk that starts with a present-tense verb ("threads", "leans")."""
    chunks = text.split(", ")
    for index, chunk in enumerate(chunks[1:], start=1):
        first = chunk.split(" ", 1)[0]
        if first.islower() and first.endswith("s") and not first.endswith("ss"):
            return ", ".join(chunks[:index])
    return text


def split_beat(text: str) -> list[str]:
    """An action paragraph as beats: itself, or sentence groups when it is very long."""
    if len(text) <= LONG_BEAT_CHARS:
        return [text]
    chunks: list[str] = []
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])", text):
        if chunks and len(chunks[-1]) + 1 + len(sentence) <= BEAT_TARGET_CHARS:
            chunks[-1] = f"{chunks[-1]} {sentence}"
        else:
            chunks.append(sentence)
    return chunks


# --- durations ----------------------------------------------------------------------------------


def line_seconds(text: str, parenthetical: str = "") -> Fraction:
    """How long a dialogue line takes: words at 2.5 words/s, a pad, and pauses it asks for."""
    seconds = Fraction(len(text.split())) / WORDS_PER_SECOND + LINE_PAD
    for pause in re.findall(r"[a-z ]+", parenthetical.lower()):
        seconds += PAUSES.get(pause.strip(), Fraction(0))
    return seconds


def action_seconds(text: str) -> Fraction:
    """How long an action beat plays: about 1 s per 12–15 characters, 2–8 s."""
    return min(ACTION_MAX, max(ACTION_MIN, Fraction(len(text)) / CHARS_PER_SECOND))


def to_frames(seconds: Fraction, fps: int) -> int:
    """Seconds → whole frames at `fps`, rounded half up, at least one second."""
    return max(fps, math.floor(seconds * fps + Fraction(1, 2)))
