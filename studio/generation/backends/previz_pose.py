"""How each previz figure acts the shot, read from the shot's own words.

`infer_poses` turns a KeyframeRequest's `description` (the action line, or a coverage summary
such as "Two-shot, ODA and KIT: “…”"), its figures' names and x positions and the shot size into
one `Pose` per figure: a stance (standing, sitting, walking, lying, kneeling), where the figure
faces (the camera, screen left or right, away) and an arm gesture. Pure and deterministic: the
same words always give the same poses; the seeded variation of relaxed arms happens in the
layout, not here.

How words are attributed: names are found case-insensitively at word boundaries but only where
written with a capital ("Kit sits", not "a first-aid kit"; never inside "kitchen"). A verb belongs
to the nearest name before it in its sentence, together with names joined to that one by "and"
("MARA and JONAH sit"); a subject pronoun (she, he, they) or a sentence that starts with the
verb ("Walks to the window.") continues the previous sentence's subject; a person word ("a girl
sits") or a participle opening ("Sitting at the table, MARA…") goes to the shot's only figure, or
to the name that follows. A verb after a thing ("the lamp sleeps") belongs to no one. Quoted
dialogue is never read as action.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from studio.generation.requests import Figure

STANCES = ("standing", "sitting", "walking", "lying", "kneeling")
FACINGS = ("camera", "left", "right", "away")
GESTURES = ("relaxed", "point", "raise", "reach", "hold")
THREE_QUARTER, PROFILE = 0.5, 1.0
# Sizes too close for the stance to show: only the head and shoulders are in the frame.
HEAD_SIZES = frozenset({"MCU", "CU", "ECU", "INSERT"})


@dataclass(frozen=True)
class Pose:
    """How one figure is drawn: stance, facing and arms.

    `facing` is a screen direction: "left" means the figure looks toward the frame's left edge.
    `turn` says how far a left/right figure is turned: 0.5 three-quarter, 1.0 profile (0 for
    camera and away). `prop` names the object held when the gesture is "hold".
    """

    stance: str = "standing"
    facing: str = "camera"
    turn: float = 0.0
    gesture: str = "relaxed"
    prop: str = ""

    @property
    def direction(self) -> int:
        """+1 facing screen right, -1 screen left, 0 the camera or away."""
        return {"right": 1, "left": -1}.get(self.facing, 0)


def _words(*forms: str) -> str:
    return r"\b(?:" + "|".join(forms) + r")\b"


_POSS = r"(?:his|her|their|its|my|your|a|the)"
# Each pattern is searched in lower-case sentences where every name is replaced by "@<index>".
_STANCE_VERBS: tuple[tuple[str, str], ...] = (
    (
        "sitting",
        _words(
            r"sits?",
            "sitting",
            "sat",
            "seated",
            "perch(?:es|ed|ing)?",
            r"takes a seat",
            r"slump(?:s|ed|ing)? (?:in|into|on|onto|down)",
        ),
    ),
    (
        "lying",
        _words(
            r"lies(?! to)",
            "lying",
            r"lay (?:down|on|in|back|still|flat)",
            r"lays? down",
            "asleep",
            r"sleep(?:s|ing)",
            "sprawl(?:s|ed|ing)?",
            "collaps(?:es|ed|ing)",
            "reclin(?:es|ed|ing)",
            "unconscious",
        ),
    ),
    (
        "kneeling",
        _words(
            "kneel(?:s|ing)?",
            "knelt",
            "crouch(?:es|ed|ing)?",
            "squat(?:s|ted|ting)?",
            rf"on {_POSS} knees",
            rf"drops to {_POSS} knees",
        ),
    ),
    (
        "walking",
        _words(
            r"walk(?:s|ed|ing)?",
            r"cross(?:es|ed|ing)?(?! {_P} (?:arms|legs|fingers))".replace("{_P}", _POSS),
            "enter(?:s|ed|ing)?",
            r"runs?",
            "ran",
            "running",
            "pac(?:es|ed|ing)",
            "strid(?:es|ing)",
            "strode",
            "hurr(?:y|ies|ied|ying)",
            "march(?:es|ed|ing)",
            "stroll(?:s|ed|ing)?",
            "approach(?:es|ed|ing)",
            "exit(?:s|ed|ing)",
            "climb(?:s|ed|ing)",
            "rush(?:es|ed|ing)",
            "wander(?:s|ed|ing)?",
            "limp(?:s|ed|ing)",
            "stagger(?:s|ed|ing)",
            "sprint(?:s|ed|ing)?",
            "jog(?:s|ged|ging)?",
            "trudg(?:es|ed|ing)",
            "storm(?:s|ed) (?:in|out|off)",
            "dash(?:es|ed)",
            r"steps? (?:in|out|forward|back|inside|outside|into|off)",
            r"heads? (?:for|to|toward|towards|off|out|in)",
        ),
    ),
    (
        "standing",
        _words(
            r"stands?",
            "standing",
            "stood",
            r"rises?",
            "rose",
            r"gets? up",
            r"gets? to {_POSS} feet".replace("{_POSS}", _POSS),
        ),
    ),
)
# Places that imply a stance when no verb says so ("on the step", "in bed").
_STANCE_PLACES: tuple[tuple[str, str], ...] = (
    ("lying", rf"\bin (?:bed|{_POSS} bed)\b|\bon {_POSS} (?:back|stomach)\b"),
    (
        "sitting",
        rf"\b(?:at|on|in) {_POSS} (?:chair|armchair|bench|sofa|couch|stool|steps?|"
        rf"desk|throne|table|kitchen table|bar)\b",
    ),
)
_AWAY = (
    rf"\bturn(?:s|ed|ing)? {_POSS} back\b",
    r"\bturn(?:s|ed|ing)? away\b",
    rf"\bwith {_POSS} back(?:s)? to\b",
    r"\bback to (?:the )?(?:camera|us|lens)\b",
    r"\b(?:looks?|looking|stares?|staring|gazes?|gazing) out\b",
    r"\b(?:walks?|walking|moves?|moving) away\b",
)
_MUTUAL = (
    r"\bfac(?:e|es|ing) (?:each other|one another)\b",
    r"\bface[ -]to[ -]face\b",
    r"\beye to eye\b",
    r"\bconfront(?:s|ed|ing)?\b",
    r"\bargu(?:e|es|ed|ing)\b",
)
_TOWARD = re.compile(
    r"\b(?:fac(?:es|ing)|turns? (?:to|toward|towards)|looks? (?:at|to|toward|towards)|"
    r"stares? at|glares? at|watch(?:es|ing)|talks? to|speaks? to|whispers? to|shouts? at|"
    r"smiles? at|nods? (?:at|to)|points? at|waves? (?:at|to)|hands|gives|"
    r"(?:walks?|runs?|moves?|heads?|steps?|crosses) (?:over |up )?(?:to|toward|towards))"
    r" (?:\w+ ){0,2}?@(\d+)"
)
_SCREEN_SIDE = re.compile(r"\b(?:screen|frame|to the|towards? the|exits?|off) (left|right)\b")
_GESTURES: tuple[tuple[str, str], ...] = (
    ("point", r"\bpoint(?:s|ed|ing)\b|\bpoints?(?= (?:at|to|toward|towards|out|across|@))"),
    (
        "raise",
        r"\bwav(?:es|ed|ing)(?= (?:at|to|goodbye|hello|back|off|a|the|@|$))|"
        rf"\bwav(?:es|ed|ing)$|\braises? {_POSS}? ?(?:hand|arm|hands|arms)\b|"
        r"\b(?:hands|arms) up\b",
    ),
    (
        "reach",
        r"\breach(?:es|ed|ing)?\b|\bholds? (?:\w+ ){0,2}?out\b|\boffers?\b|"
        rf"\bextends? {_POSS} hand\b|\bgives?\b|\bhands (?:it|him|her|them|over|@)",
    ),
    (
        "hold",
        r"\b(?:hold(?:s|ing)?|carr(?:y|ies|ied|ying)|clutch(?:es|ed|ing)?|grips?|"
        r"lifts?|cradles?|hauls?|drags?|picks? up|grabs?|brandish(?:es|ed)?|"
        r"writ(?:es|ing)|signs?|reads?|reading)\b",
    ),
)
PROPS = (
    "oil can",
    "cup",
    "mug",
    "glass",
    "teacup",
    "letter",
    "envelope",
    "parcel",
    "package",
    "box",
    "bag",
    "suitcase",
    "briefcase",
    "phone",
    "book",
    "logbook",
    "notebook",
    "journal",
    "map",
    "can",
    "bottle",
    "thermos",
    "kettle",
    "lamp",
    "lantern",
    "torch",
    "flashlight",
    "candle",
    "match",
    "matches",
    "pen",
    "pencil",
    "key",
    "keys",
    "gun",
    "pistol",
    "rifle",
    "knife",
    "sword",
    "umbrella",
    "photo",
    "photograph",
    "tray",
    "plate",
    "flowers",
    "bouquet",
    "newspaper",
    "tablet",
    "microphone",
    "guitar",
    "ball",
    "basket",
    "rope",
    "stick",
    "cane",
    "bucket",
    "shovel",
    "axe",
    "hammer",
    "tin",
    "drink",
    "coffee",
    "tea",
    "wine",
    "cigarette",
)
# "to the lamp", "by the window": a place the figure is at, not a thing in the hand
_PLACE_BEFORE = re.compile(
    r"\b(?:to|toward|towards|by|on|in|into|from|near|over|under|behind|past|across|through|of|"
    r"beside|above|below) (?:the |a |an |his |her |their |its )?$"
)
_PROP = re.compile(r"\b(" + "|".join(sorted(PROPS, key=len, reverse=True)) + r")s?\b")
_PEOPLE = _words(
    "man",
    "woman",
    "girl",
    "boy",
    "child",
    "kid",
    "figure",
    "someone",
    "stranger",
    "person",
    "men",
    "women",
    "people",
    "couple",
    "keeper",
    "old man",
    "old woman",
    "guard",
    "soldier",
)
_SUBJECT_PRONOUNS = {"he", "she", "they", "we", "i", "you", "both"}
_FILLER = {
    "then",
    "and",
    "now",
    "still",
    "finally",
    "suddenly",
    "slowly",
    "quickly",
    "just",
    "again",
    "but",
    "so",
    "quietly",
    "also",
}
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
_SENTENCE = re.compile(r"[.!?;:]+(?:\s+|$)|\n+")
_TOKEN = re.compile(r"@\d+|[a-z][a-z'’-]*")


@dataclass
class _Reading:
    """What the words said about one figure, with where in the text they said it."""

    stance: tuple[int, str] | None = None
    implied_stance: tuple[int, str] | None = None
    gesture: tuple[int, str] | None = None
    away: bool = False
    toward: int | None = None
    side: str = ""
    prop: str = ""
    mentions: list[int] = field(default_factory=list)


def _name_pattern(names: Sequence[str]) -> re.Pattern[str] | None:
    forms: dict[str, int] = {}
    for index, name in enumerate(names):
        name = " ".join(name.split())
        if name:
            forms.setdefault(name.lower(), index)
    if not forms:
        return None
    alternatives = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w@-])({alternatives})(?:['’]s)?(?![\w-])", re.IGNORECASE)


def placeholders(description: str, names: Sequence[str]) -> str:
    """The description in lower case with quoted speech removed and each capitalised mention of
    a figure's name replaced by "@<index>" ("MARA sits by Jonah." → "@0 sits by @1.")."""
    text = _QUOTED.sub(" ", description)
    pattern = _name_pattern(names)
    if pattern is None:
        return text.lower()
    index = {" ".join(n.split()).lower(): i for i, n in reversed(list(enumerate(names)))}

    def swap(match: re.Match[str]) -> str:
        if not match[1][0].isupper():  # "a first-aid kit" is not KIT
            return match[0]
        return f" @{index[' '.join(match[1].split()).lower()]} "

    return pattern.sub(swap, text).lower()


