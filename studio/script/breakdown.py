"""Breakdown: a parsed screenplay → scenes, a first shot list, dialogue lines and characters.

Pure: no database, no I/O. `breakdown(sp)` gives a shot list a director can start from:
an establishing shot per scene, a shot per action beat, coverage for dialogue exchanges and the
camera directions written in the action honoured. Every scene, shot and line carries a fingerprint
(sha256 hex, 16 chars) that two-way sync matches on when the script is edited.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from fractions import Fraction

from studio.domain.entities import Angle, Move, ShotSize
from studio.errors import InvalidInput
from studio.script.breakdown_text import (  # noqa: F401 - re-exported: the breakdown's rules
    ACTION_MAX,
    ACTION_MIN,
    CHARS_PER_SECOND,
    LINE_PAD,
    PAUSES,
    TRANSITION_LIKE,
    WORDS_PER_SECOND,
    action_seconds,
    collapse,
    element_text,
    fingerprint,
    introduction,
    is_offscreen,
    line_seconds,
    normalise_text,
    parse_direction,
    parse_heading,
    place_words,
    shorten,
    split_beat,
    split_character,
    to_frames,
    without_scene_number,
)
from studio.script.elements import Element, Screenplay
from studio.script.name_finder import NameFinder

ESTABLISHING_SECONDS = Fraction(3)
LENS_BY_SIZE = {
    ShotSize.EXTREME_WIDE: 18,
    ShotSize.WIDE: 24,
    ShotSize.FULL: 32,
    ShotSize.MEDIUM_WIDE: 35,
    ShotSize.MEDIUM: 50,
    ShotSize.MEDIUM_CLOSE: 65,
    ShotSize.CLOSE: 85,
    ShotSize.EXTREME_CLOSE: 100,
    ShotSize.INSERT: 100,
}
_SIDE = re.compile(
    r"\b(?:(?:on|to|at) the (?:(?:camera|frame|screen) )?|(?:camera|frame|screen) )(left|right)\b",
    re.I,
)


# --- results ------------------------------------------------------------------------------------


@dataclass
class PlannedLine:
    """A dialogue line as spoken: who, what, how, and which shot of its scene covers it."""

    character: str
    text: str
    parenthetical: str = ""
    extension: str = ""
    dual: str = ""
    order: int = 0
    shot_index: int = 0
    fingerprint: str = ""
    start_line: int = 0
    seconds: Fraction = Fraction(0)  # estimated spoken length


@dataclass
class PlannedShot:
    """A shot of the first shot list; `origin` says what in the script made it."""

    number: str
    description: str
    size: ShotSize = ShotSize.MEDIUM
    angle: Angle = Angle.EYE
    movement: Move = Move.STATIC
    lens: int = 50
    duration: Fraction = Fraction(3)
    duration_frames: int = 72
    characters: list[str] = field(default_factory=list)
    blocking: dict[str, float] = field(default_factory=dict)
    prompt: str = ""
    origin: str = "action"
    fingerprint: str = ""
    start_line: int = 0
    end_line: int = 0


@dataclass
class PlannedScene:
    """A scene with its shots and lines, in script order."""

    heading: str
    int_ext: str = ""
    location: str = ""
    time_of_day: str = ""
    number: str = ""
    synopsis: str = ""
    fingerprint: str = ""
    shots: list[PlannedShot] = field(default_factory=list)
    lines: list[PlannedLine] = field(default_factory=list)
    start_line: int = 0
    transition_after: str = ""
    element_range: tuple[int, int] = (0, 0)  # [first, end) indexes into Screenplay.elements
    implicit: bool = False  # the PROLOGUE made for content before the first heading

    @property
    def duration(self) -> Fraction:
        return sum((shot.duration for shot in self.shots), Fraction(0))


@dataclass
class PlannedCharacter:
    """A speaking character, one per person; `scenes` are indexes into Breakdown.scenes."""

    name: str
    description: str = ""
    line_count: int = 0
    word_count: int = 0
    scenes: list[int] = field(default_factory=list)


@dataclass
class Breakdown:
    """The whole film planned: scenes (with shots and lines) and characters."""

    title: str
    scenes: list[PlannedScene] = field(default_factory=list)
    characters: list[PlannedCharacter] = field(default_factory=list)

    @property
    def shots(self) -> list[PlannedShot]:
        return [shot for scene in self.scenes for shot in scene.shots]

    @property
    def lines(self) -> list[PlannedLine]:
        return [line for scene in self.scenes for line in scene.lines]

    @property
    def duration(self) -> Fraction:
        return sum((scene.duration for scene in self.scenes), Fraction(0))


# --- phase 1: group elements into scenes of beats and speeches ----------------------------------


@dataclass
class _Beat:
    text: str
    start_line: int
    end_line: int


@dataclass
class _Speech:
    name: str
    extension: str
    dual: str
    start_line: int
    parts: list[list] = field(default_factory=list)  # [parenthetical, text, start_line]
    lines: list[PlannedLine] = field(default_factory=list)

    @property
    def offscreen(self) -> bool:
        return is_offscreen(self.extension)


@dataclass
class _SceneSource:
    heading: Element | None
    first_element: int
    items: list = field(default_factory=list)
    synopses: list[str] = field(default_factory=list)
    transition_after: str = ""
    end_element: int = 0


def _group(elements: list[Element]) -> list[_SceneSource]:
    sources: list[_SceneSource] = []
    speech: _Speech | None = None
    for index, el in enumerate(elements):
        if el.type == "scene_heading":
            sources.append(_SceneSource(el, index))
            speech = None
            continue
        if el.type in ("parenthetical", "dialogue", "lyric") and speech is not None:
            _add_to_speech(speech, el)
            continue
        speech = None
        if el.type in ("action", "character") and not sources:
            text = collapse(element_text(el))
            if el.type == "character" or (text and not TRANSITION_LIKE.match(text)):
                sources.append(_SceneSource(None, index))
        if not sources:
            continue
        scene = sources[-1]
        if el.type == "character":
            name, ext = split_character(el.text)
            speech = _Speech(name or "UNKNOWN", ext, el.dual or "", el.start_line)
            scene.items.append(speech)
        elif el.type == "action":
            _add_action(scene, el)
        elif el.type == "transition":
            scene.transition_after = collapse(element_text(el)).upper()
        elif el.type == "synopsis":
            scene.synopses.append(collapse(element_text(el)))
    for index, source in enumerate(sources):
        following = sources[index + 1] if index + 1 < len(sources) else None
        source.end_element = following.first_element if following else len(elements)
    return sources


def _add_to_speech(speech: _Speech, el: Element) -> None:
    text = collapse(element_text(el))
    if el.type == "parenthetical":
        if speech.parts and not speech.parts[-1][1]:
            speech.parts[-1][0] = collapse(f"{speech.parts[-1][0]} {text}")
        else:
            speech.parts.append([text, "", el.start_line])
    elif text:
        if speech.parts and not speech.parts[-1][1]:
            speech.parts[-1][1] = text
        else:
            speech.parts.append(["", text, el.start_line])


def _add_action(scene: _SceneSource, el: Element) -> None:
    text = collapse(element_text(el))
    if not text:
        return
    if TRANSITION_LIKE.match(text):
        if "OUT" in text or "BLACK" in text or "CUT" in text:
            scene.transition_after = text
        return
    for piece in split_beat(text):
        scene.items.append(_Beat(piece, el.start_line, el.end_line or el.start_line))


# --- names --------------------------------------------------------------------------------------


class _Names:
    """Finds the script's speaking characters in action text (`NameFinder`: linear in the text
    whatever the number of speakers)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.any_case = NameFinder(names, ignore_case=True)
        self.caps = NameFinder(names, ignore_case=False)

    def find(self, text: str) -> list[str]:
        found = (collapse(text[start:end]).upper() for start, end in self.any_case.finditer(text))
        return list(dict.fromkeys(found))

    def hints(self, text: str) -> dict[str, str]:
        """ "MAYA on the left" → {"MAYA": "left"}: a side given right after a name."""
        if not self.names:
            return {}
        spans = list(self.any_case.finditer(text))
        ends = [end for _, end in spans]  # ascending: the matches do not overlap
        hints = {}
        for side in _SIDE.finditer(text):
            gap = side.start()
            # the last name ending at most 40 characters before the side, in the same clause
            index = bisect_right(ends, gap) - 1
            while index >= 0 and gap - ends[index] <= 40:
                if _one_clause(text[ends[index] : gap]):
                    start, end = spans[index]
                    hints[collapse(text[start:end]).upper()] = side[1].lower()
                    break
                index -= 1
        return hints


