"""What the Fountain and Final Draft readers build a screenplay's elements with.

Both readers (and the writer, for the title page) share these, so neither imports the other.
"""

from __future__ import annotations

from studio.script.elements import Element
from studio.script.fountain_inline import emphasis_runs, strip_notes
from studio.script.fountain_lines import TITLE_KEYS


def make_element(kind: str, text: str, first: int = 0, last: int = 0, **fields: object) -> Element:
    """An Element with its emphasis runs resolved (inline notes are left out of the runs)."""
    element = Element(type=kind, text=text, start_line=first, end_line=last, **fields)  # type: ignore[arg-type]
    if kind == "note":
        element.runs = emphasis_runs(text)
    elif kind not in ("page_break", "title_page"):
        element.runs = emphasis_runs(strip_notes(text))
    return element


def title_page_text(title_page: dict[str, str]) -> str:
    """The canonical Fountain text of a title page (also what the writer prints).

    A value of several lines goes on the lines after its key, except for a first key that is not
    a known one: its first line stays on the key's line, or the page would not open.
    """
    out: list[str] = []
    for key, value in title_page.items():
        values = value.split("\n")
        inline = not out and key.lower() not in TITLE_KEYS
        if len(values) == 1 or inline:
            out.append(f"{key}: {values[0]}".rstrip())
            out.extend(f"    {line}" for line in values[1:])
        else:
            out.append(f"{key}:")
            out.extend(f"    {line}" for line in values)
    return "\n".join(out)


def title_page_element(title_page: dict[str, str], first: int = 0, last: int = 0) -> Element:
    """The `title_page` element that opens the elements of a screenplay with a title page."""
    return make_element("title_page", title_page_text(title_page), first, last)
