"""A `Screenplay` back into Fountain text that parses into the same elements.

Elements are written in their plain form when that form parses back unchanged, and with their
forcing mark (`.`, `!`, `@`, `>`) when it would not; blank lines inside dialogue and action are
written as a line of two spaces. Line numbers are not kept.
"""

from __future__ import annotations

from studio.script import fountain_lines as lines_
from studio.script.builders import title_page_text
from studio.script.elements import Element, Screenplay

_IN_DIALOGUE = ("parenthetical", "dialogue")
_ALSO_IN_DIALOGUE = ("lyric", "note")
_FORCE_MARK = {"action": "!", "character": "@", "transition": ">", "scene_heading": "."}


def write_fountain(sp: Screenplay) -> str:
    """Fountain text for `sp`; `parse(write_fountain(sp))` gives the same elements.

    The `title_page` element is rewritten from `sp.title_page`. Elements that Fountain cannot
    express as given (a dialogue line shaped like a parenthetical, a note holding `]]`) are
    written as they are and may parse differently.
    """
    blocks: list[list[str]] = []
    if sp.title_page:
        blocks.append(title_page_text(sp.title_page).split("\n"))
    in_dialogue = False
    previous = ""
    for element in sp.elements:
        kind = element.type
        if kind == "title_page":
            continue
        if in_dialogue and _continues_dialogue(kind, previous):
            blocks[-1].extend(_element_lines(element))
        else:
            lines = _element_lines(element)
            if not blocks and lines_.title_key(lines[0]) is not None:
                lines[0] = _FORCE_MARK.get(kind, "") + lines[0]
            blocks.append(lines)
            in_dialogue = kind == "character"
        previous = kind
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def _continues_dialogue(kind: str, previous: str) -> bool:
    if kind in _IN_DIALOGUE:
        return True
    return kind in _ALSO_IN_DIALOGUE and not (kind == previous == "lyric")


def _element_lines(element: Element) -> list[str]:
    writer = _WRITERS.get(element.type, _action)
    return writer(element)


def _scene_heading(element: Element) -> list[str]:
    text = element.text.strip()
    plain = lines_.is_heading(text) and not lines_.is_forced_heading(text)
    line = text if plain else "." + text
    if element.scene_number:
        line += f" #{element.scene_number}#"
    return [line]


def _action(element: Element) -> list[str]:
    lines = [_action_line(line) for line in element.text.split("\n")]
    first = lines[0]
    stripped = first.strip()
    if len(lines) == 1:
        shaped = lines_.is_heading(stripped) or lines_.is_transition(first)
    else:
        shaped = lines_.character_parts(first) is not None
    if shaped and not first.lstrip().startswith("!"):
        lines[0] = "!" + first
    return lines


def _action_line(line: str) -> str:
    if not line:
        return "  "
    stripped = line.strip()
    marked = (
        stripped.startswith(("!", "[[", "@"))
        or lines_.is_page_break(stripped)
        or lines_.is_section(stripped)
        or lines_.is_synopsis(stripped)
        or lines_.is_forced_heading(stripped)
        or lines_.is_centered(stripped)
        or lines_.is_forced_transition(stripped)
        or lines_.is_lyric(stripped)
    )
    return "!" + line if marked else line


def _character(element: Element) -> list[str]:
    name = element.text.strip()
    line = name if lines_.character_parts(name) == (name, False) else "@" + name
    if element.dual == "right":
        line += " ^"
    return [line]


def _spoken(element: Element) -> list[str]:
    return [line.strip() or "  " for line in element.text.split("\n")]


def _transition(element: Element) -> list[str]:
    text = element.text.strip()
    return [text if lines_.is_transition(text) else ">" + text]


def _centered(element: Element) -> list[str]:
    return [f"> {line.strip()} <" for line in element.text.split("\n")]


def _lyric(element: Element) -> list[str]:
    return ["~" + line.strip() for line in element.text.split("\n")]


def _section(element: Element) -> list[str]:
    return ["#" * max(element.level or 1, 1) + " " + element.text.strip()]


def _synopsis(element: Element) -> list[str]:
    return ["= " + element.text.strip()]


def _note(element: Element) -> list[str]:
    lines = [line if line.strip() else "  " for line in element.text.split("\n")]
    lines[0] = "[[" + lines[0]
    lines[-1] = lines[-1] + "]]"
    return lines


def _page_break(element: Element) -> list[str]:
    return ["==="]


_WRITERS = {
    "scene_heading": _scene_heading,
    "action": _action,
    "character": _character,
    "parenthetical": _spoken,
    "dialogue": _spoken,
    "transition": _transition,
    "centered": _centered,
    "lyric": _lyric,
    "section": _section,
    "synopsis": _synopsis,
    "note": _note,
    "page_break": _page_break,
}
