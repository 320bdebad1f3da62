"""Fountain 1.1 (fountain.io/syntax) into a `Screenplay`, plus file reading for .fountain and .fdx.

`parse` never raises: any text is a screenplay, and what matches no rule is action. Paragraphs are
runs of non-blank lines (a line of two spaces keeps a paragraph going); the rules that need a blank
line before and after (scene headings, transitions, characters) look at the paragraph, the rules
that a mark forces (`.`, `!`, `@`, `>`, `~`, `#`, `=`, `===`) at the line.
"""

from __future__ import annotations

from array import array
from pathlib import Path

from studio.errors import InvalidInput
from studio.script import fountain_lines as lines_
from studio.script.builders import make_element, title_page_element
from studio.script.decoding import decode_script
from studio.script.elements import Element, Screenplay
from studio.script.fountain_inline import remove_boneyard

__all__ = ["decode_text", "parse", "parse_file"]


class _Line:
    """One line after the boneyard is gone: raw text, tabs expanded, and its source lines."""

    __slots__ = ("raw", "text", "first", "last")

    def __init__(self, raw: str, first: int, last: int) -> None:
        self.raw = raw
        self.text = raw.replace("\t", "    ")
        self.first = first
        self.last = last

    @property
    def stripped(self) -> str:
        return self.text.strip()


def parse(text: str) -> Screenplay:
    """Parse Fountain text (any str: BOM, CRLF and CR accepted) into a Screenplay.

    Never raises. Boneyard `/* */` text is dropped; line numbers in the elements are 1-based
    lines of `text`.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept, spans = remove_boneyard(text)
    lines = [
        _Line(raw, first, last) for raw, (first, last) in zip(kept.split("\n"), spans, strict=True)
    ]
    title_page, body_start = _title_page(lines)
    elements: list[Element] = []
    if title_page is not None:
        elements.append(title_page_element(title_page, lines[0].first, lines[body_start - 1].last))
    _BodyParser(elements).run(lines[body_start:])
    return Screenplay(title_page=title_page, elements=elements)


def parse_file(path: str | Path) -> Screenplay:
    """Read a .fountain (or any text) file, or a Final Draft .fdx file, into a Screenplay.

    Text is decoded by `decode_text`; CRLF and CR are accepted. Raises InvalidInput naming the
    file when it cannot be read, is not text (not a screenplay) or an .fdx file is malformed.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise InvalidInput(
            f"cannot read the script {path}: {reason}", hint="check the path and its permissions"
        ) from err
    if path.suffix.lower() == ".fdx":
        from studio.script.fdx import parse_fdx

        return parse_fdx(data, name=str(path))
    return parse(decode_text(data, str(path)))


def decode_text(data: bytes, name: str = "") -> str:
    """Bytes of a text script as str: UTF-8, UTF-16/32 with a BOM (BOM stripped), else cp1252.

    Raises InvalidInput naming `name` when the bytes are not text (`studio.script.decoding`).
    """
    return decode_script(data, name)


def _title_page(lines: list[_Line]) -> tuple[dict[str, str] | None, int]:
    """The title page at the very start, and the index of the first body line.

    The first line must open it (`lines_.opens_title_page`); a value goes on the key's line, or on
    the lines after a key with none (indented, or not: `Title:` then `_**BRICK & STEEL**_`).
    """
    entries: dict[str, list[str]] = {}
    key: str | None = None
    loose = False  # the key had no value on its line: unindented lines may continue it
    index = 0
    while index < len(lines) and lines[index].raw.strip():
        raw = lines[index].raw
        continued = lines_.title_continuation(raw) if key is not None else None
        opened = lines_.title_key(raw) if continued is None else None
        if continued is not None:
            entries[key].append(continued)  # type: ignore[index]
        elif opened is not None and (key is not None or lines_.opens_title_page(*opened)):
            key, value = opened
            entries.setdefault(key, [])
            if value:
                entries[key].append(value)
            loose = not value
        elif key is not None and loose:
            entries[key].append(raw.strip())
        else:
            return None, 0
        index += 1
    if not entries:
        return None, 0
    return {key: "\n".join(values) for key, values in entries.items()}, index


