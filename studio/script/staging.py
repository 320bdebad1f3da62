"""The scene plan: a floor plan of one scene in metres, with people and things placed on it.

Pure: built from what the breakdown stored (the scene's heading, its shots with their
descriptions, sizes, angles, lenses, characters and blocking, the character sheets and the
dialogue lines) and the user's placements, which override what is derived. Same input, same
plan; one pass over the scene's shots.

Coordinates: x runs east (screen right for the scene's first camera), y north (away from it),
z up; facing and pan are degrees counter-clockwise from +x (90 = facing north, away from the
cameras' side; -90 = facing the cameras). An interior is a room from (0, 0) to (width, depth)
whose south wall is open to the cameras; an exterior is open ground to a horizon.

A beat is a span of the scene's shots: a new one starts at a shot whose action says someone
walks, crosses, sits, stands, enters, exits or turns. Every beat holds every present figure's
mark; a placement (`PlacedMark`) of a character at beat N replaces its mark there, and later
beats carry it until the action moves that character again. Things (props, set pieces…) stand
where they are for the whole scene; a placement of a thing moves it for the whole scene.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field

from studio.domain.entities import CharacterSheet, DialogueLine, Scene, Shot
from studio.script.name_finder import NameFinder
from studio.script.staging_camera import Camera, Line, Subject, camera_for
from studio.script.staging_things import (
    BY_NOUN,
    FigureKind,
    ThingKind,
    find_things,
    sheet_kind,
)

PAIR_GAP = 1.5  # metres between two people talking
STEP = 0.7  # a step or a walk with no destination
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_SENTENCES = re.compile(r"[^.!?]+[.!?]*")
_MOVES = {
    "walk": "walk",
    "cross": "cross",
    "move": "walk",
    "step": "walk",
    "run": "walk",
    "ran": "walk",
    "climb": "walk",
    "approach": "walk",
    "head": "walk",
    "sit": "sit",
    "sat": "sit",
    "stand": "stand",
    "stood": "stand",
    "rise": "stand",
    "rose": "stand",
    "enter": "enter",
    "exit": "exit",
    "leave": "exit",
    "turn": "turn",
}
_VERB = re.compile(
    r"(?<!\bthe\s)(?<!\ba\s)(?<!\bhis\s)(?<!\bher\s)\b(walk|cross|move|step|run|ran|climb|approach|head|sit|sat|stand|stood|rise|rose|"
    r"enter|exit|leave|turn)(?:s|es|ed|ing|ting|ning|ping)?\b(?!\s+(?:of|off)\b)",
    re.I,
)
_OWN = ("'s", "’s")  # KIT'S POV: a name owning something is not who moves
_PRONOUN = re.compile(r"^\s*(he|she|it|they)\b", re.I)
_SEATS = ("chair", "stool", "bench", "sofa", "couch", "bed")
_BIG_ROOMS = ("hall", "church", "warehouse", "hangar", "ballroom", "barn", "gym", "theatre")
_SMALL_ROOMS = ("bathroom", "cabin", "cell", "closet", "lamp room", "car", "lift", "elevator")


# --- the plan -----------------------------------------------------------------------------------


@dataclass
class Opening:
    """A door or a window in a wall: its centre on the wall, its width and height."""

    kind: str  # door, window
    wall: str  # west, north, east
    x: float
    y: float
    width: float
    height: float
    sill: float = 0.0


@dataclass
class SetPlan:
    interior: bool
    width: float  # the room's, or the staged area's
    depth: float
    height: float = 0.0  # the ceiling; 0 outside
    walls: list[tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=list)
    openings: list[Opening] = field(default_factory=list)
    horizon: float = 0.0  # metres to the horizon outside; 0 inside
    ground: str = "floor"  # floor, ground, water


@dataclass
class Thing:
    """A prop, vehicle, animal, set piece or landscape feature the action names."""

    name: str  # "chair", "chair 2"
    noun: str
    kind: ThingKind
    size: tuple[float, float, float]
    x: float
    y: float
    z: float = 0.0  # a prop on a table stands at the table's height
    placed: bool = False  # the user put it there


@dataclass
class Figure:
    """A character on the plan: a person or not, and its size."""

    name: str
    kind: str
    person: bool
    size: tuple[float, float, float]
    elevation: float = 0.0


@dataclass
class Mark:
    x: float
    y: float
    facing: float
    posture: str = "standing"  # standing, sitting
    placed: bool = False


@dataclass
class Beat:
    index: int
    shots: list[str]  # the shot numbers it spans
    reason: str  # what started it: "KIT walks", or "the scene opens"
    marks: dict[str, Mark] = field(default_factory=dict)


@dataclass
class ScenePlan:
    scene: int  # the scene's position, 1-based
    heading: str
    set: SetPlan
    figures: list[Figure]
    things: list[Thing]
    beats: list[Beat]
    cameras: list[Camera]
    pair: tuple[str, str] | None = None  # the two who talk most: the line of action

    def beat_of(self, shot_number: str) -> Beat:
        return next(b for b in self.beats if shot_number in b.shots)

    def to_json(self) -> dict:
        return {
            "scene": self.scene,
            "heading": self.heading,
            "set": asdict(self.set),
            "figures": [asdict(f) for f in self.figures],
            "things": [asdict(t) for t in self.things],
            "beats": [
                {**asdict(b), "marks": {n: asdict(m) for n, m in b.marks.items()}}
                for b in self.beats
            ],
            "cameras": [asdict(c) for c in self.cameras],
            "pair": list(self.pair) if self.pair else None,
        }


@dataclass(frozen=True)
class PlacedMark:
    """A user's placement: a character at a beat, or a thing (beat 0) for the whole scene."""

    name: str
    beat: int
    x: float
    y: float
    facing: float | None = None