def _one_clause(text: str) -> bool:
    return not any(stop in text for stop in ".!?")


def _speakers(sources: list[_SceneSource]) -> list[str]:
    names = (item.name for s in sources for item in s.items if isinstance(item, _Speech))
    return list(dict.fromkeys(n for n in names if n))


def blocking(characters: list[str], hints: dict[str, str], dual: dict[str, str]) -> dict:
    """x in 0..1 per character: spread left to right, hints and dual sides honoured."""
    rank = {"left": 0, "right": 2}
    first: dict[str, int] = {}
    for position, character in enumerate(characters):
        first.setdefault(character, position)
    ordered = sorted(
        characters, key=lambda c: (rank.get(dual.get(c) or hints.get(c, ""), 1), first[c])
    )
    if len(ordered) == 1:
        side = dual.get(ordered[0]) or hints.get(ordered[0], "")
        return {ordered[0]: {"left": 0.3, "right": 0.7}.get(side, 0.5)}
    return {c: round((i + 1) / (len(ordered) + 1), 3) for i, c in enumerate(ordered)}


# --- phase 2: shots and lines per scene ---------------------------------------------------------


@dataclass
class _Context:
    fps: int
    names: _Names
    order: int = 0  # the next dialogue line's position in the script


def breakdown(sp: Screenplay, fps: int = 24) -> Breakdown:
    """Break a parsed screenplay into scenes, shots, dialogue lines and characters."""
    if not isinstance(fps, int) or fps <= 0:
        raise InvalidInput(f"breakdown: fps must be a positive whole number, got {fps!r}")
    sources = _group(sp.elements)
    ctx = _Context(fps, _Names(_speakers(sources)))
    scenes = [_plan_scene(source, index, ctx) for index, source in enumerate(sources)]
    for number, shot in enumerate((shot for scene in scenes for shot in scene.shots), start=1):
        shot.number = str(number)
    characters = _plan_characters(ctx.names, scenes, sources)
    return Breakdown(title=sp.title, scenes=scenes, characters=characters)


