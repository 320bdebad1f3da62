"""Inline Fountain syntax: emphasis runs, notes and the boneyard.

Emphasis follows fountain.io: `*italic*`, `**bold**`, `***bold italic***`, `_underline_`, nested
freely (`_**BRICK**_`), never across a line break, and a backslash escapes a marker (`\\*`).
An opening marker must touch a non-space on its right and a closing one a non-space on its left;
an underscore inside a word (`snake_case`) is literal. A marker with no closing mark is literal.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from studio.script.elements import Run

_STYLE_ORDER = ("b", "i", "u")
_STAR_STYLES = {1: ("i",), 2: ("b",), 3: ("b", "i")}
_ESCAPABLE = "*_\\"
_CLOSING_PUNCTUATION = ".,;:!?)]}\u2026\"'"

NOTE_RE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_BONEYARD_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTES_WITH_GAP_RE = re.compile(r"[ \t]*(?:\[\[.*?\]\][ \t]*)+", re.DOTALL)

# A token is (kind, value): kind "c" is a literal character, "*" a run of asterisks (value: its
# length), "_" an underscore.
_Token = tuple[str, str | int]


def emphasis_runs(text: str) -> list[Run]:
    """Resolve Fountain emphasis in `text` into runs of (text, styles).

    Markers are removed and backslash escapes applied; styles are a sorted subset of
    ("b", "i", "u"). Line breaks are kept inside the runs. Adjacent runs with equal styles are
    merged; an empty text gives an empty list.
    """
    runs: list[Run] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            _append(runs, "\n", ())
        tokens = _tokenize(line)
        _Matcher(tokens).emit(0, len(tokens), frozenset(), runs)
    return runs


def strip_notes(text: str) -> str:
    """Text without its inline `[[notes]]`; the gap a note leaves in a line becomes one space."""
    if "[[" not in text:
        return text
    return _NOTES_WITH_GAP_RE.sub(_note_gap, text)


def _note_gap(match: re.Match[str]) -> str:
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else "\n"
    after = text[match.end()] if match.end() < len(text) else "\n"
    if "\n" in (before, after) or after in _CLOSING_PUNCTUATION:
        return ""
    return " "


def remove_boneyard(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Remove `/* … */` spans; return the text and, per output line, its (first, last) source line.

    A boneyard across lines joins the text before and after it into one output line, whose source
    range then spans the removed lines. An unclosed `/*` is left as it is.
    """
    spans: list[tuple[int, int]] = []
    pieces: list[str] = []
    source_line = 1
    line_start = 1
    position = 0
    for match in _BONEYARD_RE.finditer(text):
        kept = text[position : match.start()]
        line_start, source_line = _account(kept, spans, line_start, source_line)
        pieces.append(kept)
        source_line += match.group(0).count("\n")
        position = match.end()
    kept = text[position:]
    line_start, source_line = _account(kept, spans, line_start, source_line)
    pieces.append(kept)
    spans.append((line_start, source_line))
    return "".join(pieces), spans


def _account(
    kept: str, spans: list[tuple[int, int]], line_start: int, source_line: int
) -> tuple[int, int]:
    for _ in range(kept.count("\n")):
        spans.append((line_start, source_line))
        source_line += 1
        line_start = source_line
    return line_start, source_line


def _tokenize(line: str) -> list[_Token]:
    tokens: list[_Token] = []
    index = 0
    length = len(line)
    while index < length:
        char = line[index]
        if char == "\\" and index + 1 < length and line[index + 1] in _ESCAPABLE:
            tokens.append(("c", line[index + 1]))
            index += 2
        elif char == "*":
            end = index
            while end < length and line[end] == "*":
                end += 1
            tokens.append(("*", end - index))
            index = end
        elif char == "_":
            tokens.append(("_", 1))
            index += 1
        else:
            tokens.append(("c", char))
            index += 1
    return tokens


class _Matcher:
    """Pairs emphasis markers in one line's tokens and emits the styled runs."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.closers: dict[tuple[str, str | int], list[int]] = {}
        for index, (kind, value) in enumerate(tokens):
            if kind != "c" and self._can_close(index):
                self.closers.setdefault((kind, value), []).append(index)

    def _neighbour(self, index: int) -> str:
        if 0 <= index < len(self.tokens):
            kind, value = self.tokens[index]
            return str(value) if kind == "c" else kind
        return " "

    def _can_open(self, index: int) -> bool:
        after = self._neighbour(index + 1)
        if after.isspace() or index + 1 >= len(self.tokens):
            return False
        return not (self.tokens[index][0] == "_" and self._neighbour(index - 1).isalnum())

    def _can_close(self, index: int) -> bool:
        before = self._neighbour(index - 1)
        if before.isspace() or index == 0:
            return False
        return not (self.tokens[index][0] == "_" and self._neighbour(index + 1).isalnum())

    def _closing(self, index: int, end: int) -> int | None:
        kind, value = self.tokens[index]
        candidates = self.closers.get((kind, value), [])
        found = bisect_right(candidates, index + 1)
        if found < len(candidates) and candidates[found] < end:
            return candidates[found]
        return None

    def emit(self, start: int, end: int, styles: frozenset[str], runs: list[Run]) -> None:
        buffer: list[str] = []
        index = start
        while index < end:
            kind, value = self.tokens[index]
            if kind == "c":
                buffer.append(str(value))
                index += 1
                continue
            close = self._closing(index, end) if self._opens(kind, value, index) else None
            if close is None:
                buffer.append("*" * int(value) if kind == "*" else "_")
                index += 1
                continue
            _append(runs, "".join(buffer), styles)
            buffer.clear()
            added = _STAR_STYLES[int(value)] if kind == "*" else ("u",)
            self.emit(index + 1, close, styles.union(added), runs)
            index = close + 1
        _append(runs, "".join(buffer), styles)

    def _opens(self, kind: str, value: str | int, index: int) -> bool:
        if kind == "*" and int(value) > 3:
            return False
        return self._can_open(index)


def _append(runs: list[Run], text: str, styles: frozenset[str] | tuple[str, ...]) -> None:
    if not text:
        return
    ordered = tuple(style for style in _STYLE_ORDER if style in styles)
    if runs and runs[-1][1] == ordered:
        runs[-1] = (runs[-1][0] + text, ordered)
    else:
        runs.append((text, ordered))