# --- planning -----------------------------------------------------------------------------------


def action_text(shot: Shot) -> str:
    """What a shot's description says happens: quoted dialogue and the establishing heading
    left out."""
    if shot.description.startswith("Establishing:"):
        return ""
    return _QUOTED.sub(" ", shot.description)


def plan_scene(
    position: int,
    scene: Scene,
    shots: list[Shot],
    cast: dict[int, CharacterSheet],
    lines: list[DialogueLine],
    placements: list[PlacedMark] | None = None,
    aspect: float = 16 / 9,
) -> ScenePlan:
    """The plan of `scene` (at `position`, 1-based): its set, figures, things, beats, cameras."""
    texts = [action_text(shot) for shot in shots]
    names = _names_in_order(shots, cast, lines)
    figures = [_figure(name, cast) for name in names]
    interior = not scene.int_ext.upper().startswith(("EXT", "EST"))
    counts: dict[str, int] = {}
    for text in [*texts, "" if interior else scene.location]:
        for noun, count in find_things(text).items():
            counts[noun] = max(counts.get(noun, 0), count)
    moves_in = any(_VERB.search(t) and re.search(r"\b(enter|exit|leave)", t, re.I) for t in texts)
    the_set = _set(scene, counts, interior, moves_in)
    placements = placements or []
    things = _things(the_set, counts, {p.name: p for p in placements if p.beat == 0})
    pair = _pair(names, lines, cast, shots)
    cast_of = [[cast[c].name for c in shot.characters if c in cast] for shot in shots]
    beats = _beats(shots, texts, cast_of, names, figures, pair, the_set, things, placements)
    plan = ScenePlan(position, scene.heading, the_set, figures, things, beats, [], pair)
    by_name = {f.name: f for f in figures}
    for shot, text in zip(shots, texts, strict=True):
        beat = plan.beat_of(shot.number)
        shown = [cast[c].name for c in shot.characters if c in cast and cast[c].name in beat.marks]
        plan.cameras.append(
            camera_for(
                shot,
                beat.index,
                _subjects(shown, beat, by_name, things, text) or [_whole_set(the_set)],
                _line(pair, beat),
                {cast[int(k)].name: x for k, x in shot.blocking.items() if int(k) in cast},
                aspect,
            )
        )
    return plan


