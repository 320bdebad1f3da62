"""The things a scene plan knows by name: props, vehicles, animals, set pieces, landscape.

Each noun has a kind and a size in metres (width along its front, depth, height). `find_things`
reads action text once (one compiled alternation, longest nouns first) and gives each noun
named with how many the text says ("two chairs" → 2, "oil cans" → 2, "a chair" → 1).
The kinds of a character (a drone, a robot, a dog, a child…) are read from the sheet by
`character_kind`: the earliest kind word of the description decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from studio.domain.entities import CharacterSheet


class ThingKind(StrEnum):
    PROP = "prop"
    VEHICLE = "vehicle"
    ANIMAL = "animal"
    SET_PIECE = "set_piece"
    LANDSCAPE = "landscape"


@dataclass(frozen=True)
class ThingType:
    noun: str
    kind: ThingKind
    size: tuple[float, float, float]  # width, depth, height in metres
    plural: str = ""  # irregular plural ("knives"); regular ones add s/es


P, V, A, S, L = (
    ThingKind.PROP,
    ThingKind.VEHICLE,
    ThingKind.ANIMAL,
    ThingKind.SET_PIECE,
    ThingKind.LANDSCAPE,
)

VOCABULARY: tuple[ThingType, ...] = (
    # props: things held or set on a surface
    ThingType("letter", P, (0.21, 0.003, 0.30)),
    ThingType("envelope", P, (0.22, 0.005, 0.11)),
    ThingType("parcel", P, (0.40, 0.30, 0.20)),
    ThingType("box", P, (0.50, 0.35, 0.15)),
    ThingType("cup", P, (0.08, 0.08, 0.10)),
    ThingType("mug", P, (0.09, 0.09, 0.10)),
    ThingType("glass", P, (0.07, 0.07, 0.12), "glasses"),
    ThingType("bottle", P, (0.08, 0.08, 0.30)),
    ThingType("kettle", P, (0.22, 0.18, 0.22)),
    ThingType("phone", P, (0.07, 0.01, 0.15)),
    ThingType("book", P, (0.16, 0.03, 0.24)),
    ThingType("logbook", P, (0.22, 0.03, 0.30)),
    ThingType("key", P, (0.06, 0.01, 0.02)),
    ThingType("knife", P, (0.25, 0.02, 0.02), "knives"),
    ThingType("gun", P, (0.20, 0.03, 0.14)),
    ThingType("bag", P, (0.45, 0.20, 0.35)),
    ThingType("suitcase", P, (0.55, 0.25, 0.70)),
    ThingType("umbrella", P, (0.10, 0.10, 0.90)),
    ThingType("candle", P, (0.05, 0.05, 0.20)),
    ThingType("lamp", P, (0.30, 0.30, 0.50)),
    ThingType("lantern", P, (0.20, 0.20, 0.35)),
    ThingType("torch", P, (0.05, 0.05, 0.25), "torches"),
    ThingType("camera", P, (0.14, 0.10, 0.10)),
    ThingType("laptop", P, (0.33, 0.23, 0.02)),
    ThingType("photo", P, (0.15, 0.002, 0.10)),
    ThingType("photograph", P, (0.15, 0.002, 0.10)),
    ThingType("map", P, (0.60, 0.002, 0.45)),
    ThingType("can", P, (0.12, 0.12, 0.20)),
    ThingType("plate", P, (0.26, 0.26, 0.02)),
    ThingType("rope", P, (0.40, 0.40, 0.10)),
    ThingType("flower", P, (0.05, 0.05, 0.40)),
    ThingType("clock", P, (0.30, 0.08, 0.30)),
    ThingType("radio", P, (0.30, 0.12, 0.18)),
    # set pieces: furniture and the fittings of a set
    ThingType("table", S, (1.60, 0.90, 0.75)),
    ThingType("desk", S, (1.40, 0.70, 0.75)),
    ThingType("chair", S, (0.50, 0.50, 0.90)),
    ThingType("stool", S, (0.40, 0.40, 0.70)),
    ThingType("bench", S, (1.60, 0.45, 0.45), "benches"),
    ThingType("sofa", S, (2.00, 0.90, 0.85)),
    ThingType("couch", S, (2.00, 0.90, 0.85), "couches"),
    ThingType("bed", S, (1.60, 2.00, 0.60)),
    ThingType("wardrobe", S, (1.20, 0.60, 2.00)),
    ThingType("cupboard", S, (1.00, 0.50, 1.80)),
    ThingType("shelf", S, (1.00, 0.30, 1.80), "shelves"),
    ThingType("bookcase", S, (1.00, 0.35, 2.00)),
    ThingType("fridge", S, (0.70, 0.70, 1.80)),
    ThingType("stove", S, (0.60, 0.60, 0.90)),
    ThingType("sink", S, (0.80, 0.50, 0.90)),
    ThingType("bath", S, (1.70, 0.75, 0.60)),
    ThingType("mirror", S, (0.60, 0.03, 0.90)),
    ThingType("fireplace", S, (1.50, 0.50, 1.20)),
    ThingType("piano", S, (1.50, 0.60, 1.25)),
    ThingType("door", S, (0.90, 0.05, 2.05)),
    ThingType("window", S, (1.20, 0.10, 1.20)),
    ThingType("stairs", S, (1.00, 3.00, 2.70), "stairs"),
    ThingType("staircase", S, (1.00, 3.00, 2.70)),
    ThingType("rail", S, (3.00, 0.05, 1.00)),
    ThingType("railing", S, (3.00, 0.05, 1.00)),
    ThingType("counter", S, (2.00, 0.60, 1.00)),
    ThingType("bar", S, (3.00, 0.60, 1.10)),
    ThingType("tent", S, (2.50, 2.50, 1.60)),
    ThingType("fence", S, (5.00, 0.10, 1.20)),
    ThingType("gate", S, (1.20, 0.10, 1.50)),
    ThingType("wall", S, (5.00, 0.30, 2.50)),
    ThingType("bonfire", S, (1.50, 1.50, 1.00)),
    ThingType("grave", S, (1.00, 2.00, 0.80)),
    # vehicles
    ThingType("car", V, (1.80, 4.50, 1.50)),
    ThingType("taxi", V, (1.80, 4.60, 1.50)),
    ThingType("van", V, (2.00, 5.20, 2.30)),
    ThingType("truck", V, (2.50, 8.00, 3.20)),
    ThingType("bus", V, (2.50, 12.0, 3.20), "buses"),
    ThingType("bicycle", V, (0.60, 1.80, 1.10)),
    ThingType("bike", V, (0.60, 1.80, 1.10)),
    ThingType("motorbike", V, (0.80, 2.10, 1.20)),
    ThingType("boat", V, (2.00, 6.00, 1.50)),
    ThingType("ship", V, (20.0, 120.0, 25.0)),
    ThingType("train", V, (3.00, 60.0, 4.00)),
    ThingType("helicopter", V, (3.00, 12.0, 4.00)),
    ThingType("plane", V, (30.0, 35.0, 11.0)),
    # animals (an animal the action names; an animal character is read from its sheet)
    ThingType("dog", A, (0.30, 0.90, 0.60)),
    ThingType("cat", A, (0.20, 0.50, 0.30)),
    ThingType("horse", A, (0.60, 2.40, 1.60)),
    ThingType("bird", A, (0.30, 0.30, 0.25)),
    ThingType("gull", A, (0.40, 0.40, 0.30)),
    ThingType("seal", A, (0.50, 1.60, 0.50)),
    ThingType("cow", A, (0.80, 2.40, 1.50)),
    ThingType("sheep", A, (0.50, 1.30, 0.90), "sheep"),
    ThingType("fish", A, (0.10, 0.40, 0.15), "fish"),
    # landscape features
    ThingType("lighthouse", L, (6.00, 6.00, 30.0)),
    ThingType("tree", L, (4.00, 4.00, 10.0)),
    ThingType("rock", L, (2.00, 2.00, 1.50)),
    ThingType("boulder", L, (3.00, 3.00, 2.50)),
    ThingType("cliff", L, (80.0, 20.0, 40.0)),
    ThingType("sea", L, (2000.0, 2000.0, 0.0), "seas"),
    ThingType("bay", L, (800.0, 800.0, 0.0)),
    ThingType("beach", L, (200.0, 40.0, 0.0), "beaches"),
    ThingType("river", L, (30.0, 300.0, 0.0)),
    ThingType("lake", L, (300.0, 300.0, 0.0)),
    ThingType("road", L, (7.00, 200.0, 0.0)),
    ThingType("path", L, (1.50, 60.0, 0.0)),
    ThingType("bridge", L, (8.00, 60.0, 6.00)),
    ThingType("hill", L, (200.0, 200.0, 40.0)),
    ThingType("mountain", L, (3000.0, 3000.0, 1500.0)),
    ThingType("forest", L, (500.0, 300.0, 15.0)),
    ThingType("field", L, (200.0, 200.0, 0.0)),
    ThingType("house", L, (10.0, 9.00, 7.00)),
    ThingType("barn", L, (15.0, 10.0, 8.00)),
    ThingType("tower", L, (8.00, 8.00, 30.0)),
    ThingType("pier", L, (4.00, 80.0, 1.50)),
    ThingType("dune", L, (40.0, 20.0, 8.00)),
)

BY_NOUN = {t.noun: t for t in VOCABULARY}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "the": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a few": 3,
    "several": 3,
}
_MAX_COUNT = 12  # "a hundred lamps" is a crowd of things: a plan holds a dozen


def _forms() -> dict[str, tuple[str, bool]]:
    """Every written form → (noun, plural?)."""
    forms: dict[str, tuple[str, bool]] = {}
    for thing in VOCABULARY:
        plural = thing.plural or (
            thing.noun + "es" if re.search(r"(s|x|ch|sh)$", thing.noun) else thing.noun + "s"
        )
        if plural != thing.noun:
            forms[plural] = (thing.noun, True)
        forms[thing.noun] = (thing.noun, False)
    return forms


_FORMS = _forms()
_COUNT = "|".join(sorted((re.escape(n) for n in _NUMBERS if n != "the"), key=len, reverse=True))
_ALONE = re.compile(
    rf"\b({'|'.join(sorted(map(re.escape, _FORMS), key=len, reverse=True))})\b", re.I
)


def find_things(text: str) -> dict[str, int]:
    """The nouns of the vocabulary that `text` names, each with the largest count it gives
    (a thing named twice is one thing; "two chairs" are two). Linear in the text."""
    found: dict[str, int] = {}
    for match in _ALONE.finditer(text):
        noun, plural = _FORMS[match[1].lower()]
        count = _count_before(text, match.start()) or (2 if plural else 1)
        found[noun] = max(found.get(noun, 0), min(count, _MAX_COUNT))
    return found


def noun_for(word: str) -> str | None:
    """The vocabulary noun a written form stands for ("knives" → "knife"), or None."""
    form = _FORMS.get(word.strip().lower())
    return form[0] if form else None


_COUNT_BEFORE = re.compile(rf"\b({_COUNT}|\d+)\s+(?:[\w'’-]+\s+)?$", re.I)


def _count_before(text: str, start: int) -> int:
    """The number written just before a noun ("two old chairs"), looking back 30 characters."""
    match = _COUNT_BEFORE.search(text[max(0, start - 30) : start])
    if match is None:
        return 0
    word = match[1].lower()
    return int(word) if word.isdigit() else _NUMBERS[word]


# --- characters ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureKind:
    """What a character is on the plan: a person (or not), its size, and how high it moves."""

    kind: str  # person, child, drone, robot, dog, horse, cat, bird
    person: bool
    size: tuple[float, float, float]  # width, depth, height in metres
    elevation: float = 0.0  # a drone flies at eye height


ADULT = FigureKind("person", True, (0.50, 0.30, 1.75))
FIGURES = {
    "drone": FigureKind("drone", False, (0.60, 0.60, 0.25), elevation=1.8),
    "robot": FigureKind("robot", False, (0.60, 0.50, 1.50)),
    "android": FigureKind("robot", False, (0.50, 0.30, 1.75)),
    "dog": FigureKind("dog", False, (0.30, 0.90, 0.60)),
    "puppy": FigureKind("dog", False, (0.20, 0.50, 0.35)),
    "horse": FigureKind("horse", False, (0.60, 2.40, 1.60)),
    "pony": FigureKind("horse", False, (0.50, 1.80, 1.30)),
    "cat": FigureKind("cat", False, (0.20, 0.50, 0.30)),
    "kitten": FigureKind("cat", False, (0.15, 0.30, 0.20)),
    "bird": FigureKind("bird", False, (0.30, 0.30, 0.25), elevation=1.5),
    "parrot": FigureKind("bird", False, (0.30, 0.30, 0.40), elevation=1.5),
    "crow": FigureKind("bird", False, (0.40, 0.40, 0.30), elevation=1.5),
}
_CHILD_WORDS = ("child", "kid", "girl", "boy", "toddler", "baby")
_PERSON_WORDS = (
    "man",
    "woman",
    "person",
    "keeper",
    "lady",
    "gentleman",
    "mother",
    "father",
    "teenager",
    "soldier",
    "officer",
    "doctor",
    "captain",
    "wife",
    "husband",
)
_KIND_WORDS = re.compile(
    r"\b(" + "|".join((*FIGURES, *_CHILD_WORDS, *_PERSON_WORDS)) + r")s?\b", re.I
)
_AGE = re.compile(r"\((\d{1,2})\)")


def character_kind(description: str) -> FigureKind:
    """A person unless the sheet says otherwise: the first kind word of the description
    decides ("a girl walking her dog" is a girl); an age under 13 ("KIT (10)") is a child,
    whose height follows the age."""
    age_match = _AGE.search(description)
    age = int(age_match[1]) if age_match else None
    match = _KIND_WORDS.search(description)
    word = match[1].lower() if match else ""
    if word in FIGURES:
        return FIGURES[word]
    if (age is not None and age < 13) or (age is None and word in _CHILD_WORDS):
        years = age if age is not None else 9
        height = round(min(1.6, 0.75 + 0.065 * years), 2)
        return FigureKind("child", True, (0.35, 0.22, height))
    return ADULT


_SLIGHT = ("slight", "slim", "thin", "slender", "skinny", "lanky", "wiry", "petite", "frail")
_STOCKY = (
    "stocky",
    "broad",
    "burly",
    "heavy",
    "heavyset",
    "stout",
    "portly",
    "muscular",
    "hulking",
    "barrel-chested",
    "fat",
)
_BUILD_WORDS = re.compile(r"\b(" + "|".join(map(re.escape, (*_SLIGHT, *_STOCKY))) + r")\b", re.I)


def character_build(description: str) -> float:
    """How broad a character is drawn, from the sheet's words: 0.8 slight ("a thin man"),
    1.25 stocky ("broad-shouldered", "heavyset"), 1.0 when it says neither (the first word
    found decides). "Big" and "large" are not read: they size clothes as often as people."""
    match = _BUILD_WORDS.search(description)
    if match is None:
        return 1.0
    return 0.8 if match[1].lower() in _SLIGHT else 1.25


def sheet_kind(sheet: CharacterSheet) -> FigureKind:
    """What a character sheet says its character is (its description, then its appearance)."""
    return character_kind(f"{sheet.description} {sheet.appearance}")


def sheet_build(sheet: CharacterSheet) -> float:
    """How broad a character sheet says its character is (see `character_build`)."""
    return character_build(f"{sheet.description} {sheet.appearance}")
