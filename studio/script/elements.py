"""The parsed screenplay: a title page and a flat list of elements.

This is the machine-readable contract of `studio script parse FILE --json`:
`{"title_page": {KEY: VALUE} | null, "elements": [{"type", "text", ...}]}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ElementType = Literal[
    "title_page",
    "scene_heading",
    "action",
    "character",
    "parenthetical",
    "dialogue",
    "transition",
    "centered",
    "page_break",
    "section",
    "synopsis",
    "note",
    "lyric",
]

ELEMENT_TYPES: tuple[str, ...] = ElementType.__args__  # type: ignore[attr-defined]

# One run of text with its emphasis resolved: (text, styles) where styles ⊆ {"b", "i", "u"}.
Run = tuple[str, tuple[str, ...]]


@dataclass
class Element:
    type: str
    text: str  # forcing marks removed; emphasis markers and inline notes kept
    start_line: int = 0  # 1-based source lines
    end_line: int = 0
    scene_number: str | None = None  # scene headings: "1A" from "#1A#"
    level: int | None = None  # sections: 1 for "#", 2 for "##"…
    dual: str | None = None  # characters of dual dialogue: "left" or "right"
    runs: list[Run] = field(default_factory=list)

    def to_json(self) -> dict:
        data: dict = {"type": self.type, "text": self.text}
        if self.scene_number is not None:
            data["scene_number"] = self.scene_number
        if self.level is not None:
            data["level"] = self.level
        if self.dual is not None:
            data["dual"] = self.dual
        if self.start_line:
            data["start_line"] = self.start_line
            data["end_line"] = self.end_line or self.start_line
        data["runs"] = [[text, list(styles)] for text, styles in self.runs]
        return data


@dataclass
class Screenplay:
    title_page: dict[str, str] | None
    elements: list[Element]

    def to_json(self) -> dict:
        return {
            "title_page": self.title_page,
            "elements": [e.to_json() for e in self.elements],
        }

    @property
    def title(self) -> str:
        if not self.title_page:
            return ""
        for key, value in self.title_page.items():
            if key.lower() == "title":
                return " ".join(line.strip() for line in value.splitlines() if line.strip())
        return ""