def _names_in_order(
    shots: list[Shot], cast: dict[int, CharacterSheet], lines: list[DialogueLine]
) -> list[str]:
    ids = [c for shot in shots for c in shot.characters]
    ids += [line.character_id for line in lines if not line.extension]
    return list(dict.fromkeys(cast[i].name for i in ids if i in cast))


def _figure(name: str, cast: dict[int, CharacterSheet]) -> Figure:
    sheet = next(s for s in cast.values() if s.name == name)
    kind: FigureKind = sheet_kind(sheet)
    return Figure(name, kind.kind, kind.person, kind.size, kind.elevation)


def _pair(
    names: list[str],
    lines: list[DialogueLine],
    cast: dict[int, CharacterSheet],
    shots: list[Shot],
) -> tuple[str, str] | None:
    """The two on-screen speakers with the most lines, screen left first (the first shot that
    frames both says which is left), or None."""
    spoken: dict[str, int] = {}
    for line in lines:
        if line.character_id in cast and not line.extension:
            name = cast[line.character_id].name
            spoken[name] = spoken.get(name, 0) + 1
    talkers = sorted(spoken, key=lambda n: (-spoken[n], names.index(n) if n in names else 0))
    if len(talkers) < 2:
        return None
    first, second = talkers[0], talkers[1]
    ids = {cast[c].name: str(c) for c in cast}
    for shot in shots:
        x = shot.blocking
        if ids[first] in x and ids[second] in x and x[ids[first]] != x[ids[second]]:
            return (first, second) if x[ids[first]] < x[ids[second]] else (second, first)
    return (first, second) if names.index(first) < names.index(second) else (second, first)


# --- the set and its things ---------------------------------------------------------------------


def _set(scene: Scene, counts: dict[str, int], interior: bool, moves_in: bool) -> SetPlan:
    place = scene.location.lower()
    if not interior:
        water = any(n in counts for n in ("sea", "bay", "lake", "river"))
        return SetPlan(False, 40.0, 40.0, horizon=5000.0, ground="water" if water else "ground")
    if any(w in place for w in _BIG_ROOMS):
        width, depth, height = 14.0, 10.0, 5.0
    elif any(w in place for w in _SMALL_ROOMS):
        width, depth, height = 4.0, 4.0, 2.5
    else:
        width, depth, height = 6.0, 5.0, 2.7
    corners = [(0.0, 0.0), (0.0, depth), (width, depth), (width, 0.0)]
    walls = [(corners[i], corners[i + 1]) for i in range(3)]  # the south wall is open
    openings = []
    doors = counts.pop("door", 1 if moves_in else 0)
    for i in range(doors):
        along = depth * (i + 1) / (doors + 1)
        openings.append(Opening("door", "west", 0.0, round(along, 2), 0.9, 2.05))
    windows = counts.pop("window", 0)
    for i in range(windows):
        along = width * (i + 1) / (windows + 1)
        openings.append(Opening("window", "north", round(along, 2), depth, 1.2, 1.2, sill=0.9))
    return SetPlan(True, width, depth, height, walls, openings)


