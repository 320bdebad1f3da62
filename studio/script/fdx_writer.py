"""A `Screenplay` as a Final Draft (.fdx) document that Final Draft opens and `parse_fdx` reads
back into the same elements.

Elements map to paragraph types (scene heading → Scene Heading with its `Number`, action →
Action, character, parenthetical, dialogue, transition → the same names, centered text and
lyrics outside dialogue → General, centered); a dual dialogue pair goes into one
`<DualDialogue>`; emphasis runs become `<Text Style="Bold+Italic+Underline">`; a page break
starts the next paragraph on a new page. Final Draft has no sections, synopses or notes in its
script text: those are left out. The title page is written centered (Title, Credit, Author,
Source) and then flush left (the other keys, Contact last), as Final Draft lays it out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from studio.script.elements import Element, Run, Screenplay
from studio.script.fountain_inline import emphasis_runs

__all__ = ["FDX_TYPES", "write_fdx"]

# Our element type → Final Draft paragraph type (elements not named here are not written).
FDX_TYPES = {
    "scene_heading": "Scene Heading",
    "action": "Action",
    "character": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "transition": "Transition",
    "centered": "General",
    "lyric": "General",
}
_IN_DIALOGUE = ("parenthetical", "dialogue", "lyric")
_STYLE_NAMES = {"b": "Bold", "i": "Italic", "u": "Underline"}
_CENTERED_KEYS = ("title", "credit", "author", "authors", "source")


def write_fdx(sp: Screenplay) -> bytes:
    """The Final Draft XML of `sp` (UTF-8, with its declaration); `parse_fdx` of it gives the
    same scene headings, action, characters (dual ones too), parentheticals, dialogue and
    transitions, with their emphasis and scene numbers."""
    root = ET.Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    content = ET.SubElement(root, "Content")
    _Body(content).write(sp.elements)
    if sp.title_page:
        _title_page(ET.SubElement(root, "TitlePage"), sp.title_page)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' + body + "\n").encode()


class _Body:
    """Writes the elements in order, gathering a dual dialogue pair into one `<DualDialogue>`."""

    def __init__(self, content: ET.Element) -> None:
        self.content = content
        self.parent = content  # where the next paragraph goes: the content or a DualDialogue
        self.in_dialogue = False
        self.new_page = False

    def write(self, elements: list[Element]) -> None:
        for element in elements:
            kind = element.type
            if kind == "page_break":
                self.new_page = True
                continue
            if kind == "character":
                self.character(element)
            elif kind not in _IN_DIALOGUE or not self.in_dialogue:
                self.in_dialogue = False
                self.parent = self.content
            if kind in FDX_TYPES:
                self.paragraph(element)

    def character(self, element: Element) -> None:
        if element.dual == "left":
            holder = ET.SubElement(self.content, "Paragraph")
            self.parent = ET.SubElement(holder, "DualDialogue")
        elif element.dual != "right":
            self.parent = self.content
        self.in_dialogue = True

    def paragraph(self, element: Element) -> None:
        kind = element.type
        if kind == "lyric" and self.in_dialogue:
            fdx_type = "Dialogue"
        else:
            fdx_type = FDX_TYPES[kind]
        attributes = {"Type": fdx_type}
        if kind == "scene_heading" and element.scene_number:
            attributes["Number"] = element.scene_number
        if kind == "centered":
            attributes["Alignment"] = "Center"
        if self.new_page:
            attributes["StartsNewPage"] = "Yes"
            self.new_page = False
        paragraph = ET.SubElement(self.parent, "Paragraph", attributes)
        _texts(paragraph, element.runs or [(element.text, ())])


def _texts(paragraph: ET.Element, runs: list[Run]) -> None:
    """One `<Text>` per run, its styles named the way Final Draft names them."""
    for text, styles in runs:
        node = ET.SubElement(paragraph, "Text")
        if styles:
            node.set("Style", "+".join(_STYLE_NAMES[style] for style in styles))
        node.text = text


def _title_page(holder: ET.Element, title_page: dict[str, str]) -> None:
    content = ET.SubElement(holder, "Content")
    centered = [key for key in title_page if key.lower() in _CENTERED_KEYS]
    others = [key for key in title_page if key.lower() not in _CENTERED_KEYS]
    others.sort(key=lambda key: key.lower() == "contact")
    for keys, alignment in ((centered, "Center"), (others, "Left")):
        for key in keys:
            for line in title_page[key].split("\n"):
                if not line.strip():
                    continue
                paragraph = ET.SubElement(
                    content, "Paragraph", {"Alignment": alignment, "Type": "Title Page"}
                )
                _texts(paragraph, emphasis_runs(line.strip()))
