"""Subtitles that follow timed-text practice, written as SRT or WebVTT.

Rules: at most 42 characters a line and 2 lines a cue, balanced line breaks; at least 1 s on
screen and at most 20 characters a second, reached by extending a cue into the following silence
(then, if needed, starting it earlier in the preceding silence), never overlapping the next cue
and always leaving a 2-frame gap between cues. A line too long for one cue is split into several
at sentence, then clause (, ; :), then word boundaries, each taking a share of the line's time in
proportion to its text. Times are kept in whole milliseconds so that what is written is exactly
what was checked.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from studio.errors import InvalidInput

MAX_LINE = 42
MAX_LINES = 2
MIN_MS = 1000
MAX_CPS = 20
GAP_FRAMES = 2
MIN_VISIBLE_MS = 500  # the least a crowded cue keeps


@dataclass
class Cue:
    """One subtitle on screen from `start` to `end` seconds; lines joined by newlines."""

    start: float
    end: float
    text: str
    speaker: str = ""


# ---------------------------------------------------------------------------- line breaking


def break_lines(text: str, width: int = MAX_LINE) -> list[str] | None:
    """The text in one line, or two balanced lines of at most `width`, or None if it cannot fit."""
    text = " ".join(text.split())
    if len(text) <= width:
        return [text]
    best: tuple[float, list[str]] | None = None
    for match in re.finditer(" ", text):
        first, second = text[: match.start()], text[match.end() :]
        if len(first) > width or len(second) > width:
            continue
        score = abs(len(first) - len(second)) - (4 if first[-1] in ",.;:!?" else 0)
        if best is None or score < best[0]:
            best = (score, [first, second])
    return best[1] if best else None


def _fits(text: str, prefix: str = "") -> bool:
    return break_lines(prefix + text) is not None


_LEVELS = (
    re.compile(r"(?<=[.!?\u2026])\s+"),  # sentences
    re.compile(r"(?<=[,;:\u2014])\s+"),  # clauses
    re.compile(r"\s+"),  # words
)


def _pack(pieces: list[str], prefix: str) -> list[str]:
    chunks: list[str] = []
    for piece in pieces:
        if chunks and _fits(f"{chunks[-1]} {piece}", prefix):
            chunks[-1] = f"{chunks[-1]} {piece}"
        else:
            chunks.append(piece)
    return chunks


def split_text(text: str, prefix: str = "", level: int = 0) -> list[str]:
    """Pieces of `text` that each fit one cue after `prefix`, split at the coarsest boundary."""
    text = " ".join(text.split())
    if _fits(text, prefix):
        return [text]
    if level >= len(_LEVELS):  # one word longer than a line: cut it
        width = max(1, MAX_LINE - len(prefix))
        return [text[i : i + width] for i in range(0, len(text), width)]
    pieces: list[str] = []
    for piece in _LEVELS[level].split(text):
        pieces.extend([piece] if _fits(piece, prefix) else split_text(piece, prefix, level + 1))
    return _pack([p for p in pieces if p], prefix)


# ---------------------------------------------------------------------------- timing


@dataclass
class _Timed:
    start: int  # milliseconds
    end: int
    text: str
    speaker: str


def _needed(text: str) -> int:
    """Milliseconds a text needs on screen (a line break counts as a character)."""
    return max(MIN_MS, math.ceil(len(text) * 1000 / MAX_CPS))


def _share(start: int, end: int, chunks: list[str], gap: int) -> list[tuple[int, int]]:
    """The span of each chunk of one line, in proportion to the time its text needs."""
    weights = [_needed(c) for c in chunks]
    available = max(0, end - start - gap * (len(chunks) - 1))
    spans, at, total = [], start, sum(weights)
    for index, weight in enumerate(weights):
        last = index == len(chunks) - 1
        stop = end if last else at + math.ceil(available * weight / total)
        spans.append((at, max(at, stop)))
        at = stop + gap
    return spans


def _retime(cues: list[_Timed], gap: int) -> None:
    """Extend short cues into the silence after (then before) them; keep gaps; never overlap.

    A cue crowded by the next one keeps at least MIN_VISIBLE_MS: the next one waits.
    """
    for index, cue in enumerate(cues):
        floor = cues[index - 1].end + gap if index else 0
        cue.start = max(cue.start, floor)
        cue.end = max(cue.end, cue.start)
        limit = None
        if index + 1 < len(cues):
            following = cues[index + 1]
            following.start = max(following.start, cue.start + MIN_VISIBLE_MS + gap)
            following.end = max(following.end, following.start)
            limit = following.start - gap
            cue.end = min(cue.end, limit)
        need = _needed(cue.text)
        if cue.end - cue.start < need:
            cue.end = cue.start + need if limit is None else min(limit, cue.start + need)
        if cue.end - cue.start < need:
            cue.start = max(floor, cue.end - need)


def _line_span(start: int, end: int, chunks: list[str], window: int | None, gap: int) -> int:
    """Where a line's cues may end: its own end, or later into the silence up to `window`."""
    need = sum(_needed(c) for c in chunks) + (gap + 1) * (len(chunks) - 1)
    if end - start >= need:
        return end
    return start + need if window is None else max(end, min(start + need, window))


def make_cues(
    lines: list[tuple[float, float, str, str]],
    speaker_names: bool = False,
    fps: float = 24.0,
) -> list[Cue]:
    """Cues for timed lines (start, end, text, speaker), following the rules above.

    With `speaker_names`, each cue starts "NAME: ". Lines crowding each other (or overlapping)
    never give overlapping cues: a cue keeps at least half a second and the next one waits. A
    cue gets less than 1 s or more than 20 characters a second only when the lines around it
    leave no silence to take.
    """
    gap = math.ceil(GAP_FRAMES * 1000 / fps)
    for number, (start, end, _text, _speaker) in enumerate(lines, 1):
        if not 0 <= start <= end:
            raise InvalidInput(
                f"subtitle line {number} has bad times {start}..{end}",
                "a line needs 0 <= start <= end, in seconds",
            )
    ordered = sorted(lines, key=lambda x: x[0])
    timed: list[_Timed] = []
    for index, (start, end, text, speaker) in enumerate(ordered):
        prefix = f"{speaker.strip().upper()}: " if speaker_names and speaker.strip() else ""
        words = " ".join(text.split())
        if not words:
            continue
        chunks = [prefix + chunk for chunk in split_text(words, prefix)]
        begin = round(start * 1000)
        window = round(ordered[index + 1][0] * 1000) - gap if index + 1 < len(ordered) else None
        stop = _line_span(begin, round(end * 1000), chunks, window, gap)
        for (first, last), chunk in zip(_share(begin, stop, chunks, gap), chunks, strict=True):
            timed.append(_Timed(first, last, "\n".join(break_lines(chunk) or [chunk]), speaker))
    _retime(timed, gap)
    return [Cue(c.start / 1000, c.end / 1000, c.text, c.speaker) for c in timed]


# ---------------------------------------------------------------------------- writing


def _stamp(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def to_srt(cues: list[Cue]) -> str:
    """SubRip text: numbered cues, HH:MM:SS,mmm times."""
    blocks = [
        f"{n}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{c.text}\n"
        for n, c in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def _vtt_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_vtt(cues: list[Cue]) -> str:
    """WebVTT text: the WEBVTT header, then HH:MM:SS.mmm times."""
    blocks = [
        f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{_vtt_text(c.text)}\n" for c in cues
    ]
    return "WEBVTT\n\n" + "\n".join(blocks)