def _things(the_set: SetPlan, counts: dict[str, int], placed: dict[str, PlacedMark]) -> list[Thing]:
    """Every thing named, placed by its kind: furniture along the back wall (a table in the
    middle, chairs at it), props on the table or by the people, vehicles and animals to the
    side, landscape beyond. A room holds no landscape and no vehicle larger than a bicycle."""
    cx, cy = the_set.width / 2, the_set.depth / 2
    things: list[Thing] = []
    slot = {kind: 0 for kind in ThingKind}
    table: Thing | None = None
    for noun in sorted(counts, key=lambda n: (BY_NOUN[n].kind != ThingKind.SET_PIECE, n)):
        kind, size = BY_NOUN[noun].kind, BY_NOUN[noun].size
        if the_set.interior and _outdoors(kind, size):
            continue  # the sea, the rocks, a ship's horn: heard or seen outside, not in the room
        for i in range(counts[noun]):
            name = noun if i == 0 else f"{noun} {i + 1}"
            n = slot[kind]
            slot[kind] += 1
            x, y, z = _slot(the_set, kind, noun, n, size, table, cx, cy)
            thing = Thing(name, noun, kind, size, round(x, 2), round(y, 2), z)
            if noun == "table" and table is None:
                table = thing
            if name in placed:
                thing.x, thing.y, thing.placed = placed[name].x, placed[name].y, True
            things.append(thing)
    return things


def _outdoors(kind: ThingKind, size: tuple[float, float, float]) -> bool:
    """Whether a thing belongs outside any room: landscape, and vehicles larger than a bicycle."""
    return kind is ThingKind.LANDSCAPE or (kind is ThingKind.VEHICLE and max(size) > 2.5)


def _slot(the_set, kind, noun, n, size, table, cx, cy) -> tuple[float, float, float]:
    side = 1 if n % 2 == 0 else -1
    spread = (n + 1) // 2
    if kind is ThingKind.LANDSCAPE and noun in ("path", "road"):
        return cx, cy, 0.0  # the way the people stand on
    if kind is ThingKind.LANDSCAPE and not size[2]:  # water and flat land lie beyond the set
        return cx, cy + 12.0 + size[1] / 2, 0.0
    if kind is ThingKind.LANDSCAPE:
        return cx + side * spread * 12.0, cy + 15.0 + size[1] / 2, 0.0
    if kind is ThingKind.PROP:
        if table is not None:
            return table.x - 0.5 + 0.25 * (n % 5), table.y, table.size[2]
        return cx + side * 0.3 * spread, cy - 0.5, 0.9  # held, or at hand
    if kind in (ThingKind.VEHICLE, ThingKind.ANIMAL):
        return cx + side * (3.0 + 2.5 * spread + size[0] / 2), cy + 1.0 + size[1] / 2, 0.0
    if noun == "table" and n == 0:
        return cx, cy + 1.2, 0.0
    if noun in ("chair", "stool") and table is not None:
        return table.x + (n % 2 * 2 - 1) * (table.size[0] / 2 + 0.3), table.y, 0.0
    back = the_set.depth - size[1] / 2 - 0.1 if the_set.interior else cy + 4.0
    return cx + side * 1.6 * (spread + 0.5) - (0.8 if side > 0 else -0.8) * (n == 0), back, 0.0


# --- beats and marks ----------------------------------------------------------------------------


def _home(names: list[str], pair: tuple[str, str] | None, cx: float, cy: float) -> dict:
    """Where each figure stands when the scene opens: the pair face each other across the
    middle, the others in an arc behind them facing the middle."""
    marks: dict[str, Mark] = {}
    if pair:
        marks[pair[0]] = Mark(cx - PAIR_GAP / 2, cy, 0.0)
        marks[pair[1]] = Mark(cx + PAIR_GAP / 2, cy, 180.0)
    others = [n for n in names if n not in marks]
    for i, name in enumerate(others):
        if len(others) == 1 and not pair:
            marks[name] = Mark(cx, cy, -90.0)
            continue
        angle = math.radians(30 + 120 * (i + 0.5) / len(others))
        radius = 1.6 if pair else 1.2
        x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle) * 0.8
        marks[name] = Mark(round(x, 2), round(y, 2), _toward((x, y), (cx, cy)))
    return marks


def _toward(start: tuple[float, float], end: tuple[float, float]) -> float:
    return round(math.degrees(math.atan2(end[1] - start[1], end[0] - start[0])), 1)


@dataclass
class _Move:
    name: str
    verb: str  # walk, cross, sit, stand, enter, exit, turn
    target: tuple[float, float] | None
    words: str


