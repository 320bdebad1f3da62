"""Inline Fountain syntax: emphasis runs, notes and the boneyard.

Emphasis follows fountain.io: `*italic*`, `**bold**`, `***bold italic***`, `_underline_`, nested
freely (`_**BRICK**_`), never across a line break, and a backslash escapes a marker (`\\*`).
An opening marker must touch a non-space on its right and a closing one a non-space on its left;
a marker inside a word (`snake_case`, `not*italics*`) is literal, and so is one with no closing
mark.

Every function here runs in time and memory linear in its text, whatever the text: spans (the
boneyard, notes) are found by a scan that stops at the first opening mark with no closing one
after it, and runs are built from pieces joined once.
"""

from __future__ import annotations

from collections.abc import Iterator

from studio.script.elements import Run

_STYLE_ORDER = ("b", "i", "u")
_ESCAPABLE = "*_\\"
_CLOSING_PUNCTUATION = ".,;:!?)]}\u2026\"'"
_GAP = " \t"

# A token is (kind, value): kind "c" is literal text (one or more characters), "*" a run of
# asterisks (value: its length), "_" an underscore.
_Token = tuple[str, str | int]
_UNDERSCORE: _Token = ("_", 1)


def emphasis_runs(text: str) -> list[Run]:
    """Resolve Fountain emphasis in `text` into runs of (text, styles).

    Markers are removed and backslash escapes applied; styles are a sorted subset of
    ("b", "i", "u"). Line breaks are kept inside the runs. Adjacent runs with equal styles are
    merged; an empty text gives an empty list.
    """
    runs = _Runs()
    for number, line in enumerate(text.split("\n")):
        if number:
            runs.add("\n", frozenset())
        _Matcher(_tokenize(line)).emit(runs)
    return runs.done()