def sentences(description: str, names: Sequence[str]) -> list[str]:
    """The description split into sentences, with names as placeholders (see `placeholders`)."""
    parts = _SENTENCE.split(placeholders(description, names))
    return [" ".join(part.split()) for part in parts if part.strip()]


def _tokens_before(sentence: str, position: int) -> list[str]:
    clause = re.split(r"[,(—–]", sentence[:position])[-1]
    return _TOKEN.findall(clause)


def _subjects(
    sentence: str, position: int, previous: list[int], count: int, verb: str
) -> list[int]:
    """The figures a verb at `position` belongs to (see the module docstring)."""
    before = _TOKEN.findall(sentence[:position])
    names = [i for i, token in enumerate(before) if token.startswith("@")]
    clause = [t for t in _tokens_before(sentence, position) if t not in _FILLER]
    if clause and clause[-1] in _SUBJECT_PRONOUNS:
        return previous or ([0] if count == 1 else [])
    if names:
        last = names[-1]
        group = [int(before[last][1:])]
        k = last
        while k >= 2 and before[k - 1] in ("and", "&") and before[k - 2].startswith("@"):
            k -= 2
            group.append(int(before[k][1:]))
        return group
    if not clause:
        after = re.search(r"@(\d+)", sentence[position:])
        if verb.endswith("ing") or verb in ("seated", "asleep"):
            if after:
                return [int(after[1])]
        if previous:
            return previous
        return [0] if count == 1 else []
    if count == 1 and re.search(_PEOPLE, " ".join(clause)):
        return [0]
    return []