def _scene_header(source: _SceneSource, index: int) -> PlannedScene:
    el = source.heading
    if el is None:
        heading, int_ext, location, time_of_day = "PROLOGUE", "", "", ""
    else:
        heading = without_scene_number(element_text(el))
        int_ext, location, time_of_day = parse_heading(heading)
    first_item_line = source.items[0].start_line if source.items else 0
    return PlannedScene(
        heading=heading,
        int_ext=int_ext,
        location=location,
        time_of_day=time_of_day,
        number=(el.scene_number if el is not None and el.scene_number else str(index + 1)),
        synopsis=" ".join(source.synopses),
        fingerprint=fingerprint("scene", int_ext, normalise_text(location or heading)),
        start_line=el.start_line if el is not None else first_item_line,
        transition_after=source.transition_after,
        element_range=(source.first_element, source.end_element),
        implicit=el is None,
    )


def _plan_scene(source: _SceneSource, index: int, ctx: _Context) -> PlannedScene:
    scene = _scene_header(source, index)
    hints = ctx.names.hints(" ".join(i.text for i in source.items if isinstance(i, _Beat)))
    first = source.items[0] if source.items else None
    opens_wide = isinstance(first, _Beat) and parse_direction(first.text).size in (
        ShotSize.EXTREME_WIDE,
        ShotSize.WIDE,
    )
    if not scene.implicit and not opens_wide:
        scene.shots.append(_establishing(scene, source))
    run: list[_Speech] = []
    for item in [*source.items, None]:
        if isinstance(item, _Speech):
            run.append(item)
            continue
        if run:
            _cover(scene, run, hints, ctx)
            run = []
        if isinstance(item, _Beat):
            scene.shots.append(_beat_shot(scene, item, hints, ctx))
    _finish_durations(scene, ctx.fps)
    return scene


