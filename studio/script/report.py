"""The script report: page count, runtime estimates, scenes, characters, balance, long speeches.

Pages are estimated the way a screenplay prints: each element wrapped at its standard width
(action and headings 61 characters, dialogue 35, parentheticals 26), blank lines between
elements, 55 lines to a page; a page plays about a minute. A second runtime comes from the
breakdown's shot durations (dialogue at speaking speed, action by length).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from fractions import Fraction

from studio.script.breakdown import Breakdown, breakdown
from studio.script.breakdown_text import collapse, element_text, split_character
from studio.script.elements import Element, Screenplay

LINES_PER_PAGE = 55
WIDTHS = {
    "scene_heading": 61, "action": 61, "centered": 61, "transition": 61,
    "dialogue": 35, "lyric": 35, "parenthetical": 26, "character": 38,
}  # fmt: skip
BLANK_BEFORE = {
    "scene_heading": 1, "action": 1, "centered": 1, "transition": 1, "character": 1,
    "dialogue": 0, "lyric": 0, "parenthetical": 0,
}  # fmt: skip
SPLITTABLE = {"action", "dialogue", "lyric"}  # may run on to the next page
LONGEST_SPEECHES = 5


@dataclass
class SceneReport:
    number: str
    heading: str
    int_ext: str
    time_of_day: str
    lines: int  # printed lines, blanks included
    eighths: int  # page length in eighths, at least 1
    shots: int
    seconds: float  # from the breakdown

    @property
    def length(self) -> str:
        return eighths_text(self.eighths)


@dataclass
class CharacterReport:
    name: str
    lines: int
    words: int
    scenes: list[str]  # the numbers of the scenes they speak in


@dataclass
class Speech:
    character: str
    words: int
    first_words: str
    scene: str


@dataclass
class ScriptReport:
    """What a producer asks of a script before anyone shoots it."""

    title: str
    page_count: float  # to the nearest eighth
    printed_lines: int
    runtime_pages_s: float  # a page a minute
    runtime_breakdown_s: float  # the breakdown's shot durations
    shot_count: int
    scenes: list[SceneReport] = field(default_factory=list)
    characters: list[CharacterReport] = field(default_factory=list)
    dialogue_words: int = 0
    action_words: int = 0
    longest_speeches: list[Speech] = field(default_factory=list)

    @property
    def dialogue_percent(self) -> float:
        total = self.dialogue_words + self.action_words
        return round(100 * self.dialogue_words / total, 1) if total else 0.0

    @property
    def action_percent(self) -> float:
        total = self.dialogue_words + self.action_words
        return round(100 - self.dialogue_percent, 1) if total else 0.0

    def to_json(self) -> dict:
        """Plain JSON types only."""
        data = asdict(self)
        data["dialogue_percent"] = self.dialogue_percent
        data["action_percent"] = self.action_percent
        for scene, source in zip(data["scenes"], self.scenes, strict=True):
            scene["length"] = source.length
        return data

    def to_text(self) -> str:
        """A readable plain-text report with aligned tables."""
        return "\n".join(_text_lines(self))


def script_report(sp: Screenplay, plan: Breakdown | None = None) -> ScriptReport:
    """Report on a screenplay; pass its breakdown when you already have one."""
    plan = plan or breakdown(sp)
    printed = _printed_lines(sp.elements)
    pages = _paginate(sp.elements, printed)
    scenes = [_scene_report(scene, printed) for scene in plan.scenes]
    dialogue_words, action_words = _balance(sp.elements)
    return ScriptReport(
        title=plan.title,
        page_count=float(round(pages * 8) / 8),
        printed_lines=sum(printed),
        runtime_pages_s=round(float(pages) * 60, 1),
        runtime_breakdown_s=round(float(plan.duration), 1),
        shot_count=len(plan.shots),
        scenes=scenes,
        characters=_characters(plan),
        dialogue_words=dialogue_words,
        action_words=action_words,
        longest_speeches=_longest_speeches(sp.elements, plan),
    )


def eighths_text(eighths: int) -> str:
    """Page lengths as film crews write them: 3 → "3/8", 11 → "1 3/8", 16 → "2"."""
    whole, rest = divmod(eighths, 8)
    if not rest:
        return str(whole)
    return f"{whole} {rest}/8" if whole else f"{rest}/8"


# --- printed lines and pages ---------------------------------------------------------------------


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes when word-wrapped at `width` characters."""
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = -1  # characters on the current line; -1: the line is empty
        for word in paragraph.split():
            if used >= 0 and used + 1 + len(word) <= width:
                used += 1 + len(word)
                continue
            count += used >= 0
            extra, rest = divmod(len(word) - 1, width)  # a word longer than a line breaks
            count += extra
            used = rest + 1
    return count


def _element_lines(el: Element) -> int:
    if el.type not in WIDTHS:
        return 0
    if el.type == "character":
        return 1
    return wrapped_lines(element_text(el).strip("\n"), WIDTHS[el.type])


def _printed_lines(elements: list[Element]) -> list[int]:
    """Printed lines per element, the blank lines before it included."""
    printed = [0] * len(elements)
    for index, el in enumerate(elements):
        lines = _element_lines(el)
        if lines and index:
            lines += BLANK_BEFORE.get(el.type, 0)
        printed[index] = lines
    _fold_dual(elements, printed)
    return printed


def _block_end(elements: list[Element], start: int) -> int:
    end = start + 1
    while end < len(elements) and elements[end].type in ("dialogue", "parenthetical", "lyric"):
        end += 1
    return end