def _beats(shots, texts, cast_of, names, figures, pair, the_set, things, placements) -> list[Beat]:
    cx, cy = the_set.width / 2, the_set.depth / 2
    home = _home(names, pair, cx, cy)
    finder = NameFinder(names, ignore_case=True)
    by_beat: dict[int, list[PlacedMark]] = {}
    figure_names = {f.name for f in figures}
    for p in placements:
        if p.name in figure_names:
            by_beat.setdefault(p.beat, []).append(p)
    appeared: set[str] = set()
    beats: list[Beat] = []
    marks: dict[str, Mark] = {}
    gone: set[str] = set()
    last_subject = ""
    for shot, text, shown in zip(shots, texts, cast_of, strict=True):
        in_shot = list(dict.fromkeys([*shown, *(n for n in _names_of(text, finder) if n in home)]))
        where = {**home, **marks}
        moves, last_subject = _moves(text, finder, in_shot, last_subject, where, things, the_set)
        if not beats or moves:
            reason = "; ".join(f"{m.name} {m.words}" for m in moves) or "the scene opens"
            marks = {n: _copy(m) for n, m in marks.items() if n not in gone}
            gone = set()
            beats.append(Beat(len(beats), [], reason, marks))
            for move in moves:
                if move.name not in marks:
                    marks[move.name] = _copy(home[move.name])
                    appeared.add(move.name)
                gone |= _apply(move, marks[move.name], the_set)
            for p in by_beat.get(len(beats) - 1, []):
                old = marks.get(p.name) or home[p.name]
                facing = old.facing if p.facing is None else p.facing
                marks[p.name] = Mark(p.x, p.y, facing, old.posture, placed=True)
                appeared.add(p.name)
        for name in in_shot:
            if name not in appeared and name in home:
                marks[name] = _copy(home[name])
                appeared.add(name)
        beats[-1].shots.append(shot.number)
    return beats


def _copy(mark: Mark) -> Mark:
    return Mark(mark.x, mark.y, mark.facing, mark.posture, mark.placed)


def _names_of(text: str, finder: NameFinder) -> list[str]:
    return [text[s:e].upper() for s, e in finder.finditer(text)]


def _moves(text, finder, in_shot, last_subject, home, things, the_set):
    """The moves a shot's action text makes, with who makes each (the last name before the
    verb in its sentence, or the one a pronoun stands for) and where to (the first thing or
    person named after the verb in the sentence)."""
    moves: list[_Move] = []
    for sentence in _SENTENCES.finditer(text):
        words = sentence[0]
        spans = [(s, e, words[s:e].upper()) for s, e in finder.finditer(words)]
        for verb in _VERB.finditer(words):
            before = [
                name
                for s, e, name in spans
                if s < verb.start() and words[e : e + 2].lower() not in _OWN
            ]
            if before:
                subjects = [before[-1]]
            elif (pronoun := _PRONOUN.match(words)) and pronoun[1].lower() == "they":
                subjects = in_shot
            elif _PRONOUN.match(words) and last_subject:
                subjects = [last_subject]
            else:
                continue
            target = _target(words[verb.end() :], spans, verb.end(), home, things, the_set)
            for name in subjects:
                if name in home:
                    kind = _MOVES[verb[1].lower()]
                    moves.append(_Move(name, kind, target, verb[0].lower()))
                    last_subject = name
    return moves, last_subject


def _target(rest, spans, offset, home, things, the_set) -> tuple[float, float] | None:
    end = re.search(r"[,;]", rest)
    rest = rest[: end.start()] if end else rest
    person = next((name for s, _, name in spans if offset <= s < offset + len(rest)), None)
    nouns = find_things(rest)
    first_noun = min(nouns, key=lambda n: rest.lower().find(n), default=None)
    noun_at = rest.lower().find(first_noun) if first_noun else len(rest)
    person_at = next((s - offset for s, _, n in spans if n == person), len(rest))
    if person and person_at < noun_at:
        mark = home.get(person)
        return (mark.x, mark.y) if mark else None
    if first_noun in ("door", "window"):
        opening = next((o for o in the_set.openings if o.kind == first_noun), None)
        if opening:
            return opening.x, opening.y
    thing = next((t for t in things if t.noun == first_noun), None)
    if thing is None or thing.kind is ThingKind.LANDSCAPE:  # "climbs the cliff path": a way
        return None
    return thing.x, thing.y