def _finish_durations(scene: PlannedScene, fps: int) -> None:
    spoken = [Fraction(0)] * len(scene.shots)
    for line in scene.lines:
        spoken[line.shot_index] += line.seconds
    for shot, seconds in zip(scene.shots, spoken, strict=True):
        shot.duration_frames = to_frames(max(shot.duration, seconds), fps)
        shot.duration = Fraction(shot.duration_frames, fps)


def _establishing(scene: PlannedScene, source: _SceneSource) -> PlannedShot:
    wide = scene.int_ext in ("EXT", "EST")
    size = ShotSize.EXTREME_WIDE if wide else ShotSize.WIDE
    end = source.heading.end_line or source.heading.start_line if source.heading else 0
    return PlannedShot(
        number="",
        description=f"Establishing: {scene.heading}",
        size=size,
        lens=LENS_BY_SIZE[size],
        duration=ESTABLISHING_SECONDS,
        prompt=place_words(scene.int_ext, scene.location, scene.time_of_day),
        origin="establishing",
        fingerprint=fingerprint(
            "shot", scene.fingerprint, "establishing", normalise_text(scene.time_of_day)
        ),
        start_line=scene.start_line,
        end_line=end,
    )


def _size_for(character_count: int, text: str) -> ShotSize:
    """A first guess at an action beat's size: a detail, a single, a pair, a group."""
    if character_count == 0:
        return ShotSize.CLOSE if len(text) < 60 else ShotSize.WIDE
    return {1: ShotSize.MEDIUM, 2: ShotSize.MEDIUM_WIDE}.get(character_count, ShotSize.WIDE)


def _beat_shot(scene: PlannedScene, beat: _Beat, hints: dict, ctx: _Context) -> PlannedShot:
    found = parse_direction(beat.text)
    # the caption is the paragraph as written ("LOW ANGLE on the gallery rail."); what the
    # picture shows, for its length, size and prompt, is the paragraph less its direction
    action = found.rest or found.words or beat.text
    characters = ctx.names.find(beat.text)
    size = found.size or _size_for(len(characters), action)
    return PlannedShot(
        number="",
        description=beat.text,
        size=size,
        angle=found.angle or Angle.EYE,
        movement=found.move or Move.STATIC,
        lens=LENS_BY_SIZE[size],
        duration=action_seconds(action),
        characters=characters,
        blocking=blocking(characters, hints, {}),
        prompt=shorten(action, 40),
        origin=found.origin,
        fingerprint=fingerprint("shot", scene.fingerprint, found.origin, normalise_text(beat.text)),
        start_line=beat.start_line,
        end_line=beat.end_line,
    )


def _make_lines(scene: PlannedScene, speech: _Speech, ctx: _Context) -> None:
    for parenthetical, text, start_line in speech.parts:
        if not text:
            continue
        line = PlannedLine(
            character=speech.name,
            text=text,
            parenthetical=parenthetical,
            extension=speech.extension,
            dual=speech.dual,
            order=ctx.order,
            fingerprint=fingerprint("line", speech.name, normalise_text(text)),
            start_line=start_line or speech.start_line,
            seconds=line_seconds(text, parenthetical),
        )
        ctx.order += 1
        speech.lines.append(line)
        scene.lines.append(line)


def _units(speeches: list[_Speech]) -> list[list[_Speech]]:
    """Speeches grouped into what one shot covers: a speaker continuing, a dual pair, and
    off-screen lines joining the shot they are heard over."""
    units: list[list[_Speech]] = []
    pending: list[_Speech] = []
    for speech in speeches:
        last = units[-1] if units else None
        last_onscreen = [s for s in last if not s.offscreen] if last else []
        if speech.offscreen:
            (last if last else pending).append(speech)
        elif last and speech.dual == "right" and any(s.dual == "left" for s in last):
            last.append(speech)
        elif last_onscreen and {s.name for s in last_onscreen} == {speech.name}:
            last.append(speech)
        else:
            units.append([*pending, speech])
            pending = []
    return units