def _fold_dual(elements: list[Element], printed: list[int]) -> None:
    """Dual dialogue prints side by side: the pair takes the height of its taller column."""
    index = 0
    while index < len(elements):
        el = elements[index]
        right = _block_end(elements, index) if el.type == "character" else index + 1
        if el.dual != "left" or right >= len(elements) or elements[right].dual != "right":
            index += 1
            continue
        end = _block_end(elements, right)
        left_height = sum(_element_lines(e) for e in elements[index:right])
        right_height = sum(_element_lines(e) for e in elements[right:end])
        printed[right:end] = [0] * (end - right)
        printed[right] = max(0, right_height - left_height)
        index = end


def _paginate(elements: list[Element], printed: list[int]) -> Fraction:
    """Pages as a fraction: whole pages filled, plus the share of the last one. An element that
    does not fit moves to the next page (action and dialogue run on), losing its blank lines."""
    pages, on_page = 0, 0
    for el, lines in zip(elements, printed, strict=True):
        if el.type == "page_break":
            if on_page:
                pages, on_page = pages + 1, 0
            continue
        blank = min(lines, BLANK_BEFORE.get(el.type, 0))
        if on_page == 0 and pages:
            lines -= blank
        elif on_page + lines > LINES_PER_PAGE:
            lines -= blank
            if el.type in SPLITTABLE and on_page + 2 < LINES_PER_PAGE:
                lines -= LINES_PER_PAGE - on_page
            pages, on_page = pages + 1, 0
            while lines > LINES_PER_PAGE:
                pages, lines = pages + 1, lines - LINES_PER_PAGE
        on_page += lines
    return pages + Fraction(on_page, LINES_PER_PAGE)


# --- scenes, characters, balance, speeches -------------------------------------------------------


def _scene_report(scene, printed: list[int]) -> SceneReport:
    first, end = scene.element_range
    lines = sum(printed[first:end])
    return SceneReport(
        number=scene.number,
        heading=scene.heading,
        int_ext=scene.int_ext,
        time_of_day=scene.time_of_day,
        lines=lines,
        eighths=max(1, round(lines * 8 / LINES_PER_PAGE)),
        shots=len(scene.shots),
        seconds=round(float(scene.duration), 1),
    )


def _characters(plan: Breakdown) -> list[CharacterReport]:
    spoken: dict[str, list[str]] = {c.name: [] for c in plan.characters}
    for scene in plan.scenes:
        for name in dict.fromkeys(line.character for line in scene.lines):
            spoken[name].append(scene.number)
    return [
        CharacterReport(c.name, c.line_count, c.word_count, spoken[c.name]) for c in plan.characters
    ]


def _balance(elements: list[Element]) -> tuple[int, int]:
    dialogue = action = 0
    for el in elements:
        if el.type in ("dialogue", "lyric"):
            dialogue += len(element_text(el).split())
        elif el.type == "action":
            action += len(element_text(el).split())
    return dialogue, action


def _longest_speeches(elements: list[Element], plan: Breakdown) -> list[Speech]:
    scene_of = [""] * len(elements)
    for scene in plan.scenes:
        first, end = scene.element_range
        scene_of[first:end] = [scene.number] * (end - first)
    speeches: list[Speech] = []
    words: list[str] = []
    for index, el in enumerate([*elements, Element("end", "")]):
        if el.type in ("dialogue", "lyric") and speeches:
            words.extend(element_text(el).split())
            continue
        if el.type == "parenthetical" and speeches:
            continue
        _close_speech(speeches, words)
        words = []
        if el.type == "character":
            speeches.append(Speech(split_character(el.text)[0], 0, "", scene_of[index]))
    _close_speech(speeches, words)
    ranked = sorted((s for s in speeches if s.words), key=lambda s: -s.words)  # ties: script order
    return ranked[:LONGEST_SPEECHES]


def _close_speech(speeches: list[Speech], words: list[str]) -> None:
    if speeches and not speeches[-1].words and words:
        speeches[-1].words = len(words)
        cut = " ".join(words[:8])
        speeches[-1].first_words = collapse(cut + ("…" if len(words) > 8 else ""))


# --- text ---------------------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)
    ]

    def fmt(row: list) -> str:
        return "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))

    return [fmt(headers).rstrip(), "  ".join("-" * w for w in widths)] + [
        fmt(row).rstrip() for row in rows
    ]


def _text_lines(report: ScriptReport) -> list[str]:
    out = [
        report.title or "(untitled)",
        f"Pages: {eighths_text(round(report.page_count * 8))} ({report.printed_lines} lines)",
        f"Runtime: {_clock(report.runtime_pages_s)} by pages, "
        f"{_clock(report.runtime_breakdown_s)} by breakdown ({report.shot_count} shots)",
        f"Dialogue {report.dialogue_percent}% / action {report.action_percent}% of "
        f"{report.dialogue_words + report.action_words} words",
        "",
        "SCENES",
    ]
    out += _table(
        ["#", "Heading", "I/E", "Time", "Pages", "Shots", "Est."],
        [
            [s.number, s.heading, s.int_ext, s.time_of_day, s.length, s.shots, _clock(s.seconds)]
            for s in report.scenes
        ],
    )
    out += ["", "CHARACTERS"]
    out += _table(
        ["Name", "Lines", "Words", "Scenes"],
        [[c.name, c.lines, c.words, ", ".join(c.scenes)] for c in report.characters],
    )
    out += ["", "LONGEST SPEECHES"]
    out += _table(
        ["Character", "Words", "Scene", "Begins"],
        [[s.character, s.words, s.scene, s.first_words] for s in report.longest_speeches],
    )
    return out