def _apply(move: _Move, mark: Mark, the_set: SetPlan) -> set[str]:
    """Move `mark` as `move` says; the names that leave the scene after this beat."""
    door = next((o for o in the_set.openings if o.kind == "door"), None)
    if move.verb == "turn":
        mark.facing = (
            _toward((mark.x, mark.y), move.target) if move.target else _wrap(mark.facing + 180)
        )
    elif move.verb == "stand":
        mark.posture = "standing"
    elif move.verb == "sit":
        mark.posture = "sitting"
        if move.target:
            mark.x, mark.y = move.target
    elif move.verb == "enter":
        if door:
            mark.x, mark.y = door.x + 0.6, door.y
            mark.facing = 0.0
    elif move.verb == "exit":
        if door:
            mark.facing = _toward((mark.x, mark.y), (door.x, door.y))
            mark.x, mark.y = door.x + 0.4, door.y
        return {move.name}
    elif move.target:
        _walk_to(mark, move.target)
    elif move.verb == "cross":
        mark.x = round(the_set.width - mark.x, 2)
        mark.facing = _wrap(180 - mark.facing)
    else:
        rad = math.radians(mark.facing)
        mark.x = round(mark.x + STEP * math.cos(rad), 2)
        mark.y = round(mark.y + STEP * math.sin(rad), 2)
    mark.placed = False
    return set()


def _walk_to(mark: Mark, target: tuple[float, float]) -> None:
    """Stop 0.8 m short of the target, facing it."""
    dx, dy = target[0] - mark.x, target[1] - mark.y
    length = math.hypot(dx, dy)
    if length > 0.8:
        mark.x = round(target[0] - dx / length * 0.8, 2)
        mark.y = round(target[1] - dy / length * 0.8, 2)
    if length > 0:
        mark.facing = _toward((mark.x, mark.y), target)


def _wrap(degrees: float) -> float:
    return round((degrees + 180) % 360 - 180, 1)


def _line(pair: tuple[str, str] | None, beat: Beat) -> Line | None:
    if pair is None or pair[0] not in beat.marks or pair[1] not in beat.marks:
        return None
    a, b = beat.marks[pair[0]], beat.marks[pair[1]]
    return Line(pair[0], pair[1], (a.x, a.y), (b.x, b.y))


def _subjects(shown, beat, by_name, things, text) -> list[Subject]:
    """What a shot frames: its characters where the beat has them; else the first thing its
    text names; else nothing (the set)."""
    if shown:
        return [
            Subject(
                name,
                (beat.marks[name].x, beat.marks[name].y),
                by_name[name].size[2] * (0.55 if beat.marks[name].posture == "sitting" else 1),
                by_name[name].elevation,
                beat.marks[name].facing,
                by_name[name].person,
            )
            for name in shown
        ]
    named = find_things(text)
    first = min(named, key=lambda n: text.lower().find(n), default=None)
    thing = next((t for t in things if t.noun == first), None)
    if thing is None:
        return []
    width, depth, height = thing.size
    if not height:  # the sea, a field: framed from its near edge, a metre of it
        return [Subject(thing.name, (thing.x, thing.y - depth / 2), 1.0, 0.0, 0.0, False)]
    return [Subject(thing.name, (thing.x, thing.y), max(width, height), thing.z, 0.0, False)]


def _whole_set(the_set: SetPlan) -> Subject:
    centre = (the_set.width / 2, the_set.depth / 2)
    return Subject("set", centre, the_set.height or 3.0, 0.0, 0.0, False)