def spans_between(text: str, opening: str, closing: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each `opening … closing` span in `text`, shortest first, left to right.

    The spans `re.finditer(opening + ".*?" + closing, text, re.DOTALL)` finds, in linear time: an
    opening mark with no closing mark after it ends the search (no later one has one either).
    """
    start = 0
    while True:
        begin = text.find(opening, start)
        if begin < 0:
            return
        close = text.find(closing, begin + len(opening))
        if close < 0:
            return
        start = close + len(closing)
        yield begin, start


def remove_spans(text: str, opening: str, closing: str) -> str:
    """`text` without its `opening … closing` spans (see `spans_between`)."""
    pieces: list[str] = []
    position = 0
    for begin, end in spans_between(text, opening, closing):
        pieces.append(text[position:begin])
        position = end
    if not position:
        return text
    pieces.append(text[position:])
    return "".join(pieces)


def strip_notes(text: str) -> str:
    """Text without its inline `[[notes]]`; the gap a note leaves in a line becomes one space.

    A group of notes separated only by spaces and tabs goes as one, with the spaces and tabs
    around it; what replaces it depends on the characters on either side (`_note_gap`).
    """
    if "[[" not in text:
        return text
    pieces: list[str] = []
    position = 0
    spans = spans_between(text, "[[", "]]")
    span = next(spans, None)
    while span is not None:
        begin, end = span
        while begin > position and text[begin - 1] in _GAP:
            begin -= 1
        end = _skip_gap(text, end)
        span = next(spans, None)
        while span is not None and span[0] == end:
            end = _skip_gap(text, span[1])
            span = next(spans, None)
        pieces.append(text[position:begin])
        pieces.append(_note_gap(text, begin, end))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _skip_gap(text: str, index: int) -> int:
    while index < len(text) and text[index] in _GAP:
        index += 1
    return index


def _note_gap(text: str, start: int, end: int) -> str:
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
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
    for begin, end in spans_between(text, "/*", "*/"):
        kept = text[position:begin]
        line_start, source_line = _account(kept, spans, line_start, source_line)
        pieces.append(kept)
        source_line += text.count("\n", begin, end)
        position = end
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
    """The line as tokens; consecutive literal characters (escapes resolved) make one token."""
    tokens: list[_Token] = []
    literal: list[str] = []
    index = 0
    length = len(line)
    while index < length:
        char = line[index]
        if char == "\\" and index + 1 < length and line[index + 1] in _ESCAPABLE:
            literal.append(line[index + 1])
            index += 2
        elif char == "*" or char == "_":
            if literal:
                tokens.append(("c", "".join(literal)))
                literal.clear()
            end = index + 1
            if char == "*":
                while end < length and line[end] == "*":
                    end += 1
            tokens.append(_star(end - index) if char == "*" else _UNDERSCORE)
            index = end
        else:
            end = index + 1
            while end < length and line[end] not in "*_\\":
                end += 1
            literal.append(line[index:end])
            index = end
    if literal:
        tokens.append(("c", "".join(literal)))
    return tokens


_STARS: dict[int, _Token] = {}


def _star(count: int) -> _Token:
    """One shared token per length of asterisk run (a line of markers holds millions)."""
    token = _STARS.get(count)
    if token is None:
        token = ("*", count)
        if count <= 3:
            _STARS[count] = token
    return token


class _Matcher:
    """Pairs emphasis markers in one line's tokens and emits the styled runs.

    A marker opens when it touches a non-space on its right and no letter or digit on its left
    (`not*italics*` stays literal); it closes in the mirror case (`**bold **` stays literal). A
    closing marker pairs with the nearest open marker of its kind, and markers opened between
    the two stay literal (so `**bold ** and **\\*9765\\***` makes `*9765*` bold, as Markdown does).
    """

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pairs = self._pair()

    def _pair(self) -> dict[int, int]:
        """Opening token index → closing token index, in one pass (a stack per marker kind;
        each marker is pushed and popped at most once). The characters beside each marker
        (a marker's kind, or a text's last / first character; a space past the line's ends)
        are listed first, so the pass itself calls nothing per marker."""
        tokens = self.tokens
        before = [" "] + [kind if kind != "c" else str(v)[-1] for kind, v in tokens]
        after = [kind if kind != "c" else str(v)[0] for kind, v in tokens[1:]] + [" "]
        pairs: dict[int, int] = {}
        stacks: dict[_Token, list[int]] = {}
        every = stacks.values()
        for index, token in enumerate(tokens):
            kind = token[0]
            if kind == "c" or (kind == "*" and token[1] > 3):
                continue
            left, right = before[index], after[index]  # before[index] is token index - 1's
            stack = stacks.get(token)
            if stack and not (left.isspace() or right.isalnum()):  # it can close
                opening = stack.pop()
                pairs[opening] = index
                for other in every:
                    while other and other[-1] > opening:
                        other.pop()
            elif not (right.isspace() or left.isalnum()):  # it can open
                if stack is None:
                    stacks[token] = [index]
                else:
                    stack.append(index)
        return pairs

    def emit(self, runs: _Runs) -> None:
        mask = 0  # the styles open now: bit 1 bold, 2 italic, 4 underline
        counts = [0, 0, 0, 0, 0]  # by bit
        closing: dict[int, tuple[int, ...]] = {}
        pairs = self.pairs
        buffer: list[str] = []
        add = runs.add_styled
        for index, (kind, value) in enumerate(self.tokens):
            if kind == "c":
                buffer.append(value)
                continue
            if index in pairs:
                if buffer:
                    add("".join(buffer), _BY_MASK[mask])
                    buffer.clear()
                bits = _STAR_BITS[value] if kind == "*" else _UNDERLINE_BITS
                closing[pairs[index]] = bits
                for bit in bits:
                    counts[bit] += 1
                    mask |= bit
            elif index in closing:
                if buffer:
                    add("".join(buffer), _BY_MASK[mask])
                    buffer.clear()
                for bit in closing.pop(index):
                    counts[bit] -= 1
                    if not counts[bit]:
                        mask &= ~bit
            else:
                buffer.append("*" * value if kind == "*" else "_")
        add("".join(buffer), _BY_MASK[mask])


# the emitter's style bits (bold 1, italic 2, underline 4) and each mask's styles in order
_STAR_BITS = {1: (2,), 2: (1,), 3: (1, 2)}
_UNDERLINE_BITS = (4,)
_BY_MASK = {
    mask: tuple(s for bit, s in ((1, "b"), (2, "i"), (4, "u")) if mask & bit) for mask in range(8)
}


class _Runs:
    """Runs being built: adjacent texts with equal styles merge (their pieces joined once)."""

    _ordered: dict[frozenset[str], tuple[str, ...]] = {}

    def __init__(self) -> None:
        self.pieces: list[list[str]] = []
        self.styles: list[tuple[str, ...]] = []

    def add(self, text: str, styles: frozenset[str]) -> None:
        ordered = self._ordered.get(styles)
        if ordered is None:
            ordered = tuple(style for style in _STYLE_ORDER if style in styles)
            self._ordered[styles] = ordered
        self.add_styled(text, ordered)

    def add_styled(self, text: str, ordered: tuple[str, ...]) -> None:
        """`add` with the styles already in `_STYLE_ORDER`."""
        if not text:
            return
        if self.styles and self.styles[-1] == ordered:
            self.pieces[-1].append(text)
        else:
            self.pieces.append([text])
            self.styles.append(ordered)

    def done(self) -> list[Run]:
        done = zip(self.pieces, self.styles, strict=True)
        return [("".join(pieces), styles) for pieces, styles in done]