class _BodyParser:
    """Turns the body's lines into elements, paragraph by paragraph."""

    def __init__(self, elements: list[Element]) -> None:
        self.elements = elements
        self.last_character: int | None = None  # index of the previous dialogue block's character
        self.in_block = False  # inside a dialogue block: lyrics and notes do not end it
        self.action: list[_Line] = []  # action lines not yet emitted
        self.note_ends: _NoteEnds | None = None  # for the paragraph being read, made on need

    def run(self, lines: list[_Line]) -> None:
        paragraph: list[_Line] = []
        for line, in_note in zip(lines, _inside_notes(lines), strict=True):
            if lines_.is_blank(line.raw) and not in_note:
                if paragraph:
                    self.paragraph(paragraph)
                    paragraph = []
            else:
                paragraph.append(line)
        if paragraph:
            self.paragraph(paragraph)

    def emit(self, element: Element, in_dialogue: bool = False) -> None:
        self.flush_action()
        self.elements.append(element)
        if not in_dialogue:
            self.last_character = None

    def paragraph(self, para: list[_Line]) -> None:
        first = para[0]
        if len(para) == 1 and self.lone_line(first):
            return
        parts = lines_.character_parts(first.text)
        if parts is not None and len(para) > 1:
            self.dialogue_block(parts, para)
            return
        self.lines(para)

    def lone_line(self, line: _Line) -> bool:
        """A paragraph of one line: a scene heading or a transition by its own shape."""
        stripped = line.stripped
        if stripped.startswith(lines_.MARKED_START):
            return False
        if lines_.is_heading(stripped):
            text, number = lines_.split_scene_number(stripped)
            self.emit(
                make_element("scene_heading", text, line.first, line.last, scene_number=number)
            )
            return True
        if lines_.is_transition(line.text):
            self.emit(make_element("transition", stripped, line.first, line.last))
            return True
        return False

    def lines(self, para: list[_Line]) -> None:
        """Line by line: marked lines stand alone, the rest gathers into action.

        A forced heading (`.`), a forced transition (`>`) or centered lines (`> x <`) must be the
        whole paragraph: with other text on its lines the paragraph is action, as written, and a
        `>` or `<` inside a paragraph is text.
        """
        if self.whole_paragraph(para):
            return
        index = 0
        while index < len(para):
            consumed = self.marked_line(para, index)
            if consumed:
                index += consumed
                continue
            self.action.append(para[index])
            index += 1
        self.flush_action()

    def whole_paragraph(self, para: list[_Line]) -> bool:
        """Emit a paragraph that a `.` or `>` opens; False when no such mark opens it."""
        first = para[0]
        stripped = first.stripped
        if lines_.is_centered(stripped):
            if all(lines_.is_centered(line.stripped) for line in para):
                self.grouped(para, 0, "centered", lines_.is_centered, _centered_text)
                return True
        elif len(para) == 1 and lines_.is_forced_heading(stripped):
            text, number = lines_.split_scene_number(stripped[1:])
            self.emit(
                make_element("scene_heading", text, first.first, first.last, scene_number=number)
            )
            return True
        elif len(para) == 1 and lines_.is_forced_transition(stripped):
            self.emit(make_element("transition", stripped[1:].strip(), first.first, first.last))
            return True
        elif not (lines_.is_forced_heading(stripped) or lines_.is_forced_transition(stripped)):
            return False
        self.action.extend(para)
        self.flush_action()
        return True

    def marked_line(self, para: list[_Line], index: int) -> int:
        """Emit the element a marked line starts; return how many lines it took (0: action)."""
        line = para[index]
        stripped = line.stripped
        if stripped.startswith("!"):
            return 0
        if stripped.startswith("[["):
            return self.note(para, index)
        if lines_.is_page_break(stripped):
            self.emit(make_element("page_break", "", line.first, line.last))
        elif lines_.is_section(stripped):
            self.section(line)
        elif lines_.is_synopsis(stripped):
            self.emit(make_element("synopsis", stripped[1:].strip(), line.first, line.last))
        elif lines_.is_lyric(stripped):
            return self.grouped(para, index, "lyric", lines_.is_lyric, _lyric_text)
        else:
            return 0
        return 1

    def section(self, line: _Line) -> None:
        match = lines_.SECTION_RE.fullmatch(line.stripped)
        hashes, text = (match.group(1), match.group(2)) if match else ("#", "")
        self.emit(make_element("section", text.strip(), line.first, line.last, level=len(hashes)))

    def grouped(self, para: list[_Line], index: int, kind: str, test, text_of) -> int:
        """Consecutive lines of one kind (centered, lyric) become one element."""
        end = index
        while end < len(para) and test(para[end].stripped):
            end += 1
        text = "\n".join(text_of(line.stripped) for line in para[index:end])
        self.emit(make_element(kind, text, para[index].first, para[end - 1].last), self.in_block)
        return end - index

    def note(self, para: list[_Line], index: int) -> int:
        """A note alone on its line(s) becomes a note element; else the line is ordinary text."""
        end = self.note_end(para, index)
        if end is None:
            return 0
        joined = "\n".join(line.text for line in para[index : end + 1]).strip()
        inner = joined[2:-2]
        text = "\n".join("" if not part.strip() else part for part in inner.split("\n")).strip()
        self.emit(make_element("note", text, para[index].first, para[end].last), self.in_block)
        return end - index + 1

    def note_end(self, para: list[_Line], index: int) -> int | None:
        if self.note_ends is None or self.note_ends.para is not para:
            self.note_ends = _NoteEnds(para)
        return self.note_ends.end(index)

    def flush_action(self) -> None:
        """Emit the action lines gathered so far as one action element."""
        if not self.action:
            return
        action, self.action = self.action, []
        text = "\n".join(_action_text(line.text) for line in action)
        self.elements.append(make_element("action", text, action[0].first, action[-1].last))
        self.last_character = None

    def dialogue_block(self, parts: tuple[str, bool], para: list[_Line]) -> None:
        name, dual = parts
        head = para[0]
        character = make_element("character", name, head.first, head.last)
        if dual and self.last_character is not None:
            self.elements[self.last_character].dual = "left"
            character.dual = "right"
        self.emit(character, in_dialogue=True)
        position = len(self.elements) - 1
        self.in_block = True
        self.speech(para[1:])
        self.in_block = False
        self.last_character = None if character.dual else position

    def speech(self, para: list[_Line]) -> None:
        spoken: list[_Line] = []
        index = 0
        while index < len(para):
            line = para[index]
            stripped = line.stripped
            taken = 0
            if lines_.is_parenthetical(stripped):
                self.flush_dialogue(spoken)
                self.emit(make_element("parenthetical", stripped, line.first, line.last), True)
                taken = 1
            elif lines_.is_lyric(stripped):
                self.flush_dialogue(spoken)
                taken = self.grouped(para, index, "lyric", lines_.is_lyric, _lyric_text)
            elif stripped.startswith("[[") and self.note_end(para, index) is not None:
                self.flush_dialogue(spoken)
                taken = self.note(para, index)
            if taken:
                index += taken
                continue
            spoken.append(line)
            index += 1
        self.flush_dialogue(spoken)

    def flush_dialogue(self, spoken: list[_Line]) -> None:
        if not spoken:
            return
        text = "\n".join(line.stripped for line in spoken)
        self.emit(make_element("dialogue", text, spoken[0].first, spoken[-1].last), True)
        spoken.clear()


