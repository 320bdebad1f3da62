"""Final Draft (.fdx) import into the same `Screenplay` elements as Fountain.

Paragraphs map by their Type (General and Shot read as action and scene heading; a centered
action or general paragraph as centered text; `StartsNewPage` as a page break before it);
`<DualDialogue>` marks its two speakers left and right; styled
`<Text>` runs become Fountain emphasis markers (`**bold**`, `*italic*`, `_underline_`), with
literal `*`, `_` and `\\` escaped; the scene number comes from the `Number` attribute. The title
page has no keys in Final Draft: its paragraphs are read as Title, Credit, Author, then Source
(other centered lines) and Contact (the rest). DTD and entity declarations are refused.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from studio.errors import InvalidInput
from studio.script.builders import make_element, title_page_element
from studio.script.elements import Element, Screenplay

_TYPES = {
    "scene heading": "scene_heading",
    "action": "action",
    "general": "action",
    "character": "character",
    "parenthetical": "parenthetical",
    "dialogue": "dialogue",
    "transition": "transition",
    "shot": "scene_heading",
}
_DECLARATION_RE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ESCAPES = str.maketrans({"*": "\\*", "_": "\\_", "\\": "\\\\"})
_CREDIT_WORDS = ("written by", "by", "screenplay by", "story by", "teleplay by", "created by")


def parse_fdx(data: bytes | str, name: str = "") -> Screenplay:
    """Parse a Final Draft .fdx file's bytes (or its text, as a project stores it); `name` names
    it in errors.

    Raises InvalidInput when the data is not well-formed XML, is not a Final Draft document, or
    declares a DTD or entities.
    """
    where = name or "the Final Draft data"
    root = _parse_xml(data, where)
    if root.tag != "FinalDraft":
        raise InvalidInput(
            f"{where} is not a Final Draft file (its root element is <{root.tag}>)",
            hint="export the script from Final Draft as .fdx",
        )
    title_page = _title_page(root.find("TitlePage"))
    elements: list[Element] = []
    if title_page:
        elements.append(title_page_element(title_page))
    content = root.find("Content")
    if content is not None:
        _read_content(content, elements)
    return Screenplay(title_page=title_page or None, elements=elements)


def _parse_xml(data: bytes | str, where: str) -> ET.Element:
    text = data if isinstance(data, str) else _text_for_check(data)
    if _DECLARATION_RE.search(text):
        raise InvalidInput(
            f"{where} declares a DTD or entities, which are refused for safety",
            hint="export the script again from Final Draft",
        )
    parser = ET.XMLParser()
    expat = getattr(parser, "parser", None)
    if expat is not None:
        expat.StartDoctypeDeclHandler = _refuse
        expat.EntityDeclHandler = _refuse
    try:
        parser.feed(data)
        return parser.close()
    except (ET.ParseError, _Refused) as err:
        raise InvalidInput(
            f"{where} is not a readable Final Draft file: {err}",
            hint="check that it is an .fdx file and not damaged",
        ) from err


class _Refused(Exception):
    pass


def _refuse(*_args: object) -> None:
    raise _Refused("a DTD or entity declaration is refused")


def _text_for_check(data: bytes) -> str:
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    return data.decode("latin-1")


def _read_content(content: ET.Element, elements: list[Element]) -> None:
    for paragraph in content:
        if paragraph.tag == "DualDialogue":
            _dual(paragraph, elements)
        elif paragraph.tag == "Paragraph":
            dual = paragraph.find("DualDialogue")
            if dual is not None:
                _dual(dual, elements)
            else:
                _paragraph(paragraph, elements)


def _dual(dual: ET.Element, elements: list[Element]) -> None:
    characters: list[Element] = []
    for paragraph in dual.iter("Paragraph"):
        added = _paragraph(paragraph, elements)
        if added is not None and added.type == "character":
            characters.append(added)
    if len(characters) >= 2:
        characters[0].dual = "left"
        characters[1].dual = "right"


def _paragraph(paragraph: ET.Element, elements: list[Element]) -> Element | None:
    kind = _TYPES.get((paragraph.get("Type") or "Action").strip().lower(), "action")
    text = _styled_text(paragraph).strip("\n")
    if not text.strip():
        return None
    if (paragraph.get("StartsNewPage") or "").lower() == "yes" and elements:
        elements.append(make_element("page_break", ""))
    if kind == "action" and (paragraph.get("Alignment") or "").lower() == "center":
        kind = "centered"
    if kind == "parenthetical" and not (text.startswith("(") and text.endswith(")")):
        text = f"({text.strip()})"
    if kind != "action":
        text = "\n".join(line.strip() for line in text.split("\n"))
    previous = elements[-1] if elements else None
    if kind == "dialogue" and previous is not None and previous.type == "dialogue":
        merged = make_element("dialogue", previous.text + "\n" + text)
        elements[-1] = merged
        return merged
    number = (paragraph.get("Number") or "").strip() or None
    element = make_element(kind, text, scene_number=number if kind == "scene_heading" else None)
    elements.append(element)
    return element


def _styled_text(paragraph: ET.Element) -> str:
    """The paragraph's <Text> runs, merged by style, with emphasis markers around styled text."""
    runs: list[tuple[str, frozenset[str]]] = []
    for node in paragraph.findall("Text"):
        styles = frozenset(part.strip().lower() for part in (node.get("Style") or "").split("+"))
        styles = styles & {"bold", "italic", "underline"}
        text = node.text or ""
        if runs and runs[-1][1] == styles:
            runs[-1] = (runs[-1][0] + text, styles)
        else:
            runs.append((text, styles))
    return "".join(_marked(text, styles) for text, styles in runs)


def _marked(text: str, styles: frozenset[str]) -> str:
    escaped = text.translate(_ESCAPES)
    if not styles:
        return escaped
    return "\n".join(_marked_line(line, styles) for line in escaped.split("\n"))


def _marked_line(line: str, styles: frozenset[str]) -> str:
    core = line.strip()
    if not core:
        return line
    stars = ("*" if "italic" in styles else "") + ("**" if "bold" in styles else "")
    underline = "_" if "underline" in styles else ""
    lead = line[: len(line) - len(line.lstrip())]
    trail = line[len(line.rstrip()) :]
    return f"{lead}{underline}{stars}{core}{stars}{underline}{trail}"


def _title_page(title: ET.Element | None) -> dict[str, str]:
    if title is None:
        return {}
    paragraphs = [
        (_styled_text(p).strip(), (p.get("Alignment") or "").lower())
        for p in title.iter("Paragraph")
    ]
    paragraphs = [(text, align) for text, align in paragraphs if text]
    entries: dict[str, list[str]] = {}
    expecting_author = False
    for text, align in paragraphs:
        key = _title_key(text, align, entries, expecting_author)
        expecting_author = key == "Credit"
        entries.setdefault(key, []).append(text)
    return {key: "\n".join(values) for key, values in entries.items()}


def _title_key(text: str, align: str, entries: dict[str, list[str]], after_credit: bool) -> str:
    if align != "center":
        return "Contact"
    if text.lower().rstrip(":") in _CREDIT_WORDS:
        return "Credit"
    if after_credit:
        return "Author"
    if "Title" not in entries or list(entries)[-1] == "Title":
        return "Title" if "Credit" not in entries else "Source"
    return "Source"