def _cover(scene: PlannedScene, speeches: list[_Speech], hints: dict, ctx: _Context) -> None:
    for speech in speeches:
        _make_lines(scene, speech, ctx)
    speeches = [s for s in speeches if s.lines]
    onscreen = list(dict.fromkeys(s.name for s in speeches if not s.offscreen))
    if not speeches:
        return
    if not onscreen:
        if scene.shots:
            for line in (line for s in speeches for line in s.lines):
                line.shot_index = len(scene.shots) - 1
        else:
            _coverage_shot(scene, speeches, [], ShotSize.WIDE, hints)
        return
    units = _units(speeches)
    if len(onscreen) == 1:
        _coverage_shot(scene, speeches, onscreen, _single_size(speeches), hints)
        return
    group_size = ShotSize.MEDIUM if len(onscreen) == 2 else ShotSize.MEDIUM_WIDE
    if len(units) <= 2:
        _coverage_shot(scene, speeches, onscreen, group_size, hints)
        return
    _coverage_shot(scene, units[0], onscreen, group_size, hints)
    for unit in units[1:]:
        people = list(dict.fromkeys(s.name for s in unit if not s.offscreen))
        size = _single_size(unit) if len(people) == 1 else ShotSize.MEDIUM
        _coverage_shot(scene, unit, people, size, hints)


def _single_size(speeches: list[_Speech]) -> ShotSize:
    words = sum(len(line.text.split()) for s in speeches for line in s.lines)
    return ShotSize.CLOSE if words <= 6 else ShotSize.MEDIUM_CLOSE


def _coverage_shot(
    scene: PlannedScene, speeches: list[_Speech], people: list[str], size: ShotSize, hints: dict
) -> None:
    lines = [line for s in speeches for line in s.lines]
    for line in lines:
        line.shot_index = len(scene.shots)
    quote = f"“{shorten(lines[0].text, 8)}”"
    names = " and ".join(people) if len(people) <= 2 else ", ".join(people)
    if not people:
        description, prompt = f"Over black: {lines[0].character} {quote}", "black frame"
    elif len(people) == 1:
        description = f"{size.value} on {names}: {quote}"
        moods = (line.parenthetical.strip("() ") for line in lines if line.parenthetical)
        mood = next((m for m in moods if m.lower() not in PAUSES), "")
        prompt = f"{people[0].title()} speaking" + (f", {mood}" if mood else "")
    else:
        description = f"{'Two' if len(people) == 2 else 'Group'}-shot, {names}: {quote}"
        prompt = " and ".join(p.title() for p in people) + " talking, facing each other"
    scene.shots.append(
        PlannedShot(
            number="",
            description=description,
            size=size,
            lens=LENS_BY_SIZE[size],
            duration=Fraction(0),
            characters=people,
            blocking=blocking(people, hints, {s.name: s.dual for s in speeches if s.dual}),
            prompt=prompt,
            origin="coverage",
            fingerprint=fingerprint(
                "shot", scene.fingerprint, "coverage", *(line.fingerprint for line in lines)
            ),
            start_line=speeches[0].start_line,
            end_line=lines[-1].start_line,
        )
    )


# --- characters ---------------------------------------------------------------------------------


def _plan_characters(
    names: _Names, scenes: list[PlannedScene], sources: list[_SceneSource]
) -> list[PlannedCharacter]:
    characters = {name: PlannedCharacter(name) for name in names.names}
    for index, scene in enumerate(scenes):
        for line in scene.lines:
            person = characters[line.character]
            person.line_count += 1
            person.word_count += len(line.text.split())
            if index not in person.scenes:
                person.scenes.append(index)
        for name in (name for shot in scene.shots for name in shot.characters):
            if index not in characters[name].scenes:
                characters[name].scenes.append(index)
    for person in characters.values():
        person.scenes.sort()
    if names.names:
        beats = (item.text for s in sources for item in s.items if isinstance(item, _Beat))
        for text in beats:
            for start, end in names.caps.finditer(text):
                person = characters[collapse(text[start:end])]
                if not person.description:
                    person.description = introduction(text, start, end)
    return list(characters.values())