def _first(current: tuple[int, str] | None, where: int, value: str) -> tuple[int, str]:
    return current if current is not None and current[0] <= where else (where, value)


def _read_sentence(
    sentence: str, offset: int, readings: list[_Reading], previous: list[int]
) -> list[int]:
    count = len(readings)
    named = [int(m) for m in re.findall(r"@(\d+)", sentence)]
    for index in named:
        readings[index].mentions.append(offset)

    def each(pattern: str):
        for match in re.finditer(pattern, sentence):
            for who in _subjects(sentence, match.start(), previous, count, match[0]):
                yield readings[who], offset + match.start(), match

    for stance, pattern in _STANCE_VERBS:
        for reading, where, _ in each(pattern):
            reading.stance = _first(reading.stance, where, stance)
    for stance, pattern in _STANCE_PLACES:
        for reading, where, _ in each(pattern):
            reading.implied_stance = _first(reading.implied_stance, where, stance)
    for rank, (gesture, pattern) in enumerate(_GESTURES):
        for reading, _, _ in each(pattern):
            if reading.gesture is None or reading.gesture[0] > rank:
                reading.gesture = (rank, gesture)
    for pattern in _AWAY:
        for reading, _, _ in each(pattern):
            reading.away = True
    for match in _TOWARD.finditer(sentence):
        target = int(match[1])
        for who in _subjects(sentence, match.start(), previous, count, match[0]):
            if who != target and readings[who].toward is None:
                readings[who].toward = target
    for match in _SCREEN_SIDE.finditer(sentence):
        for who in _subjects(sentence, match.start(), previous, count, match[0]):
            readings[who].side = readings[who].side or match[1]
    _read_props(sentence, readings)
    subjects = _sentence_subjects(sentence, previous, count)
    return subjects


