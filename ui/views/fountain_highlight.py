"""Fountain syntax highlighting: headings, cues, dialogue, parentheticals, transitions, notes."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from ui import theme

HEADING = re.compile(r"^(\.(?=[A-Za-z0-9])|(INT|EXT|EST|INT\./EXT|INT/EXT|I/E)[ .])", re.I)
CUE = re.compile(r"^@?[A-Z0-9][A-Z0-9 ._\-']*(\s*\(.*\))?\s*\^?$")
TRANSITION = re.compile(r"^(>(?!.*<$).*|[A-Z ]+TO:)$")
CENTERED = re.compile(r"^>.*<$")
INLINE = [
    (re.compile(r"\[\[.*?\]\]"), "note"),
    (re.compile(r"#[\w.\-]+#\s*$"), "scene_number"),
    (re.compile(r"(?<!\\)\*\*[^*]+\*\*"), "bold"),
    (re.compile(r"(?<![\\*])\*[^*]+\*(?!\*)"), "italic"),
    (re.compile(r"(?<!\\)_[^_]+_"), "underline"),
]
TITLE_KEY = re.compile(r"^(Title|Credit|Author|Authors|Source|Draft date|Contact|Notes?):", re.I)

# block states: what the line before this one was
BLANK, TEXT, IN_DIALOGUE, TITLE_PAGE, BONEYARD = 0, 1, 2, 3, 4


def _format(colour: str, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(QColor(colour))
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


FORMATS = {
    "scene_heading": _format(theme.ACCENT, bold=True),
    "character": _format("#9cc3ff", bold=True),
    "dialogue": _format("#e9e3d3"),
    "parenthetical": _format("#9aa39a", italic=True),
    "transition": _format("#c78bd6", bold=True),
    "centered": _format("#d8dadf", bold=True),
    "section": _format("#6fb58a", bold=True),
    "synopsis": _format("#6fb58a", italic=True),
    "note": _format("#7f8794", italic=True),
    "boneyard": _format("#5c616b", italic=True),
    "title_page": _format("#c9b37e"),
    "scene_number": _format(theme.MUTED),
    "action": _format(theme.TEXT),
}


class FountainHighlighter(QSyntaxHighlighter):
    """Classifies each line from its text and the line before it (the block state)."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self.kinds: dict[int, str] = {}  # block number → kind (what tests and the outline read)

    def highlightBlock(self, text: str) -> None:  # noqa: N802
        before = self.previousBlockState()
        kind, state = self.classify(text, before)
        self.kinds[self.currentBlock().blockNumber()] = kind
        self.setCurrentBlockState(state)
        fmt = FORMATS.get(kind)
        if fmt is not None and text:
            self.setFormat(0, len(text), fmt)
        self._inline(text)

    @staticmethod
    def classify(text: str, before: int) -> tuple[str, int]:
        """(kind, next state) of one line given the state the line before left."""
        stripped = text.strip()
        if before == BONEYARD or stripped.startswith("/*"):
            return "boneyard", (BLANK if "*/" in stripped else BONEYARD)
        if before in (-1, TITLE_PAGE) and (
            TITLE_KEY.match(stripped) or (before == TITLE_PAGE and stripped)
        ):
            return "title_page", TITLE_PAGE
        if not stripped:
            return "blank", BLANK
        if before == IN_DIALOGUE:
            if stripped.startswith("(") and stripped.endswith(")"):
                return "parenthetical", IN_DIALOGUE
            return "dialogue", IN_DIALOGUE
        if stripped.startswith("#"):
            return "section", TEXT
        if stripped.startswith("=") and not stripped.startswith("==="):
            return "synopsis", TEXT
        if before in (BLANK, -1, TITLE_PAGE):
            if HEADING.match(stripped):
                return "scene_heading", TEXT
            if CENTERED.match(stripped):
                return "centered", TEXT
            if TRANSITION.match(stripped):
                return "transition", TEXT
            if (
                CUE.match(stripped)
                and any(c.isalpha() for c in stripped)
                and not stripped.startswith("!")
            ):
                return "character", IN_DIALOGUE
        return "action", TEXT

    def _inline(self, text: str) -> None:
        for pattern, name in INLINE:
            for match in pattern.finditer(text):
                fmt = QTextCharFormat(FORMATS.get(name, QTextCharFormat()))
                if name == "bold":
                    fmt = QTextCharFormat()
                    fmt.setFontWeight(QFont.Weight.Bold)
                elif name == "italic":
                    fmt = QTextCharFormat()
                    fmt.setFontItalic(True)
                elif name == "underline":
                    fmt = QTextCharFormat()
                    fmt.setFontUnderline(True)
                self.setFormat(match.start(), match.end() - match.start(), fmt)