class _NoteEnds:
    """Where the notes that open lines of one paragraph close, each found in time linear in the
    paragraph: a note's search stops at the first line holding `[[` or `]]`, and each line knows
    the next such line (so unclosed `[[` on thousands of lines are not each scanned to the end)."""

    def __init__(self, para: list[_Line]) -> None:
        self.para = para
        self.next_marked = array("q", [len(para)]) * (len(para) + 1)
        for index in range(len(para) - 1, -1, -1):
            text = para[index].text
            marked = "[[" in text or "]]" in text
            self.next_marked[index] = index if marked else self.next_marked[index + 1]

    def end(self, index: int) -> int | None:
        """The index of the line closing a note that starts `para[index]` and stands alone."""
        found = _note_close(self.para[index].text.lstrip()[2:])
        if found is not None:
            return index if found else None
        end = self.next_marked[index + 1]
        if end < len(self.para) and _note_close(self.para[end].text):
            return end
        return None


def _inside_notes(lines: list[_Line]) -> list[bool]:
    """Per line, whether it lies inside a `[[ … ]]` note opened on an earlier line (so a blank
    line there does not end the paragraph). Notes pair as `spans_between` pairs them: a `[[`
    closes at the next `]]`, and one with no `]]` after it is text (as is every later `[[`)."""
    last_close = max((i for i, line in enumerate(lines) if "]]" in line.raw), default=-1)
    inside = [False] * len(lines)
    open_note = False
    for index, line in enumerate(lines):
        inside[index] = open_note
        if index >= last_close:
            break
        text, position = line.raw, 0
        while True:
            mark = text.find("]]" if open_note else "[[", position)
            if mark < 0:
                break
            open_note, position = not open_note, mark + 2
    return inside


def _note_close(chunk: str) -> bool | None:
    """True when `chunk` closes an open note and nothing follows, False when the note cannot
    stand alone (a `[[` before the close, or text after it), None when it does not close."""
    if "[[" in chunk.split("]]", 1)[0]:
        return False
    close = chunk.find("]]")
    if close < 0:
        return None
    return not chunk[close + 2 :].strip()


def _action_text(text: str) -> str:
    stripped = text.lstrip()
    if stripped.startswith("!"):
        text = text[: len(text) - len(stripped)] + stripped[1:]
    return text.rstrip()


def _centered_text(stripped: str) -> str:
    return stripped[1:-1].strip()


def _lyric_text(stripped: str) -> str:
    return stripped[1:].strip()
