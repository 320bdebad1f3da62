"""What one Fountain line can be, by the rules of fountain.io/syntax (shared by parser and writer).

A line's meaning often depends on its neighbours (a character needs a blank line before and a
non-blank line after); these predicates judge the line alone, and the parser adds the context.
"""

from __future__ import annotations

import re

HEADING_RE = re.compile(r"(?:int\.?/ext|ext\.?/int|i\.?/e|int|ext|est)[. ]", re.IGNORECASE)
# Uppercase lines that are transitions without ending in `TO:` (the spec's own examples).
BLACK_TRANSITION_RE = re.compile(r"(?:FADE (?:TO BLACK|OUT)|CUT TO BLACK)\.")
SCENE_NUMBER_RE = re.compile(r"^(.*?)\s*#((?:[^\W_]|[-.])+)#\s*$", re.DOTALL)
PAGE_BREAK_RE = re.compile(r"={3,}")
SECTION_RE = re.compile(r"(#+)\s*(.*)", re.DOTALL)
TITLE_KEY_RE = re.compile(r"([^\W_][^:]*?):[ \t]*(.*)")
TITLE_CONTINUATION_RE = re.compile(r"(?: {3,}|\t)\s*(\S.*)")
# Title page keys known to every Fountain app (any letter case); other keys need a value inline.
TITLE_KEYS = frozenset(
    "title|credit|author|authors|source|draft date|date|contact|contact info|copyright|notes"
    "|revision|format|episode|series|language|font|watermark|tl|tc|tr|cc|bl|br".split("|")
)
CENTERED_RE = re.compile(r">\s*(.*?)\s*<", re.DOTALL)

_NOT_A_NAME_START = ("!", ".", ">", "~", "#", "=", "[[")
MARKED_START = (*_NOT_A_NAME_START, "@")
_MOST_WORDS_IN_A_KEY = 3
_EXTENSIONS_RE = re.compile(r"(?:\([^()]*\)\s*)*")


def is_blank(raw_line: str) -> bool:
    """A blank line ends a paragraph; a line of two or more spaces does not (it continues one)."""
    return not raw_line.strip() and "  " not in raw_line


def is_page_break(stripped: str) -> bool:
    return PAGE_BREAK_RE.fullmatch(stripped) is not None


def is_section(stripped: str) -> bool:
    return stripped.startswith("#")


def is_synopsis(stripped: str) -> bool:
    return stripped.startswith("=") and not is_page_break(stripped)


def is_forced_heading(stripped: str) -> bool:
    """`.` followed by a letter or digit forces a scene heading (`...` does not)."""
    return len(stripped) > 1 and stripped[0] == "." and stripped[1].isalnum()


def is_heading(stripped: str) -> bool:
    """INT, EXT, EST, INT./EXT, INT/EXT, EXT./INT, I/E, I./E, any letter case, then a dot or a
    space."""
    return HEADING_RE.match(stripped) is not None


def is_centered(stripped: str) -> bool:
    return stripped.startswith(">") and stripped.endswith("<") and len(stripped) >= 2


def is_forced_transition(stripped: str) -> bool:
    return stripped.startswith(">") and not is_centered(stripped)


def is_transition(line: str) -> bool:
    """Uppercase and ending in `TO:`, or `FADE OUT.`, `FADE TO BLACK.`, `CUT TO BLACK.` (trailing
    spaces make it action, as in screenplain)."""
    text = line.lstrip()
    if BLACK_TRANSITION_RE.fullmatch(text):
        return True
    return text.endswith("TO:") and not any(char.islower() for char in text)


def is_lyric(stripped: str) -> bool:
    return stripped.startswith("~")


def is_parenthetical(stripped: str) -> bool:
    return len(stripped) >= 2 and stripped.startswith("(") and stripped.endswith(")")


def character_parts(line: str) -> tuple[str, bool] | None:
    """(name as written without `@` and `^`, dual) when the line can be a character, else None.

    Unforced, the name (followed only by extensions such as `(V.O.)`) needs an uppercase letter,
    no lowercase one, and may not end in `:`; a name of digits alone (`23`) needs an extension
    with an uppercase letter (`23 (O.S.)`). A line ending in two spaces is action. `@` forces any
    name (needed for scripts without letter case, such as Chinese or Japanese).
    """
    if line.endswith("  "):
        return None
    stripped = line.strip()
    forced = stripped.startswith("@")
    body = stripped[1:].strip() if forced else stripped
    dual = body.endswith("^")
    if dual:
        body = body[:-1].rstrip()
    if not body:
        return None
    if forced:
        return body, dual
    if stripped.startswith(_NOT_A_NAME_START):
        return None
    name, paren, extensions = body.partition("(")
    if paren and _EXTENSIONS_RE.fullmatch(paren + extensions) is None:
        return None
    name = name.strip()
    if not name or name.endswith(":"):
        return None
    if any(char.islower() for char in name):
        return None
    if not any(char.isupper() for char in name):
        if any(char.isalpha() for char in name) or not any(c.isupper() for c in extensions):
            return None
    return body, dual


def split_scene_number(text: str) -> tuple[str, str | None]:
    """("INT. HOUSE", "1A") from "INT. HOUSE #1A#"; only the last `#…#` counts.

    What `SCENE_NUMBER_RE` matches, found from the end so that a long heading (a run of spaces, of
    `#`) costs one pass: the number sits between the last two `#`, with only spaces after it.
    """
    trimmed = text.rstrip()
    if not trimmed.endswith("#"):
        return text, None
    opening = trimmed.rfind("#", 0, len(trimmed) - 1)
    if opening < 0:
        return text, None
    match = SCENE_NUMBER_RE.match(trimmed[opening:])
    heading = trimmed[:opening].rstrip()
    if match is None or not heading.strip():
        return text, None
    return heading, match.group(2)


def title_key(line: str) -> tuple[str, str] | None:
    """(key, inline value) when the line opens a title page entry such as `Title: Brick`."""
    match = TITLE_KEY_RE.fullmatch(line)
    if match is None:
        return None
    key = match.group(1).rstrip()
    if is_heading(key + " ") or is_transition(key + ":"):
        return None
    return key, match.group(2).strip()


def opens_title_page(key: str, value: str) -> bool:
    """Whether a first line `key: value` starts a title page: a known key (`Title:`), or another
    key of a few words with a value on its line (`FADE IN:` or `CUT TOO:` alone, and a sentence
    with a colon, are action)."""
    if key.lower() in TITLE_KEYS:
        return True
    return bool(value) and len(key.split()) <= _MOST_WORDS_IN_A_KEY


def title_continuation(line: str) -> str | None:
    """The value on an indented (3+ spaces or a tab) continuation line of the title page."""
    match = TITLE_CONTINUATION_RE.fullmatch(line)
    return match.group(1).strip() if match else None