def _sentence_subjects(sentence: str, previous: list[int], count: int) -> list[int]:
    """Who the next sentence's pronouns point at: this sentence's first name(s), else the same
    people as before."""
    found = re.search(r"@(\d+)(?:\s+(?:and|&)\s+@(\d+))?", sentence)
    if not found:
        return previous
    return [int(g) for g in found.groups() if g is not None]


def _read_props(sentence: str, readings: list[_Reading]) -> None:
    """A prop named within a few words after a name is that figure's to hold."""
    for match in re.finditer(r"@(\d+)", sentence):
        rest = sentence[match.end() :]
        rest = rest[: m.start()] if (m := re.search(r"@\d", rest)) else rest
        window = " ".join(rest.split()[:7])
        reading = readings[int(match[1])]
        for prop in _PROP.finditer(window):
            if not reading.prop and not _PLACE_BEFORE.search(window[: prop.start()]):
                reading.prop = prop[1]


def _read(description: str, names: Sequence[str]) -> tuple[list[_Reading], str]:
    readings = [_Reading() for _ in names]
    previous: list[int] = []
    text = ""
    offset = 0
    for sentence in sentences(description, names):
        previous = _read_sentence(sentence, offset, readings, previous)
        offset += len(sentence) + 1
        text += sentence + " "
    return readings, text


def _nearest_other(index: int, xs: Sequence[float]) -> int | None:
    others = [(abs(x - xs[index]), i) for i, x in enumerate(xs) if i != index]
    return min(others)[1] if others else None


def _side_of(target_x: float, own_x: float) -> str:
    if abs(target_x - own_x) < 0.04:
        return "camera"
    return "right" if target_x > own_x else "left"


def _facing(
    index: int, reading: _Reading, stance: str, xs: Sequence[float], mutual: bool
) -> tuple[str, float]:
    x = xs[index]
    if reading.away:
        return "away", 0.0
    if reading.toward is not None:
        side = _side_of(xs[reading.toward], x)
        return side, 0.0 if side == "camera" else (PROFILE if mutual else THREE_QUARTER)
    if stance == "walking":
        if reading.side:
            return reading.side, PROFILE
        other = _nearest_other(index, xs)
        target = xs[other] if other is not None else 0.5
        side = _side_of(target, x)
        return ("right" if x <= 0.5 else "left") if side == "camera" else side, PROFILE
    if reading.side:
        return reading.side, THREE_QUARTER
    other = _nearest_other(index, xs)
    if other is None:
        return "camera", 0.0
    side = _side_of(xs[other], x)
    if side == "camera":
        return side, 0.0
    return side, PROFILE if mutual else THREE_QUARTER


def _stance(reading: _Reading, size: str) -> str:
    if size in HEAD_SIZES:
        return "standing"
    found = reading.stance or reading.implied_stance
    return found[1] if found else "standing"


def _gesture(reading: _Reading, size: str) -> tuple[str, str]:
    if size in ("ECU", "INSERT"):
        return "relaxed", ""
    gesture = reading.gesture[1] if reading.gesture else ""
    if gesture == "hold" and not reading.prop:
        gesture = ""
    if not gesture and reading.prop:
        gesture = "hold"
    return gesture or "relaxed", reading.prop if gesture in ("hold", "reach") else ""


def infer_poses(description: str, figures: Sequence[Figure], size: str = "MS") -> tuple[Pose, ...]:
    """One Pose per figure, read from the shot's description, the figures' names and x positions
    and the shot size (stances do not show in head-and-shoulders sizes: MCU, CU, ECU)."""
    if not figures:
        return ()
    names = [figure.name for figure in figures]
    xs = [min(max(figure.x, 0.0), 1.0) for figure in figures]
    readings, text = _read(description, names)
    mutual = any(re.search(pattern, text) for pattern in _MUTUAL)
    poses = []
    for index, reading in enumerate(readings):
        stance = _stance(reading, size)
        facing, turn = _facing(index, reading, stance, xs, mutual)
        if stance == "lying" and facing in ("camera", "away"):
            facing, turn = ("left" if xs[index] < 0.5 else "right"), 0.0
        gesture, prop = _gesture(reading, size)
        poses.append(Pose(stance, facing, turn, gesture, prop))
    return tuple(poses)
